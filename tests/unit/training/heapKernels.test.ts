// The wasm-heap JS kernels (compute/concatEven, compute/heads, compute/splitEven, the shared
// Identity, ...) against plain tfjs ops on random inputs: values, and gradients through tf.grad;
// on every backend (elsewhere than wasm the same functions take tfjs ops, which must agree too);
// and the dropout mask generator against the Rng it reproduces.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, scoped, TEST_BACKENDS, useBackend } from '../../helpers/backends';
import { singleQueryAttention } from '../../../src/main/lab/compute/cachedAttention';
import { columnSums } from '../../../src/main/lab/compute/columnSums';
import { gatherRows } from '../../../src/main/lab/compute/gatherRows';
import { layerNormRows } from '../../../src/main/lab/compute/layerNormRows';
import { concatEven } from '../../../src/main/lab/compute/concatEven';
import { mergeHeads, splitHeads, type HeadGroup } from '../../../src/main/lab/compute/heads';
import { splitEven } from '../../../src/main/lab/compute/splitEven';
import { dropoutMask } from '../../../src/main/lab/training/model';
import { Rng } from '../../../src/main/lab/training/rng';

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return tf.tensor(data, shape);
}

/** Reference per-head matrices with reshape/transpose/slice: [B*H] of [T, hd] or [hd, T]. */
function referenceHeads(
  x: tf.Tensor2D,
  batch: number,
  time: number,
  heads: number,
  width: number,
  g: HeadGroup,
): tf.Tensor[] {
  const hd = width / heads;
  const cols = tf.slice(x, [0, g.block * width], [batch * time, width]);
  const bh = tf.transpose(tf.reshape(cols, [batch, time, heads, hd]), g.transposed ? [0, 2, 3, 1] : [0, 2, 1, 3]);
  return tf.unstack(tf.mul(tf.reshape(bh, [batch * heads, ...(g.transposed ? [hd, time] : [time, hd])]), g.scale ?? 1));
}

for (const backend of TEST_BACKENDS) {
  describe.skipIf(backend.skip !== null)(backend.title, { timeout: backend.timeout }, () => {
    beforeAll(() => useBackend(backend));

    describe('concatEven', () => {
      for (const axis of [0, 1, 2]) {
        it(`equals tf.concat along axis ${axis} and its gradient splits the cotangent`, async () => {
          await scoped(async () => {
            const xs = [0, 1, 2].map((i) => randomTensor([2, 3, 4], 10 + i));
            expect(await maxAbsDiff(concatEven(xs, axis), tf.concat(xs, axis))).toBe(0);
            const w = randomTensor(tf.concat(xs, axis).shape, 77);
            const ours = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(concatEven(a, axis), w)))(xs);
            const ref = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(tf.concat(a, axis), w)))(xs);
            for (const [i, g] of ours.entries()) expect(await maxAbsDiff(g, ref[i]!)).toBe(0);
          });
        });
      }

      it('rejects tensors of different shapes', async () => {
        await scoped(async () => {
          expect(() => concatEven([tf.zeros([2, 3]), tf.zeros([2, 4])], 0)).toThrow(/shapes differ/);
        });
      });
    });

    describe('splitEven', () => {
      it('is undone by concatEven, and an unused part gets a zero gradient', async () => {
        await scoped(async () => {
          const x = randomTensor([4, 6, 2], 3);
          const parts = splitEven(x, 3, 1);
          expect(await maxAbsDiff(concatEven(parts, 1), x)).toBe(0);
          const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(splitEven(a, 3, 1)[1]!, 2)))(x);
          const expected = tf.concat([tf.zeros([4, 2, 2]), tf.fill([4, 2, 2], 2), tf.zeros([4, 2, 2])], 1);
          expect(await maxAbsDiff(g, expected)).toBe(0);
        });
      });
    });

    describe('splitHeads / mergeHeads', () => {
      const [batch, time, heads, width] = [3, 5, 2, 8];
      const layout = { batch, time, heads, width };
      const groups: HeadGroup[] = [
        { block: 0, scale: 0.5 },
        { block: 1, transposed: true },
        { block: 2 },
        { block: 2, transposed: true, scale: -2 },
      ];

      it('cuts the same per-head matrices as reshape + transpose + slice', async () => {
        await scoped(async () => {
          const x = randomTensor([batch * time, 3 * width], 5) as tf.Tensor2D;
          const ours = splitHeads(x, layout, groups);
          for (const [gi, g] of groups.entries()) {
            const ref = referenceHeads(x, batch, time, heads, width, g);
            expect(ours[gi]!.length).toBe(batch * heads);
            for (const [i, p] of ours[gi]!.entries()) expect(await maxAbsDiff(p, ref[i]!)).toBeLessThan(1e-6);
          }
        });
      });

      it('mergeHeads inverts splitHeads (scales included)', async () => {
        await scoped(async () => {
          const x = randomTensor([batch * time, 3 * width], 6) as tf.Tensor2D;
          const specs: HeadGroup[] = [{ block: 0, scale: 4 }, { block: 1, transposed: true }, { block: 2 }];
          const pieces = splitHeads(x, layout, specs);
          const back = mergeHeads(pieces, layout, [
            { block: 0, scale: 0.25 },
            { block: 1, transposed: true },
            { block: 2 },
          ]);
          expect(await maxAbsDiff(back, x)).toBeLessThan(1e-6);
        });
      });

      it('gradients match the reference ops (split with repeated blocks, and merge)', async () => {
        await scoped(async () => {
          const x = randomTensor([batch * time, 3 * width], 7) as tf.Tensor2D;
          const ws = groups.map((g, gi) =>
            referenceHeads(x, batch, time, heads, width, g).map((p, i) => randomTensor(p.shape, 100 + gi * 10 + i)),
          );
          const lossOf = (parts: tf.Tensor[][]) =>
            tf.addN(parts.flatMap((ps, gi) => ps.map((p, i) => tf.sum(tf.mul(p, ws[gi]![i]!)))));
          const ours = tf.grad((a: tf.Tensor) => lossOf(splitHeads(a as tf.Tensor2D, layout, groups)))(x);
          const ref = tf.grad((a: tf.Tensor) =>
            lossOf(groups.map((g) => referenceHeads(a as tf.Tensor2D, batch, time, heads, width, g))),
          )(x);
          expect(await maxAbsDiff(ours, ref)).toBeLessThan(1e-5);

          // Merge: gradient with respect to every piece.
          const specs: HeadGroup[] = [
            { block: 0, scale: 3 },
            { block: 0, transposed: true },
          ];
          const pieces = splitHeads(x, layout, specs).flat();
          const w = randomTensor([batch * time, 2 * width], 8);
          const mergedLoss = (...ps: tf.Tensor[]) =>
            tf.sum(
              tf.mul(
                mergeHeads([ps.slice(0, batch * heads), ps.slice(batch * heads)] as tf.Tensor2D[][], layout, specs),
                w,
              ),
            );
          const gOurs = tf.grads(mergedLoss)(pieces);
          // Reference: d/d piece of sum(merge * w) is w's head matrix, cut the same way (times the scale).
          const wHeads = splitHeads(w as tf.Tensor2D, layout, [
            { block: 0, scale: 3 },
            { block: 1, transposed: true },
          ]).flat();
          for (const [i, g] of gOurs.entries()) expect(await maxAbsDiff(g, wHeads[i]!)).toBeLessThan(1e-5);
        });
      });

      it('rejects a column block outside the rows and pieces of the wrong shape', async () => {
        await scoped(async () => {
          const x = tf.zeros([batch * time, 3 * width]) as tf.Tensor2D;
          expect(() => splitHeads(x, layout, [{ block: 3 }])).toThrow(/column block 3/);
          expect(() => mergeHeads([[tf.zeros([2, 2]) as tf.Tensor2D]], layout, [{ block: 0 }])).toThrow(
            /pieces, expected 6/,
          );
        });
      });
    });

    describe('columnSums', () => {
      it('equals tf.sum over rows, with the broadcast gradient', async () => {
        await scoped(async () => {
          const x = randomTensor([37, 9], 12) as tf.Tensor2D;
          expect(await maxAbsDiff(columnSums(x), tf.sum(x, 0))).toBeLessThan(1e-5);
          const w = randomTensor([9], 13);
          const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(columnSums(a as tf.Tensor2D), w)))(x);
          expect(await maxAbsDiff(g, tf.mul(tf.onesLike(x), w))).toBe(0);
        });
      });
    });

    describe('shared Identity', () => {
      it('a clone keeps its values after the original is disposed, and no buffer leaks', async () => {
        const before = tf.memory().numBytes;
        const x = randomTensor([4, 5], 21);
        const want = Array.from(await x.data());
        const c = tf.clone(x);
        x.dispose();
        expect(Array.from(await c.data())).toEqual(want);
        c.dispose();
        expect(tf.memory().numBytes).toBe(before);
      });
    });

    describe('layerNormRows', () => {
      // [3, 8] takes the JS kernel, [200, 128] the tfjs ops (above the kernel's size limit).
      for (const [n, d] of [
        [3, 8],
        [200, 128],
      ] as const) {
        it(`matches the textbook LayerNorm ([${n}, ${d}])`, async () => {
          await scoped(async () => {
            const x = tf.add(tf.mul(randomTensor([n, d], 31), 3), 1.5) as tf.Tensor2D;
            const g = randomTensor([d], 32) as tf.Tensor1D;
            const b = randomTensor([d], 33) as tf.Tensor1D;
            const { mean, variance } = tf.moments(x, -1, true);
            const rstd = tf.rsqrt(tf.add(variance, 1e-5));
            const xhat = tf.mul(tf.sub(x, mean), rstd);
            const out = layerNormRows(x, g, b, 1e-5);
            expect(await maxAbsDiff(out.xhat, xhat)).toBeLessThan(2e-5);
            expect(await maxAbsDiff(out.rstd, rstd)).toBeLessThan(1e-5);
            expect(await maxAbsDiff(out.y, tf.add(tf.mul(xhat, g), b))).toBeLessThan(1e-4);
          });
        });
      }
    });

    describe('gatherRows', () => {
      it('equals tf.gather (and on wasm rejects ids outside the table)', async () => {
        await scoped(async () => {
          const table = randomTensor([7, 5], 41) as tf.Tensor2D;
          const ids = tf.tensor1d([6, 0, 3, 3, 1], 'int32');
          expect(await maxAbsDiff(gatherRows(table, ids), tf.gather(table, ids))).toBe(0);
          // Ids outside the table: the wasm kernel checks them (tfjs' gather elsewhere is not ours).
          if (backend.name === 'wasm') {
            const before = tf.memory().numTensors;
            expect(() => gatherRows(table, tf.tensor1d([2, 7], 'int32'))).toThrow(/id 7 at position 1 is outside/);
            expect(tf.memory().numTensors).toBe(before + 1); // only the ids tensor of the bad call
          }
        });
      });
    });

    describe('singleQueryAttention', () => {
      it('on wasm equals per-head softmax(q k^T / sqrt(hd)) v built from tfjs ops; elsewhere declines', async () => {
        await scoped(async () => {
          const [batch, span, heads, d] = [2, 9, 4, 16];
          const hd = d / heads;
          const q = randomTensor([batch, 1, d], 51) as tf.Tensor3D;
          const k = randomTensor([batch, span, d], 52) as tf.Tensor3D;
          const v = randomTensor([batch, span, d], 53) as tf.Tensor3D;
          const perHead = (t: tf.Tensor3D, len: number) =>
            tf.transpose(tf.reshape(t, [batch, len, heads, hd]), [0, 2, 1, 3]);
          const p = tf.softmax(tf.div(tf.matMul(perHead(q, 1), perHead(k, span), false, true), Math.sqrt(hd)));
          const ref = tf.reshape(tf.transpose(tf.matMul(p, perHead(v, span)), [0, 2, 1, 3]), [batch, d]);
          const ours = singleQueryAttention(q, k, v, heads);
          // A wasm kernel only; elsewhere it declines and the caller takes tfjs ops (ops.cachedAttention).
          if (backend.name !== 'wasm') expect(ours).toBeNull();
          else expect(await maxAbsDiff(ours!, ref)).toBeLessThan(1e-5);
        });
      });
    });
  });
}

describe('dropoutMask', () => {
  it('is the mulberry32 stream of one seed drawn from the step Rng, thresholded at keep', () => {
    const rate = 0.25;
    const mask = dropoutMask(5000, { rate, rng: new Rng(1234) });
    const ref = new Rng(new Rng(1234).nextU32());
    mask.forEach((m) => expect(m).toBe(ref.next() < 1 - rate ? Math.fround(1 / (1 - rate)) : 0));
    const kept = mask.filter((m) => m > 0).length / mask.length;
    expect(kept).toBeGreaterThan(0.72);
    expect(kept).toBeLessThan(0.78);
    // Another step's Rng gives another mask.
    expect(Array.from(dropoutMask(64, { rate, rng: new Rng(1235) }))).not.toEqual(Array.from(mask.subarray(0, 64)));
  });
});
