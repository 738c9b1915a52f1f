// The block-diagonal 2-D-matmul attention (ops.causalAttention / cachedAttention) against a
// straightforward per-head reference built from tfjs' own batched ops and automatic gradients, on
// every backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, scalarOf, scoped, TEST_BACKENDS, useBackend } from '../../helpers/backends';
import { cachedAttention, causalAttention, layerNorm, linear } from '../../../src/main/lab/training/ops';
import { Rng } from '../../../src/main/lab/training/rng';

/** Reference: [B, T, 3, H, hd] -> per-head softmax(q k^T / sqrt(hd) + causal) v, merged back. */
function reference(qkv: tf.Tensor2D, batch: number, time: number, heads: number): tf.Tensor2D {
  const d = qkv.shape[1] / 3;
  const hd = d / heads;
  const part = (i: number) =>
    tf.reshape(
      tf.transpose(tf.reshape(tf.slice(qkv, [0, i * d], [batch * time, d]), [batch, time, heads, hd]), [0, 2, 1, 3]),
      [batch * heads, time, hd],
    ) as tf.Tensor3D;
  const mask = new Float32Array(time * time);
  for (let i = 0; i < time; i++) for (let j = 0; j < time; j++) if (j > i) mask[i * time + j] = -Infinity;
  const scores = tf.add(
    tf.div(tf.matMul(part(0), part(1), false, true), Math.sqrt(hd)),
    tf.tensor2d(mask, [time, time]),
  );
  const y = tf.matMul(tf.softmax(scores), part(2));
  return tf.reshape(tf.transpose(tf.reshape(y, [batch, heads, time, hd]), [0, 2, 1, 3]), [batch * time, d]);
}

function randomTensor(shape: [number, number], seed: number, scale = 1): tf.Tensor2D {
  const rng = new Rng(seed);
  const data = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal() * scale;
  return tf.tensor2d(data, shape);
}

// Built directly as rank 1: wasm's fused matmul checks the rank its buffer was created with.
function randomVector(n: number, seed: number): tf.Tensor1D {
  const rng = new Rng(seed);
  return tf.tensor1d(Float32Array.from({ length: n }, () => rng.normal()));
}

for (const backend of TEST_BACKENDS) {
  describe.skipIf(backend.skip !== null)(backend.title, { timeout: backend.timeout }, () => {
    beforeAll(() => useBackend(backend));

    describe('causal attention as block-diagonal 2-D matmuls', () => {
      for (const [batch, time, heads, d] of [
        [3, 5, 2, 8],
        [2, 7, 4, 16],
        [1, 6, 3, 12],
      ] as const) {
        it(`matches the per-head reference in value and gradient (B=${batch}, T=${time}, H=${heads}, d=${d})`, async () => {
          await scoped(async () => {
            const qkv = randomTensor([batch * time, 3 * d], 11 + batch * 7 + time, 1.5);
            // A random cotangent makes the gradient check sensitive to every output entry.
            const weight = randomTensor([batch * time, d], 99 + heads);
            const loss = (f: typeof reference) => (x: tf.Tensor) =>
              tf.sum(tf.mul(f(x as tf.Tensor2D, batch, time, heads), weight));
            const ours = causalAttention(qkv, batch, time, heads);
            const ref = reference(qkv, batch, time, heads);
            expect(ours.shape).toEqual([batch * time, d]);
            expect(await maxAbsDiff(ours, ref)).toBeLessThan(1e-5);
            const gOurs = tf.grad(loss(causalAttention))(qkv);
            const gRef = tf.grad(loss(reference))(qkv);
            expect(gOurs.shape).toEqual(qkv.shape);
            const gScale = await scalarOf(tf.max(tf.abs(gRef)));
            expect(gScale).toBeGreaterThan(1e-3);
            expect((await maxAbsDiff(gOurs, gRef)) / gScale).toBeLessThan(1e-5);
            // Causality: the first position's output depends only on its own value row.
            const v0 = tf.slice(qkv, [0, 2 * d], [1, d]);
            expect(await maxAbsDiff(tf.slice(ours, [0, 0], [1, d]), v0)).toBeLessThan(1e-5);
          });
        });
      }

      it('cached decoding of the last position equals the full causal pass', async () => {
        await scoped(async () => {
          const [batch, time, heads, d] = [2, 6, 4, 16];
          const qkv = randomTensor([batch * time, 3 * d], 5, 1.5);
          const full = tf.reshape(causalAttention(qkv, batch, time, heads), [batch, time, d]);
          const x = tf.reshape(qkv, [batch, time, 3 * d]);
          const q = tf.slice(x, [0, time - 1, 0], [batch, 1, d]) as tf.Tensor3D;
          const k = tf.slice(x, [0, 0, d], [batch, time, d]) as tf.Tensor3D;
          const v = tf.slice(x, [0, 0, 2 * d], [batch, time, d]) as tf.Tensor3D;
          const step = cachedAttention(q, k, v, heads);
          expect(
            await maxAbsDiff(step, tf.reshape(tf.slice(full, [0, time - 1, 0], [batch, 1, d]), [batch, d])),
          ).toBeLessThan(1e-5);
        });
      });

      it('rejects a qkv width that does not split into heads', () => {
        expect(() => causalAttention(tf.zeros([4, 30]), 2, 2, 4)).toThrow(/not 3 \* a multiple of 4 heads/);
      });
    });

    describe('hand-written gradients of linear and layerNorm', () => {
      // Widening (in < out) and narrowing layers take different gradient formulations.
      for (const [rows, inDim, outDim, act] of [
        [6, 4, 12, 'gelu'],
        [6, 12, 4, 'none'],
        [5, 8, 8, 'relu'],
      ] as const) {
        it(`linear ${inDim} -> ${outDim} (${act}) matches tfjs autodiff`, async () => {
          await scoped(async () => {
            const x = randomTensor([rows, inDim], 61);
            const w = randomTensor([inDim, outDim], 62);
            const b = randomVector(outDim, 63);
            const cot = randomTensor([rows, outDim], 64);
            const ref = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => {
              const pre = tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb);
              return act === 'gelu' ? tf.mul(pre, tf.sigmoid(tf.mul(pre, 1.702))) : act === 'relu' ? tf.relu(pre) : pre;
            };
            const loss = (f: typeof ref) => (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
              tf.sum(tf.mul(f(xx, ww, bb), cot));
            expect(await maxAbsDiff(linear(x, w, b, act), ref(x, w, b))).toBeLessThan(1e-5);
            const gOurs = tf.grads(loss((xx, ww, bb) => linear(xx, ww, bb, act)))([x, w, b]);
            const gRef = tf.grads(loss(ref))([x, w, b]);
            for (const [i, g] of gOurs.entries()) expect(await maxAbsDiff(g, gRef[i]!)).toBeLessThan(1e-4);
          });
        });
      }

      for (const rows of [3, 200]) {
        it(`layerNorm matches tfjs autodiff (${rows} rows of 128)`, async () => {
          await scoped(async () => {
            const x = tf.add(tf.mul(randomTensor([rows, 128], 71), 2), 0.5);
            const g = randomVector(128, 72);
            const b = randomVector(128, 73);
            const cot = randomTensor([rows, 128], 74);
            const ref = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
              const { mean, variance } = tf.moments(xx, -1, true);
              return tf.add(tf.mul(tf.mul(tf.sub(xx, mean), tf.rsqrt(tf.add(variance, 1e-5))), gg), bb);
            };
            const loss = (f: typeof ref) => (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
              tf.sum(tf.mul(f(xx, gg, bb), cot));
            expect(await maxAbsDiff(layerNorm(x, g, b), ref(x, g, b))).toBeLessThan(1e-4);
            const gOurs = tf.grads(loss(layerNorm))([x, g, b]);
            const gRef = tf.grads(loss(ref))([x, g, b]);
            for (const [i, gr] of gOurs.entries()) {
              const scale = Math.max(1, await scalarOf(tf.max(tf.abs(gRef[i]!))));
              expect((await maxAbsDiff(gr, gRef[i]!)) / scale).toBeLessThan(1e-4);
            }
          });
        });
      }
    });
  });
}
