// Turns the label content a client saves into the stored RationaleAnnotation: validates offsets,
// keeps unchanged labels exactly as they were (provenance and timestamps), and records what a
// human did to machine suggestions (accepted unchanged / edited) with provenance.ts's rules.
// Spans left out of a save become tombstones (deleted: true) so a re-import of an older export
// cannot bring them back; rejected suggestions are kept even when the client does not send them.
import { LabError } from '../../errors';
import { makeSpanId } from '../logic/fingerprint';
import { provenanceAfterEdit } from '../logic/provenance';
import { reassignSpanSteps } from '../logic/stepLayout';
import type { LabelState, RationaleAnnotation, SpanInput, SpanLabel, StepInput, StepLabel, VerdictLabel } from '../../../../shared/types/annotations';
import type { StepSpan } from '../../../../shared/steps';

export interface ApplyContext {
  exampleId: string;
  completion: number;
  annotator: string;
  rationale: string;
  fingerprint: string;
  defaultSteps: readonly StepSpan[];
  /** The machine's annotation of this text, if any (to recognise accepted/edited suggestions). */
  suggestions: RationaleAnnotation | null;
  now: string;
}

function invalid(message: string): never {
  throw new LabError('INVALID_INPUT', message);
}

export function validateLabelState(state: LabelState, rationale: string): void {
  const n = rationale.length;
  let prevEnd = 0;
  state.steps.forEach((s, i) => {
    if (s.end <= s.start || s.end > n) invalid(`steps[${i}]: range [${s.start}, ${s.end}) must be non-empty and inside the rationale (length ${n})`);
    if (s.start < prevEnd) invalid(`steps[${i}]: starts at ${s.start}, before the previous step ends at ${prevEnd}; steps must be in order and not overlap`);
    if (s.errorType !== null && s.rating !== -1) invalid(`steps[${i}]: an error type needs the rating -1 (incorrect)`);
    prevEnd = s.end;
  });
  const ids = new Set<string>();
  state.spans.forEach((s, i) => {
    if (s.end <= s.start || s.end > n) invalid(`spans[${i}]: range [${s.start}, ${s.end}) must be non-empty and inside the rationale (length ${n})`);
    if (s.id !== undefined) {
      if (ids.has(s.id)) invalid(`spans[${i}].id: ${JSON.stringify(s.id)} appears twice`);
      ids.add(s.id);
    }
  });
}

function sameVerdict(a: VerdictLabel, b: LabelState['verdict'] & object): boolean {
  return a.verdict === b.verdict && a.answerSupported === b.answerSupported && a.endReason === b.endReason;
}

function applyVerdict(prev: VerdictLabel | null, input: LabelState['verdict'], now: string): VerdictLabel | null {
  if (input === null) return null;
  if (prev && sameVerdict(prev, input)) return prev;
  return { ...input, provenance: 'human', createdAt: prev?.createdAt ?? now, updatedAt: now };
}

function applyStep(s: StepInput, prev: readonly StepLabel[], auto: readonly StepLabel[], defaults: readonly StepSpan[], now: string): StepLabel {
  const same = (x: StepLabel): boolean => x.start === s.start && x.end === s.end;
  const p = prev.find(same);
  if (p) {
    if (p.rating === s.rating && p.errorType === s.errorType) return p;
    const provenance = p.rating === null && p.provenance === 'auto' ? 'human' : provenanceAfterEdit(p.provenance);
    return { ...p, rating: s.rating, errorType: s.errorType, provenance, updatedAt: now };
  }
  const sug = auto.find(same);
  if (sug && sug.rating !== null && s.rating !== null) {
    const accepted = sug.rating === s.rating && sug.errorType === s.errorType;
    return { ...sug, rating: s.rating, errorType: s.errorType, provenance: accepted ? 'accepted' : 'edited', createdAt: now, updatedAt: now };
  }
  // Unrated steps on the default split are machine boundaries (provenance auto, as defaultSteps).
  const machineBoundary = s.rating === null && defaults.some((d) => d.start === s.start && d.end === s.end);
  return { start: s.start, end: s.end, rating: s.rating, errorType: s.errorType, provenance: machineBoundary ? 'auto' : 'human', createdAt: now, updatedAt: now };
}

function spanContentEqual(a: SpanLabel, b: SpanInput): boolean {
  return a.start === b.start && a.end === b.end && a.errorType === b.errorType && a.comment === (b.comment || null) && a.correction === (b.correction || null) && a.deleted === (b.deleted ?? false);
}

function applySpan(s: SpanInput, prev: ReadonlyMap<string, SpanLabel>, auto: ReadonlyMap<string, SpanLabel>, ctx: ApplyContext): SpanLabel {
  const content = { start: s.start, end: s.end, errorType: s.errorType, comment: s.comment || null, correction: s.correction || null, deleted: s.deleted ?? false };
  const p = s.id !== undefined ? prev.get(s.id) : undefined;
  if (p) return spanContentEqual(p, s) ? p : { ...p, ...content, provenance: provenanceAfterEdit(p.provenance), updatedAt: ctx.now };
  const sug = s.id !== undefined ? auto.get(s.id) : undefined;
  if (sug) return { ...sug, ...content, provenance: spanContentEqual(sug, s) ? 'accepted' : 'edited', createdAt: ctx.now, updatedAt: ctx.now };
  const id = s.id ?? makeSpanId(ctx.annotator, s.start, s.end, `${ctx.now}\u0000${s.errorType}`);
  return { id, ...content, step: -1, provenance: 'human', createdAt: ctx.now, updatedAt: ctx.now };
}

/** The stored annotation after saving `state` over `prev` (null = first save). */
export function applyLabelState(prev: RationaleAnnotation | null, state: LabelState, timeSpentDeltaMs: number, ctx: ApplyContext): RationaleAnnotation {
  validateLabelState(state, ctx.rationale);
  const auto = ctx.suggestions && ctx.suggestions.rationaleFingerprint === ctx.fingerprint ? ctx.suggestions : null;
  const steps = state.steps.map((s) => applyStep(s, prev?.steps ?? [], auto?.steps ?? [], ctx.defaultSteps, ctx.now));
  const prevSpans = new Map((prev?.spans ?? []).map((s) => [s.id, s]));
  const autoSpans = new Map((auto?.spans ?? []).map((s) => [s.id, s]));
  const spans = state.spans.map((s) => applySpan(s, prevSpans, autoSpans, ctx));
  const sent = new Set(spans.map((s) => s.id));
  for (const p of prev?.spans ?? []) {
    if (sent.has(p.id)) continue;
    spans.push(p.deleted || p.provenance === 'rejected' ? p : { ...p, deleted: true, provenance: provenanceAfterEdit(p.provenance), updatedAt: ctx.now });
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end || a.id.localeCompare(b.id));
  return {
    exampleId: ctx.exampleId,
    completionIndex: ctx.completion,
    annotator: ctx.annotator,
    rationaleFingerprint: ctx.fingerprint,
    verdict: applyVerdict(prev?.verdict ?? null, state.verdict, ctx.now),
    steps,
    spans: reassignSpanSteps(steps, spans),
    timeSpentMs: (prev?.timeSpentMs ?? 0) + timeSpentDeltaMs,
    createdAt: prev?.createdAt ?? ctx.now,
    updatedAt: ctx.now,
  };
}

/** True when two annotations hold the same labels (ignoring time spent and the annotation's own timestamps). */
export function sameLabels(a: RationaleAnnotation | null, b: RationaleAnnotation | null): boolean {
  if (a === null || b === null) return a === b;
  const strip = (x: RationaleAnnotation): string => JSON.stringify([x.rationaleFingerprint, x.verdict, x.steps, x.spans]);
  return strip(a) === strip(b);
}
