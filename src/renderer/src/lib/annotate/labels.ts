// The workbench's editable label state and the pure edits on it. The UI keeps one EditState per
// rationale, changes it with these functions, and autosaves `toLabelState(state)` (content only:
// the lab derives provenance, timestamps and span steps). Spans carry a local `key` so a span the
// server has not given an id yet can still be selected, and so the id can be filled in later.
import type {
  AnnotationView,
  EndReason,
  ErrorType,
  LabelState,
  RationaleAnnotation,
  SpanInput,
  StepInput,
  StepRating,
  Verdict,
  VerdictInput,
} from '../../../../shared/types/annotations';

export interface LocalSpan extends SpanInput {
  /** UI identity: the server id when known, else a local "new:<n>" key. */
  key: string;
}

export interface EditState {
  verdict: VerdictInput | null;
  steps: StepInput[];
  spans: LocalSpan[];
}

let nextLocal = 0;
function localKey(): string {
  nextLocal += 1;
  return `new:${nextLocal}`;
}

/** Spans an annotator sees as theirs: not deleted and not a rejected machine suggestion. */
export function activeSpans(a: Pick<RationaleAnnotation, 'spans'>): RationaleAnnotation['spans'] {
  return a.spans.filter((s) => !s.deleted && s.provenance !== 'rejected');
}

/** The state to edit for a view: the annotator's labels, else the default (unrated) layout. */
export function editStateOf(view: AnnotationView): EditState {
  const mine = view.mine;
  // Labels made on an older text of this rationale cannot be reused: start from the default split.
  const fresh = mine !== null && !view.stale ? mine : null;
  const layout: readonly { start: number; end: number; rating?: StepRating | null; errorType?: ErrorType | null }[] =
    fresh ? fresh.steps : view.item.defaultSteps;
  const steps = layout.map((s) => ({
    start: s.start,
    end: s.end,
    rating: s.rating ?? null,
    errorType: s.errorType ?? null,
  }));
  const spans = fresh ? activeSpans(fresh).map(spanInputOf) : [];
  return { verdict: verdictInputOf(fresh?.verdict ?? null), steps, spans };
}

/** A saved verdict as the editable input (content only). */
export function verdictInputOf(v: RationaleAnnotation['verdict']): VerdictInput | null {
  return v ? { verdict: v.verdict, answerSupported: v.answerSupported, endReason: v.endReason } : null;
}

/** A saved span as an editable one, keyed by its server id. */
export function spanInputOf(s: RationaleAnnotation['spans'][number]): LocalSpan {
  return {
    key: s.id,
    id: s.id,
    start: s.start,
    end: s.end,
    errorType: s.errorType,
    comment: s.comment,
    correction: s.correction,
  };
}

/** What annotations.save takes: content only, local keys stripped. */
export function toLabelState(state: EditState): LabelState {
  return {
    verdict: state.verdict,
    steps: state.steps.map((s) => ({
      start: s.start,
      end: s.end,
      rating: s.rating,
      errorType: s.rating === -1 ? s.errorType : null,
    })),
    spans: state.spans.map((s) => {
      const out: SpanInput = {
        start: s.start,
        end: s.end,
        errorType: s.errorType,
        comment: s.comment ?? null,
        correction: s.correction ?? null,
      };
      if (s.id !== undefined) out.id = s.id;
      return out;
    }),
  };
}

/**
 * After a save returns: spans saved without an id got one from the server. Matches them by range
 * and type among the server's spans whose ids are not used locally yet, so a later save sends the
 * id and does not create the span twice.
 */
export function adoptServerIds(state: EditState, saved: Pick<RationaleAnnotation, 'spans'>): EditState {
  const used = new Set(state.spans.map((s) => s.id).filter((x): x is string => x !== undefined));
  const free = activeSpans(saved).filter((s) => !used.has(s.id));
  let changed = false;
  const spans = state.spans.map((s) => {
    if (s.id !== undefined) return s;
    const i = free.findIndex((f) => f.start === s.start && f.end === s.end && f.errorType === s.errorType);
    if (i < 0) return s;
    const match = free.splice(i, 1)[0]!;
    changed = true;
    return { ...s, id: match.id };
  });
  return changed ? { ...state, spans } : state;
}

const EMPTY_VERDICT: VerdictInput = { verdict: null, answerSupported: null, endReason: null };

export function setVerdict(state: EditState, patch: Partial<VerdictInput>): EditState {
  return { ...state, verdict: { ...(state.verdict ?? EMPTY_VERDICT), ...patch } };
}

export interface RateOptions {
  /**
   * Stop-at-first-error mode (PRM800K): rating a step incorrect ends labelling; an undecided
   * verdict becomes "hallucinated" with end reason found_error.
   */
  stopAtFirstError: boolean;
}

export function rateStep(
  state: EditState,
  index: number,
  rating: StepRating | null,
  opts: RateOptions,
  errorType?: ErrorType | null,
): EditState {
  const step = state.steps[index];
  if (!step) return state;
  const steps = state.steps.slice();
  steps[index] = {
    ...step,
    rating,
    errorType: rating === -1 ? (errorType !== undefined ? errorType : step.errorType) : null,
  };
  let next: EditState = { ...state, steps };
  if (opts.stopAtFirstError && rating === -1 && !state.verdict?.verdict) {
    next = setVerdict(next, { verdict: 'hallucinated', endReason: state.verdict?.endReason ?? 'found_error' });
  }
  return next;
}

/** First step rated incorrect or holding an error span (what the lab derives, computed locally). */
export function localFirstErrorStep(state: EditState): number | null {
  let first: number | null = null;
  state.steps.forEach((s, i) => {
    if (first === null && s.rating === -1) first = i;
  });
  for (const sp of state.spans) {
    const i = stepIndexOf(state.steps, sp.start, sp.end);
    if (i >= 0 && (first === null || i < first)) first = i;
  }
  return first;
}

/** Index of the step containing [start, end) by its start (the lab's rule), or -1. */
export function stepIndexOf(steps: readonly { start: number; end: number }[], start: number, end: number): number {
  const probe = end > start ? start : Math.max(0, start - 1);
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (probe >= s.start && probe < s.end) return i;
    if (probe < s.start && end > s.start) return i;
  }
  return -1;
}

/** [start, end) without surrounding whitespace; null when only whitespace is left. */
export function trimRange(text: string, start: number, end: number): { start: number; end: number } | null {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(text.length, Math.max(start, end));
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  return e > s ? { start: s, end: e } : null;
}

/** Splits the step containing `offset` there; both halves keep the rating (an error half-guess is worse). */
export function splitStepAt(state: EditState, text: string, offset: number): EditState {
  const index = state.steps.findIndex((s) => offset > s.start && offset < s.end);
  if (index < 0) return state;
  const step = state.steps[index]!;
  const a = trimRange(text, step.start, offset);
  const b = trimRange(text, offset, step.end);
  if (!a || !b) return state;
  // An incorrect step's rating follows its error spans, so the first error does not move earlier.
  const spansIn = state.spans.filter((sp) => sp.start < step.end && sp.end > step.start);
  const inA = spansIn.some((sp) => sp.start < a.end);
  const inB = spansIn.some((sp) => sp.end > b.start);
  const keepA = step.rating !== -1 || inA || !inB;
  const keepB = step.rating !== -1 || inB || !inA;
  const steps = [
    ...state.steps.slice(0, index),
    { ...a, rating: keepA ? step.rating : null, errorType: keepA ? step.errorType : null },
    { ...b, rating: keepB ? step.rating : null, errorType: keepB ? step.errorType : null },
    ...state.steps.slice(index + 1),
  ];
  return { ...state, steps };
}

/** Merges step `index` with the next one: an error stays an error, else the lower rating. */
export function mergeWithNext(state: EditState, index: number): EditState {
  const left = state.steps[index];
  const right = state.steps[index + 1];
  if (!left || !right) return state;
  let rating: StepRating | null;
  if (left.rating === -1 || right.rating === -1) rating = -1;
  else if (left.rating === null || right.rating === null) rating = null;
  else rating = Math.min(left.rating, right.rating) as StepRating;
  const errorType = rating === -1 ? (left.rating === -1 ? left.errorType : right.errorType) : null;
  const merged: StepInput = { start: left.start, end: right.end, rating, errorType };
  return { ...state, steps: [...state.steps.slice(0, index), merged, ...state.steps.slice(index + 2)] };
}

/**
 * Moves the split point between step `index` and `index + 1` one word left (-1) or right (+1).
 * Returns the state unchanged when a step would become empty.
 */
export function moveSplitPoint(state: EditState, text: string, index: number, direction: -1 | 1): EditState {
  const left = state.steps[index];
  const right = state.steps[index + 1];
  if (!left || !right) return state;
  const point =
    direction < 0 ? wordStartBefore(text, left.end, left.start) : wordEndAfter(text, right.start, right.end);
  const a = trimRange(text, left.start, point);
  const b = trimRange(text, point, right.end);
  if (!a || !b) return state;
  const steps = state.steps.slice();
  steps[index] = { ...left, ...a };
  steps[index + 1] = { ...right, ...b };
  return { ...state, steps };
}

/** Start of the last word that begins before `from` (not before `floor`). */
export function wordStartBefore(text: string, from: number, floor = 0): number {
  let i = from;
  while (i > floor && /\s/.test(text[i - 1]!)) i--;
  while (i > floor && !/\s/.test(text[i - 1]!)) i--;
  return i;
}

/** End of the first word that ends after `from` (not after `ceil`). */
export function wordEndAfter(text: string, from: number, ceil = text.length): number {
  let i = from;
  while (i < ceil && /\s/.test(text[i]!)) i++;
  while (i < ceil && !/\s/.test(text[i]!)) i++;
  return i;
}

/** Adds a span over [start, end) (trimmed); returns the new state and the span's key. */
export function addSpan(
  state: EditState,
  text: string,
  start: number,
  end: number,
  errorType: ErrorType,
): { state: EditState; key: string | null } {
  const r = trimRange(text, start, end);
  if (!r) return { state, key: null };
  const existing = state.spans.find((s) => s.start === r.start && s.end === r.end);
  if (existing) return { state: updateSpan(state, existing.key, { errorType }), key: existing.key };
  const span: LocalSpan = { key: localKey(), start: r.start, end: r.end, errorType, comment: null, correction: null };
  const spans = [...state.spans, span].sort((a, b) => a.start - b.start || a.end - b.end);
  return { state: { ...state, spans }, key: span.key };
}

/**
 * A span is evidence of an error in its step: an unrated step becomes incorrect with the span's
 * type, and an incorrect step without a type takes it (the lab does the same when a machine
 * suggestion is accepted, and warns about a span in a step rated correct).
 */
export function markStepOfSpan(state: EditState, key: string, opts: RateOptions): EditState {
  const span = state.spans.find((s) => s.key === key);
  if (!span) return state;
  const i = stepIndexOf(state.steps, span.start, span.end);
  const step = state.steps[i];
  if (!step) return state;
  if (step.rating === null) return rateStep(state, i, -1, opts, span.errorType);
  if (step.rating === -1 && step.errorType === null) return rateStep(state, i, -1, opts, span.errorType);
  return state;
}

export function updateSpan(
  state: EditState,
  key: string,
  patch: Partial<Pick<LocalSpan, 'errorType' | 'comment' | 'correction'>>,
): EditState {
  return { ...state, spans: state.spans.map((s) => (s.key === key ? { ...s, ...patch } : s)) };
}

export function removeSpan(state: EditState, key: string): EditState {
  return { ...state, spans: state.spans.filter((s) => s.key !== key) };
}

export interface Segment {
  start: number;
  end: number;
  /** Keys of the spans covering this piece of text. */
  spans: string[];
  /** Inside the current keyboard/mouse selection. */
  selected: boolean;
}

/**
 * Cuts [from, to) at every span edge and selection edge so each piece renders with one style.
 * The caret is drawn between pieces, so its offset is a cut too.
 */
export function segmentsOf(
  from: number,
  to: number,
  spans: readonly { key: string; start: number; end: number }[],
  selection: { start: number; end: number } | null,
  caret: number | null,
): Segment[] {
  const cuts = new Set<number>([from, to]);
  const add = (x: number): void => {
    if (x > from && x < to) cuts.add(x);
  };
  for (const s of spans) {
    add(s.start);
    add(s.end);
  }
  if (selection) {
    add(selection.start);
    add(selection.end);
  }
  if (caret !== null) add(caret);
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    out.push({
      start,
      end,
      spans: spans.filter((s) => s.start < end && s.end > start).map((s) => s.key),
      selected: selection !== null && selection.start < end && selection.end > start,
    });
  }
  return out;
}

export const VERDICT_LABELS: Record<Verdict, string> = {
  faithful: 'Faithful',
  hallucinated: 'Hallucinated',
  unsure: 'Unsure',
};
export const END_REASON_LABELS: Record<EndReason, string> = {
  done: 'Done',
  found_error: 'Found first error',
  bad_question: 'Bad question',
  gave_up: 'Gave up',
};
export const RATING_LABELS: Record<'1' | '0' | '-1', string> = { '1': 'Correct', '0': 'Neutral', '-1': 'Incorrect' };
