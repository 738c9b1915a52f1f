import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExperimentSpec } from '../../../src/shared/types/experiments';
import { cellMethodOptions, expandGrid, specSeeds } from '../../../src/main/lab/experiments/grid';
import { aggregate } from '../../../src/main/lab/experiments/results';
import { makespan } from '../../../src/main/lab/experiments/plan';
import { variantKeys, variantOptions } from '../../../src/main/lab/experiments/variants';
import { parseSpecText, readSpecFile } from '../../../src/main/lab/experiments/specFile';
import { deriveStatus, progressOf } from '../../../src/main/lab/experiments/store';

const base: ExperimentSpec = { name: 'g', dataset: 1, methods: ['pre-thinking', 'pst'], budget: { steps: 10 } };

describe('grid expansion', () => {
  it('multiplies methods, seeds (5 by default), PST options (PST cells only) and hallucination rates', () => {
    expect(specSeeds(base)).toEqual([1, 2, 3, 4, 5]);
    expect(expandGrid(base)).toHaveLength(10);
    const spec: ExperimentSpec = {
      ...base,
      dataset: undefined,
      synthetic: { task: 'coin_flip', n: 50, hallucinationRates: [0, 0.3] },
      seeds: [7, 8],
      pstGrid: { lambda: [0.5, 1], loss: ['cosine', 'mse'] },
    };
    const cells = expandGrid(spec);
    // per seed and rate: 1 pre-thinking + 2x2 pst = 5; x 2 rates x 2 seeds
    expect(cells).toHaveLength(20);
    expect(cells.map((c) => c.position)).toEqual([...Array(20).keys()]);
    expect(new Set(cells.map((c) => c.key)).size).toBe(20);
    expect(new Set(cells.map((c) => c.groupKey)).size).toBe(10);
    expect(cells[0]!.factors).toEqual({
      method: 'pre-thinking',
      seed: 7,
      hallucinationRate: 0,
      lambda: null,
      encoder: null,
      loss: null,
    });
    expect(cells[1]).toMatchObject({
      groupKey: 'pst|rate=0|lambda=0.5|loss=cosine',
      key: 'pst|rate=0|lambda=0.5|loss=cosine|seed=7',
    });
    // seed-major: every group appears before the second seed starts
    expect(cells.slice(0, 10).every((c) => c.factors.seed === 7)).toBe(true);
    const pst = cells.find((c) => c.factors.method === 'pst' && c.factors.lambda === 1 && c.factors.loss === 'mse')!;
    expect(cellMethodOptions({ ...spec, methodOptions: { lambda: 9, tau: 0.2 } }, pst.factors)).toEqual({
      lambda: 1,
      loss: 'mse',
      tau: 0.2,
    });
  });
});

describe('answer targets as a factor', () => {
  const spec: ExperimentSpec = {
    ...base,
    dataset: undefined,
    synthetic: { task: 'coin_flip', n: 50, hallucinationRates: [0, 0.6] },
    methods: ['answer-only', 'pst'],
    answerTargets: ['gold', 'teacher'],
    seeds: 2,
  };

  it('multiplies the cells, names the target in keys and sets the option of each cell', () => {
    const cells = expandGrid(spec);
    // 2 methods x 2 rates x 2 targets x 2 seeds
    expect(cells).toHaveLength(16);
    expect(new Set(cells.map((c) => c.groupKey)).size).toBe(8);
    const teacher = cells.find((c) => c.key === 'pst|rate=0.6|target=teacher|seed=2');
    expect(teacher?.factors).toMatchObject({ method: 'pst', hallucinationRate: 0.6, answerTarget: 'teacher', seed: 2 });
    expect(teacher?.label).toBe('pst (rate 0.6, teacher target)');
    expect(cellMethodOptions({ ...spec, methodOptions: { tau: 0.2 } }, teacher!.factors)).toEqual({
      answerTarget: 'teacher',
      tau: 0.2,
    });
    // without the factor nothing changes: no target in keys or factors
    expect(expandGrid({ ...spec, answerTargets: undefined }).every((c) => !('answerTarget' in c.factors))).toBe(true);
  });

  it('generates an answer-follows-error variant per rate for the teacher cells only', () => {
    expect(variantKeys(spec)).toEqual([
      { rate: 0, answerFollowsError: false },
      { rate: 0.6, answerFollowsError: false },
      { rate: 0, answerFollowsError: true },
      { rate: 0.6, answerFollowsError: true },
    ]);
    expect(variantOptions(spec, 0.6, true).keepAnswerCorrect).toBe(false);
    expect(variantOptions(spec, 0.6, false).keepAnswerCorrect).toBeUndefined();
    expect(variantKeys({ ...spec, answerTargets: ['gold'] })).toHaveLength(2);
  });

  it('refuses a spec that also fixes the target or keepAnswerCorrect', () => {
    const text = (o: object): string => JSON.stringify({ ...spec, ...o }, null, 2);
    expect(() => parseSpecText(text({ methodOptions: { answerTarget: 'gold' } }), 's.json')).toThrow(
      /answerTargets: varies the answer target, so methodOptions.answerTarget must not fix it/,
    );
    expect(() =>
      parseSpecText(text({ perMethodOptions: { pst: { answerTarget: 'teacher' } } }), 's.json'),
    ).toThrow(/perMethodOptions.pst.answerTarget/);
    expect(() =>
      parseSpecText(text({ synthetic: { ...spec.synthetic, keepAnswerCorrect: true } }), 's.json'),
    ).toThrow(/synthetic.keepAnswerCorrect: with answerTargets/);
    expect(() => parseSpecText(text({ answerTargets: ['gold', 'gold'] }), 's.json')).toThrow(/repeated/);
  });
});

describe('shipped examples', () => {
  it('examples/robustness.json is the evidence grid: 5 methods x 3 rates x 2 answer targets x 5 seeds, compositional', () => {
    const spec = readSpecFile(path.join(__dirname, '../../../examples/robustness.json'));
    expect(spec.methods).toEqual(['answer-only', 'pre-thinking', 'prefix', 'post-thinking', 'pst']);
    expect(spec.synthetic).toMatchObject({ split: 'compositional', hallucinationRates: [0, 0.3, 0.6] });
    expect(spec.answerTargets).toEqual(['gold', 'teacher']);
    expect(specSeeds(spec)).toHaveLength(5);
    expect(expandGrid(spec)).toHaveLength(150);
  });
});

describe('spec files', () => {
  it('locates errors by file, line and field path', () => {
    const text = '{\n  "name": "x",\n  "dataset": 1,\n  "methods": ["pst"],\n  "budget": {\n    "steps": -3\n  }\n}\n';
    expect(() => parseSpecText(text, 'spec.json')).toThrow(/^spec\.json:6: budget\.steps: /);
    expect(() =>
      parseSpecText('{"name": "x",\n "methods": ["magic"], "budget": {"steps": 1}, "dataset": 1}', 'a.json'),
    ).toThrow(/a\.json:2: methods\.0: /);
    expect(() => parseSpecText('{"name": "x", "methods": ["pst"], "budget": {"steps": 1}}', 'b.json')).toThrow(
      /dataset: give either/,
    );
    expect(() => parseSpecText('{"name": "x",\n oops}', 'c.json')).toThrow(/c\.json:2: \(file\): not valid JSON/);
    expect(() =>
      parseSpecText('{"name": "x", "dataset": 1, "methods": ["pst"], "budget": {"steps": 1}, "seedz": 2}', 'd.json'),
    ).toThrow(/seedz|Unrecognized/);
  });
});

describe('aggregates and status', () => {
  it('computes mean, sample std and a Student t-interval over seeds, not computable below 3 seeds', () => {
    const a = aggregate([0.5, 0.7, 0.9])!;
    expect(a.n).toBe(3);
    expect(a.mean).toBeCloseTo(0.7, 12);
    expect(a.std).toBeCloseTo(0.2, 12);
    // By hand: se = 0.2 / sqrt(3) = 0.115470; t_{0.975, 2} = 4.302653; half-width 0.496828.
    expect(a.ci).toMatchObject({
      method: 't',
      unit: 'seed',
      level: 0.95,
      n: 3,
      description: '95% t-interval over 3 seeds',
    });
    expect(a.ci.low!).toBeCloseTo(0.7 - 0.496828, 5);
    expect(a.ci.high!).toBeCloseTo(0.7 + 0.496828, 5);
    // Two seeds: never [min, max] called 95%.
    const two = aggregate([0.5, 0.875])!;
    expect(two.ci).toMatchObject({ n: 2, low: null, high: null });
    expect(two.ci.description).toMatch(/^not computable \(n=2 seeds/);
    expect(aggregate([0.4])).toMatchObject({ n: 1, mean: 0.4, std: null, ci: { low: null, high: null } });
    expect(aggregate([])).toBeNull();
  });

  it('derives the experiment status and step progress from its runs', () => {
    expect(deriveStatus({ completed: 3, running: 1 })).toBe('running');
    expect(deriveStatus({ completed: 3, interrupted: 1 })).toBe('queued');
    expect(deriveStatus({ completed: 3, failed: 1, cancelled: 1 })).toBe('failed');
    expect(deriveStatus({ completed: 3, cancelled: 1 })).toBe('cancelled');
    expect(deriveStatus({ completed: 3 })).toBe('completed');
    const p = progressOf([
      { status: 'completed', step: 6, steps: 10 },
      { status: 'running', step: 5, steps: 10 },
      { status: 'queued', step: 0, steps: 20 },
    ]);
    expect(p.progress).toBeCloseTo(15 / 40);
    expect(p.byStatus).toEqual({ completed: 1, running: 1, queued: 1 });
  });

  it('schedules run times over processes longest first', () => {
    expect(makespan([5, 3, 3, 1], 1)).toBe(12);
    expect(makespan([5, 3, 3, 1], 2)).toBe(6);
    expect(makespan([4, 4, 4], 4)).toBe(4);
  });
});
