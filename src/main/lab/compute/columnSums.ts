// columnSums: sums over the rows of a matrix (x [N, M] -> [M]) as a wasm-heap JS kernel.
//
// WHY: every bias and LayerNorm parameter gradient is such a sum. On tfjs-backend-wasm 4.22 an
// axis-0 Sum first transposes the axis innermost, and the ones-row matmul (ones [1, N] @ x) makes
// XNNPACK pack the whole of x as fresh weights (~0.3 ms for [1024, 128]); one pass of
// contiguous adds is several times cheaper. Other backends use tf.sum. Float32 accumulation in
// row order, like the matmul it replaces.
import * as tf from '@tensorflow/tfjs';
import { onWasm, type WasmHeapBackend } from './wasmHeap';

const KERNEL = 'PstColumnSums';

let registered = false;
function register(): void {
  if (registered) return;
  registered = true;
  if (!tf.getKernel(KERNEL, 'wasm')) {
    tf.registerKernel({
      kernelName: KERNEL,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend }) => {
        const x = inputs['x']!;
        const [n, m] = x.shape as [number, number];
        const be = backend as unknown as WasmHeapBackend;
        const out = be.makeOutput([m], 'float32');
        const dst = be.typedArrayFromHeap(out) as Float32Array;
        const src = be.typedArrayFromHeap(x) as Float32Array;
        dst.fill(0);
        for (let i = 0; i < n; i++) {
          const row = i * m;
          for (let j = 0; j < m; j++) dst[j] = dst[j]! + src[row + j]!;
        }
        return out;
      },
    });
  }
  if (!tf.getGradient(KERNEL)) {
    tf.registerGradient({
      kernelName: KERNEL,
      inputsToSave: ['x'],
      gradFunc: (dy, saved) => ({ x: () => tf.mul(tf.onesLike(saved[0]!), dy as tf.Tensor) }),
    });
  }
}

/** Column sums of a float32 matrix x [N, M]. */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  if (x.rank !== 2 || x.dtype !== 'float32') throw new Error(`columnSums: expected a float32 matrix, got [${x.shape}] ${x.dtype}`);
  if (!onWasm()) return tf.sum(x, 0);
  register();
  return tf.engine().runKernel(KERNEL, { x }) as tf.Tensor1D;
}
