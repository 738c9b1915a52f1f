import { describe, expect, it } from 'vitest';
import {
  coderColumn,
  cohenKappa,
  krippendorffAlpha,
  spanAgreement,
  stepRatingReliability,
  verdictReliability,
  type RationaleAnnotation,
} from '../../../src/main/lab/annotation/logic';

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
// 12 units, values 1..5, with missing data. Published: nominal .743, ordinal .815,
// interval .849, ratio .797.
const _ = null;
const OBSERVERS = {
  A: [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  B: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  C: [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  D: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
};
const UNITS = OBSERVERS.A.map((__, u) => [OBSERVERS.A[u]!, OBSERVERS.B[u]!, OBSERVERS.C[u]!, OBSERVERS.D[u]!]);

describe("Krippendorff's alpha", () => {
  it('reproduces the published worked example with missing data', () => {
    const nominal = krippendorffAlpha(UNITS, { level: 'nominal' });
    expect(nominal.alpha).toBeCloseTo(0.743, 3);
    // Unit 12 has a single value and is not pairable: 11 units, 40 pairable values.
    expect(nominal.units).toBe(11);
    expect(nominal.pairable).toBeCloseTo(40, 9);
    expect(krippendorffAlpha(UNITS, { level: 'ordinal' }).alpha).toBeCloseTo(0.815, 3);
    expect(krippendorffAlpha(UNITS, { level: 'interval' }).alpha).toBeCloseTo(0.849, 3);
    expect(krippendorffAlpha(UNITS, { level: 'ratio' }).alpha).toBeCloseTo(0.797, 3);
  });
  it('reproduces the two-observer binary example (alpha = .095)', () => {
    const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    expect(krippendorffAlpha(a.map((x, i) => [x, b[i]!])).alpha).toBeCloseTo(0.095, 3);
  });
  it('uses an explicit order for non-numeric ordinal values and ignores coder order', () => {
    const order = ['one', 'two', 'three', 'four', 'five'] as const;
    const named = UNITS.map((row) => row.map((v) => (v === null ? null : order[v - 1]!)));
    expect(krippendorffAlpha(named, { level: 'ordinal', order }).alpha).toBeCloseTo(0.815, 3);
    const reversed = UNITS.map((row) => [...row].reverse());
    expect(krippendorffAlpha(reversed).alpha).toBeCloseTo(0.743, 3);
    expect(() => krippendorffAlpha(named, { level: 'interval' })).toThrow(/numeric/);
  });
  it('is 1 for perfect agreement and undefined when there is no variation', () => {
    expect(krippendorffAlpha([[1, 1], [0, 0], [1, 1]]).alpha).toBe(1);
    expect(krippendorffAlpha([[1, 1], [1, 1]]).alpha).toBeNull();
    expect(krippendorffAlpha([[1, null], [null, 0]]).alpha).toBeNull();
  });
});

describe("Cohen's kappa", () => {
  it('reproduces the 50-item yes/no example (kappa = 0.4)', () => {
    const a: string[] = [];
    const b: string[] = [];
    const cell = (x: string, y: string, n: number): void => {
      for (let i = 0; i < n; i++) {
        a.push(x);
        b.push(y);
      }
    };
    cell('yes', 'yes', 20);
    cell('yes', 'no', 5);
    cell('no', 'yes', 10);
    cell('no', 'no', 15);
    const r = cohenKappa(a, b);
    expect(r.n).toBe(50);
    expect(r.observed).toBeCloseTo(0.7, 12);
    expect(r.expected).toBeCloseTo(0.5, 12);
    expect(r.kappa).toBeCloseTo(0.4, 12);
  });
  it('skips items either annotator left out and refuses misaligned input', () => {
    expect(cohenKappa(['a', 'b', null], ['a', 'b', 'b']).kappa).toBe(1);
    expect(cohenKappa(['a', 'a'], ['a', 'a']).kappa).toBeNull();
    expect(() => cohenKappa(['a'], [])).toThrow(/aligned/);
  });
});

describe('span agreement', () => {
  it('separates exact, overlap and character agreement', () => {
    const r = spanAgreement([
      {
        a: [{ start: 0, end: 10, errorType: 'arithmetic' }, { start: 20, end: 30, errorType: 'logical_leap' }],
        b: [{ start: 0, end: 10, errorType: 'arithmetic' }, { start: 25, end: 35, errorType: 'logical_leap' }, { start: 50, end: 55, errorType: 'other' }],
      },
    ]);
    expect(r.exact).toMatchObject({ tp: 1, fp: 2, fn: 1 });
    expect(r.overlap).toMatchObject({ tp: 2, fp: 1, fn: 0 });
    // Characters: both 10 + 5; only A 5 (20-25); only B 5 (30-35) + 5 (50-55).
    expect(r.character).toMatchObject({ tp: 15, fp: 10, fn: 5 });
    expect(r.character.f1).toBeCloseTo((2 * 15) / (2 * 15 + 10 + 5), 12);
  });
  it('can ignore error types', () => {
    const items = [{ a: [{ start: 0, end: 4, errorType: 'arithmetic' as const }], b: [{ start: 0, end: 4, errorType: 'other' as const }] }];
    expect(spanAgreement(items).exact.tp).toBe(0);
    expect(spanAgreement(items, { requireSameType: false }).exact.tp).toBe(1);
  });
});

function ann(annotator: string, exampleId: string, verdict: 'faithful' | 'hallucinated' | null, ratings: (1 | 0 | -1 | null)[]): RationaleAnnotation {
  const t = '2025-01-01T00:00:00.000Z';
  return {
    exampleId,
    completionIndex: 0,
    annotator,
    rationaleFingerprint: 'f',
    verdict: verdict === null ? null : { verdict, answerSupported: null, endReason: null, provenance: 'human', createdAt: t, updatedAt: t },
    steps: ratings.map((rating, i) => ({ start: i * 10, end: i * 10 + 9, rating, errorType: null, provenance: 'human' as const, createdAt: t, updatedAt: t })),
    spans: [],
    timeSpentMs: 0,
    createdAt: t,
    updatedAt: t,
  };
}

describe('reliability tables from annotations', () => {
  it('lines up verdicts and step ratings per unit and coder, excluding the auto annotator', () => {
    const anns = [
      ann('alice', 'e1', 'faithful', [1, 1]),
      ann('bob', 'e1', 'faithful', [1, -1]),
      ann('alice', 'e2', 'hallucinated', [-1]),
      ann('bob', 'e2', null, [-1]),
      ann('auto', 'e2', 'hallucinated', [-1]),
    ];
    const v = verdictReliability(anns);
    expect(v.coders).toEqual(['alice', 'bob']);
    expect(v.values).toEqual([['faithful', 'faithful'], ['hallucinated', null]]);
    expect(coderColumn(v, 'bob')).toEqual(['faithful', null]);
    const s = stepRatingReliability(anns);
    expect(s.units).toEqual(['e1#0@0-9', 'e1#0@10-19', 'e2#0@0-9']);
    expect(s.values).toEqual([[1, 1], [1, -1], [-1, -1]]);
    expect(krippendorffAlpha(s.values, { level: 'ordinal' }).alpha).not.toBeNull();
  });
});
