import { describe, expect, it } from 'vitest';
import {
  ERROR_TYPES,
  ERROR_TYPE_TO_HALLUCINATION,
  HALLUCINATION_TO_ERROR_TYPE,
  findingsToAnnotation,
  overlapLength,
  predictionsFromAnnotation,
  runCheckers,
  scoreAgainstInjected,
  type PredictedError,
  type ScoringExample,
} from '../../../src/main/lab/annotation/logic';
import { HALLUCINATION_TYPES, type InjectedError } from '../../../src/shared/types/dataset';
import { splitSteps } from '../../../src/shared/steps';

function injected(type: InjectedError['type'], step: number, start: number, end: number): InjectedError {
  return { type, step, start, end, original: '', note: '' };
}

describe('HallucinationType <-> ErrorType mapping', () => {
  it('maps every injected type to a distinct annotation type and back', () => {
    for (const h of HALLUCINATION_TYPES) expect(ERROR_TYPE_TO_HALLUCINATION[HALLUCINATION_TO_ERROR_TYPE[h]]).toBe(h);
    expect(new Set(Object.values(HALLUCINATION_TO_ERROR_TYPE)).size).toBe(HALLUCINATION_TYPES.length);
    expect(ERROR_TYPES.filter((t) => ERROR_TYPE_TO_HALLUCINATION[t] === null)).toEqual(['other']);
  });
});

describe('scoring against injected ground truth', () => {
  it('measures overlap with empty ranges as a point', () => {
    expect(overlapLength({ start: 0, end: 10 }, { start: 5, end: 20 })).toBe(5);
    expect(overlapLength({ start: 0, end: 10 }, { start: 10, end: 20 })).toBe(0);
    expect(overlapLength({ start: 4, end: 4 }, { start: 0, end: 10 })).toBe(1);
  });
  it('counts TP/FP/FN per level on a hand-checked set', () => {
    const p = (errorType: PredictedError['errorType'], step: number, start: number, end: number, confidence = 1): PredictedError => ({ errorType, step, start, end, confidence });
    const examples: ScoringExample[] = [
      // Hit: same type, overlapping span, same step.
      { id: 'a', injected: [injected('arithmetic_slip', 1, 20, 30)], predicted: [p('arithmetic', 1, 25, 35)] },
      // Right step and type but no character overlap: step TP, span FP+FN.
      { id: 'b', injected: [injected('arithmetic_slip', 0, 0, 5)], predicted: [p('arithmetic', 0, 6, 9)] },
      // Wrong type at the right place: typed FP+FN, anyType TP.
      { id: 'c', injected: [injected('quantity_misread', 0, 0, 2)], predicted: [p('arithmetic', 0, 0, 10)] },
      // Clean rationale with a false alarm (low confidence).
      { id: 'd', injected: [], predicted: [p('quantity_misread', 2, 40, 42, 0.3)] },
      // Missed error.
      { id: 'e', injected: [injected('skipped_step', 3, 50, 60)], predicted: [] },
    ];
    const r = scoreAgainstInjected(examples);
    expect(r.examples).toBe(5);
    expect(r.examplesWithInjected).toBe(4);
    expect(r.span.perType.arithmetic).toMatchObject({ tp: 1, fp: 2, fn: 1 });
    expect(r.span.perType.quantity_misread).toMatchObject({ tp: 0, fp: 1, fn: 1, precision: 0, recall: 0, f1: 0 });
    expect(r.span.perType.logical_leap).toMatchObject({ tp: 0, fp: 0, fn: 1, precision: null, recall: 0, f1: 0 });
    expect(r.span.perType.factual_error).toMatchObject({ tp: 0, fp: 0, fn: 0, precision: null, recall: null, f1: null });
    expect(r.span.overall).toMatchObject({ tp: 1, fp: 3, fn: 3 });
    expect(r.span.anyType).toMatchObject({ tp: 2, fp: 2, fn: 2 });
    expect(r.step.perType.arithmetic).toMatchObject({ tp: 2, fp: 1, fn: 0 });
    expect(r.step.anyType).toMatchObject({ tp: 3, fp: 1, fn: 1 });
    expect(r.rationale.perType.arithmetic).toMatchObject({ tp: 2, fp: 1, fn: 0 });
    expect(r.rationale.anyType).toMatchObject({ tp: 3, fp: 1, fn: 1 });
    expect(r.rationale.anyType.precision).toBeCloseTo(0.75, 12);
    // A confidence threshold drops the false alarm.
    expect(scoreAgainstInjected(examples, { minConfidence: 0.5 }).rationale.anyType).toMatchObject({ tp: 3, fp: 0, fn: 1 });
  });
  it('matches one-to-one: two predictions on one error are one TP and one FP', () => {
    const r = scoreAgainstInjected([
      {
        id: 'x',
        injected: [injected('arithmetic_slip', 0, 0, 10)],
        predicted: [
          { errorType: 'arithmetic', step: 0, start: 0, end: 4 },
          { errorType: 'arithmetic', step: 0, start: 2, end: 10 },
        ],
      },
    ]);
    expect(r.span.perType.arithmetic).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    // At step level both predictions collapse to one (step, type).
    expect(r.step.perType.arithmetic).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(() => scoreAgainstInjected([{ id: 'x', injected: [], predicted: [] }, { id: 'x', injected: [], predicted: [] }])).toThrow(/twice/);
  });
  it('scores the checkers end to end on synthetic-style rationales', () => {
    const q = 'Anna has 15 marbles. She buys 3 bags with 4 marbles each. How many marbles does she have?';
    const clean = 'Anna has 15 marbles.\nShe buys 3 bags with 4 marbles each, so 3 * 4 = 12 marbles.\nIn total 15 + 12 = 27 marbles.';
    const slip = 'Anna has 15 marbles.\nShe buys 3 bags with 4 marbles each, so 3 * 4 = 13 marbles.\nIn total 15 + 13 = 28 marbles.';
    const misread = 'Anna has 16 marbles.\nShe buys 3 bags with 4 marbles each, so 3 * 4 = 12 marbles.\nIn total 16 + 12 = 28 marbles.';
    const at = (text: string, sub: string): [number, number] => {
      const s = text.indexOf(sub);
      return [s, s + sub.length];
    };
    const [s1, e1] = at(slip, '3 * 4 = 13');
    const [s2, e2] = at(misread, '16');
    const examples: ScoringExample[] = [
      { id: 'clean', rationale: clean, injected: [] as InjectedError[] },
      { id: 'slip', rationale: slip, injected: [injected('arithmetic_slip', 1, s1, e1)] },
      { id: 'misread', rationale: misread, injected: [injected('quantity_misread', 0, s2, e2)] },
    ].map(({ id, rationale, injected: inj }) => ({
      id,
      injected: inj,
      predicted: runCheckers({ question: q, rationale, answerType: 'number', choices: null, goldAnswer: '27', teacherAnswer: id === 'clean' ? '27' : '28' }),
    }));
    const r = scoreAgainstInjected(examples);
    expect(r.span.perType.arithmetic).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(r.span.perType.quantity_misread).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    // The wrong final answers are reported as "other" (wrong conclusion), not as injected types.
    expect(r.span.perType.other.fp).toBe(2);
    expect(r.rationale.anyType).toMatchObject({ tp: 2, fp: 0, fn: 0 });
  });
  it('turns findings and human labels into predictions', () => {
    const rationale = 'We have 3 + 4 = 8 apples. Then we eat them.';
    const findings = runCheckers({ question: '3 apples and 4 apples', rationale, answerType: 'number', choices: null, goldAnswer: '7', teacherAnswer: '8' });
    const auto = findingsToAnnotation({ exampleId: 'e', completionIndex: 0 }, rationale, findings, '2025-01-01T00:00:00.000Z');
    expect(auto.annotator).toBe('auto');
    expect(auto.steps.map((s) => s.rating)).toEqual([-1, null]);
    expect(auto.steps[0]!.errorType).toBe('arithmetic');
    expect(auto.spans.every((s) => s.provenance === 'auto' && s.suggestion !== undefined)).toBe(true);
    // Same findings again: same ids, so suggestions never duplicate.
    expect(findingsToAnnotation({ exampleId: 'e', completionIndex: 0 }, rationale, findings, '2025-02-01T00:00:00.000Z').spans.map((s) => s.id)).toEqual(auto.spans.map((s) => s.id));
    const preds = predictionsFromAnnotation(auto);
    expect(preds.filter((p) => p.errorType === 'arithmetic')).toHaveLength(1);
    // A rejected suggestion is not a prediction; an untyped incorrect step counts as "other".
    const steps = splitSteps(rationale);
    const human = {
      steps: [{ ...auto.steps[0]!, provenance: 'rejected' as const }, { ...auto.steps[1]!, rating: -1 as const, errorType: null, provenance: 'human' as const }],
      spans: auto.spans.map((s) => ({ ...s, provenance: 'rejected' as const })),
    };
    expect(predictionsFromAnnotation(human)).toEqual([{ errorType: 'other', step: 1, start: steps[1]!.start, end: steps[1]!.end, confidence: 1 }]);
  });
});
