// Differentiable building blocks with hand-written gradients.
//
// WHY: on the wasm backend only plain 2-D, non-transposed matmuls reach XNNPACK (~27 GFLOP/s
// measured); tfjs' automatic gradient of matMul uses transposeA/transposeB, which fall back to
// a scalar loop (~2 GFLOP/s), and the gradient of gather needs UnsortedSegmentSum, which wasm
// lacks. These ops therefore materialise the (small) transposes explicitly and express every
// product as a plain matmul; they are the same code on every backend. They also cut the number
// of tiny kernels per step (LayerNorm, GELU, cross-entropy), which dominates at this model size.
import * as tf from '@tensorflow/tfjs';

/**
 * Float one-hot rows. WHY the cast: on tfjs-backend-wasm 4.22, tf.oneHot(..., 'float32') writes
 * integer bit patterns into the float buffer (the values read back as ~0); int32 + cast is right
 * on every backend.
 */
export function oneHotFloat(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, depth), 'float32') as tf.Tensor2D;
}

// tfjs' customGrad typing cannot express "n tensors then a save function"; this narrows it once.
type CustomFn = (...args: never[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };
function custom(f: CustomFn): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...inputs: tf.Tensor[]) => tf.Tensor;
}

/**
 * 2-D transpose. WHY not plain tf.transpose: wasm's 2-D transpose walks memory with a large
 * stride (~4 ms for 1024x512); splitting rows into blocks of 8 and doing two transposes that move
 * contiguous runs is ~3x faster, and it is exact on every backend.
 */
export function transpose2d(x: tf.Tensor2D): tf.Tensor2D {
  const [n, m] = x.shape;
  const block = 8;
  if (n < 256 || m % block !== 0) return tf.transpose(x);
  const stage = tf.transpose(tf.reshape(x, [n, m / block, block]), [1, 0, 2]);
  return tf.reshape(tf.transpose(stage, [0, 2, 1]), [m, n]);
}

/** Column sums of x [N, M] as a matmul with a row of ones (wasm's axis-0 Sum is ~2x slower). */
export function sumRows(x: tf.Tensor2D): tf.Tensor1D {
  const [n, m] = x.shape;
  return tf.reshape(tf.matMul(tf.ones([1, n]), x), [m]);
}

export type Activation = 'gelu' | 'relu' | 'none';

/** Sigmoid approximation of GELU, x * sigmoid(1.702 x): 3 kernels instead of 7 for the tanh form. */
const GELU_K = 1.702;

/** y = act(x @ W + b) for x [N, in], W [in, out], b [out]. */
export function linear(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null, act: Activation = 'none'): tf.Tensor2D {
  const inputs: tf.Tensor[] = b ? [x, w, b] : [x, w];
  const op = custom((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [xx, ww, bb] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D | undefined];
    const pre = tf.fused.matMul({ a: xx, b: ww, bias: b ? bb : undefined, activation: act === 'relu' ? 'relu' : 'linear' });
    let value: tf.Tensor = pre;
    if (act === 'gelu') value = tf.mul(pre, tf.sigmoid(tf.mul(pre, GELU_K)));
    save([xx, ww, pre]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw, spre] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        let g = dy as tf.Tensor2D;
        if (act === 'relu') g = tf.mul(g, tf.step(spre));
        else if (act === 'gelu') g = tf.mul(g, geluDerivative(spre));
        const dx = tf.matMul(g, transpose2d(sw));
        const dw = tf.matMul(transpose2d(sx), g);
        return b ? [dx, dw, sumRows(g)] : [dx, dw];
      },
    };
  });
  return op(...inputs) as tf.Tensor2D;
}

function geluDerivative(x: tf.Tensor): tf.Tensor {
  // d/dx x*s(kx) = s + k x s (1 - s)
  const s = tf.sigmoid(tf.mul(x, GELU_K));
  return tf.add(s, tf.mul(tf.mul(tf.mul(x, GELU_K), s), tf.sub(1, s)));
}

/**
 * Token embedding as one-hot @ table: its gradient (one-hot^T @ dy) is a plain matmul, unlike
 * gather's, which needs UnsortedSegmentSum (missing on wasm). The one-hot is a constant, so no
 * gradient is computed for it.
 */
export function embed(ids: tf.Tensor1D, table: tf.Tensor): tf.Tensor2D {
  const vocab = table.shape[0]!;
  const oneHot = oneHotFloat(ids, vocab);
  const op = custom((t: tf.Tensor, save: tf.GradSaveFunc) => {
    // Constants used by the gradient must be saved, or the tape's scope disposes them.
    save([oneHot]);
    return {
      value: tf.matMul(oneHot, t as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(transpose2d(saved[0] as tf.Tensor2D), dy as tf.Tensor2D)],
    };
  });
  return op(table) as tf.Tensor2D;
}

/** Output layer tied to the embedding table: logits = h @ E^T, h [N, d], E [V, d]. */
export function tiedLogits(h: tf.Tensor, table: tf.Tensor): tf.Tensor2D {
  const op = custom((hh: tf.Tensor, e: tf.Tensor, save: tf.GradSaveFunc) => {
    save([hh, e]);
    return {
      value: tf.matMul(hh as tf.Tensor2D, transpose2d(e as tf.Tensor2D)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sh, se] = saved as [tf.Tensor2D, tf.Tensor2D];
        const g = dy as tf.Tensor2D;
        return [tf.matMul(g, se), tf.matMul(transpose2d(g), sh)];
      },
    };
  });
  return op(h, table) as tf.Tensor2D;
}

const LN_EPS = 1e-5;

/** LayerNorm over the last axis of x [N, d] with gain g and bias b. */
export function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const op = custom((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor, save: tf.GradSaveFunc) => {
    const mean = tf.mean(xx, -1, true);
    const xc = tf.sub(xx, mean);
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), LN_EPS));
    const xhat = tf.mul(xc, rstd);
    save([xhat, rstd, gg]);
    return {
      value: tf.add(tf.mul(xhat, gg), bb),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxhat, srstd, sg] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const dxhat = tf.mul(dy, sg);
        // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
        const inner = tf.sub(
          tf.sub(dxhat, tf.mean(dxhat, -1, true)),
          tf.mul(sxhat, tf.mean(tf.mul(dxhat, sxhat), -1, true)),
        );
        return [tf.mul(inner, srstd), sumRows(tf.mul(dy, sxhat) as tf.Tensor2D), sumRows(dy as tf.Tensor2D)];
      },
    };
  });
  return op(x, g, b) as tf.Tensor2D;
}

/**
 * Weighted token cross-entropy: sum_i w_i * CE(logits_i, target_i). The weights carry the
 * method's loss mask and the per-segment normalisation, so the caller decides what a "mean" is.
 * Returns the scalar loss; `perToken` (optional) receives the unweighted CE vector, detached.
 */
export function weightedCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor1D,
  weights: tf.Tensor1D,
  perToken?: (ce: tf.Tensor1D) => void,
): tf.Scalar {
  const vocab = logits.shape[1]!;
  const oneHot = oneHotFloat(targets, vocab);
  const op = custom((lg: tf.Tensor, save: tf.GradSaveFunc) => {
    const logp = tf.logSoftmax(lg);
    const ce = tf.neg(tf.sum(tf.mul(oneHot, logp), -1)) as tf.Tensor1D;
    if (perToken) perToken(ce);
    save([logp, oneHot, weights]);
    return {
      value: tf.sum(tf.mul(ce, weights)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [slogp, sOneHot, sWeights] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const scale = tf.mul(tf.expandDims(sWeights, 1), dy);
        return [tf.mul(tf.sub(tf.exp(slogp), sOneHot), scale)];
      },
    };
  });
  return op(logits) as tf.Scalar;
}
