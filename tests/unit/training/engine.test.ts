// Training engine with micro models (fast) on every backend: exact embedding gradient (wasm
// without UnsortedSegmentSum), flat tensor count, determinism, exact resume after cancel, and that
// learning happens. On a software WebGPU adapter (seconds per step) only the gradient runs here;
// its training loop is checked against cpu by tests/unit/compute/numerics.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateExamples } from '../../../src/main/lab/training/evaluate';
import { resolveMethodConfig, type MethodId } from '../../../src/main/lab/training/methods';
import { embed } from '../../../src/main/lab/training/ops';
import {
  defaultTrainConfig,
  disposeStudent,
  loadStudent,
  train,
  type TrainConfig,
} from '../../../src/main/lab/training/trainer';
import { TEST_BACKENDS, useBackend } from '../../helpers/backends';
import { toyExamples } from '../../helpers/toyTask';

let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pst-train-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function microConfig(
  method: MethodId,
  over: Partial<TrainConfig> = {},
  methodOpts: Record<string, unknown> = {},
): TrainConfig {
  return defaultTrainConfig(resolveMethodConfig({ method, ...methodOpts }), {
    steps: 12,
    batchSize: 8,
    lr: 3e-3,
    warmupSteps: 2,
    evalEvery: 0,
    valMaxExamples: 4,
    checkpointEvery: 0,
    model: { layers: 1, width: 32, heads: 2, context: 32, dropout: 0.1 },
    ...over,
  });
}

for (const backend of TEST_BACKENDS) {
  describe.skipIf(backend.skip !== null)(`training engine: ${backend.title}`, { timeout: backend.timeout }, () => {
    beforeAll(() => useBackend(backend));
    /** Run folders of this backend's tests. */
    const key = `${backend.name}${backend.threads ?? ''}`;

    it('embedding gradient is exact (on wasm without UnsortedSegmentSum)', async () => {
      const table = tf.variable(
        tf.tensor2d([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      );
      const ids = tf.tensor1d([2, 0, 2], 'int32');
      const g = tf.variableGrads(
        () =>
          tf.sum(
            tf.mul(
              embed(ids, table),
              tf.tensor2d([
                [1, 10],
                [100, 1000],
                [2, 20],
              ]),
            ),
          ),
        [table],
      );
      expect(Array.from(await g.grads[table.name]!.data())).toEqual([100, 1000, 0, 0, 3, 30]);
      expect(Array.from(await embed(ids, table).data())).toEqual([5, 6, 1, 2, 5, 6]);
    });

    describe.skipIf(backend.software)(
      `training loops${backend.software ? ' (software adapter: see numerics.test.ts)' : ''}`,
      // The pure-JS cpu backend is several times slower than wasm.
      { timeout: 300_000 },
      () => {
        it('keeps the tensor count flat over 200 steps and releases everything at the end', async () => {
          const before = tf.memory().numTensors;
          const counts: number[] = [];
          await train({
            config: microConfig('pst', {
              steps: 200,
              model: { layers: 1, width: 16, heads: 2, context: 32, dropout: 0.1 },
            }),
            train: toyExamples(24, 1),
            val: [],
            runDir: null,
            hooks: { onStep: (m) => void (m.step >= 5 && counts.push(tf.memory().numTensors)) },
          });
          expect(counts).toHaveLength(196);
          expect(Math.max(...counts)).toBe(Math.min(...counts));
          // Only the per-length causal masks (cached for the process) may remain.
          expect(tf.memory().numTensors - before).toBeLessThanOrEqual(4);
        });

        it('same seed gives an identical loss curve; another seed does not', async () => {
          const run = async (seed: number) =>
            (await train({ config: microConfig('pst', { seed }), train: toyExamples(32, 2), val: [], runDir: null }))
              .losses;
          const a = await run(5);
          const b = await run(5);
          const c = await run(6);
          expect(b).toEqual(a);
          expect(c).not.toEqual(a);
        });

        it('resume after cancel reproduces the uninterrupted run exactly', async () => {
          const data = toyExamples(40, 3);
          const config = microConfig('post-thinking', { steps: 14 });
          const full = await train({
            config,
            train: data,
            val: data.slice(0, 4),
            runDir: path.join(tmp, `${key}-full`),
          });
          let seen = 0;
          const dir = path.join(tmp, `${key}-cut`);
          const first = await train({
            config,
            train: data,
            val: data.slice(0, 4),
            runDir: dir,
            hooks: { onStep: () => void seen++, shouldCancel: () => seen >= 6 },
          });
          expect(first.status).toBe('cancelled');
          expect(first.losses).toHaveLength(6);
          const second = await train({ config, train: data, val: data.slice(0, 4), runDir: dir, resume: true });
          expect(second.status).toBe('completed');
          expect([...first.losses, ...second.losses]).toEqual(full.losses);
        });

        it('learns: the loss falls and a toy task becomes solvable', async () => {
          const config = microConfig('answer-only', {
            steps: 250,
            lr: 5e-3,
            model: { layers: 1, width: 32, heads: 2, context: 32, dropout: 0 },
          });
          const dir = path.join(tmp, `${key}-learn`);
          const res = await train({ config, train: toyExamples(200, 4), val: toyExamples(20, 5), runDir: dir });
          const head = res.losses.slice(0, 5).reduce((a, b) => a + b) / 5;
          const tail = res.losses.slice(-5).reduce((a, b) => a + b) / 5;
          expect(tail).toBeLessThan(head * 0.3);
          const student = loadStudent(res.lastCheckpoint!);
          const ev = await evaluateExamples(student, toyExamples(40, 6));
          disposeStudent(student);
          expect(ev.accuracy).toBeGreaterThanOrEqual(0.9);
          expect(ev.meanTokensToAnswer).toBeLessThanOrEqual(3);
        });
      },
    );
  });
}
