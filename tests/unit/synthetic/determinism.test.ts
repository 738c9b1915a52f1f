import { describe, expect, it } from 'vitest';
import { generateSynthetic, iterateSynthetic } from '../../../src/main/lab/synthetic';
import { TASKS } from './helpers';

describe('synthetic generation is deterministic by seed', () => {
  for (const task of TASKS) {
    it(`${task}: same seed gives identical output, a different seed different output`, () => {
      const opts = { task, n: 300, hallucinationRate: 0.5, keepAnswerCorrect: false };
      const a = JSON.stringify(generateSynthetic({ ...opts, seed: 42 }));
      const b = JSON.stringify(generateSynthetic({ ...opts, seed: 42 }));
      expect(b).toBe(a);
      const c = generateSynthetic({ ...opts, seed: 43 });
      const aq = generateSynthetic({ ...opts, seed: 42 }).map((e) => e.question + e.completions[0]!.rationale);
      const differing = c.filter((e, i) => e.question + e.completions[0]!.rationale !== aq[i]).length;
      // Small tasks can collide by chance on a few examples, never on most of them.
      expect(differing).toBeGreaterThan(300 * 0.5);
    });

    it(`${task}: seeds far apart (high bits, negative) still differ`, () => {
      const q = (seed: number): string => generateSynthetic({ task, n: 50, seed }).map((e) => e.question).join('|');
      expect(q(1)).not.toBe(q(1 + 2 ** 32));
      expect(q(-1)).not.toBe(q(1));
    });
  }

  it('chunks generated with startIndex equal the same slice of one big run', () => {
    const whole = generateSynthetic({ task: 'arithmetic', n: 120, seed: 5, hallucinationRate: 0.4 });
    const tail = generateSynthetic({ task: 'arithmetic', n: 70, seed: 5, hallucinationRate: 0.4, startIndex: 50 });
    // Identical except for the recorded run settings (n and startIndex of each run).
    const strip = (exs: typeof whole): string => JSON.stringify(exs.map((e) => ({ ...e, metadata: { ...e.metadata, generation: null } })));
    expect(strip(tail)).toBe(strip(whole.slice(50)));
    expect(tail[0]!.metadata.generation).toMatchObject({ n: 70, startIndex: 50 });
  });

  it('the iterator streams the same examples as the array variant', () => {
    const opts = { task: 'shuffled_objects' as const, n: 40, seed: 9, hallucinationRate: 0.3 };
    const streamed = [...iterateSynthetic(opts)];
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(generateSynthetic(opts)));
  });

  it('the hallucination setting never changes the underlying problems', () => {
    const clean = generateSynthetic({ task: 'coin_flip', n: 200, seed: 3 });
    const noisy = generateSynthetic({ task: 'coin_flip', n: 200, seed: 3, hallucinationRate: 0.9, keepAnswerCorrect: false });
    expect(noisy.map((e) => e.question)).toEqual(clean.map((e) => e.question));
    expect(noisy.map((e) => e.answer)).toEqual(clean.map((e) => e.answer));
  });
});
