// The injected hallucination rate and type mix match the request within sampling error.
import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../src/main/lab/synthetic';
import { only, TASKS } from './helpers';

/** Count bounds for Binomial(n, p): mean +- 4.5 standard deviations (false alarm ~1e-5). */
function binomialBounds(n: number, p: number): [number, number] {
  const sd = Math.sqrt(n * p * (1 - p));
  return [n * p - 4.5 * sd, n * p + 4.5 * sd];
}

describe('hallucination rate', () => {
  for (const task of TASKS) {
    it(`${task}: n=2000, p=0.3 gives a rate within binomial bounds`, () => {
      const exs = generateSynthetic({ task, n: 2000, seed: 31, hallucinationRate: 0.3 });
      const count = exs.filter((e) => e.metadata.hallucinated).length;
      const [lo, hi] = binomialBounds(2000, 0.3);
      expect(count).toBeGreaterThanOrEqual(lo);
      expect(count).toBeLessThanOrEqual(hi);
      // Flag, tag and ground truth always agree.
      for (const e of exs) {
        expect(only(e).injected!.length > 0).toBe(e.metadata.hallucinated);
        expect(e.tags.includes('hallucinated')).toBe(e.metadata.hallucinated);
        expect(e.metadata.hallucinationInfeasible).toBe(false);
      }
    });
  }

  it('rate 0 and rate 1 are exact', () => {
    expect(generateSynthetic({ task: 'coin_flip', n: 300, seed: 2 }).some((e) => e.metadata.hallucinated)).toBe(false);
    expect(generateSynthetic({ task: 'coin_flip', n: 300, seed: 2, hallucinationRate: 1 }).every((e) => e.metadata.hallucinated)).toBe(true);
  });

  it('a low rate (p=0.05) is also respected', () => {
    const count = generateSynthetic({ task: 'last_letters', n: 2000, seed: 6, hallucinationRate: 0.05 }).filter((e) => e.metadata.hallucinated).length;
    const [lo, hi] = binomialBounds(2000, 0.05);
    expect(count).toBeGreaterThanOrEqual(lo);
    expect(count).toBeLessThanOrEqual(hi);
  });

  it('the type mix follows the requested weights', () => {
    const exs = generateSynthetic({
      task: 'arithmetic',
      n: 2000,
      seed: 17,
      hallucinationRate: 1,
      hallucinationTypes: { arithmetic_slip: 3, irrelevant_statement: 1 },
    });
    const slips = exs.filter((e) => e.metadata.hallucinationType === 'arithmetic_slip').length;
    const [lo, hi] = binomialBounds(2000, 0.75);
    expect(slips).toBeGreaterThanOrEqual(lo);
    expect(slips).toBeLessThanOrEqual(hi);
    expect(exs.every((e) => ['arithmetic_slip', 'irrelevant_statement'].includes(e.metadata.hallucinationType as string))).toBe(true);
  });

  it('with keepAnswerCorrect=false the teacher accuracy drops by the answer-affecting share', () => {
    const exs = generateSynthetic({ task: 'coin_flip', n: 2000, seed: 19, hallucinationRate: 0.3, keepAnswerCorrect: false });
    const wrong = exs.filter((e) => only(e).correct === false);
    // Of coin_flip's 5 equally weighted types, 3 reach the answer: expected rate 0.3 * 3/5.
    const [lo, hi] = binomialBounds(2000, 0.18);
    expect(wrong.length).toBeGreaterThanOrEqual(lo);
    expect(wrong.length).toBeLessThanOrEqual(hi);
    expect(wrong.every((e) => e.metadata.hallucinated)).toBe(true);
  });
});
