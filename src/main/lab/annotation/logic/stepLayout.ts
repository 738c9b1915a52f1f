// Step layout editing: the default split, moving / adding / removing split points, and keeping
// step ratings and span step indices meaningful when the layout changes.
//
// Rating re-mapping rules (why: a rating is a judgement about text, so it follows the text):
// - move a split point: both steps keep their ratings (each still holds most of its text);
//   spans are re-assigned to the step that now contains them.
// - add a split point inside a step: both halves inherit the rating, except an incorrect (-1)
//   step whose error spans all fall in one half: that half keeps -1 and the other becomes
//   unrated, so the first incorrect step does not move earlier than the evidence.
// - remove a split point (merge two steps): -1 if either was -1 (an error stays an error),
//   else unrated if either was unrated, else the lower of the two ratings.
import { splitSteps, type StepSpan } from '../../../../shared/steps';
import { isActive, provenanceAfterEdit } from './provenance';
import type { SpanLabel, StepLabel, StepRating } from './types';

export interface StepLayout {
  steps: StepLabel[];
  spans: SpanLabel[];
}

/** Unrated steps from the shared default splitter; provenance `auto` (machine boundaries). */
export function defaultSteps(rationale: string, now: string): StepLabel[] {
  return splitSteps(rationale).map((s) => newStep(s, now));
}

function newStep(span: StepSpan, now: string): StepLabel {
  return { start: span.start, end: span.end, rating: null, errorType: null, provenance: 'auto', createdAt: now, updatedAt: now };
}

/** Shrinks [start, end) to exclude surrounding whitespace; null when nothing is left. */
export function trimRange(text: string, start: number, end: number): StepSpan | null {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  return e > s ? { start: s, end: e } : null;
}

/** Index of the step that contains [start, end) (by its start), or -1. */
export function stepIndexForRange(steps: readonly StepSpan[], start: number, end: number): number {
  const probe = end > start ? start : Math.max(0, start - 1);
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (probe >= s.start && probe < s.end) return i;
    // A span starting in the whitespace before a step belongs to that step.
    if (probe < s.start && end > s.start) return i;
  }
  return -1;
}

/** Re-derives each span's step index from its offsets (after any layout change). */
export function reassignSpanSteps(steps: readonly StepSpan[], spans: readonly SpanLabel[]): SpanLabel[] {
  return spans.map((sp) => {
    const step = stepIndexForRange(steps, sp.start, sp.end);
    return step === sp.step ? sp : { ...sp, step };
  });
}

/** The offsets where steps 1..n-1 start: the movable split points. */
export function splitPointsOf(steps: readonly StepSpan[]): number[] {
  return steps.slice(1).map((s) => s.start);
}

/** Step ranges from split points (offsets where a new step starts), trimmed, empty ones dropped. */
export function stepsFromSplitPoints(rationale: string, points: readonly number[]): StepSpan[] {
  const sorted = [...new Set(points)].filter((p) => p > 0 && p < rationale.length).sort((a, b) => a - b);
  const bounds = [0, ...sorted, rationale.length];
  const out: StepSpan[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const r = trimRange(rationale, bounds[i]!, bounds[i + 1]!);
    if (r) out.push(r);
  }
  return out;
}

function checkBoundary(steps: readonly StepLabel[], boundary: number): void {
  if (!Number.isInteger(boundary) || boundary < 0 || boundary + 1 >= steps.length) {
    throw new Error(`split point ${boundary} does not exist (there are ${Math.max(0, steps.length - 1)} split points)`);
  }
}

/**
 * Moves split point `boundary` (between step `boundary` and `boundary + 1`) to `offset`. The
 * new offset must leave non-empty text on both sides within the two steps.
 */
export function moveSplitPoint(rationale: string, layout: StepLayout, boundary: number, offset: number, now: string): StepLayout {
  checkBoundary(layout.steps, boundary);
  const left = layout.steps[boundary]!;
  const right = layout.steps[boundary + 1]!;
  const a = trimRange(rationale, left.start, offset);
  const b = trimRange(rationale, offset, right.end);
  if (!a || !b) throw new Error(`cannot move split point ${boundary} to offset ${offset}: a step would become empty`);
  const steps = layout.steps.slice();
  steps[boundary] = { ...left, start: a.start, end: a.end, updatedAt: now };
  steps[boundary + 1] = { ...right, start: b.start, end: b.end, updatedAt: now };
  return { steps, spans: reassignSpanSteps(steps, layout.spans) };
}

/** Adds a split point at `offset` inside a step (see the rating rules at the top). */
export function addSplitPoint(rationale: string, layout: StepLayout, offset: number, now: string): StepLayout {
  const index = layout.steps.findIndex((s) => offset > s.start && offset < s.end);
  if (index < 0) throw new Error(`cannot split at offset ${offset}: it is not strictly inside a step`);
  const step = layout.steps[index]!;
  const a = trimRange(rationale, step.start, offset);
  const b = trimRange(rationale, offset, step.end);
  if (!a || !b) throw new Error(`cannot split at offset ${offset}: one side would be only whitespace`);
  let ratingA = step.rating;
  let ratingB = step.rating;
  if (step.rating === -1) {
    const errorSpans = layout.spans.filter((sp) => isActive(sp) && sp.start < step.end && sp.end > step.start);
    const inA = errorSpans.some((sp) => sp.start < a.end);
    const inB = errorSpans.some((sp) => sp.end > b.start);
    if (inA && !inB) ratingB = null;
    if (inB && !inA) ratingA = null;
  }
  const first: StepLabel = { ...step, start: a.start, end: a.end, rating: ratingA, errorType: ratingA === -1 ? step.errorType : null, updatedAt: now };
  const second: StepLabel = {
    ...step,
    start: b.start,
    end: b.end,
    rating: ratingB,
    errorType: ratingB === -1 ? step.errorType : null,
    provenance: step.rating === null ? step.provenance : provenanceAfterEdit(step.provenance),
    createdAt: now,
    updatedAt: now,
  };
  const steps = [...layout.steps.slice(0, index), first, second, ...layout.steps.slice(index + 1)];
  return { steps, spans: reassignSpanSteps(steps, layout.spans) };
}

function mergedRating(x: StepRating | null, y: StepRating | null): StepRating | null {
  if (x === -1 || y === -1) return -1;
  if (x === null || y === null) return null;
  return Math.min(x, y) as StepRating;
}

/** Removes split point `boundary`, merging the two steps around it. */
export function removeSplitPoint(layout: StepLayout, boundary: number, now: string): StepLayout {
  checkBoundary(layout.steps, boundary);
  const left = layout.steps[boundary]!;
  const right = layout.steps[boundary + 1]!;
  const rating = mergedRating(left.rating, right.rating);
  const errorType = rating === -1 ? (left.rating === -1 ? left.errorType : right.errorType) : null;
  const merged: StepLabel = {
    ...left,
    end: right.end,
    rating,
    errorType,
    provenance: left.provenance === right.provenance ? left.provenance : provenanceAfterEdit(left.provenance),
    updatedAt: now,
  };
  const steps = [...layout.steps.slice(0, boundary), merged, ...layout.steps.slice(boundary + 2)];
  return { steps, spans: reassignSpanSteps(steps, layout.spans) };
}

/** A human rates step `index` (rating null clears it). */
export function rateStep(steps: readonly StepLabel[], index: number, rating: StepRating | null, errorType: StepLabel['errorType'], now: string): StepLabel[] {
  const step = steps[index];
  if (!step) throw new Error(`step ${index} does not exist (there are ${steps.length} steps)`);
  const out = steps.slice();
  const provenance = step.rating === null && step.provenance === 'auto' ? 'human' : provenanceAfterEdit(step.provenance);
  out[index] = { ...step, rating, errorType: rating === -1 ? errorType : null, provenance, updatedAt: now };
  return out;
}
