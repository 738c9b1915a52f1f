// Derived facts and consistency warnings across the three label levels. No open tool keeps a
// verdict, step ratings and spans consistent (ANCHORS.md); these warnings are what the UI shows
// next to the item and what adjudication filters on. Warnings never block saving: an annotator
// may be mid-way through an item.
import { isActive } from './provenance';
import type { RationaleAnnotation, SpanLabel, StepLabel } from './types';
import type { ConsistencyWarning } from './types';

/** Index of the first step rated -1 (ignoring rejected suggestions), or null. */
export function firstIncorrectStep(steps: readonly StepLabel[]): number | null {
  const i = steps.findIndex((s) => s.rating === -1 && isActive(s));
  return i < 0 ? null : i;
}

/**
 * First error position counting spans too: the earliest step that is rated -1 or holds an
 * active error span. This is what "stop at first error" mode stops at.
 */
export function firstErrorStep(annotation: Pick<RationaleAnnotation, 'steps' | 'spans'>): number | null {
  const fromSteps = firstIncorrectStep(annotation.steps);
  const spanSteps = annotation.spans.filter((s) => isActive(s) && s.step >= 0).map((s) => s.step);
  const candidates = [...(fromSteps === null ? [] : [fromSteps]), ...spanSteps];
  return candidates.length === 0 ? null : Math.min(...candidates);
}

function quote(text: string, start: number, end: number): string {
  const s = text.slice(Math.max(0, start), Math.min(text.length, end)).replace(/\s+/g, ' ');
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);
}

function checkSteps(rationale: string, steps: readonly StepLabel[], out: ConsistencyWarning[]): void {
  let coveredTo = 0;
  steps.forEach((s, i) => {
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= rationale.length && s.start < s.end)) {
      out.push({ code: 'step_out_of_bounds', step: i, message: `step ${i + 1} has range [${s.start}, ${s.end}) outside the rationale (length ${rationale.length})` });
      return;
    }
    if (s.start < coveredTo) {
      out.push({ code: 'steps_overlap', step: i, message: `step ${i + 1} starts at ${s.start}, before the previous step ends at ${coveredTo}` });
    } else {
      const gap = rationale.slice(coveredTo, s.start);
      if (/\S/.test(gap)) {
        out.push({ code: 'text_not_covered', step: i, message: `text ${quote(rationale, coveredTo, s.start)} before step ${i + 1} belongs to no step` });
      }
    }
    coveredTo = Math.max(coveredTo, s.end);
    if (s.errorType !== null && s.rating !== -1) {
      out.push({ code: 'step_error_type_without_incorrect', step: i, message: `step ${i + 1} has error type ${s.errorType} but is not rated incorrect` });
    }
  });
  if (/\S/.test(rationale.slice(coveredTo))) {
    out.push({ code: 'text_not_covered', message: `text ${quote(rationale, coveredTo, rationale.length)} after the last step belongs to no step` });
  }
}

function checkSpan(rationale: string, steps: readonly StepLabel[], sp: SpanLabel, out: ConsistencyWarning[]): void {
  const where = `span ${quote(rationale, sp.start, sp.end)} (${sp.errorType})`;
  if (!(Number.isInteger(sp.start) && Number.isInteger(sp.end) && sp.start >= 0 && sp.end <= rationale.length && sp.start < sp.end)) {
    out.push({ code: 'span_out_of_bounds', spanId: sp.id, message: `span [${sp.start}, ${sp.end}) is outside the rationale (length ${rationale.length}) or empty` });
    return;
  }
  const touched = steps.map((s, i) => ({ s, i })).filter(({ s }) => sp.start < s.end && sp.end > s.start);
  if (touched.length === 0) {
    out.push({ code: 'span_outside_step', spanId: sp.id, message: `${where} lies outside every step` });
    return;
  }
  if (touched.length > 1) {
    out.push({ code: 'span_crosses_steps', spanId: sp.id, step: touched[0]!.i, message: `${where} crosses the boundary between steps ${touched.map((t) => t.i + 1).join(' and ')}` });
  }
  const own = steps[sp.step];
  if (!own || sp.start < own.start || sp.end > own.end) {
    if (touched.length === 1) {
      out.push({ code: 'span_step_mismatch', spanId: sp.id, step: sp.step, message: `${where} is recorded in step ${sp.step + 1} but lies in step ${touched[0]!.i + 1}` });
    }
  } else if (own.rating === 1) {
    out.push({ code: 'span_in_correct_step', spanId: sp.id, step: sp.step, message: `${where} marks an error inside step ${sp.step + 1}, which is rated correct` });
  }
}

export interface ConsistencyOptions {
  /** True when the rationale's conclusion differs from the teacher answer (from the answer-mismatch checker). */
  answerMismatch?: boolean;
}

/** All consistency warnings for one annotator's labels on one rationale. */
export function consistencyWarnings(
  rationale: string,
  annotation: Pick<RationaleAnnotation, 'verdict' | 'steps' | 'spans'> & { rationaleFingerprint?: string },
  fingerprintOfText: string | null = null,
  opts: ConsistencyOptions = {},
): ConsistencyWarning[] {
  const out: ConsistencyWarning[] = [];
  if (fingerprintOfText !== null && annotation.rationaleFingerprint !== undefined && annotation.rationaleFingerprint !== fingerprintOfText) {
    out.push({ code: 'fingerprint_mismatch', message: 'the labels were made on a different version of this rationale: offsets may be wrong' });
  }
  const steps = annotation.steps.filter(isActive);
  checkSteps(rationale, annotation.steps, out);
  const spans = annotation.spans.filter(isActive);
  for (const sp of spans) checkSpan(rationale, annotation.steps, sp, out);

  const verdict = annotation.verdict;
  const incorrect = steps.map((s, i) => ({ s, i })).filter(({ s }) => s.rating === -1);
  if (verdict && isActive(verdict)) {
    if (verdict.verdict === 'faithful') {
      for (const { i } of incorrect) {
        out.push({ code: 'faithful_with_incorrect_step', step: i, message: `verdict is faithful but step ${i + 1} is rated incorrect` });
      }
      for (const sp of spans) {
        out.push({ code: 'faithful_with_error_span', spanId: sp.id, step: sp.step, message: `verdict is faithful but span ${quote(rationale, sp.start, sp.end)} marks a ${sp.errorType} error` });
      }
    }
    if (verdict.verdict === 'hallucinated' && incorrect.length === 0 && spans.length === 0) {
      out.push({ code: 'hallucinated_without_evidence', message: 'verdict is hallucinated but no step is rated incorrect and no span is marked' });
    }
    if (verdict.endReason === 'found_error' && incorrect.length === 0 && spans.length === 0) {
      out.push({ code: 'found_error_without_error', message: 'labelling ended with "found error" but no step is rated incorrect and no span is marked' });
    }
    if (verdict.answerSupported === 'yes' && opts.answerMismatch === true) {
      out.push({ code: 'answer_supported_but_answer_mismatch', message: "the answer is marked as supported, but the rationale's conclusion differs from the teacher answer" });
    }
  }
  return out;
}
