// layerNormRows: LayerNorm statistics and output of every row in one wasm-heap JS kernel.
//
// WHY: done with tfjs ops, a LayerNorm forward is 9 kernels (mean, sub, square, mean, add,
// rsqrt, mul, mul, add), and wasm's Mean goes through a slow generic call path (its cwrap
// signature is malformed in 4.22). At decoding time (one row) each launch costs far more than
// its arithmetic, and LayerNorm runs 5 times per token for the tiny preset; one JS pass per row
// replaces all of them. For a training batch ([1024, 128]) the wasm kernels win (~0.35 ms vs
// ~0.95 ms for the JS loops, which V8 does not vectorise), so larger inputs keep the tfjs ops.
// Statistics are accumulated in float64. Not differentiable by itself: ops.layerNorm supplies
// the gradient.
import * as tf from '@tensorflow/tfjs';
import { heapKernel, onWasm } from './wasmHeap';

const KERNEL = 'PstLayerNormRows';
/** Largest input (elements) the JS kernel takes; measured break-even is ~30k on the lab machine. */
const MAX_JS_SIZE = 16384;

export interface LayerNormRows {
  /** xhat * g + b, [N, d]. */
  y: tf.Tensor2D;
  /** (x - mean) * rstd, [N, d]. */
  xhat: tf.Tensor2D;
  /** 1 / sqrt(var + eps), [N, 1]. */
  rstd: tf.Tensor2D;
}

const register = heapKernel<{ eps: number }>(
  KERNEL,
  ({ inputs, be, attrs }) => {
    const { eps } = attrs;
    const [x, g, b] = [inputs['x']!, inputs['g']!, inputs['b']!];
    const [n, d] = x.shape as [number, number];
    const outs = [be.makeOutput([n, d], 'float32'), be.makeOutput([n, d], 'float32'), be.makeOutput([n, 1], 'float32')];
    // Views are taken after every allocation: a heap growth detaches older views.
    const xs = be.typedArrayFromHeap(x) as Float32Array;
    const gs = be.typedArrayFromHeap(g) as Float32Array;
    const bs = be.typedArrayFromHeap(b) as Float32Array;
    const [ys, hs, rs] = outs.map((o) => be.typedArrayFromHeap(o) as Float32Array) as [Float32Array, Float32Array, Float32Array];
    for (let i = 0; i < n; i++) {
      const row = i * d;
      let sum = 0;
      for (let j = 0; j < d; j++) sum += xs[row + j]!;
      const mean = sum / d;
      let sq = 0;
      for (let j = 0; j < d; j++) {
        const c = xs[row + j]! - mean;
        sq += c * c;
      }
      const rstd = 1 / Math.sqrt(sq / d + eps);
      rs[i] = rstd;
      for (let j = 0; j < d; j++) {
        const h = (xs[row + j]! - mean) * rstd;
        hs[row + j] = h;
        ys[row + j] = h * gs[j]! + bs[j]!;
      }
    }
    return outs;
  },
);

/**
 * LayerNorm of every row of x [N, d] with gain g [d] and bias b [d]; also returns xhat and rstd
 * for a backward pass. One JS kernel for small inputs on wasm, tfjs ops otherwise.
 */
export function layerNormRows(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D, eps: number): LayerNormRows {
  const d = x.shape[1];
  if (x.rank !== 2 || g.shape[0] !== d || b.shape[0] !== d || x.dtype !== 'float32') {
    throw new Error(`layerNormRows: expected float32 x [N, d] with g, b [d]; got x [${x.shape}] ${x.dtype}, g [${g.shape}], b [${b.shape}]`);
  }
  if (!onWasm() || x.size > MAX_JS_SIZE) {
    return tf.tidy(() => {
      // Means as sums times 1/d: wasm's Mean takes a slow generic call path.
      const mean = tf.mul(tf.sum(x, -1, true), 1 / d);
      const xc = tf.sub(x, mean);
      const rstd = tf.rsqrt(tf.add(tf.mul(tf.sum(tf.square(xc), -1, true), 1 / d), eps)) as tf.Tensor2D;
      const xhat = tf.mul(xc, rstd) as tf.Tensor2D;
      return { y: tf.add(tf.mul(xhat, g), b) as tf.Tensor2D, xhat, rstd };
    });
  }
  register();
  const [y, xhat, rstd] = tf.engine().runKernel(KERNEL, { x, g, b }, { eps } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor2D[];
  return { y: y!, xhat: xhat!, rstd: rstd! };
}
