// Turning checker findings into labels with provenance `auto`, stored under the AUTO_ANNOTATOR
// until a human accepts, edits or rejects them. Ids are deterministic (checker + range + text
// fingerprint), so re-running the checkers never duplicates a suggestion.
import type { StepSpan } from '../../../../shared/steps';
import type { Finding } from './checkers/types';
import { makeSpanId, rationaleFingerprint } from './fingerprint';
import { defaultSteps } from './stepLayout';
import { AUTO_ANNOTATOR, type RationaleAnnotation, type RationaleRef, type SpanLabel, type StepLabel } from './types';

export function findingToSpan(finding: Finding, fingerprint: string, now: string): SpanLabel {
  return {
    id: makeSpanId(finding.checker, finding.start, finding.end, fingerprint),
    start: finding.start,
    end: finding.end,
    step: finding.step,
    errorType: finding.errorType,
    comment: null,
    correction: null,
    deleted: false,
    provenance: 'auto',
    createdAt: now,
    updatedAt: now,
    suggestion: { checker: finding.checker, confidence: finding.confidence, message: finding.message },
  };
}

/**
 * The machine's annotation of a rationale: one auto span per finding, and each step holding a
 * finding rated -1 with the error type of its most confident finding (so "auto-flagged" items
 * and the first suspicious step can be listed without a human pass).
 */
export function findingsToAnnotation(
  ref: RationaleRef,
  rationale: string,
  findings: readonly Finding[],
  now: string,
  steps: readonly StepSpan[] | null = null,
): RationaleAnnotation {
  const fingerprint = rationaleFingerprint(rationale);
  const layout: StepLabel[] = steps ? steps.map((s) => ({ start: s.start, end: s.end, rating: null, errorType: null, provenance: 'auto', createdAt: now, updatedAt: now })) : defaultSteps(rationale, now);
  const best = new Map<number, Finding>();
  for (const f of findings) {
    const cur = best.get(f.step);
    if (f.step >= 0 && (!cur || f.confidence > cur.confidence)) best.set(f.step, f);
  }
  const rated = layout.map((s, i) => {
    const f = best.get(i);
    return f ? { ...s, rating: -1 as const, errorType: f.errorType, suggestion: { checker: f.checker, confidence: f.confidence, message: f.message } } : s;
  });
  const seen = new Set<string>();
  const spans: SpanLabel[] = [];
  for (const f of findings) {
    const span = findingToSpan(f, fingerprint, now);
    if (seen.has(span.id)) continue;
    seen.add(span.id);
    spans.push(span);
  }
  return {
    exampleId: ref.exampleId,
    completionIndex: ref.completionIndex,
    annotator: AUTO_ANNOTATOR,
    rationaleFingerprint: fingerprint,
    verdict: null,
    steps: rated,
    spans,
    timeSpentMs: 0,
    createdAt: now,
    updatedAt: now,
  };
}
