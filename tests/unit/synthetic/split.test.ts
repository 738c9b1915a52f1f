// The compositional split and the pattern report: test items whose structure training never has,
// and counts that make memorisation visible (docs/methods.md, "Compositional split").
import { describe, expect, it } from 'vitest';
import { assignSplits, splitRatios, splitRng } from '../../../src/main/lab/datasets/store/curation';
import {
  generateSynthetic,
  generateSyntheticDataset,
  resolveSyntheticOptions,
  SYNTHETIC_TASKS,
  SyntheticOptionsError,
} from '../../../src/main/lab/synthetic';
import { LETTER_WORDS } from '../../../src/main/lab/synthetic/words';
import { TASKS } from './helpers';

const sizeOf = (e: { metadata: Record<string, unknown> }): number => e.metadata['size'] as number;

describe('compositional split', () => {
  for (const task of TASKS) {
    it(`${task}: no test item's pattern occurs in training; sizes follow the split`, () => {
      const { settings, examples, patterns } = generateSyntheticDataset({
        task,
        n: 600,
        seed: 4,
        split: 'compositional',
        hallucinationRate: 0.3,
      });
      const training = new Set(examples.filter((e) => e.split === 'train').map((e) => e.metadata['pattern']));
      const test = examples.filter((e) => e.split === 'test');
      expect(test.length).toBe(60);
      expect(test.filter((e) => training.has(e.metadata['pattern']))).toEqual([]);
      expect(patterns.testSeenInTraining).toBe(0);
      expect(patterns.items).toEqual({ train: 480, val: 60, test: 60 });
      expect(patterns.inTraining).toBe(training.size);
      for (const e of examples) {
        const [lo, hi] =
          e.split === 'test' ? [settings.testMinSize!, settings.testMaxSize!] : [settings.minSize, settings.maxSize];
        expect(sizeOf(e)).toBeGreaterThanOrEqual(lo);
        expect(sizeOf(e)).toBeLessThanOrEqual(hi);
        expect(e.metadata['heldOutStructure']).toBe(e.split === 'test');
      }
      // Test sizes lie above every training size.
      expect(settings.testMinSize!).toBeGreaterThan(settings.maxSize);
    });
  }

  it('deals the same positions to test as the random split with the same seed', () => {
    const random = generateSyntheticDataset({ task: 'coin_flip', n: 300, seed: 9 }).examples;
    const comp = generateSyntheticDataset({ task: 'coin_flip', n: 300, seed: 9, split: 'compositional' }).examples;
    expect(comp.map((e) => e.split)).toEqual(random.map((e) => e.split));
    // Train and validation items are exactly the random split's (sizes 2-4 either way).
    comp.forEach((e, i) => {
      if (e.split !== 'test') expect(e.question).toBe(random[i]!.question);
    });
  });

  it('coin flip: training 2-4 people, test 5-6 people by default', () => {
    const s = resolveSyntheticOptions({ task: 'coin_flip', n: 10, seed: 1, split: 'compositional' });
    expect([s.minSize, s.maxSize, s.testMinSize, s.testMaxSize]).toEqual([2, 4, 5, 6]);
    const a = resolveSyntheticOptions({ task: 'arithmetic', n: 10, seed: 1, split: 'compositional' });
    expect([a.minSize, a.maxSize, a.testMinSize, a.testMaxSize]).toEqual([2, 2, 3, 3]);
  });

  it('arithmetic test items have 3 steps and an operand above the range that operand has in normal items', () => {
    type Ex = ReturnType<typeof generateSynthetic>[number];
    const facts = (e: Ex): { template: string; quantities: number[] } =>
      e.metadata['facts'] as { template: string; quantities: number[] };
    // The same templates drawn with their normal ranges: the largest value per operand position.
    const normalMax = new Map<string, number[]>();
    for (const e of generateSynthetic({ task: 'arithmetic', n: 4000, seed: 5, minSize: 3, maxSize: 3 })) {
      const { template, quantities } = facts(e);
      const max = normalMax.get(template) ?? quantities.map(() => 0);
      normalMax.set(
        template,
        max.map((m, i) => Math.max(m, quantities[i]!)),
      );
    }
    const test = generateSyntheticDataset({
      task: 'arithmetic',
      n: 2000,
      seed: 2,
      split: 'compositional',
    }).examples.filter((e) => e.split === 'test');
    expect(test.length).toBe(200);
    for (const e of test) {
      const { template, quantities } = facts(e);
      expect(sizeOf(e)).toBe(3);
      expect(quantities.some((q, i) => q > normalMax.get(template)![i]!)).toBe(true);
    }
  });

  it('refuses options that cannot give a held-out structure, naming the field', () => {
    const field = (f: () => unknown): string | null => {
      try {
        f();
        return null;
      } catch (e) {
        return e instanceof SyntheticOptionsError ? e.field : 'other';
      }
    };
    expect(
      field(() => resolveSyntheticOptions({ task: 'coin_flip', n: 10, seed: 1, split: 'compositional', maxSize: 6 })),
    ).toBe('maxSize');
    expect(
      field(() =>
        resolveSyntheticOptions({ task: 'coin_flip', n: 10, seed: 1, split: 'compositional', testMinSize: 4 }),
      ),
    ).toBe('testMinSize');
    expect(field(() => resolveSyntheticOptions({ task: 'coin_flip', n: 10, seed: 1, testMinSize: 5 }))).toBe(
      'testMinSize',
    );
    expect(
      field(() =>
        resolveSyntheticOptions({ task: 'coin_flip', n: 10, seed: 1, split: 'compositional', startIndex: 5 }),
      ),
    ).toBe('startIndex');
    expect(
      field(() => resolveSyntheticOptions({ task: 'coin_flip', n: 10, seed: 1, split: 'bogus' as 'random' })),
    ).toBe('split');
  });
});

describe('random split and pattern report', () => {
  it('random-split examples and splits are those of the generator plus the seeded 80/10/10 deal', () => {
    for (const task of TASKS) {
      const opts = { task, n: 200, seed: 7, hallucinationRate: 0.4 };
      const dataset = generateSyntheticDataset(opts).examples;
      const plain = generateSynthetic(opts);
      for (const [e, split] of assignSplits(plain, splitRatios({ train: 0.8, val: 0.1, test: 0.1 }), splitRng(7)))
        e.split = split;
      expect(JSON.stringify(dataset)).toBe(JSON.stringify(plain));
    }
  });

  it('coin flip with 2-4 people: 28 patterns, all in training, every test item memorisable', () => {
    const { patterns } = generateSyntheticDataset({ task: 'coin_flip', n: 1000, seed: 1 });
    expect(patterns.possible).toEqual({ trainVal: 28, test: 28 });
    expect(patterns.inTraining).toBe(28);
    expect(patterns.testSeenInTraining).toBe(100);
    expect(patterns.valSeenInTraining).toBe(100);
  });

  it('pattern counts match hand counts and are reached by sampling', () => {
    const possible = (task: (typeof TASKS)[number], minSize: number, maxSize: number): number =>
      generateSyntheticDataset({ task, n: 10, seed: 1, minSize, maxSize }).patterns.possible.trainVal;
    // shuffled objects: 3 unordered pairs, never the same twice in a row, times 3 asked seats.
    expect(possible('shuffled_objects', 2, 3)).toBe(3 * 2 * 3 + 3 * 4 * 3);
    // arithmetic, 2-step templates: give-get sum_{q0=8..30}(q0-1)*15, boxes-plus 8*8*15,
    // sell-good sum_{q0=5..20}(q0-2)*5, bag-cookies 5*9*7.
    expect(possible('arithmetic', 2, 2)).toBe(414 * 15 + 8 * 8 * 15 + 168 * 5 + 5 * 9 * 7);
    // last letters, one word: the distinct last letters of the word list.
    expect(possible('last_letters', 1, 1)).toBe(new Set(LETTER_WORDS.map((w) => w.at(-1)!.toLowerCase())).size);
    // Sampling never exceeds the count and, for small spaces, reaches it.
    // last letters, two words: every ordered pair of distinct words, by brute force.
    const pairs = new Set(
      LETTER_WORDS.flatMap((a, i) =>
        LETTER_WORDS.filter((_, j) => j !== i).map((b) => `${a.at(-1)}${b.at(-1)}`.toLowerCase()),
      ),
    );
    expect(possible('last_letters', 2, 2)).toBe(pairs.size);
    for (const [task, lo, hi] of [
      ['shuffled_objects', 2, 3],
      ['coin_flip', 1, 6],
    ] as const) {
      const { patterns } = generateSyntheticDataset({ task, n: 5000, seed: 3, minSize: lo, maxSize: hi });
      expect(patterns.inTraining).toBe(patterns.possible.trainVal);
    }
    const arith = generateSyntheticDataset({ task: 'arithmetic', n: 3000, seed: 3, split: 'compositional' }).patterns;
    expect(arith.inTest).toBeLessThanOrEqual(arith.possible.test);
  });

  it('every task describes its pattern', () => {
    for (const t of SYNTHETIC_TASKS) expect(t.patternDefinition.length).toBeGreaterThan(20);
  });
});
