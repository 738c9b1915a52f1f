// Seed-level statistics (docs/methods.md, "Statistics"): the t distribution, t-intervals over seeds,
// the paired t-test and the exact sign-flip test, each checked against values computed by hand or
// read from a printed t table.
import { describe, expect, it } from 'vitest';
import {
  logGamma,
  pairedTTest,
  regularizedIncompleteBeta,
  signFlipTest,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
  testBaselines,
  tInterval,
} from '../../../src/main/lab/stats';

describe('Student t distribution', () => {
  it('matches printed t tables (two-sided 95%: t_{0.975,df})', () => {
    // Standard table values, e.g. Student (1908) / any statistics textbook appendix.
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [4, 2.776],
      [9, 2.262],
      [30, 2.042],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    // One-sided 95% and 99.5%.
    expect(studentTQuantile(0.95, 4)).toBeCloseTo(2.132, 3);
    expect(studentTQuantile(0.995, 4)).toBeCloseTo(4.604, 3);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.776, 3);
    expect(studentTQuantile(0.5, 7)).toBe(0);
  });
  it('has the closed-form CDFs of df = 1 (Cauchy) and df = 2', () => {
    for (const t of [-3, -0.5, 0, 0.7, 2, 10]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
    // The quantile inverts the CDF.
    for (const p of [0.6, 0.9, 0.975, 0.999]) expect(studentTCdf(studentTQuantile(p, 3), 3)).toBeCloseTo(p, 12);
  });
  it('computes ln Γ and the regularized incomplete beta function', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    // I_{0.5}(2, 3) = sum_{j=2}^{4} C(4, j) / 16 = (6 + 4 + 1) / 16.
    expect(regularizedIncompleteBeta(0.5, 2, 3)).toBeCloseTo(11 / 16, 12);
    // I_x(1, 1) = x.
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(() => regularizedIncompleteBeta(1.2, 1, 1)).toThrow(/\[0, 1\]/);
  });
});

describe('t-interval over seeds', () => {
  it('is mean ± t_{0.975,n-1} s / sqrt(n), and not computable below 3 seeds', () => {
    // 5 seeds: mean 0.7, deviations -0.1 0 0.1 -0.05 0.05, s = sqrt(0.025 / 4) = 0.0790569,
    // se = 0.0353553, t_{0.975,4} = 2.776445, half-width 0.0981623.
    const ci = tInterval([0.6, 0.7, 0.8, 0.65, 0.75])!;
    expect(ci.df).toBe(4);
    expect(ci.low).toBeCloseTo(0.7 - 0.0981623, 6);
    expect(ci.high).toBeCloseTo(0.7 + 0.0981623, 6);
    expect(tInterval([0.5, 0.875])).toBeNull();
    expect(tInterval([0.5])).toBeNull();
  });
});

describe('paired comparison over seeds', () => {
  // Per-seed accuracy differences A - B on 5 shared seeds.
  const d = [0.1, 0.05, 0.15, -0.02, 0.08];

  it('paired t-test: hand-computed t, df, two-sided p and CI', () => {
    // mean = 0.36 / 5 = 0.072; deviations 0.028 -0.022 0.078 -0.092 0.008, squares sum 0.01588,
    // s = sqrt(0.01588 / 4) = 0.0630079, se = s / sqrt(5) = 0.0281780, t = 0.072 / se = 2.555184, df = 4.
    // For df = 4 the CDF has the closed form F(t) = 1/2 + 3/8 · t/sqrt(u) · (1 - t²/(12u)), u = 1 + t²/4:
    // u = 2.632242, t/sqrt(u) = 1.574923, 1 - t²/(12u) = 0.793301, F = 0.968521, p = 2 (1 - F) = 0.062958.
    // CI: 0.072 ± 2.776445 · 0.0281780 = 0.072 ± 0.0782347.
    const { result, reason } = pairedTTest(d);
    expect(reason).toBeNull();
    expect(result!.df).toBe(4);
    expect(result!.meanDifference).toBeCloseTo(0.072, 12);
    expect(result!.t).toBeCloseTo(2.555184, 5);
    expect(result!.p).toBeCloseTo(0.062958, 5);
    expect(result!.ciLow).toBeCloseTo(0.072 - 0.0782347, 6);
    expect(result!.ciHigh).toBeCloseTo(0.072 + 0.0782347, 6);
    expect(studentTTwoSidedP(-result!.t, 4)).toBeCloseTo(result!.p, 12);
  });

  it('paired t-test: undefined with one seed or with equal differences', () => {
    expect(pairedTTest([0.1]).reason).toMatch(/at least 2 shared seeds/);
    expect(pairedTTest([0.2, 0.2]).reason).toMatch(/all 2 per-seed differences are equal/);
  });

  it('sign-flip test: exact p from all 32 sign patterns', () => {
    // |d| = 0.10 0.05 0.15 0.02 0.08, sum 0.40. Flipping a subset with |d|-sum S gives a sum 0.40 - 2S;
    // it is at least as extreme as the observed 0.36 when S <= 0.02 or S >= 0.38: the subsets {},
    // {0.02} and their complements, 4 of 32 patterns, p = 4/32 = 0.125.
    expect(signFlipTest(d)).toEqual({ n: 5, patterns: 32, p: 0.125, minP: 0.0625 });
    // All five seeds favour A: only the observed pattern and its mirror reach |sum| = 0.9, p = 2/32.
    expect(signFlipTest([0.1, 0.2, 0.1, 0.3, 0.2]).p).toBe(2 / 32);
    // No difference at all: every pattern is as extreme, p = 1.
    expect(signFlipTest([0, 0, 0]).p).toBe(1);
    // Two equal differences: patterns ++, --, +-, -+ give 0.4, 0.4, 0, 0: p = 2/4.
    expect(signFlipTest([0.2, 0.2]).p).toBe(0.5);
    expect(() => signFlipTest([])).toThrow(/at least one/);
    expect(() => signFlipTest(new Array<number>(21).fill(0.1))).toThrow(/at most 20 seeds/);
  });
});

describe('majority-class and chance baselines', () => {
  it('uses the commonest normalised gold answer and 1/#choices, 1/2 for yes/no, n/a for open answers', () => {
    const yesno = (answer: string) => ({ answer, answerType: 'yesno' as const, choices: null });
    // 5 of 8 "yes" (one written "Yes."), as in a skewed coin-flip test split.
    const b = testBaselines([
      yesno('yes'),
      yesno('Yes.'),
      yesno('yes'),
      yesno('no'),
      yesno('yes'),
      yesno('no'),
      yesno('yes'),
      yesno('no'),
    ])!;
    expect(b).toEqual({
      examples: 8,
      answerTypes: ['yesno'],
      majority: { answer: 'yes', accuracy: 5 / 8 },
      chance: 0.5,
    });
    const choice = (answer: string, k: number) => ({
      answer,
      answerType: 'choice' as const,
      choices: ['a', 'b', 'c', 'd', 'e'].slice(0, k),
    });
    // chance = (1/4 + 1/4 + 1/5) / 3; majority "B" 2 of 3 ("b" and "(B)" normalise to B).
    const c = testBaselines([choice('b', 4), choice('(B)', 4), choice('A', 5)])!;
    expect(c.majority).toEqual({ answer: 'B', accuracy: 2 / 3 });
    expect(c.chance).toBeCloseTo((0.25 + 0.25 + 0.2) / 3, 12);
    const open = testBaselines([{ answer: '12', answerType: 'number', choices: null }, yesno('no')])!;
    expect(open.chance).toBeNull();
    // A tie goes to the alphabetically first answer.
    expect(testBaselines([yesno('yes'), yesno('no')])!.majority).toEqual({ answer: 'no', accuracy: 0.5 });
    expect(testBaselines([])).toBeNull();
  });
});
