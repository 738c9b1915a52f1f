import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelName, ChannelResult } from '../../../src/shared/contract';
import { callOk } from '../../helpers/call';
import type { RunProgress } from '../../../src/shared/types/runs';
import { Lab } from '../../../src/main/lab/lab';
import { openTempLab } from '../../helpers/tempLab';
import { CUDA_LIBRARIES } from '../../../src/main/lab/compute/cuda';
import { machineCores } from '../../../src/main/lab/compute/wasm';

let lab: Lab;
let cleanup: () => void;
let datasetId: number;

const ok = <C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> => callOk(lab, channel, input);

// A micro model so a run takes seconds: the point is the plumbing (process, messages, rows).
const MICRO = {
  preset: 'tiny' as const,
  model: { layers: 1, width: 32, heads: 2 },
  steps: 12,
  batchSize: 4,
  evalEvery: 6,
  valMaxExamples: 3,
  testMaxExamples: 4,
  backend: 'wasm' as const,
};

beforeAll(async () => {
  ({ lab, cleanup } = openTempLab());
  // Two people per coin flip: every rationale fits the tiny preset's context (see context.test.ts).
  datasetId = (await ok('datasets.generate', { task: 'coin_flip', n: 60, seed: 3, maxSize: 2 })).datasetId;
});
afterAll(() => cleanup());

describe('training runs', () => {
  it('runs in its own process and records steps, validations, predictions and the environment', async () => {
    const events: RunProgress[] = [];
    const off = lab.events.subscribe((m) => {
      if (m.name === 'run.progress') events.push(m.payload);
    });
    const run = await ok('runs.start', { dataset: datasetId, method: 'post-thinking', ...MICRO });
    expect(run.status).toBe('running');
    const status = await lab.context.runs.wait(run.id);
    off();
    const detail = await ok('runs.get', { run: run.id });
    expect(detail.error).toBeNull();
    expect(status).toBe('completed');
    expect(detail).toMatchObject({ status: 'completed', step: 12, backend: 'wasm', version: 1 });
    expect(detail.environment).toMatchObject({ node: process.versions.node, backend: 'wasm' });
    const metrics = await ok('runs.metrics', { run: run.id });
    expect(metrics.steps.map((s) => s.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(metrics.steps.every((s) => Number.isFinite(s.loss) && s.lr > 0)).toBe(true);
    expect(metrics.evals.map((e) => e.step)).toEqual([6, 12]);
    const preds = await ok('runs.predictions', { run: run.id });
    expect(preds.total).toBe(4);
    expect(preds.rows[0]).toMatchObject({ gold: expect.stringMatching(/yes|no/), tokensToAnswer: expect.any(Number) });
    expect(detail.testAccuracy).toBeCloseTo(preds.correct / preds.total);
    expect(events.some((e) => e.step > 0 && e.loss !== null)).toBe(true);
    expect(events.at(-1)?.status).toBe('completed');
    expect(fs.existsSync(path.join(detail.checkpointDir!, 'last'))).toBe(true);
  });

  it('pauses, cancels, then resumes from the last checkpoint to the same losses as an uninterrupted run', async () => {
    const spec = { dataset: datasetId, method: 'answer-only' as const, ...MICRO, steps: 40, evalEvery: 0, seed: 9 };
    const full = await ok('runs.start', spec);
    await lab.context.runs.wait(full.id);
    const reference = (await ok('runs.metrics', { run: full.id })).steps.map((s) => s.loss);
    expect(reference).toHaveLength(40);

    const run = await ok('runs.start', spec);
    const seen = (pred: (p: RunProgress) => boolean): Promise<RunProgress> =>
      new Promise((resolve) => {
        const off = lab.events.subscribe((m) => {
          if (m.name === 'run.progress' && m.payload.runId === run.id && pred(m.payload)) {
            off();
            resolve(m.payload);
          }
        });
      });
    await seen((p) => p.step >= 3);
    await ok('runs.pause', { run: run.id });
    await seen((p) => p.status === 'paused');
    expect((await ok('runs.get', { run: run.id })).status).toBe('paused');
    await ok('runs.cancel', { run: run.id });
    expect(await lab.context.runs.wait(run.id)).toBe('cancelled');
    const stoppedAt = (await ok('runs.get', { run: run.id })).step;
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    expect(stoppedAt).toBeLessThan(40);
    await ok('runs.resume', { run: run.id });
    expect(await lab.context.runs.wait(run.id)).toBe('completed');
    const resumed = (await ok('runs.metrics', { run: run.id })).steps.map((s) => s.loss);
    expect(resumed).toEqual(reference);
  });

  it('marks runs whose process died as interrupted on start-up, and resumes them from their checkpoint', async () => {
    const run = await ok('runs.start', { dataset: datasetId, method: 'answer-only', ...MICRO, steps: 30, evalEvery: 0, seed: 4 });
    await new Promise<void>((resolve) => {
      const off = lab.events.subscribe((m) => {
        if (m.name === 'run.progress' && m.payload.runId === run.id && m.payload.step >= 3) {
          off();
          resolve();
        }
      });
    });
    await ok('runs.cancel', { run: run.id });
    await lab.context.runs.wait(run.id);
    const stopped = lab.db.prepare('SELECT step, checkpoint_step FROM runs WHERE id = ?').get(run.id) as { step: number; checkpoint_step: number };
    expect(stopped.checkpoint_step).toBe(stopped.step);
    // Pretend the app was killed there: the row still says running, owned by a process that is gone.
    lab.db.prepare("UPDATE runs SET status = 'running', owner_pid = 2147483646 WHERE id = ?").run(run.id);
    const reopened = Lab.open({ dataDir: lab.context.dataDir, runtime: 'test' });
    try {
      expect(await callOk(reopened, 'runs.get', { run: run.id })).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/ended unexpectedly/) });
      await callOk(reopened, 'runs.resume', { run: run.id });
      expect(await reopened.context.runs.wait(run.id)).toBe('completed');
      const steps = (await callOk(reopened, 'runs.metrics', { run: run.id })).steps.map((x) => x.step);
      expect(steps).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    } finally {
      reopened.close();
    }
  });

  it('uses the Settings backend when the run does not choose one', async () => {
    await ok('settings.update', { backend: 'wasm' });
    try {
      const run = await ok('runs.start', { dataset: datasetId, method: 'answer-only', ...MICRO, steps: 3, evalEvery: 0, backend: null });
      await lab.context.runs.wait(run.id);
      expect(await ok('runs.get', { run: run.id })).toMatchObject({ status: 'completed', backend: 'wasm', backendReason: 'chosen in Settings' });
    } finally {
      await ok('settings.update', { backend: 'auto' });
    }
  });

  it('uses the Settings wasm threads and CUDA folder for new runs, records them, and validates both', async () => {
    const cores = machineCores();
    expect(await lab.dispatch('settings.update', { threads: cores + 1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    const missing = path.join(lab.context.dataDir, 'no-such-cuda');
    expect(await lab.dispatch('settings.update', { cudaLibs: missing })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/^cudaLibs .*no-such-cuda: the folder does not exist$/),
      },
    });
    // A folder holding the runtime libraries' file names (loaded only by tfjs-node-gpu, not by wasm).
    const cuda = path.join(lab.context.dataDir, 'cuda11');
    fs.mkdirSync(cuda);
    for (const l of CUDA_LIBRARIES) fs.writeFileSync(path.join(cuda, l.linux), '');
    const saved = await ok('settings.update', { threads: 1, cudaLibs: cuda });
    expect(saved).toMatchObject({ threads: 1, cudaLibs: cuda });
    try {
      const run = await ok('runs.start', {
        dataset: datasetId,
        method: 'answer-only',
        ...MICRO,
        steps: 2,
        evalEvery: 0,
      });
      expect(await lab.context.runs.wait(run.id)).toBe('completed');
      expect((await ok('runs.get', { run: run.id })).environment).toMatchObject({
        backend: 'wasm',
        threadsRequested: 1,
        backendDetails: { threads: 1 },
        cudaLibs: cuda,
      });
    } finally {
      await ok('settings.update', { threads: null, cudaLibs: null });
    }
  }, 300_000);

  it('refuses bad specs with structured errors', async () => {
    expect(await lab.dispatch('runs.start', { dataset: datasetId, method: 'magic' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await lab.dispatch('runs.start', { dataset: 9999, method: 'pst' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await lab.dispatch('runs.start', { dataset: datasetId, method: 'pst', version: 7 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await lab.dispatch('runs.pause', { run: 12345 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('marks a failed run with its error', async () => {
    const run = await ok('runs.start', { dataset: datasetId, method: 'pst', ...MICRO, backend: 'tensorflow-gpu' });
    expect(await lab.context.runs.wait(run.id)).toBe('failed');
    const d = await ok('runs.get', { run: run.id });
    expect(d.error).toMatch(/tensorflow-gpu/);
  });
});
