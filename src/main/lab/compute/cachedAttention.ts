// singleQueryAttention: one new position attending to a key/value cache, per head, as one
// wasm-heap JS kernel (decoding only, no gradient).
//
// WHY: when decoding one token the products are tiny (hd x S per head) and the cost of
// attention is launches, not arithmetic: with tfjs ops it was ~15 kernels per layer per token
// (scale, head masks, transpose of the cache, two matmuls, softmax, split, add-up, reshapes).
// A direct loop over the cache does ~4 * S * d flops, a few microseconds for the lab's contexts.
import * as tf from '@tensorflow/tfjs';
import { heapKernel, onWasm } from './wasmHeap';

const KERNEL = 'PstSingleQueryAttention';

const register = heapKernel<{ heads: number }>(
  KERNEL,
  ({ inputs, be, attrs }) => {
    const { heads } = attrs;
    const [q, k, v] = [inputs['q']!, inputs['k']!, inputs['v']!];
    const [batch, span, d] = k.shape as [number, number, number];
    const hd = d / heads;
    const scale = 1 / Math.sqrt(hd);
    const out = be.makeOutput([batch, d], 'float32');
    // Views are taken after the allocation: a heap growth detaches older views.
    const ys = be.typedArrayFromHeap(out) as Float32Array;
    const qs = be.typedArrayFromHeap(q) as Float32Array;
    const ks = be.typedArrayFromHeap(k) as Float32Array;
    const vs = be.typedArrayFromHeap(v) as Float32Array;
    const p = new Float64Array(span);
    const acc = new Float64Array(hd);
    for (let b = 0; b < batch; b++) {
      const base = b * span * d;
      for (let h = 0; h < heads; h++) {
        const qo = b * d + h * hd;
        let max = -Infinity;
        for (let j = 0; j < span; j++) {
          const ko = base + j * d + h * hd;
          let s = 0;
          for (let c = 0; c < hd; c++) s += qs[qo + c]! * ks[ko + c]!;
          s *= scale;
          p[j] = s;
          if (s > max) max = s;
        }
        let sum = 0;
        for (let j = 0; j < span; j++) {
          const e = Math.exp(p[j]! - max);
          p[j] = e;
          sum += e;
        }
        acc.fill(0);
        for (let j = 0; j < span; j++) {
          const w = p[j]! / sum;
          const vo = base + j * d + h * hd;
          for (let c = 0; c < hd; c++) acc[c] = acc[c]! + w * vs[vo + c]!;
        }
        for (let c = 0; c < hd; c++) ys[qo + c] = acc[c]!;
      }
    }
    return out;
  },
);

/**
 * softmax(q k^T / sqrt(hd)) v per sequence and head, for one query per sequence: q [B, 1, d]
 * (unscaled), k and v [B, S, d] with heads side by side; returns [B, d]. No mask: every cached
 * position precedes the query. Null when the active backend is not wasm (callers use tfjs ops).
 */
export function singleQueryAttention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, heads: number): tf.Tensor2D | null {
  const [batch, one, d] = q.shape;
  if (one !== 1 || k.shape[0] !== batch || k.shape[2] !== d || v.shape.some((s, i) => s !== k.shape[i]) || d % heads !== 0) {
    throw new Error(`singleQueryAttention: expected q [B, 1, d], k and v [B, S, d] with d a multiple of ${heads}; got q [${q.shape}], k [${k.shape}], v [${v.shape}]`);
  }
  if (!onWasm()) return null;
  register();
  return tf.engine().runKernel(KERNEL, { q, k, v }, { heads } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
