// Differentiable building blocks with hand-written gradients.
//
// WHY: on the wasm backend only plain 2-D, non-transposed matmuls reach XNNPACK (~27 GFLOP/s
// measured); tfjs' automatic gradient of matMul uses transposeA/transposeB, which fall back to
// a scalar loop (~2 GFLOP/s), and the gradient of gather needs UnsortedSegmentSum, which wasm
// lacks. These ops therefore materialise the (small) transposes explicitly and express every
// product as a plain matmul; they are the same code on every backend. They also cut the number
// of tiny kernels per step (LayerNorm, GELU, cross-entropy), which dominates at this model size.
import * as tf from '@tensorflow/tfjs';
import { singleQueryAttention } from '../compute/cachedAttention';
import { columnSums } from '../compute/columnSums';
import { concatEven } from '../compute/concatEven';
import { gatherRows } from '../compute/gatherRows';
import { layerNormRows } from '../compute/layerNormRows';
import { mergeHeads, splitHeads } from '../compute/heads';
import { splitEven } from '../compute/splitEven';

/**
 * Float one-hot rows. WHY the cast: on tfjs-backend-wasm 4.22, tf.oneHot(..., 'float32') writes
 * integer bit patterns into the float buffer (the values read back as ~0); int32 + cast is right
 * on every backend.
 */
export function oneHotFloat(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(ids, depth), 'float32')) as tf.Tensor2D;
}

// tfjs' customGrad typing cannot express "n tensors then a save function"; this narrows it once.
type CustomFn = (...args: never[]) => {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
};
/**
 * tf.customGrad with each gradient function run in its own tidy. WHY: tfjs runs a custom
 * gradient function outside any scope of its own, so everything it makes on the way (transposed
 * weights and activations, products, masks) would stay alive until the whole backward pass ends:
 * with a 0.5B student that was gigabytes. Only the returned gradients leave the tidy.
 */
function custom(f: CustomFn): (...inputs: tf.Tensor[]) => tf.Tensor {
  const scoped = (...args: never[]): ReturnType<CustomFn> => {
    const { value, gradFunc } = f(...args);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => gradFunc(dy, saved)) };
  };
  return tf.customGrad(scoped as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
    ...inputs: tf.Tensor[]
  ) => tf.Tensor;
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

/**
 * Column sums of x [N, M]. WHY not tf.sum(x, 0): wasm's axis-0 Sum transposes first (~3x
 * slower); see compute/columnSums.ts for why not a ones-row matmul either.
 */
export function sumRows(x: tf.Tensor2D): tf.Tensor1D {
  return columnSums(x);
}

export type Activation = 'gelu' | 'relu' | 'none';

/** Sigmoid approximation of GELU, x * sigmoid(1.702 x): 3 kernels instead of 7 for the tanh form. */
const GELU_K = 1.702;

/**
 * A weight the optimizer never updates (a pretrained student's base weights under LoRA): ops below
 * take it as a constant, so the backward pass neither computes its gradient (a full copy of the
 * weight) nor keeps one alive until the step ends (docs/methods.md, "Memory").
 */
export function isFrozen(t: tf.Tensor | null): boolean {
  return t === null || (t instanceof tf.Variable && !t.trainable);
}

/** y = act(x @ W + b) for x [N, in], W [in, out], b [out]. */
export function linear(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null, act: Activation = 'none'): tf.Tensor2D {
  if (act === 'none' && isFrozen(w) && isFrozen(b)) return frozenLinear(x, w, b);
  const inputs: tf.Tensor[] = b ? [x, w, b] : [x, w];
  const op = custom((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [xx, ww, bb] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D | undefined];
    const pre = tf.fused.matMul({
      a: xx,
      b: ww,
      bias: b ? bb : undefined,
      activation: act === 'relu' ? 'relu' : 'linear',
    });
    let value: tf.Tensor = pre;
    // The GELU's sigmoid is saved for the backward pass (saving costs no copy on wasm).
    const sig = act === 'gelu' ? tf.sigmoid(tf.mul(pre, GELU_K)) : null;
    if (sig) value = tf.mul(pre, sig);
    save(sig ? [xx, ww, pre, sig] : [xx, ww, pre]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw, spre, ssig] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D | undefined];
        let g = dy as tf.Tensor2D;
        if (act === 'relu') g = tf.mul(g, tf.step(spre));
        else if (act === 'gelu') g = tf.mul(g, geluDerivative(spre, ssig!));
        const dx = tf.matMul(g, transpose2d(sw));
        const [inDim, outDim] = sw.shape;
        if (outDim <= inDim) {
          const dw = tf.matMul(transpose2d(sx), g);
          return b ? [dx, dw, sumRows(g)] : [dx, dw];
        }
        // Widening layer (c_attn, c_fc): XNNPACK packs the right operand afresh on every call, in
        // a cache-unfriendly pass, so the smaller of x [N, in] and g [N, out] should be on the
        // right: dW = (g^T x)^T (measured ~25% faster for 128 -> 512 at N = 1024). g^T also
        // gives the bias gradient as a cheap product with a ones column.
        const gt = transpose2d(g);
        const dw = transpose2d(tf.matMul(gt, sx));
        return b ? [dx, dw, tf.reshape(tf.matMul(gt, tf.ones([gt.shape[1], 1])), [outDim])] : [dx, dw];
      },
    };
  });
  return op(...inputs) as tf.Tensor2D;
}

function geluDerivative(x: tf.Tensor, s: tf.Tensor): tf.Tensor {
  // d/dx x*s(kx) = s + k x s (1 - s)
  return tf.add(s, tf.mul(tf.mul(tf.mul(x, GELU_K), s), tf.sub(1, s)));
}

/** x @ W + b with W and b constants: the backward gives only dx = dy W^T. */
function frozenLinear(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null): tf.Tensor2D {
  const op = custom((xx: tf.Tensor) => ({
    value: tf.fused.matMul({ a: xx as tf.Tensor2D, b: w as tf.Tensor2D, bias: b ?? undefined }),
    // dx = dy W^T multiplying by W as stored: no weight-sized transposed copy, even for a moment.
    gradFunc: (dy: tf.Tensor) => [tf.matMul(dy as tf.Tensor2D, w as tf.Tensor2D, false, true)],
  }));
  return op(x) as tf.Tensor2D;
}

/**
 * Row lookup table[ids] (token or position embedding). The forward pass copies rows
 * (compute/gatherRows.ts); the gradient is one-hot^T @ dy, a plain matmul, unlike gather's,
 * which needs UnsortedSegmentSum (missing on wasm). The one-hot is built only when a gradient is
 * taken, from the saved ids.
 */
export function embed(ids: tf.Tensor1D, table: tf.Tensor): tf.Tensor2D {
  const vocab = table.shape[0]!;
  const op = custom((t: tf.Tensor, save: tf.GradSaveFunc) => {
    // Constants used by the gradient must be saved, or the tape's scope disposes them.
    save([ids]);
    return {
      value: gatherRows(t as tf.Tensor2D, ids),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.matMul(transpose2d(oneHotFloat(saved[0] as tf.Tensor1D, vocab)), dy as tf.Tensor2D),
      ],
    };
  });
  return op(table) as tf.Tensor2D;
}

/**
 * Output layer tied to the embedding table: logits = h @ E^T, h [N, d], E [V, d]. `tableT`, if
 * given, is E^T [d, V] computed once by the caller: a decoding loop passes it so that E is not
 * transposed again for every token, and XNNPACK reuses its packed copy of the same tensor.
 */
export function tiedLogits(h: tf.Tensor, table: tf.Tensor, tableT?: tf.Tensor2D): tf.Tensor2D {
  const op = custom((hh: tf.Tensor, e: tf.Tensor, save: tf.GradSaveFunc) => {
    save([hh, e]);
    return {
      value: tf.matMul(hh as tf.Tensor2D, tableT ?? transpose2d(e as tf.Tensor2D)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sh, se] = saved as [tf.Tensor2D, tf.Tensor2D];
        const g = dy as tf.Tensor2D;
        return [tf.matMul(g, se), tf.matMul(transpose2d(g), sh)];
      },
    };
  });
  return op(h, table) as tf.Tensor2D;
}

/**
 * Logits over a frozen table E [V, d] and then k trainable rows R [k, d] (a pretrained student's
 * method markers under LoRA): [h E^T, h R^T] as one op, so that neither part is kept beside the
 * joined logits for the backward pass (a concat would keep both). Gradients: dh = dy_E E + dy_R R,
 * dR = dy_R^T h; E gets none.
 */
export function frozenTableLogits(h: tf.Tensor, table: tf.Tensor, rows: tf.Tensor): tf.Tensor2D {
  const vocab = table.shape[0]!;
  const op = custom((hh: tf.Tensor, rr: tf.Tensor, save: tf.GradSaveFunc) => {
    save([hh, rr]);
    return {
      value: tf.concat(
        [
          tf.matMul(hh as tf.Tensor2D, table as tf.Tensor2D, false, true),
          tf.matMul(hh as tf.Tensor2D, rr as tf.Tensor2D, false, true),
        ],
        1,
      ),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sh, sr] = saved as [tf.Tensor2D, tf.Tensor2D];
        const [dyE, dyR] = tf.split(dy as tf.Tensor2D, [vocab, sr.shape[0]], 1) as [tf.Tensor2D, tf.Tensor2D];
        return [tf.add(tf.matMul(dyE, table as tf.Tensor2D), tf.matMul(dyR, sr)), tf.matMul(dyR, sh, true, false)];
      },
    };
  });
  return op(h, rows) as tf.Tensor2D;
}

const LN_EPS = 1e-5;

/** LayerNorm over the last axis of x [N, d] with gain g and bias b (eps as the student's config says). */
export function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps = LN_EPS): tf.Tensor2D {
  const op = custom((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor, save: tf.GradSaveFunc) => {
    const { y, xhat, rstd } = layerNormRows(xx as tf.Tensor2D, gg as tf.Tensor1D, bb as tf.Tensor1D, eps);
    save([xhat, rstd, gg]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxhat, srstd, sg] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const dxhat = tf.mul(dy, sg);
        // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)); means as sums times
        // 1/d, since wasm's Mean takes a slow call path (see compute/layerNormRows.ts).
        const invD = 1 / sxhat.shape[1];
        const inner = tf.sub(
          tf.sub(dxhat, tf.mul(tf.sum(dxhat, -1, true), invD)),
          tf.mul(sxhat, tf.mul(tf.sum(tf.mul(dxhat, sxhat), -1, true), invD)),
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
 *
 * CE_i = logsumexp(logits_i) - logits_i[target_i]. Nothing logits-sized is kept for the backward
 * pass beyond the logits themselves (a pretrained student's logits are [tokens, ~150k]): the
 * forward saves only per-token values, and the gradient (softmax - onehot) * w builds its
 * logits-sized terms one at a time, releasing each once used.
 */
export function weightedCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor1D,
  weights: tf.Tensor1D,
  perToken?: (ce: tf.Tensor1D) => void,
): tf.Scalar {
  const [n, vocab] = logits.shape as [number, number];
  // Each token's target logit by its flat index i * vocab + target_i (a plain 1-D gather: no
  // one-hot, and on every backend).
  const flat = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(vocab, 'int32')), targets);
  const op = custom((lg: tf.Tensor, save: tf.GradSaveFunc) => {
    const lse = tf.tidy(() => tf.logSumExp(lg, -1)) as tf.Tensor1D;
    const ce = tf.sub(lse, tf.gather(tf.reshape(lg, [-1]), flat)) as tf.Tensor1D;
    if (perToken) perToken(ce);
    // Constants used by the gradient must be saved, or the tape's scope disposes them.
    save([lg, lse, weights, targets]);
    return {
      value: tf.sum(tf.mul(ce, weights)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [slg, slse, sWeights, sTargets] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const scale = tf.mul(tf.expandDims(sWeights, 1), dy);
        // softmax, then minus the one-hot, then times w: one logits-sized buffer freed per step.
        const p = tf.tidy(() => tf.exp(tf.sub(slg, tf.expandDims(slse, 1))));
        const oneHot = oneHotFloat(sTargets, vocab);
        const diff = tf.sub(p, oneHot);
        p.dispose();
        oneHot.dispose();
        const g = tf.mul(diff, scale);
        diff.dispose();
        return [g];
      },
    };
  });
  return op(logits) as tf.Scalar;
}

// ---------------------------------------------------------------------------------------------
// Causal self-attention as plain 2-D matmuls.
//
// WHY: on wasm a batched (or transposed) matmul runs tfjs' scalar fallback (~2 GFLOP/s); only a
// batch-1, non-transposed matmul reaches XNNPACK. Training and prefill (causalAttention) do one
// small 2-D product per (sequence, head); see there. Decoding (cachedAttention) uses a direct
// JS kernel on wasm (compute/cachedAttention.ts); on other backends it falls back to the
// block-diagonal form below, where per sequence all heads are one 2-D product with heads
// stacked as row blocks of the LEFT operand:
//   scores  S [H*T, T]  = BD(Q) [H*T, d] @ K^T [d, T]   (BD(X): row block h = X with only head
//                                                       h's columns kept, the rest zero)
//   output  Y [T, d]    = diag(P [H*T, T] @ V [T, d])   (diag: sum over h of row block h's
//                                                       head-h columns; the rest is discarded)

/** 0/1 mask [H, 1, d] selecting head h's hd feature columns in row block h. */
function headMask(d: number, heads: number): tf.Tensor3D {
  const hd = d / heads;
  const t = new Float32Array(d * heads);
  for (let h = 0; h < heads; h++) for (let c = h * hd; c < (h + 1) * hd; c++) t[h * d + c] = 1;
  return tf.tensor3d(t, [heads, 1, d]);
}

/** x [B, T, d] -> BD(x) [B, H*T, d]: row block h is x with only head h's columns kept. */
function blockDiag(x: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor3D {
  const [b, t, d] = x.shape;
  const heads = mask.shape[0];
  return tf.reshape(tf.mul(tf.reshape(x, [b, 1, t, d]), mask), [b, heads * t, d]) as tf.Tensor3D;
}

/** [B, H*T, d] -> [B, T, d]: sum over h of row block h restricted to head h's columns. */
function diagBlocks(x: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor3D {
  const [b, ht, d] = x.shape;
  const heads = mask.shape[0];
  // Split + AddN rather than Sum over axis 1: wasm's Sum transposes the axis innermost first.
  const blocks = splitEven(
    tf.reshape(tf.mul(tf.reshape(x, [b, heads, ht / heads, d]), mask), [b, ht, d]) as tf.Tensor3D,
    heads,
    1,
  );
  return heads === 1 ? blocks[0]! : (tf.addN(blocks) as tf.Tensor3D);
}

/** Batched last-two-axes transpose [B, M, N] -> [B, N, M]. */
function t3(x: tf.Tensor3D): tf.Tensor3D {
  return tf.transpose(x, [0, 2, 1]);
}

/** out[b] = a[b] @ w[b] as B plain 2-D matmuls (see the section comment for why). */
export function perSequenceMatMul(a: tf.Tensor3D, w: tf.Tensor3D): tf.Tensor3D {
  const batch = a.shape[0];
  if (batch === 1) return tf.matMul(a, w);
  const as = splitEven(a, batch, 0);
  const ws = splitEven(w, batch, 0);
  return tf.concat(
    as.map((ab, b) => tf.matMul(ab, ws[b]!)),
    0,
  ) as tf.Tensor3D;
}

/** Softmax over keys of stacked scores [B, H*Tq, Tk], with an optional [Tq, Tk] additive mask. */
function headSoftmax(scores: tf.Tensor3D, heads: number, mask: tf.Tensor2D | null): tf.Tensor3D {
  const [b, ht, s] = scores.shape;
  if (!mask) return tf.softmax(scores);
  return tf.reshape(tf.softmax(tf.add(tf.reshape(scores, [b, heads, ht / heads, s]), mask)), [b, ht, s]);
}

/** Splits qkv [B*T, 3d] into q, k, v, each [B, T, d]. */
export function splitQkv(qkv: tf.Tensor, batch: number, time: number): [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D] {
  const d = qkv.shape[1]! / 3;
  const [q, k, v] = splitEven(tf.reshape(qkv, [batch * time, 3, d]), 3, 1).map(
    (t) => tf.reshape(t, [batch, time, d]) as tf.Tensor3D,
  );
  return [q!, k!, v!];
}

/** Causal mask [Tq, Tk] as 0 / -Infinity, broadcast over the stacked (sequence, head) matrices. */
const causalMasks = new Map<number, Float32Array>();
function causalMaskData(time: number): Float32Array {
  let data = causalMasks.get(time);
  if (!data) {
    data = new Float32Array(time * time);
    for (let i = 0; i < time; i++) for (let j = i + 1; j < time; j++) data[i * time + j] = -Infinity;
    causalMasks.set(time, data);
  }
  return data;
}

/**
 * Causal multi-head self-attention core: qkv [B*T, 3d] (the c_attn output, heads side by side
 * in each of q, k, v) -> merged head outputs [B*T, d], softmax(q k^T / sqrt(hd) + causal) v.
 *
 * WHY this shape of computation: per (sequence, head) the products are tiny ([T, hd] x [hd, T]),
 * but as separate plain 2-D matmuls they reach XNNPACK (~25 us per launch for T=64, hd=32),
 * whereas batched/transposed matmuls on wasm take the scalar fallback, and stacking heads into
 * a block-diagonal operand wastes H times the FLOPs. splitHeads / mergeHeads (compute/heads.ts)
 * cut q, k, v into the per-head matrices, already transposed where a product needs it, in one
 * launch each; the B*H score matrices are joined (concatEven) for one masked softmax.
 * Hand-written gradient with the same per-head 2-D products; transposed operands come from the
 * saved qkv, so no [T, T] matrix is ever transposed:
 *   dP_i = dY_i V_i^T, dV_i^T = dY_i^T P_i, dS = P * (dP - rowsum(dP * P)),
 *   dQ_i = scale * dS_i K_i, dK_i^T = (scale Q_i)^T dS_i.
 */
export function causalAttention(qkv: tf.Tensor, batch: number, time: number, heads: number): tf.Tensor2D {
  const d = qkv.shape[1]! / 3;
  if (!Number.isInteger(d) || d % heads !== 0)
    throw new Error(`causalAttention: qkv width ${qkv.shape[1]} is not 3 * a multiple of ${heads} heads`);
  if (qkv.shape[0] !== batch * time)
    throw new Error(`causalAttention: qkv has ${qkv.shape[0]} rows, expected ${batch} x ${time}`);
  const scale = 1 / Math.sqrt(d / heads);
  const layout = { batch, time, heads, width: d };
  const count = batch * heads;
  const op = custom((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const [q, kt, v] = splitHeads(x as tf.Tensor2D, layout, [
      { block: 0, scale },
      { block: 1, transposed: true },
      { block: 2 },
    ]) as [tf.Tensor2D[], tf.Tensor2D[], tf.Tensor2D[]];
    const scores = tf.reshape(concatEven(q.map((qi, i) => tf.matMul(qi, kt[i]!))), [count, time, time]);
    const masked = time > 1 ? tf.add(scores, tf.tensor2d(causalMaskData(time), [time, time])) : scores;
    const p = tf.reshape(tf.softmax(masked), [count * time, time]) as tf.Tensor2D;
    const ps = splitEven(p, count, 0);
    const y = mergeHeads([ps.map((pi, i) => tf.matMul(pi, v[i]!))], layout, [{ block: 0 }]);
    // The pieces are saved too (saving is free: the shared Identity, compute/sharedIdentity.ts),
    // so the backward pass does not cut P again.
    save([x, p, ...ps]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sp, ...pp] = saved as tf.Tensor2D[] as [tf.Tensor2D, tf.Tensor2D, ...tf.Tensor2D[]];
        const [g, gt] = splitHeads(dy as tf.Tensor2D, layout, [{ block: 0 }, { block: 0, transposed: true }]) as [
          tf.Tensor2D[],
          tf.Tensor2D[],
        ];
        const [qt, k, vt] = splitHeads(sx, layout, [
          { block: 0, transposed: true, scale },
          { block: 1 },
          { block: 2, transposed: true },
        ]) as [tf.Tensor2D[], tf.Tensor2D[], tf.Tensor2D[]];
        const dp = concatEven(g.map((gi, i) => tf.matMul(gi, vt[i]!)));
        const dvt = gt.map((gti, i) => tf.matMul<tf.Tensor2D>(gti, pp[i]!));
        // Softmax backward per (head, query) row; masked entries have P = 0 and get no gradient.
        const ds = tf.mul(sp, tf.sub(dp, tf.sum(tf.mul(dp, sp), -1, true))) as tf.Tensor2D;
        const dss = splitEven(ds, count, 0);
        const dq = dss.map((dsi, i) => tf.matMul<tf.Tensor2D>(dsi, k[i]!));
        const dkt = dss.map((dsi, i) => tf.matMul<tf.Tensor2D>(qt[i]!, dsi));
        return [
          mergeHeads([dq, dkt, dvt], layout, [
            { block: 0, scale },
            { block: 1, transposed: true },
            { block: 2, transposed: true },
          ]),
        ];
      },
    };
  });
  return op(qkv) as tf.Tensor2D;
}

/**
 * Decoding step: queries q [B, 1, d] (unscaled) against cached keys/values [B, S, d] (S
 * positions including the new one); no mask is needed since every cached position is earlier.
 * Returns the merged head outputs [B, d]. Inference only (no gradient).
 */
export function cachedAttention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, heads: number): tf.Tensor2D {
  const direct = singleQueryAttention(q, k, v, heads);
  if (direct) return direct;
  const [batch, , d] = q.shape;
  const mask = headMask(d, heads);
  const qs = tf.mul(q, 1 / Math.sqrt(d / heads)) as tf.Tensor3D;
  const p = headSoftmax(perSequenceMatMul(blockDiag(qs, mask), t3(k)), heads, null);
  return tf.reshape(diagBlocks(perSequenceMatMul(p, v), mask), [batch, d]);
}
