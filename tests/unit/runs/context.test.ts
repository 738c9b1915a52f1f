// A run refuses to start when its context would cut more than 1 % of the training rationales or
// questions (docs/methods.md, "Context"), names the share and the needed context, and records the
// share when the user opts in. Nothing here trains: runs are only queued.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelName, ChannelResult } from '../../../src/shared/contract';
import type { RunSpec } from '../../../src/shared/types/runs';
import { runCli } from '../../../src/main/cli/main';
import type { Lab } from '../../../src/main/lab/lab';
import { callOk } from '../../helpers/call';
import { openTempLab } from '../../helpers/tempLab';

let lab: Lab;
let dataDir: string;
let cleanup: () => void;
let datasetId: number;

const ok = <C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> =>
  callOk(lab, channel, input);

function spec(over: Partial<RunSpec>): Omit<RunSpec, 'version'> {
  return {
    dataset: datasetId,
    subset: 'all',
    method: 'pre-thinking',
    methodOptions: {},
    preset: 'tiny',
    steps: 10,
    batchSize: 4,
    lr: 1e-3,
    seed: 1,
    backend: 'wasm',
    evalEvery: 0,
    valMaxExamples: 4,
    earlyStopPatience: null,
    testMaxExamples: 4,
    ...over,
  };
}

beforeAll(async () => {
  ({ lab, dataDir, cleanup } = openTempLab());
  // coin flip with 3-4 people: most rationales are longer than the tiny preset's 256 characters.
  datasetId = (await ok('datasets.generate', { task: 'coin_flip', n: 60, seed: 3, minSize: 3, maxSize: 4 })).datasetId;
});
afterAll(() => cleanup());

describe('context check', () => {
  it('refuses a run that would cut over 1 % of its training rationales, naming the share and the needed context', async () => {
    const res = await lab.dispatch('runs.start', { dataset: datasetId, method: 'pre-thinking', backend: 'wasm' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('INVALID_INPUT');
    expect(res.error.message).toMatch(
      /^pre-thinking at context 256 would cut \d+\.\d % of the training rationales \(\d+ of \d+\); it needs a context of \d+ tokens/,
    );
    expect(res.error.details).toEqual([{ path: ['allowTruncation'], message: res.error.message }]);
    expect((await ok('runs.list', {})).length).toBe(0);

    // The needed context is exact: at it nothing is cut, one token less refuses.
    const needed = Number(/needs a context of (\d+)/.exec(res.error.message)![1]);
    expect(needed).toBeGreaterThan(256);
    const fits = lab.context.runs.enqueue(spec({ model: { context: needed } }), null);
    expect((await ok('runs.get', { run: fits })).dataStats).toMatchObject({
      context: needed,
      contextNeeded: needed,
      rationalesCut: 0,
      questionsCut: 0,
      truncationAllowed: false,
    });
    expect(() => lab.context.runs.enqueue(spec({ model: { context: needed - 1 } }), null)).toThrow(/would cut/);
  });

  it('counts only what the method reads: answer-only at the same context starts', async () => {
    const id = lab.context.runs.enqueue(spec({ method: 'answer-only' }), null);
    expect((await ok('runs.get', { run: id })).dataStats).toMatchObject({
      context: 256,
      rationalesCut: 0,
      rationalesCutShare: 0,
    });
  });

  it('records the cut share on the run when the user opts in', async () => {
    const id = lab.context.runs.enqueue(spec({ allowTruncation: true }), null);
    const stats = (await ok('runs.get', { run: id })).dataStats as Record<string, number | boolean>;
    expect(stats['truncationAllowed']).toBe(true);
    expect(stats['rationalesCutShare']).toBeGreaterThan(0.01);
    expect(stats['rationalesCutShare']).toBeCloseTo(
      (stats['rationalesCut'] as number) / (stats['trainCompletions'] as number),
    );
  });

  it('CLI: `pst-lab train` exits 1 with the message; --allow-truncation is accepted by the parser', async () => {
    let err = '';
    const code = await runCli(
      ['train', '--dataset', String(datasetId), '--method', 'post-thinking', '--data-dir', dataDir],
      {
        stdout: () => undefined,
        stderr: (t) => (err += t),
      },
    );
    expect(code).toBe(1);
    expect(err).toMatch(
      /post-thinking at context 256 would cut [\d.]+ % of the training rationales.*needs a context of \d+ tokens/,
    );
    expect(err).toMatch(/--allow-truncation/);
  });

  it('experiments pick a context that fits every method on every variant; a spec context that cuts is refused', async () => {
    const base = {
      synthetic: { task: 'coin_flip', n: 60, seed: 3, hallucinationRates: [0, 0.6], minSize: 3, maxSize: 4 },
      methods: ['answer-only', 'pre-thinking', 'post-thinking'] as ('answer-only' | 'pre-thinking' | 'post-thinking')[],
      seeds: 1,
      budget: { steps: 5 },
      backend: 'wasm' as const,
    };
    const plan = await ok('experiments.plan', { spec: { name: 'fit', ...base }, probe: false });
    expect(plan.context).toMatchObject({ source: 'data' });
    expect(plan.context!.tokens % 8).toBe(0);
    expect(plan.context!.tokens - plan.context!.needed).toBeLessThan(8);
    const created = await ok('experiments.create', { spec: { name: 'fit', ...base } });
    const runs = lab.db.prepare('SELECT spec, data_stats FROM runs WHERE experiment_id = ?').all(created.id) as {
      spec: string;
      data_stats: string;
    }[];
    expect(runs).toHaveLength(6);
    for (const r of runs) {
      expect((JSON.parse(r.spec) as RunSpec).model?.context).toBe(plan.context!.tokens);
      expect(JSON.parse(r.data_stats)).toMatchObject({ rationalesCut: 0, questionsCut: 0 });
    }
    const refused = await lab.dispatch('experiments.create', {
      spec: { name: 'cut', ...base, model: { context: 200 } },
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^cell .*pre-thinking at context 200 would cut/) },
    });
  });

  it('the automatic context also fits the longer test items of a compositional split', async () => {
    const spec = {
      name: 'compositional fit',
      synthetic: {
        task: 'coin_flip',
        n: 60,
        seed: 3,
        hallucinationRates: [0],
        minSize: 2,
        maxSize: 2,
        split: 'compositional' as const,
        testMinSize: 5,
        testMaxSize: 5,
      },
      methods: ['pre-thinking'] as 'pre-thinking'[],
      seeds: 1,
      budget: { steps: 5 },
      backend: 'wasm' as const,
    };
    const plan = await ok('experiments.plan', { spec, probe: false });
    const created = await ok('experiments.create', { spec });
    const stats = lab.db.prepare('SELECT data_stats FROM runs WHERE experiment_id = ?').all(created.id) as {
      data_stats: string;
    }[];
    // Training items have 2 people, test items 5: the training split alone needs far less.
    const trainingNeeds = Math.max(
      ...stats.map((r) => (JSON.parse(r.data_stats) as { contextNeeded: number }).contextNeeded),
    );
    expect(plan.context!.needed).toBeGreaterThan(trainingNeeds + 60);
    expect(plan.context!.tokens).toBeGreaterThanOrEqual(plan.context!.needed);
  });
});
