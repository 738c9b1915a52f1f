// Pure label-state edits of the annotation workbench (renderer lib/annotate/labels.ts).
import { describe, expect, it } from 'vitest';
import {
  addSpan,
  adoptServerIds,
  localFirstErrorStep,
  markStepOfSpan,
  mergeWithNext,
  moveSplitPoint,
  rateStep,
  segmentsOf,
  spanInputOf,
  splitStepAt,
  toLabelState,
  verdictInputOf,
  type EditState,
} from '../../../src/renderer/src/lib/annotate/labels';
import { splitSteps } from '../../../src/shared/steps';
import type { SpanLabel, VerdictLabel } from '../../../src/shared/types/annotations';

const TEXT = 'Tom has 3 apples. He buys 4 more. So 3 + 4 = 8.';
function fresh(): EditState {
  return { verdict: null, steps: splitSteps(TEXT).map((s) => ({ ...s, rating: null, errorType: null })), spans: [] };
}

describe('rateStep', () => {
  it('sets a rating and keeps an error type only for incorrect steps', () => {
    let s = rateStep(fresh(), 2, -1, { stopAtFirstError: false }, 'arithmetic');
    expect(s.steps[2]).toMatchObject({ rating: -1, errorType: 'arithmetic' });
    expect(s.verdict).toBeNull();
    s = rateStep(s, 2, 1, { stopAtFirstError: false });
    expect(s.steps[2]).toMatchObject({ rating: 1, errorType: null });
  });
  it('in stop-at-first-error mode an incorrect step makes an undecided verdict hallucinated / found_error', () => {
    const s = rateStep(fresh(), 1, -1, { stopAtFirstError: true });
    expect(s.verdict).toEqual({ verdict: 'hallucinated', answerSupported: null, endReason: 'found_error' });
    const decided = rateStep(
      { ...fresh(), verdict: { verdict: 'unsure', answerSupported: null, endReason: null } },
      1,
      -1,
      { stopAtFirstError: true },
    );
    expect(decided.verdict?.verdict).toBe('unsure');
  });
});

describe('step layout edits', () => {
  it('splits at an offset inside a step and merges back', () => {
    const at = TEXT.indexOf('buys');
    const split = splitStepAt(fresh(), TEXT, at);
    expect(split.steps).toHaveLength(4);
    expect(TEXT.slice(split.steps[1]!.start, split.steps[1]!.end)).toBe('He');
    expect(TEXT.slice(split.steps[2]!.start, split.steps[2]!.end)).toBe('buys 4 more.');
    expect(splitStepAt(fresh(), TEXT, 0)).toEqual(fresh()); // not strictly inside: unchanged
    const merged = mergeWithNext(split, 1);
    expect(merged.steps.map((s) => [s.start, s.end])).toEqual(fresh().steps.map((s) => [s.start, s.end]));
  });
  it('an incorrect step split keeps -1 only on the half holding its error span', () => {
    let s = rateStep(fresh(), 2, -1, { stopAtFirstError: false }, 'arithmetic');
    s = addSpan(s, TEXT, TEXT.indexOf('= 8'), TEXT.length - 1, 'arithmetic').state;
    s = splitStepAt(s, TEXT, TEXT.indexOf('3 + 4'));
    expect(s.steps[2]!.rating).toBeNull();
    expect(s.steps[3]!.rating).toBe(-1);
  });
  it('merging keeps an error as an error', () => {
    let s = rateStep(fresh(), 0, 1, { stopAtFirstError: false });
    s = rateStep(s, 1, -1, { stopAtFirstError: false }, 'quantity_misread');
    expect(mergeWithNext(s, 0).steps[0]).toMatchObject({ rating: -1, errorType: 'quantity_misread' });
  });
  it('moves a split point one word at a time and refuses to empty a step', () => {
    const right = moveSplitPoint(fresh(), TEXT, 0, 1);
    expect(TEXT.slice(right.steps[0]!.start, right.steps[0]!.end)).toBe('Tom has 3 apples. He');
    const left = moveSplitPoint(fresh(), TEXT, 0, -1);
    expect(TEXT.slice(left.steps[1]!.start, left.steps[1]!.end)).toBe('apples. He buys 4 more.');
    let s = fresh();
    for (let i = 0; i < 10; i++) s = moveSplitPoint(s, TEXT, 0, -1);
    expect(TEXT.slice(s.steps[0]!.start, s.steps[0]!.end)).toBe('Tom');
  });
});

describe('spans', () => {
  it('adds a trimmed span, re-typing an existing identical range instead of duplicating it', () => {
    const start = TEXT.indexOf(' 8');
    const a = addSpan(fresh(), TEXT, start, start + 2, 'arithmetic');
    expect(a.state.spans).toHaveLength(1);
    expect(a.state.spans[0]).toMatchObject({ start: start + 1, end: start + 2, errorType: 'arithmetic' });
    const b = addSpan(a.state, TEXT, start + 1, start + 2, 'other');
    expect(b.state.spans).toHaveLength(1);
    expect(b.state.spans[0]!.errorType).toBe('other');
    expect(addSpan(fresh(), TEXT, 4, 4, 'other').key).toBeNull();
  });
  it('sends content only, and adopts ids the server gave to new spans', () => {
    const at = TEXT.indexOf('8');
    const { state } = addSpan(fresh(), TEXT, at, at + 1, 'arithmetic');
    const sent = toLabelState(state);
    expect(sent.spans[0]).toEqual({ start: at, end: at + 1, errorType: 'arithmetic', comment: null, correction: null });
    const server = {
      spans: [
        {
          id: 'sp1',
          start: at,
          end: at + 1,
          errorType: 'arithmetic',
          deleted: false,
          provenance: 'human',
        } as SpanLabel,
      ],
    };
    const adopted = adoptServerIds(state, server);
    expect(adopted.spans[0]!.id).toBe('sp1');
    expect(toLabelState(adopted).spans[0]!.id).toBe('sp1');
    expect(adoptServerIds(adopted, server)).toBe(adopted);
  });
  it('first error step: the earliest incorrect step or step holding a span', () => {
    let s = rateStep(fresh(), 2, -1, { stopAtFirstError: false });
    expect(localFirstErrorStep(s)).toBe(2);
    s = addSpan(s, TEXT, TEXT.indexOf('4 more'), TEXT.indexOf('4 more') + 1, 'quantity_misread').state;
    expect(localFirstErrorStep(s)).toBe(1);
    expect(localFirstErrorStep(fresh())).toBeNull();
  });
});

describe('segmentsOf', () => {
  it('cuts a step at span, selection and caret edges', () => {
    const segs = segmentsOf(0, 10, [{ key: 'a', start: 2, end: 5 }], { start: 4, end: 7 }, 8);
    expect(segs.map((s) => [s.start, s.end, s.spans.join(), s.selected])).toEqual([
      [0, 2, '', false],
      [2, 4, 'a', false],
      [4, 5, 'a', true],
      [5, 7, '', true],
      [7, 8, '', false],
      [8, 10, '', false],
    ]);
  });
});

describe('markStepOfSpan', () => {
  it('rates an unrated step incorrect with the span type, and leaves a rated step alone', () => {
    const at = TEXT.indexOf('8');
    const { state, key } = addSpan(fresh(), TEXT, at, at + 1, 'arithmetic');
    const marked = markStepOfSpan(state, key!, { stopAtFirstError: false });
    expect(marked.steps[2]).toMatchObject({ rating: -1, errorType: 'arithmetic' });
    const rated = rateStep(state, 2, 0, { stopAtFirstError: false });
    expect(markStepOfSpan(rated, key!, { stopAtFirstError: false }).steps[2]!.rating).toBe(0);
  });
});

describe('saved labels as editable input', () => {
  const meta = { provenance: 'human', createdAt: 't0', updatedAt: 't1' } as const;
  it('keeps the content of a verdict and drops its provenance', () => {
    const saved: VerdictLabel = { ...meta, verdict: 'hallucinated', answerSupported: 'no', endReason: null };
    expect(verdictInputOf(saved)).toEqual({ verdict: 'hallucinated', answerSupported: 'no', endReason: null });
    expect(verdictInputOf(null)).toBeNull();
  });
  it('keys a span by its server id and keeps what the annotator wrote', () => {
    const saved: SpanLabel = {
      ...meta,
      id: 'sp9',
      start: 3,
      end: 7,
      step: 0,
      errorType: 'arithmetic',
      comment: 'off by one',
      correction: '7',
      deleted: false,
    };
    expect(spanInputOf(saved)).toEqual({
      key: 'sp9',
      id: 'sp9',
      start: 3,
      end: 7,
      errorType: 'arithmetic',
      comment: 'off by one',
      correction: '7',
    });
  });
});
