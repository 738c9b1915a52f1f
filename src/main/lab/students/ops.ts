// Ops the pretrained families need beyond the char GPT's (training/ops.ts): linear layers with
// optional LoRA adapters, tanh GELU, SiLU, RMSNorm, rotary embeddings, grouped-query key/value
// heads and attention over separate q, k, v. Composed of plain tfjs ops (automatic gradients);
// the heavy products still go through training/ops.ts (linear, causalAttention, cachedAttention).
import * as tf from '@tensorflow/tfjs';
import { cachedAttention, causalAttention, embed, frozenTableLogits, linear, tiedLogits } from '../training/ops';
import { dropout, type LayerCache } from '../training/model';
import type { LoraPath, StudentParams } from './family';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Suffix of a vocabulary table's marker rows (the method markers, appended after its rows). */
export const ADDED_ROWS = '.added';

/**
 * Token embedding from the table `name`. With its marker rows given apart (`name` + ADDED_ROWS:
 * under LoRA, where the folder's rows are frozen) ids past the folder's rows read the marker rows,
 * and no copy or gradient of the whole table is made; otherwise `name` holds every row.
 */
export function tokenEmbedding(p: StudentParams, name: string, ids: tf.Tensor1D): tf.Tensor2D {
  const base = p[name]!;
  const added = p[name + ADDED_ROWS];
  if (!added) return embed(ids, base);
  // int32 scalars: a JS number would make these float32.
  const int = (v: number): tf.Scalar => tf.scalar(v, 'int32');
  const rows = int(base.shape[0]!);
  const fromBase = embed(tf.minimum(ids, int(base.shape[0]! - 1)), base);
  const fromAdded = embed(tf.maximum(tf.sub(ids, rows), int(0)), added);
  return tf.where(tf.reshape(tf.greaterEqual(ids, rows), [-1, 1]), fromAdded, fromBase);
}

/**
 * Logits over the table `name`'s rows, then its marker rows when given apart (see tokenEmbedding:
 * only under LoRA, where the table is frozen and gets no gradient).
 */
export function outputLogits(p: StudentParams, name: string, h: tf.Tensor2D, headT?: tf.Tensor2D): tf.Tensor2D {
  const added = p[name + ADDED_ROWS];
  if (!added || headT) return tiedLogits(h, p[name]!, headT);
  return frozenTableLogits(h, p[name]!, added);
}

/**
 * The linear layer `name` ([in, out] weight, optional bias): y = x W + b, plus its LoRA adapter's
 * drop(x) A B scale when the forward runs the adapters as a separate path and this layer has one
 * (docs/methods.md, "LoRA dropout"). Merged adapters are already inside W.
 */
export function linearLora(
  p: StudentParams,
  name: string,
  x: tf.Tensor2D,
  lora: LoraPath | null | undefined,
): tf.Tensor2D {
  const y = linear(x, p[`${name}.weight`]!, p[`${name}.bias`] ?? null);
  const a = lora ? p[`${name}.lora_A`] : undefined;
  if (!lora || !a) return y;
  // The scale on B [r, out], not on the activation-sized product.
  const low = linear(linear(dropout(x, lora.dropout), a, null), tf.mul(p[`${name}.lora_B`]!, lora.scale), null);
  return tf.add(y, low);
}

/** GPT-2's `gelu_new`: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
export function geluTanh(x: tf.Tensor2D): tf.Tensor2D {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** SiLU (swish): x * sigmoid(x). */
export function silu(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.sigmoid(x));
}

/** RMSNorm over the last axis of x [N, d]: x / sqrt(mean(x^2) + eps) * w (Llama, Qwen2). */
export function rmsNorm(x: tf.Tensor2D, w: tf.Tensor, eps: number): tf.Tensor2D {
  const ms = tf.mean(tf.square(x), -1, true);
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, eps))), w);
}

/** How rotary frequencies are scaled (config.json's rope_scaling, the types the lab implements). */
export type RopeScaling =
  | { type: 'default' }
  | { type: 'linear'; factor: number }
  | { type: 'llama3'; factor: number; lowFreqFactor: number; highFreqFactor: number; originalContext: number };

/** Inverse frequencies theta^(-2i/hd), i < hd/2, with the config's scaling applied (as transformers does). */
export function ropeInverseFrequencies(headDim: number, theta: number, scaling: RopeScaling): Float64Array {
  const half = headDim / 2;
  const inv = new Float64Array(half);
  for (let i = 0; i < half; i++) inv[i] = 1 / theta ** ((2 * i) / headDim);
  if (scaling.type === 'linear') {
    for (let i = 0; i < half; i++) inv[i] = inv[i]! / scaling.factor;
  } else if (scaling.type === 'llama3') {
    const { factor, lowFreqFactor, highFreqFactor, originalContext } = scaling;
    const lowWavelen = originalContext / lowFreqFactor;
    const highWavelen = originalContext / highFreqFactor;
    for (let i = 0; i < half; i++) {
      const f = inv[i]!;
      const wavelen = (2 * Math.PI) / f;
      if (wavelen < highWavelen) continue;
      if (wavelen > lowWavelen) inv[i] = f / factor;
      else {
        const smooth = (originalContext / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        inv[i] = (1 - smooth) * (f / factor) + smooth * f;
      }
    }
  }
  return inv;
}

/** cos and sin of position * inverse frequency for positions start..start+time-1: each [time, hd/2]. */
export function ropeTables(invFreq: Float64Array, start: number, time: number): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
  const half = invFreq.length;
  const cos = new Float32Array(time * half);
  const sin = new Float32Array(time * half);
  for (let t = 0; t < time; t++) {
    for (let i = 0; i < half; i++) {
      const a = (start + t) * invFreq[i]!;
      cos[t * half + i] = Math.cos(a);
      sin[t * half + i] = Math.sin(a);
    }
  }
  return { cos: tf.tensor2d(cos, [time, half]), sin: tf.tensor2d(sin, [time, half]) };
}

/**
 * Rotary position embedding on x [B*T, H*hd] (heads side by side), in transformers' "rotate
 * half" convention: each head's first and second halves (x1, x2) become
 * (x1 cos - x2 sin, x2 cos + x1 sin).
 */
export function applyRope(
  x: tf.Tensor2D,
  batch: number,
  time: number,
  heads: number,
  tables: { cos: tf.Tensor2D; sin: tf.Tensor2D },
): tf.Tensor2D {
  const half = tables.cos.shape[1];
  const x5 = tf.reshape(x, [batch, time, heads, 2, half]);
  const [x1, x2] = tf.split(x5, 2, 3) as [tf.Tensor, tf.Tensor];
  const cos = tf.reshape(tables.cos, [1, time, 1, 1, half]);
  const sin = tf.reshape(tables.sin, [1, time, 1, 1, half]);
  const y1 = tf.sub(tf.mul(x1, cos), tf.mul(x2, sin));
  const y2 = tf.add(tf.mul(x2, cos), tf.mul(x1, sin));
  return tf.reshape(tf.concat([y1, y2], 3), [batch * time, heads * 2 * half]);
}

/** Grouped-query attention: key/value heads [N, Hkv*hd] repeated to [N, H*hd] (head h reads kv head h / (H/Hkv)). */
export function repeatKv(x: tf.Tensor2D, kvHeads: number, heads: number): tf.Tensor2D {
  if (kvHeads === heads) return x;
  const n = x.shape[0];
  const hd = x.shape[1] / kvHeads;
  return tf.reshape(tf.tile(tf.reshape(x, [n, kvHeads, 1, hd]), [1, 1, heads / kvHeads, 1]), [n, heads * hd]);
}

/**
 * Causal attention over separate q, k, v [B*T, H*hd] (already rotated and repeated): merged
 * head outputs [B*T, H*hd] and the layer's cache. With `past`, one new position attends to the
 * cached ones (decoding).
 */
export function attendQkv(
  q: tf.Tensor2D,
  k: tf.Tensor2D,
  v: tf.Tensor2D,
  batch: number,
  time: number,
  heads: number,
  past: LayerCache | null,
): { out: tf.Tensor2D; cache: LayerCache } {
  const d = q.shape[1];
  const k3 = tf.reshape(k, [batch, time, d]) as tf.Tensor3D;
  const v3 = tf.reshape(v, [batch, time, d]) as tf.Tensor3D;
  if (past) {
    if (time > 1) throw new Error('attention: a cache is only supported when decoding one position at a time');
    const cache = { k: tf.concat([past.k, k3], 1), v: tf.concat([past.v, v3], 1) };
    return { out: cachedAttention(tf.reshape(q, [batch, 1, d]) as tf.Tensor3D, cache.k, cache.v, heads), cache };
  }
  return { out: causalAttention(tf.concat([q, k, v], 1), batch, time, heads), cache: { k: k3, v: v3 } };
}

/** Exact GELU, x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)) (BERT's `gelu`). */
export function geluErf(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

/**
 * Bidirectional attention over q, k, v [B*T, H*hd] with a key padding mask [B, T] (1 = token,
 * 0 = padding): merged head outputs [B*T, H*hd]. For encoders, inference only (batched matmuls
 * are fine off the training path).
 */
export function maskedAttention(
  q: tf.Tensor2D,
  k: tf.Tensor2D,
  v: tf.Tensor2D,
  batch: number,
  time: number,
  heads: number,
  keyMask: tf.Tensor2D,
): tf.Tensor2D {
  const d = q.shape[1];
  const hd = d / heads;
  const split = (x: tf.Tensor2D) => tf.transpose(tf.reshape(x, [batch, time, heads, hd]), [0, 2, 1, 3]);
  const scores = tf.mul(tf.matMul(split(q), split(k), false, true), 1 / Math.sqrt(hd));
  const bias = tf.reshape(tf.mul(tf.sub(1, keyMask), -1e9), [batch, 1, 1, time]);
  const probs = tf.softmax(tf.add(scores, bias));
  return tf.reshape(tf.transpose(tf.matMul(probs, split(v)), [0, 2, 1, 3]), [batch * time, d]);
}
