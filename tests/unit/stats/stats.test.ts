import { describe, expect, it } from 'vitest';
import {
  lcsLength,
  mcnemarExact,
  mcnemarExactFromCounts,
  mean,
  pairedBootstrap,
  quantileSorted,
  rougeL,
  std,
  summarize,
  tokenF1,
} from '../../../src/main/lab/stats';
import { Rng } from '../../../src/shared/mulberry32';

describe('descriptive statistics', () => {
  it('computes mean and sample std on a hand-checked sample', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    // Sum of squared deviations is 32; sample variance 32/7.
    expect(std(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });
  it('refuses undefined quantities instead of returning NaN', () => {
    expect(() => mean([])).toThrow(/at least one/);
    expect(() => std([3])).toThrow(/at least two/);
    expect(() => mean([1, Number.NaN])).toThrow(/value 1/);
    expect(summarize([3]).std).toBeNull();
  });
  it('interpolates quantiles like R type 7', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
  });
});

describe('paired bootstrap over examples (conditional on the trained models)', () => {
  it('is reproducible from its seed', () => {
    const rngA = new Rng(7);
    const rngB = new Rng(7);
    expect([rngA.next(), rngA.next()]).toEqual([rngB.next(), rngB.next()]);
    const a = [[1, 0, 1, 1, 0, 1, 0, 1]];
    const b = [[1, 1, 0, 1, 0, 0, 0, 1]];
    expect(pairedBootstrap(a, b, { seed: 1, resamples: 500 })).toEqual(
      pairedBootstrap(a, b, { seed: 1, resamples: 500 }),
    );
  });
  it('paired bootstrap: identical methods give p = 1, a uniformly better one a tiny p', () => {
    const a = [[1, 0, 1, 1, 0, 1, 0, 1]];
    const same = pairedBootstrap(a, a, { resamples: 999 });
    expect(same.meanDiff).toBe(0);
    expect(same.pValue).toBe(1);
    const better = [Array.from({ length: 60 }, () => 1), Array.from({ length: 60 }, (_, i) => (i < 50 ? 1 : 0))];
    const worse = [
      Array.from({ length: 60 }, (_, i) => (i < 30 ? 1 : 0)),
      Array.from({ length: 60 }, (_, i) => (i < 20 ? 1 : 0)),
    ];
    const r = pairedBootstrap(better, worse, { resamples: 999, seed: 5 });
    expect(r.meanDiff).toBeCloseTo((60 + 50 - 30 - 20) / 120, 12);
    expect(r.pValue).toBeCloseTo(2 / 1000, 12);
    expect(r.ci.lower).toBeGreaterThan(0);
    expect(r.seeds).toBe(2);
  });
  it('paired bootstrap: a small noisy difference is not significant', () => {
    const a = [[1, 0, 1, 0, 1, 0, 1, 0, 1, 1]];
    const b = [[1, 0, 1, 0, 1, 0, 1, 0, 1, 0]];
    const r = pairedBootstrap(a, b, { resamples: 2000, seed: 9 });
    expect(r.pValue).toBeGreaterThan(0.2);
  });
  it('rejects unpaired inputs with a clear message', () => {
    expect(() => pairedBootstrap([[1, 0]], [[1]])).toThrow(/seed 0/);
    expect(() => pairedBootstrap([[1]], [[1], [0]])).toThrow(/1 seeds/);
  });
});

describe('exact McNemar test', () => {
  it('matches the hand-computed b=10, c=2 value', () => {
    // 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 2 * 79 / 4096
    expect(mcnemarExactFromCounts(10, 2)).toBeCloseTo(158 / 4096, 12);
    expect(mcnemarExactFromCounts(10, 2)).toBeCloseTo(0.0386, 4);
    expect(mcnemarExactFromCounts(2, 10)).toBeCloseTo(0.0386, 4);
  });
  it('handles ties, zero discordance and large counts', () => {
    expect(mcnemarExactFromCounts(5, 5)).toBe(1);
    expect(mcnemarExactFromCounts(0, 0)).toBe(1);
    expect(mcnemarExactFromCounts(0, 5)).toBeCloseTo(2 / 32, 12);
    const big = mcnemarExactFromCounts(600, 400);
    expect(big).toBeGreaterThan(0);
    expect(big).toBeLessThan(1e-9);
  });
  it('counts discordant pairs from correctness vectors', () => {
    const r = mcnemarExact([true, true, false, false, true], [false, true, true, false, false]);
    expect(r).toMatchObject({ b: 2, c: 1, bothCorrect: 1, bothWrong: 1 });
    expect(() => mcnemarExact([true], [])).toThrow(/paired/);
  });
});

describe('text similarity', () => {
  it('token F1 follows SQuAD normalisation', () => {
    const s = tokenF1('The cat sat.', 'a cat sat down');
    expect(s.precision).toBe(1);
    expect(s.recall).toBeCloseTo(2 / 3, 12);
    expect(s.f1).toBeCloseTo(0.8, 12);
    expect(tokenF1('', '').f1).toBe(1);
    expect(tokenF1('x', '').f1).toBe(0);
    // Multiset overlap: the repeated token counts once because the reference has it once.
    expect(tokenF1('apples apples', 'apples').precision).toBe(0.5);
  });
  it('ROUGE-L reproduces the examples from Lin (2004)', () => {
    expect(lcsLength(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'x'])).toBe(3);
    expect(rougeL('police kill the gunman', 'police killed the gunman').f1).toBeCloseTo(0.75, 12);
    expect(rougeL('the gunman kill police', 'police killed the gunman').f1).toBeCloseTo(0.5, 12);
    expect(rougeL('', 'anything').f1).toBe(0);
  });
});
