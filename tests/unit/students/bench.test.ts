// `bench train --student DIR` on a tiny random folder, full fine-tuning and LoRA (with and without
// dropout): the figures are produced, finite and consistent with each other, the FLOP count
// follows what each mode computes (speeds are measured by the benchmark, never asserted here).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/lab/compute/backends';
import { benchStudent } from '../../../src/main/lab/students/bench';
import * as tf from '@tensorflow/tfjs';
import { tempDir } from '../../helpers/tempLab';
import { writeTinyModel } from '../../helpers/students';

let tmp = '';
beforeAll(async () => {
  await initBackend('wasm');
  tmp = tempDir('pst-student-bench-');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('student training benchmark', () => {
  it('reports full fine-tuning figures for a Llama-family folder and releases its tensors', async () => {
    const dir = path.join(tmp, 'llama');
    writeTinyModel(dir, 'llama');
    const before = tf.memory().numTensors;
    const r = await benchStudent(dir, { steps: 1, warmupSteps: 0, batch: 2, seqLen: 16, generateTokens: 4 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r).toMatchObject({ backend: 'wasm', mode: 'full', lora: null, batch: 2, seqLen: 16, steps: 1 });
    expect(r.summary.architecture).toBe('LlamaForCausalLM');
    expect(r.trainableParameters).toBe(r.parameters);
    // 2 layers: q 24x24, k 24x8, v 24x8, o 24x24, gate/up 24x40, down 40x24; plus the output layer
    // over 264 rows and PST's 7 marker rows (SEP, EOS, ANS, RAT, [predict], [explain], SEM_1).
    const matrices = 2 * (24 * 24 + 2 * 24 * 8 + 24 * 24 + 3 * 24 * 40) + 271 * 24;
    expect(r.trainFlopsPerToken).toBe(6 * matrices + 12 * 2 * 16 * 24);
    expect(r.achievedGflops).toBeCloseTo((r.trainTokensPerSec * r.trainFlopsPerToken) / 1e9, 6);
    expect(r.mfu).toBeCloseTo(r.achievedGflops / r.matmulGflops, 6);
    for (const v of [r.trainTokensPerSec, r.matmulGflops, r.peakTensorBytes, r.peakRssBytes, r.generationTokensPerSec])
      expect(v).toBeGreaterThan(0);
    expect(r.loadedRssBytes).toBeGreaterThan(0);
    expect(r.loadedRssBytes).toBeLessThanOrEqual(r.peakRssBytes);
    // the trainer's estimate: at least the weights plus a gradient and two moments for each
    expect(r.memoryBoundBytes).toBeGreaterThan(4 * (r.parameters + 3 * r.trainableParameters));
    // the step's live peak starts from the weights and moments held, and is the figure held against it
    expect(r.livePeakBytes).toBeGreaterThan(4 * (r.parameters + 2 * r.trainableParameters));
  });

  // With LoRA dropout (the trainer's path while training) the adapters run beside their frozen
  // weights, which then count 4 FLOPs per weight too; merged, the adapted weight gets a gradient.
  for (const dropout of [0, 0.1]) {
    it(`with LoRA${dropout ? ' dropout' : ''} trains only the adapters and marker rows, and counts frozen matrices at 4 FLOPs per weight`, async () => {
      const dir = path.join(tmp, `llama-lora-${dropout}`);
      writeTinyModel(dir, 'llama');
      const before = tf.memory().numTensors;
      const r = await benchStudent(dir, {
        steps: 1,
        warmupSteps: 0,
        batch: 2,
        seqLen: 16,
        generateTokens: 4,
        lora: { rank: 2, dropout },
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(r).toMatchObject({ mode: 'lora' });
      expect(r.lora).toEqual({ rank: 2, alpha: 2, ...(dropout ? { dropout } : {}), targets: ['q_proj', 'v_proj'] });
      // Per layer: q adapters 24x2 + 2x24, v adapters 24x2 + 2x8; marker rows in the untied input and output tables.
      const adapters = 2 * (24 * 2 + 2 * 24 + 24 * 2 + 2 * 8);
      expect(r.trainableParameters).toBe(adapters + 2 * 7 * 24);
      // Every frozen matrix, adapted or not: training runs the adapters beside it.
      const frozen = 2 * (24 * 24 + 24 * 8 + 24 * 8 + 24 * 24 + 3 * 24 * 40);
      expect(r.trainFlopsPerToken).toBe(6 * adapters + 4 * frozen + 4 * 271 * 24 + 12 * 2 * 16 * 24);
      expect(r.trainTokensPerSec).toBeGreaterThan(0);
    });
  }
});
