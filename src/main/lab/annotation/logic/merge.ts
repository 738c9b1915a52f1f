// Merging imported annotations into existing ones without duplicates.
//
// Identities: an annotation is (exampleId, completionIndex, annotator); a span is its `id`; the
// verdict is one per annotation; a step is its position in the layout when both layouts have the
// same ranges. Conflicts resolve by updatedAt (newer wins; ties keep the existing label), so
// importing the same file twice, or an older export, changes nothing. Deleted spans are
// tombstones and win like any other newer edit.
import { reassignSpanSteps } from './stepLayout';
import type { RationaleAnnotation, SpanLabel, StepLabel, VerdictLabel } from './types';

export function annotationKey(a: Pick<RationaleAnnotation, 'exampleId' | 'completionIndex' | 'annotator'>): string {
  return JSON.stringify([a.exampleId, a.completionIndex, a.annotator]);
}

function time(ts: string): number {
  const t = Date.parse(ts);
  if (Number.isNaN(t)) throw new Error(`invalid timestamp ${JSON.stringify(ts)}`);
  return t;
}

function newer<T extends { updatedAt: string }>(existing: T, incoming: T): T {
  return time(incoming.updatedAt) > time(existing.updatedAt) ? incoming : existing;
}

function sameLayout(a: readonly StepLabel[], b: readonly StepLabel[]): boolean {
  return a.length === b.length && a.every((s, i) => s.start === b[i]!.start && s.end === b[i]!.end);
}

function latest(steps: readonly StepLabel[]): number {
  return steps.reduce((m, s) => Math.max(m, time(s.updatedAt)), Number.NEGATIVE_INFINITY);
}

function mergeSteps(existing: StepLabel[], incoming: StepLabel[]): StepLabel[] {
  if (sameLayout(existing, incoming)) return existing.map((s, i) => newer(s, incoming[i]!));
  // Different split points: ratings only make sense with their own layout, so take the layout
  // that was edited last, whole.
  return latest(incoming) > latest(existing) ? incoming : existing;
}

function mergeSpans(existing: readonly SpanLabel[], incoming: readonly SpanLabel[]): SpanLabel[] {
  const byId = new Map<string, SpanLabel>(existing.map((s) => [s.id, s]));
  for (const s of incoming) {
    const cur = byId.get(s.id);
    byId.set(s.id, cur ? newer(cur, s) : s);
  }
  return [...byId.values()].sort((a, b) => a.start - b.start || a.end - b.end || a.id.localeCompare(b.id));
}

function mergeVerdict(existing: VerdictLabel | null, incoming: VerdictLabel | null): VerdictLabel | null {
  if (!existing) return incoming;
  if (!incoming) return existing;
  return newer(existing, incoming);
}

/** Canonical JSON (sorted keys) to detect "nothing changed". */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export type MergeOutcome = 'added' | 'updated' | 'unchanged' | 'conflict';

export interface MergeConflict {
  key: string;
  exampleId: string;
  completionIndex: number;
  annotator: string;
  reason: string;
}

/** Merges one incoming annotation into the existing one for the same identity. */
export function mergeAnnotation(existing: RationaleAnnotation, incoming: RationaleAnnotation): { merged: RationaleAnnotation; outcome: MergeOutcome; reason?: string } {
  if (annotationKey(existing) !== annotationKey(incoming)) throw new Error('mergeAnnotation: the two annotations are for different items or annotators');
  if (existing.rationaleFingerprint !== incoming.rationaleFingerprint) {
    return { merged: existing, outcome: 'conflict', reason: 'labels were made on a different text of this rationale (fingerprints differ); kept the existing labels' };
  }
  const steps = mergeSteps(existing.steps, incoming.steps);
  const merged: RationaleAnnotation = {
    ...existing,
    verdict: mergeVerdict(existing.verdict, incoming.verdict),
    steps,
    spans: reassignSpanSteps(steps, mergeSpans(existing.spans, incoming.spans)),
    // The same session's time re-imported must not be counted twice; max is the safe choice.
    timeSpentMs: Math.max(existing.timeSpentMs, incoming.timeSpentMs),
    createdAt: time(incoming.createdAt) < time(existing.createdAt) ? incoming.createdAt : existing.createdAt,
    updatedAt: time(incoming.updatedAt) > time(existing.updatedAt) ? incoming.updatedAt : existing.updatedAt,
  };
  return { merged, outcome: canonical(merged) === canonical(existing) ? 'unchanged' : 'updated' };
}

export interface MergeResult {
  annotations: RationaleAnnotation[];
  added: number;
  updated: number;
  unchanged: number;
  conflicts: MergeConflict[];
}

/** Merges a batch (e.g. a parsed import file) into the existing annotations. */
export function mergeAnnotations(existing: readonly RationaleAnnotation[], incoming: readonly RationaleAnnotation[]): MergeResult {
  const byKey = new Map<string, RationaleAnnotation>();
  for (const a of existing) byKey.set(annotationKey(a), a);
  const result: MergeResult = { annotations: [], added: 0, updated: 0, unchanged: 0, conflicts: [] };
  for (const inc of incoming) {
    const key = annotationKey(inc);
    const cur = byKey.get(key);
    if (!cur) {
      byKey.set(key, inc);
      result.added++;
      continue;
    }
    const { merged, outcome, reason } = mergeAnnotation(cur, inc);
    byKey.set(key, merged);
    if (outcome === 'conflict') {
      result.conflicts.push({ key, exampleId: inc.exampleId, completionIndex: inc.completionIndex, annotator: inc.annotator, reason: reason! });
    } else result[outcome]++;
  }
  result.annotations = [...byKey.values()];
  return result;
}
