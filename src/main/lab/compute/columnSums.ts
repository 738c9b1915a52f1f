// columnSums: sums over the rows of a matrix (x [N, M] -> [M]) as a wasm-heap JS kernel.
//
// WHY: every bias and LayerNorm parameter gradient is such a sum. On tfjs-backend-wasm 4.22 an
// axis-0 Sum first transposes the axis innermost, and the ones-row matmul (ones [1, N] @ x) makes
// XNNPACK pack the whole of x as fresh weights (~0.3 ms for [1024, 128]); one pass of
// contiguous adds is cheaper. Other backends use tf.sum.
import * as tf from '@tensorflow/tfjs';
import { heapKernel, onWasm } from './wasmHeap';

const KERNEL = 'PstColumnSums';

const register = heapKernel(
  KERNEL,
  ({ inputs, be }) => {
    const x = inputs['x']!;
    const [n, m] = x.shape as [number, number];
    const out = be.makeOutput([m], 'float32');
    const dst = be.typedArrayFromHeap(out) as Float32Array;
    const src = be.typedArrayFromHeap(x) as Float32Array;
    // Four rows per pass over the output: a quarter of the read-modify-writes of dst.
    dst.fill(0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const r0 = i * m;
      const r1 = r0 + m;
      const r2 = r1 + m;
      const r3 = r2 + m;
      for (let j = 0; j < m; j++) dst[j] = dst[j]! + (src[r0 + j]! + src[r1 + j]! + src[r2 + j]! + src[r3 + j]!);
    }
    for (; i < n; i++) {
      const row = i * m;
      for (let j = 0; j < m; j++) dst[j] = dst[j]! + src[row + j]!;
    }
    return out;
  },
  {
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(tf.onesLike(saved[0]!), dy as tf.Tensor) }),
  },
);

/** Column sums of a float32 matrix x [N, M]. */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  if (x.rank !== 2 || x.dtype !== 'float32') throw new Error(`columnSums: expected a float32 matrix, got [${x.shape}] ${x.dtype}`);
  if (!onWasm()) return tf.sum(x, 0);
  register();
  return tf.engine().runKernel(KERNEL, { x }) as tf.Tensor1D;
}
