// Crash-safe checkpoints (docs/methods.md, "Crash safety"): a process killed in the middle of a
// checkpoint save — after any one of its files, or between the two renames — leaves a checkpoint
// that resumes exactly as the uninterrupted run; a torn checkpoint (files from different steps) is
// refused with a located message and the previous whole one is used. Never a silent divergence.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/lab/compute/backends';
import { loadCheckpoint } from '../../../src/main/lab/training/checkpoint';
import { train, type TrainResult } from '../../../src/main/lab/training/trainer';
import { tempDir } from '../../helpers/tempLab';
import { CHECKPOINT_EVERY, microConfig, STEPS, toyData } from './trainFixture';

let tmp = '';
let reference: number[] = [];
const data = toyData();

beforeAll(async () => {
  await initBackend('wasm');
  tmp = tempDir('pst-ckpt-crash-');
  reference = (
    await train({ config: microConfig(), train: data, val: data.slice(0, 4), runDir: path.join(tmp, 'reference') })
  ).losses;
  expect(reference).toHaveLength(STEPS);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function resume(runDir: string): Promise<{ result: TrainResult; startStep: number; notice: string | null }> {
  let startStep = -1;
  let notice: string | null = null;
  const result = await train({
    config: microConfig(),
    train: data,
    val: data.slice(0, 4),
    runDir,
    resume: true,
    hooks: { onStart: (i) => void ((startStep = i.startStep), (notice = i.resumeNotice)) },
  });
  return { result, startStep, notice };
}

describe('checkpoints under kill -9', () => {
  // The second save (step 20) is interrupted; step 10 is the previous whole checkpoint.
  const crashStep = 2 * CHECKPOINT_EVERY;
  for (const point of ['model.safetensors', 'optimizer.safetensors', 'checkpoint.json', 'swap']) {
    it(`killed after ${point} of the step-${crashStep} save: resume continues exactly`, async () => {
      const runDir = path.join(tmp, `crash-${point}`);
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'trainChild.ts'), runDir], {
        env: { ...process.env, PST_LAB_TEST_CRASH_CHECKPOINT: `${point}@${crashStep}` },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.signal, child.stderr).toBe('SIGKILL');
      const { result, startStep, notice } = await resume(runDir);
      // The interrupted save never became the checkpoint: the run continues from step 10.
      expect(startStep).toBe(CHECKPOINT_EVERY);
      if (point === 'swap') expect(notice).toMatch(/previous complete checkpoint \(step 10\)/);
      else expect(notice).toBeNull();
      expect(result.status).toBe('completed');
      expect(result.losses).toEqual(reference.slice(startStep));
    });
  }

  it('refuses a torn checkpoint (weights of another step) and continues from the previous whole one', async () => {
    const runDir = path.join(tmp, 'torn');
    let seen = 0;
    const cut = await train({
      config: microConfig(),
      train: data,
      val: data.slice(0, 4),
      runDir,
      hooks: { onStep: () => void seen++, shouldCancel: () => seen >= 2 * CHECKPOINT_EVERY + 5 },
    });
    expect(cut.status).toBe('cancelled');
    const last = path.join(runDir, 'last');
    // Exactly what replacing the files one at a time could leave: step-20 weights beside step-25 state.
    fs.copyFileSync(path.join(`${last}.prev`, 'model.safetensors'), path.join(last, 'model.safetensors'));
    const { result, startStep, notice } = await resume(runDir);
    expect(notice).toMatch(
      /last[/\\]model\.safetensors: does not match the hash in .*checkpoint\.json \(step 25\), the checkpoint is torn/,
    );
    expect(startStep).toBe(2 * CHECKPOINT_EVERY);
    expect(result.losses).toEqual(reference.slice(startStep));
    // The torn checkpoint was set aside, never rotated into the fallback slot.
    expect(loadCheckpoint(`${last}.prev`).state.training.step).toBe(2 * CHECKPOINT_EVERY);
    expect(fs.existsSync(`${last}.torn`)).toBe(true);
  });

  it('with no whole checkpoint left, resume refuses with the reasons instead of guessing', () => {
    const runDir = path.join(tmp, 'torn');
    for (const d of ['last', 'last.prev']) fs.writeFileSync(path.join(runDir, d, 'optimizer.safetensors'), 'garbage');
    expect(() => loadCheckpoint(path.join(runDir, 'last'))).toThrow(
      /last[/\\]optimizer\.safetensors: does not match .* torn; the previous checkpoint is not usable either: .*last\.prev[/\\]optimizer\.safetensors: does not match/,
    );
  });
});
