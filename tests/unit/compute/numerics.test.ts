// One numerics contract for every backend: the same tiny run (20 steps, the PST method with its
// semantic loss, and answer-only) on cpu and wasm with 1 and 2 threads gives the same loss curve
// within LOSS_TOLERANCE; webgpu, when an adapter is found (on a machine without a GPU: the
// SwiftShader software adapter, selected with VK_ICD_FILENAMES; see docs/methods.md, "Compute
// backends"), runs the first WEBGPU_STEPS steps of the same run (SwiftShader takes seconds per
// step) and must match those. Backends differ only in float32 summation order, so the curves agree closely;
// a wrong kernel or gradient moves them by far more.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/lab/compute/backends';
import { probeWebgpu } from '../../../src/main/lab/compute/webgpu';
import { resolveMethodConfig, type MethodId } from '../../../src/main/lab/training/methods';
import { defaultTrainConfig, train } from '../../../src/main/lab/training/trainer';
import { toyExamples } from '../../helpers/toyTask';

/** Largest allowed |loss - cpu loss| at any of the 20 steps, relative to max(1, cpu loss). */
const LOSS_TOLERANCE = 2e-3;
const STEPS = 20;
const WEBGPU_STEPS = 3;

async function lossCurve(method: MethodId, steps = STEPS): Promise<number[]> {
  const config = defaultTrainConfig(resolveMethodConfig({ method }), {
    steps: STEPS,
    batchSize: 4,
    lr: 3e-3,
    warmupSteps: 2,
    evalEvery: 0,
    valMaxExamples: 2,
    checkpointEvery: 0,
    seed: 3,
    model: { layers: 1, width: 32, heads: 2, context: 24, dropout: 0.1 },
  });
  // The schedule is that of the 20-step run; a shorter curve stops early (cancel after `steps`).
  let done = 0;
  const hooks = { onStep: (m: { step: number }) => void (done = m.step), shouldCancel: () => done >= steps };
  const r = await train({ config, train: toyExamples(16, 2), val: [], runDir: null, hooks });
  expect(r.losses.length).toBeGreaterThanOrEqual(steps);
  return r.losses.slice(0, steps);
}

function maxRelativeGap(a: number[], ref: number[]): number {
  return Math.max(...ref.map((v, i) => Math.abs(a[i]! - v) / Math.max(1, Math.abs(v))));
}

const webgpu = await probeWebgpu();

describe.each(['pst', 'answer-only'] as MethodId[])('%s: loss curves agree across backends', (method) => {
  let reference: number[] = [];

  it('cpu (reference)', async () => {
    await initBackend('cpu');
    reference = await lossCurve(method);
    expect(reference.every(Number.isFinite)).toBe(true);
  });

  for (const threads of [1, 2]) {
    it(`wasm, ${threads} thread(s)`, async () => {
      const sel = await initBackend('wasm', { threads });
      expect(sel.probes.at(-1)?.details?.threads).toBe(threads);
      expect(maxRelativeGap(await lossCurve(method), reference)).toBeLessThan(LOSS_TOLERANCE);
    });
  }

  it.skipIf(!webgpu.adapter)(
    `webgpu (${webgpu.adapter ? webgpu.adapter.description : `skipped: ${webgpu.reason}`})`,
    async () => {
      expect((await initBackend('webgpu')).name).toBe('webgpu');
      const curve = await lossCurve(method, WEBGPU_STEPS);
      expect(tf.getBackend()).toBe('webgpu');
      expect(maxRelativeGap(curve, reference.slice(0, WEBGPU_STEPS))).toBeLessThan(LOSS_TOLERANCE);
    },
    900_000,
  );
});
