import { describe, expect, it } from 'vitest';
import { generateSynthetic, resolveSyntheticOptions, SYNTHETIC_TASKS, SyntheticOptionsError } from '../../../src/main/lab/synthetic';
import { ANSWER_TYPES, HALLUCINATION_TYPES } from '../../../src/shared/types/dataset';

describe('synthetic options and task list', () => {
  it('lists the four tasks with descriptions, answer types and supported hallucinations', () => {
    expect(SYNTHETIC_TASKS.map((t) => [t.name, t.answerType])).toEqual([
      ['coin_flip', 'yesno'],
      ['last_letters', 'text'],
      ['arithmetic', 'number'],
      ['shuffled_objects', 'choice'],
    ]);
    for (const t of SYNTHETIC_TASKS) {
      expect(t.description.length).toBeGreaterThan(20);
      expect(ANSWER_TYPES).toContain(t.answerType);
      for (const type of Object.keys(t.hallucinationTypes)) expect(HALLUCINATION_TYPES).toContain(type);
    }
    // Arithmetic slips need arithmetic.
    expect(SYNTHETIC_TASKS.filter((t) => 'arithmetic_slip' in t.hallucinationTypes).map((t) => t.name)).toEqual(['arithmetic']);
  });

  it('refuses bad options with the field and the reason', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ task: 'sudoku', n: 1, seed: 1 }, 'task'],
      [{ task: 'coin_flip', n: -1, seed: 1 }, 'n'],
      [{ task: 'coin_flip', n: 1.5, seed: 1 }, 'n'],
      [{ task: 'coin_flip', n: 1, seed: 0.5 }, 'seed'],
      [{ task: 'coin_flip', n: 1, seed: 1, hallucinationRate: 1.5 }, 'hallucinationRate'],
      [{ task: 'coin_flip', n: 1, seed: 1, hallucinationRate: 0.5, hallucinationTypes: ['arithmetic_slip'] }, 'hallucinationTypes'],
      [{ task: 'coin_flip', n: 1, seed: 1, hallucinationTypes: ['typo'] }, 'hallucinationTypes'],
      [{ task: 'coin_flip', n: 1, seed: 1, hallucinationTypes: { skipped_step: -1 } }, 'hallucinationTypes'],
      [{ task: 'coin_flip', n: 1, seed: 1, minSize: 9 }, 'minSize'],
      [{ task: 'arithmetic', n: 1, seed: 1, minSize: 3, maxSize: 2 }, 'maxSize'],
    ];
    for (const [opts, field] of bad) {
      let caught: unknown;
      try {
        resolveSyntheticOptions(opts as never);
      } catch (e) {
        caught = e;
      }
      expect(caught, JSON.stringify(opts)).toBeInstanceOf(SyntheticOptionsError);
      expect((caught as SyntheticOptionsError).field).toBe(field);
    }
  });

  it('drops requested types the task cannot use and records them', () => {
    const s = resolveSyntheticOptions({ task: 'coin_flip', n: 1, seed: 1, hallucinationRate: 0.5, hallucinationTypes: ['arithmetic_slip', 'skipped_step'] });
    expect(s.hallucinationTypes).toEqual({ skipped_step: 1 });
    expect(s.droppedTypes).toEqual(['arithmetic_slip']);
    const [ex] = generateSynthetic({ task: 'coin_flip', n: 1, seed: 1, hallucinationRate: 1, hallucinationTypes: ['arithmetic_slip', 'skipped_step'] });
    expect(ex!.metadata.generation).toMatchObject({ droppedTypes: ['arithmetic_slip'], hallucinationRate: 1, seed: 1 });
    expect(ex!.completions[0]!.injected![0]!.type).toBe('skipped_step');
  });

  it('sizes stay within the requested range', () => {
    const count = {
      coin_flip: (f: Record<string, unknown>) => (f.people as unknown[]).length,
      last_letters: (f: Record<string, unknown>) => (f.words as unknown[]).length,
      arithmetic: (f: Record<string, unknown>) => (f.results as unknown[]).length,
      shuffled_objects: (f: Record<string, unknown>) => (f.swaps as unknown[]).length,
    };
    for (const [task, min, max] of [['coin_flip', 1, 2], ['last_letters', 5, 6], ['arithmetic', 3, 3], ['shuffled_objects', 1, 1]] as const) {
      const sizes = new Set(generateSynthetic({ task, n: 200, seed: 1, minSize: min, maxSize: max }).map((e) => count[task](e.metadata.facts as Record<string, unknown>)));
      expect([...sizes].sort()).toEqual(Array.from({ length: max - min + 1 }, (_, i) => min + i));
    }
  });
});
