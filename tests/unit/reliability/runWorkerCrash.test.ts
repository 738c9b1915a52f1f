// A run whose worker process is killed (here: inside a checkpoint save, by the test-only fault
// hook) becomes `interrupted`, not `failed`, and resuming it continues from its last whole
// checkpoint to exactly the losses of an uninterrupted run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelName, ChannelResult } from '../../../src/shared/contract';
import type { RunProgress } from '../../../src/shared/types/runs';
import type { Lab } from '../../../src/main/lab/lab';
import { callOk } from '../../helpers/call';
import { openTempLab } from '../../helpers/tempLab';

let lab: Lab;
let cleanup: () => void;
let datasetId: number;
const ok = <C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> =>
  callOk(lab, channel, input);

beforeAll(async () => {
  ({ lab, cleanup } = openTempLab());
  datasetId = (await ok('datasets.generate', { task: 'coin_flip', n: 60, seed: 3 })).datasetId;
});
afterAll(() => {
  delete process.env.PST_LAB_TEST_CRASH_CHECKPOINT;
  cleanup();
});

const SPEC = {
  preset: 'tiny' as const,
  model: { layers: 1, width: 32, heads: 2 },
  steps: 30,
  batchSize: 4,
  evalEvery: 0,
  valMaxExamples: 3,
  testMaxExamples: 2,
  backend: 'wasm' as const,
  method: 'answer-only' as const,
  seed: 4,
};

describe('run worker killed', () => {
  it('leaves the run interrupted; resume continues from the last whole checkpoint exactly', async () => {
    const full = await ok('runs.start', { dataset: datasetId, ...SPEC });
    expect(await lab.context.runs.wait(full.id)).toBe('completed');
    const reference = (await ok('runs.metrics', { run: full.id })).steps.map((s) => s.loss);

    const run = await ok('runs.start', { dataset: datasetId, ...SPEC });
    await new Promise<void>((resolve) => {
      const off = lab.events.subscribe((m) => {
        if (m.name === 'run.progress' && m.payload.runId === run.id && (m.payload as RunProgress).step >= 5) {
          off();
          resolve();
        }
      });
    });
    await ok('runs.cancel', { run: run.id });
    expect(await lab.context.runs.wait(run.id)).toBe('cancelled');
    // Cancelling saves the last checkpoint at the step reached.
    const cut = (await ok('runs.get', { run: run.id })).step;
    expect(cut).toBeGreaterThanOrEqual(5);

    // The resumed worker dies in the middle of its final checkpoint save.
    process.env.PST_LAB_TEST_CRASH_CHECKPOINT = `optimizer.safetensors@${SPEC.steps}`;
    await ok('runs.resume', { run: run.id });
    delete process.env.PST_LAB_TEST_CRASH_CHECKPOINT;
    expect(await lab.context.runs.wait(run.id)).toBe('interrupted');
    const interrupted = await ok('runs.get', { run: run.id });
    expect(interrupted.error).toMatch(/the run process exited unexpectedly/);
    const startStep = (d: { resolved: Record<string, unknown> | null }) =>
      (d.resolved?.start as { startStep: number }).startStep;
    expect(startStep(interrupted)).toBe(cut);

    await ok('runs.resume', { run: run.id });
    expect(await lab.context.runs.wait(run.id)).toBe('completed');
    // It continued from the checkpoint the killed save left intact, not from scratch.
    expect(startStep(await ok('runs.get', { run: run.id }))).toBe(cut);
    expect((await ok('runs.metrics', { run: run.id })).steps.map((s) => s.loss)).toEqual(reference);
  });
});
