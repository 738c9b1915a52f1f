import { describe, expect, it } from 'vitest';
import {
  acceptLabel,
  addSplitPoint,
  consistencyWarnings,
  defaultSteps,
  editLabel,
  firstErrorStep,
  firstIncorrectStep,
  makeSpanId,
  moveSplitPoint,
  rateStep,
  rejectLabel,
  removeSplitPoint,
  splitPointsOf,
  stepsFromSplitPoints,
  type SpanLabel,
  type StepLabel,
  type VerdictLabel,
} from '../../../src/main/lab/annotation/logic';

const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-01-02T00:00:00.000Z';
const R = 'Tom had 15 apples. He ate 5. So 15 - 5 = 9 apples are left.';
// Steps: [0,18) "Tom had 15 apples." [19,28) "He ate 5." [29,59) "So 15 - 5 = 9 apples are left."

function span(start: number, end: number, step: number, extra: Partial<SpanLabel> = {}): SpanLabel {
  return { id: makeSpanId('alice', start, end, T0), start, end, step, errorType: 'arithmetic', comment: null, correction: '15 - 5 = 10', deleted: false, provenance: 'human', createdAt: T0, updatedAt: T0, ...extra };
}

function verdict(v: VerdictLabel['verdict']): VerdictLabel {
  return { verdict: v, answerSupported: 'yes', endReason: 'done', provenance: 'human', createdAt: T0, updatedAt: T0 };
}

function rated(ratings: (1 | 0 | -1 | null)[]): StepLabel[] {
  return defaultSteps(R, T0).map((s, i) => ({ ...s, rating: ratings[i] ?? null, errorType: ratings[i] === -1 ? 'arithmetic' : null }));
}

describe('step layout', () => {
  it('starts from the shared splitter and round-trips split points', () => {
    const steps = defaultSteps(R, T0);
    expect(steps.map((s) => R.slice(s.start, s.end))).toEqual(['Tom had 15 apples.', 'He ate 5.', 'So 15 - 5 = 9 apples are left.']);
    expect(steps.every((s) => s.rating === null && s.provenance === 'auto')).toBe(true);
    expect(splitPointsOf(steps)).toEqual([19, 29]);
    expect(stepsFromSplitPoints(R, [29, 19, 19, 0])).toEqual(steps.map(({ start, end }) => ({ start, end })));
  });
  it('moves a split point, keeping ratings and re-assigning spans', () => {
    const layout = { steps: rated([1, 0, -1]), spans: [span(32, 42, 2)] };
    // Move the second split point to after "So " : "He ate 5. So" | "15 - 5 = 9 ..."
    const moved = moveSplitPoint(R, layout, 1, 32, T1);
    expect(moved.steps.map((s) => R.slice(s.start, s.end))).toEqual(['Tom had 15 apples.', 'He ate 5. So', '15 - 5 = 9 apples are left.']);
    expect(moved.steps.map((s) => s.rating)).toEqual([1, 0, -1]);
    expect(moved.spans[0]!.step).toBe(2);
    expect(() => moveSplitPoint(R, layout, 1, 60, T1)).toThrow(/empty/);
    expect(() => moveSplitPoint(R, layout, 2, 30, T1)).toThrow(/does not exist/);
  });
  it('adds a split point: an incorrect step keeps -1 only where its error span is', () => {
    const layout = { steps: rated([1, 1, -1]), spans: [span(32, 42, 2)] };
    const split = addSplitPoint(R, layout, 43, T1); // "So 15 - 5 = 9" | "apples are left."
    expect(split.steps.map((s) => R.slice(s.start, s.end))).toEqual(['Tom had 15 apples.', 'He ate 5.', 'So 15 - 5 = 9', 'apples are left.']);
    expect(split.steps.map((s) => s.rating)).toEqual([1, 1, -1, null]);
    expect(split.steps[3]!.errorType).toBeNull();
    const correct = addSplitPoint(R, { steps: rated([1, 1, 1]), spans: [] }, 43, T1);
    expect(correct.steps.map((s) => s.rating)).toEqual([1, 1, 1, 1]);
    expect(() => addSplitPoint(R, layout, 18, T1)).toThrow(/not strictly inside/);
  });
  it('removes a split point: errors dominate, unrated stays unrated', () => {
    const merged = removeSplitPoint({ steps: rated([1, -1, 1]), spans: [span(32, 42, 2)] }, 0, T1);
    expect(merged.steps).toHaveLength(2);
    expect(merged.steps[0]).toMatchObject({ start: 0, end: 28, rating: -1, errorType: 'arithmetic' });
    expect(merged.spans[0]!.step).toBe(1);
    expect(removeSplitPoint({ steps: rated([1, null, 0]), spans: [] }, 0, T1).steps[0]!.rating).toBeNull();
    expect(removeSplitPoint({ steps: rated([1, 0, 0]), spans: [] }, 0, T1).steps[0]!.rating).toBe(0);
  });
  it('records who rated a step', () => {
    const steps = rateStep(defaultSteps(R, T0), 2, -1, 'arithmetic', T1);
    expect(steps[2]).toMatchObject({ rating: -1, errorType: 'arithmetic', provenance: 'human', updatedAt: T1 });
    expect(rateStep(steps, 1, 1, 'arithmetic', T1)[1]!.errorType).toBeNull();
    expect(() => rateStep(steps, 9, 1, null, T1)).toThrow(/does not exist/);
  });
});

describe('provenance', () => {
  it('tracks suggestion review: accept, edit, reject', () => {
    const auto = span(32, 42, 2, { provenance: 'auto' });
    expect(acceptLabel(auto, T1)).toMatchObject({ provenance: 'accepted', updatedAt: T1 });
    expect(editLabel(acceptLabel(auto, T1), { errorType: 'logical_leap' }, T1)).toMatchObject({ provenance: 'edited', errorType: 'logical_leap' });
    expect(editLabel(span(1, 2, 0), { comment: 'x' }, T1).provenance).toBe('human');
    expect(rejectLabel(auto, T1).provenance).toBe('rejected');
    expect(() => rejectLabel(span(1, 2, 0), T1)).toThrow(/machine suggestions/);
  });
});

describe('derived first error and consistency warnings', () => {
  it('derives the first incorrect step, also from spans', () => {
    expect(firstIncorrectStep(rated([1, 0, -1]))).toBe(2);
    expect(firstIncorrectStep(rated([1, 0, 1]))).toBeNull();
    expect(firstErrorStep({ steps: rated([1, 0, -1]), spans: [span(8, 10, 0)] })).toBe(0);
    expect(firstErrorStep({ steps: rated([1, 0, -1]), spans: [span(8, 10, 0, { provenance: 'rejected' })] })).toBe(2);
  });
  it('is quiet on a consistent annotation', () => {
    expect(consistencyWarnings(R, { verdict: verdict('hallucinated'), steps: rated([1, 1, -1]), spans: [span(32, 42, 2)] })).toEqual([]);
    expect(consistencyWarnings(R, { verdict: verdict('faithful'), steps: rated([1, 1, 1]), spans: [] })).toEqual([]);
  });
  it('warns about a faithful verdict with an incorrect step or a span', () => {
    const codes = consistencyWarnings(R, { verdict: verdict('faithful'), steps: rated([1, 1, -1]), spans: [span(32, 42, 2)] }).map((w) => w.code);
    expect(codes).toEqual(['faithful_with_incorrect_step', 'faithful_with_error_span']);
  });
  it('warns about spans outside, across or misattributed to steps, and spans in correct steps', () => {
    const steps = rated([1, 1, -1]);
    const w = consistencyWarnings(R, {
      verdict: null,
      steps,
      spans: [span(15, 22, 0, { id: 'cross' }), span(32, 42, 1, { id: 'wrong-step' }), span(10, 12, 0, { id: 'in-correct' }), span(18, 19, 0, { id: 'gap' }), span(50, 70, 2, { id: 'oob' })],
    });
    expect(w.map((x) => [x.code, x.spanId])).toEqual([
      ['span_crosses_steps', 'cross'],
      ['span_step_mismatch', 'wrong-step'],
      ['span_in_correct_step', 'in-correct'],
      ['span_outside_step', 'gap'],
      ['span_out_of_bounds', 'oob'],
    ]);
  });
  it('warns when steps overlap or leave text uncovered, and about unsupported verdicts', () => {
    const steps = rated([1, 1, 1]);
    steps[1] = { ...steps[1]!, start: 10 }; // overlaps step 0
    steps.pop(); // text of the last sentence belongs to no step
    const w = consistencyWarnings(R, { verdict: { ...verdict('hallucinated'), endReason: 'found_error' }, steps, spans: [] }, null, { answerMismatch: true });
    expect(w.map((x) => x.code)).toEqual(['steps_overlap', 'text_not_covered', 'hallucinated_without_evidence', 'found_error_without_error', 'answer_supported_but_answer_mismatch']);
  });
  it('warns when labels were made on another version of the text', () => {
    const w = consistencyWarnings(R, { verdict: null, steps: rated([null, null, null]), spans: [], rationaleFingerprint: 'abc' }, 'def');
    expect(w.map((x) => x.code)).toEqual(['fingerprint_mismatch']);
  });
});
