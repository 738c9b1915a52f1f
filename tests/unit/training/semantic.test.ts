import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HashedTfidfEncoder, semanticLoss } from '../../../src/main/lab/training/semantic';
import { scalarOf, TEST_BACKENDS, useBackend } from '../../helpers/backends';

const value = async (t: tf.Scalar): Promise<number> => {
  const v = await scalarOf(t);
  t.dispose();
  return v;
};

for (const backend of TEST_BACKENDS) {
  describe.skipIf(backend.skip !== null)(backend.title, { timeout: backend.timeout }, () => {
    beforeAll(() => useBackend(backend));

    describe('PST semantic loss', () => {
      // Created lazily so they live on the backend chosen in beforeAll.
      let z: tf.Tensor2D;
      let rows: tf.Tensor1D;
      beforeAll(() => {
        z = tf.tensor2d([
          [1, 2, 3],
          [0, -1, 0.5],
        ]);
        rows = tf.tensor1d([1, 1]);
      });

      it('cosine: identical -> 0, scaled -> 0, opposite -> 2, orthogonal -> 1', async () => {
        expect(await value(semanticLoss('cosine', z, z, rows))).toBeCloseTo(0, 5);
        expect(await value(semanticLoss('cosine', z, tf.mul(z, 3) as tf.Tensor2D, rows))).toBeCloseTo(0, 5);
        expect(await value(semanticLoss('cosine', z, tf.neg(z) as tf.Tensor2D, rows))).toBeCloseTo(2, 5);
        const a = tf.tensor2d([[1, 0]]);
        const b = tf.tensor2d([[0, 1]]);
        expect(await value(semanticLoss('cosine', a, b, tf.tensor1d([1])))).toBeCloseTo(1, 5);
      });

      it('mse: identical -> 0, otherwise the mean squared difference', async () => {
        expect(await value(semanticLoss('mse', z, z, rows))).toBeCloseTo(0, 6);
        const e = tf.add(z, 2) as tf.Tensor2D;
        expect(await value(semanticLoss('mse', z, e, rows))).toBeCloseTo(4, 5);
      });

      it('rows without a rationale do not count', async () => {
        const e = tf.tensor2d([
          [1, 2, 3],
          [5, 5, 5],
        ]);
        expect(await value(semanticLoss('mse', z, e, tf.tensor1d([1, 0])))).toBeCloseTo(0, 6);
      });

      it('infonce: matched pairs at low temperature -> ~0; mismatched -> large; uniform -> log B', async () => {
        const eye = tf.tensor2d([
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ]);
        const r3 = tf.tensor1d([1, 1, 1]);
        expect(await value(semanticLoss('infonce', eye, eye, r3, 0.01))).toBeLessThan(1e-6);
        const shifted = tf.tensor2d([
          [0, 1, 0],
          [0, 0, 1],
          [1, 0, 0],
        ]);
        expect(await value(semanticLoss('infonce', eye, shifted, r3, 0.1))).toBeGreaterThan(5);
        expect(await value(semanticLoss('infonce', eye, eye, r3, 1e6))).toBeCloseTo(Math.log(3), 4);
        expect(() => semanticLoss('infonce', eye, eye, r3, 0)).toThrow(/temperature/);
        // one row (a micro-batch of 1): no negatives, loss 0 rather than a one-hot of depth 1
        const one = tf.tensor2d([[1, 2, 3]]);
        expect(await value(semanticLoss('infonce', one, tf.tensor2d([[3, 2, 1]]), tf.tensor1d([1]), 0.1))).toBe(0);
      });

      it('gradients flow into z for every loss', async () => {
        for (const kind of ['cosine', 'mse', 'infonce'] as const) {
          const e = tf.tensor2d([
            [1, 0, 0],
            [0, 1, 0],
          ]);
          const g = tf.grad((x: tf.Tensor) => semanticLoss(kind, x as tf.Tensor2D, e, rows, 0.5))(z);
          expect(await scalarOf(tf.sum(tf.abs(g)))).toBeGreaterThan(0);
        }
      });
    });
  });
}

describe('hashed TF-IDF rationale encoder', () => {
  const corpus = ['Ann flips the coin so it is tails.', 'Bob does not flip the coin.', 'The sum of 3 and 4 is 7.'];
  const enc = new HashedTfidfEncoder(corpus, { dim: 128, seed: 3 });
  const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

  it('gives unit vectors, deterministic, closer for similar texts', () => {
    const a = enc.encodeOne('Ann flips the coin so it is tails.');
    expect(cos(a, a)).toBeCloseTo(1, 5);
    expect(Array.from(enc.encodeOne('Ann flips the coin so it is tails.'))).toEqual(Array.from(a));
    const similar = enc.encodeOne('Ann flips the coin, now it is tails.');
    const other = enc.encodeOne('The sum of 3 and 4 is 7.');
    expect(cos(a, similar)).toBeGreaterThan(cos(a, other) + 0.3);
  });
});
