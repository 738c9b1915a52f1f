// The student: a decoder-only transformer in the spirit of nanoGPT (pre-LayerNorm blocks,
// learned positions, tied input/output embeddings, dropout). Parameters are a flat name ->
// tensor map with GPT-2/nanoGPT names, so a safetensors checkpoint is readable elsewhere.
import * as tf from '@tensorflow/tfjs';
import {
  cachedAttention,
  causalAttention,
  embed,
  layerNorm,
  linear,
  splitQkv,
  tiedLogits,
  type Activation,
} from './ops';
import { Rng, namedSeed } from './rng';
import { PRESETS, PRESET_SHAPES, type PresetName } from '../../../shared/catalogue';
import { mulberry32Next, mulberry32Output } from '../../../shared/mulberry32';

export interface ModelConfig {
  layers: number;
  width: number;
  heads: number;
  /** Maximum sequence length (size of the learned position table). */
  context: number;
  dropout: number;
  vocabSize: number;
  /** MLP nonlinearity; 'gelu' is the sigmoid approximation x*sigmoid(1.702x). */
  activation: Activation;
}

export type { PresetName };

/** A preset's shape (src/shared/catalogue.ts, PRESET_SHAPES) with gelu, then the run's overrides. */
export function presetConfig(name: PresetName, vocabSize: number, overrides: Partial<ModelConfig> = {}): ModelConfig {
  const base = PRESET_SHAPES[name];
  if (!base) throw new Error(`unknown preset '${name}'; expected one of ${PRESETS.join(', ')}`);
  return validateConfig({ ...base, activation: 'gelu', vocabSize, ...overrides });
}

export function validateConfig(c: ModelConfig): ModelConfig {
  const posInt = (k: keyof ModelConfig) => {
    const v = c[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      throw new Error(`model config: ${k} must be a positive integer, got ${String(v)}`);
  };
  (['layers', 'width', 'heads', 'context', 'vocabSize'] as const).forEach(posInt);
  if (c.width % c.heads !== 0) throw new Error(`model config: width ${c.width} is not divisible by heads ${c.heads}`);
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new Error(`model config: dropout must be in [0, 1), got ${c.dropout}`);
  if (!['gelu', 'relu'].includes(c.activation))
    throw new Error(`model config: activation must be gelu or relu, got ${String(c.activation)}`);
  return c;
}

export type Params = Record<string, tf.Variable>;

/** Parameter names and shapes, in a fixed order (checkpoints and the optimizer rely on it). */
export function parameterShapes(c: ModelConfig): [string, number[]][] {
  const d = c.width;
  const out: [string, number[]][] = [
    ['wte', [c.vocabSize, d]],
    ['wpe', [c.context, d]],
  ];
  for (let i = 0; i < c.layers; i++) {
    const p = `h.${i}.`;
    out.push(
      [`${p}ln_1.weight`, [d]],
      [`${p}ln_1.bias`, [d]],
      [`${p}attn.c_attn.weight`, [d, 3 * d]],
      [`${p}attn.c_attn.bias`, [3 * d]],
      [`${p}attn.c_proj.weight`, [d, d]],
      [`${p}attn.c_proj.bias`, [d]],
      [`${p}ln_2.weight`, [d]],
      [`${p}ln_2.bias`, [d]],
      [`${p}mlp.c_fc.weight`, [d, 4 * d]],
      [`${p}mlp.c_fc.bias`, [4 * d]],
      [`${p}mlp.c_proj.weight`, [4 * d, d]],
      [`${p}mlp.c_proj.bias`, [d]],
    );
  }
  out.push(['ln_f.weight', [d]], ['ln_f.bias', [d]]);
  return out;
}

/**
 * nanoGPT init: N(0, 0.02) weights, residual projections scaled by 1/sqrt(2 * layers), zero biases,
 * unit LN gains. Each weight is drawn, row-major, from its own stream Rng(namedSeed(seed, name))
 * (docs/methods.md, "Random streams"): a longer vocabulary or context only appends rows to wte or
 * wpe, and every other value is the same as with the shorter one.
 */
export function initialValues(c: ModelConfig, seed: number): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name, shape] of parameterShapes(c)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (name.endsWith('.bias')) {
      // zeros
    } else if (name.includes('ln_')) {
      data.fill(1);
    } else {
      const std = name.endsWith('c_proj.weight') ? 0.02 / Math.sqrt(2 * c.layers) : 0.02;
      const rng = new Rng(namedSeed(seed, name));
      for (let i = 0; i < size; i++) data[i] = rng.normal() * std;
    }
    out.set(name, data);
  }
  return out;
}

/** A trainable variable from raw values; the temporary tensor is released (tf.variable keeps its own reference). */
export function variableFrom(data: Float32Array, shape: number[], name: string, trainable = true): tf.Variable {
  const t = tf.tensor(data, shape, 'float32');
  const v = tf.variable(t, trainable, name);
  t.dispose();
  return v;
}

export function createParams(c: ModelConfig, values: Map<string, Float32Array>, prefix = ''): Params {
  const params: Params = {};
  for (const [name, shape] of parameterShapes(c)) {
    const v = values.get(name);
    if (!v) throw new Error(`missing parameter ${name}`);
    if (v.length !== shape.reduce((a, b) => a * b, 1))
      throw new Error(`parameter ${name}: expected shape [${shape}], got ${v.length} values`);
    params[name] = variableFrom(v, shape, `${prefix}${name}`);
  }
  return params;
}

/** Number of parameters; `nonEmbedding` excludes the token and position tables (for FLOP counts). */
export function countParams(c: ModelConfig, nonEmbedding = false): number {
  return parameterShapes(c)
    .filter(([n]) => !nonEmbedding || (n !== 'wte' && n !== 'wpe'))
    .reduce((acc, [, s]) => acc + s.reduce((a, b) => a * b, 1), 0);
}

/**
 * Activations per token and layer of a GPT-2 block (LayerNorm, attention, an MLP of `inner`
 * units): f32 values kept for the backward pass, counted from the live buffers of a training
 * forward on the cpu backend (GPT-2-shaped folders of width 256-512, inner 4-8 x width, 64-128
 * positions: 30.6 x width + 9 x inner + 2 x heads x time at most), rounded up.
 */
export function gptActivationFloats(width: number, inner: number, heads: number, time: number): number {
  return 32 * width + 10 * inner + 2 * heads * time;
}

/** Where dropout masks come from: our seeded generator, so runs are reproducible and resumable. */
export interface DropoutSource {
  rate: number;
  rng: Rng;
}

/**
 * Inverted-dropout mask of `size` values (0 or 1/keep). One uint32 drawn from `src.rng` seeds the
 * mask's own stream, which is exactly `new Rng(seed)`'s: mulberry32's step and output functions
 * (src/shared/mulberry32.ts) on a local state. WHY not a second Rng object: it keeps its state in
 * an object field, and the per-call cost (~10 ns; ~7 ms per training step of the reference
 * configuration) was 3x this loop's. Masks stay a pure function of the step's seeded Rng, so runs
 * stay reproducible and resumable (docs/methods.md, "Random streams").
 */
export function dropoutMask(size: number, src: DropoutSource): Float32Array {
  const keep = 1 - src.rate;
  const scale = 1 / keep;
  // u / 2^32 < keep  <=>  u < keep * 2^32 (both sides exact in doubles).
  const threshold = keep * 4294967296;
  const mask = new Float32Array(size);
  let s = src.rng.nextU32();
  for (let i = 0; i < size; i++) {
    s = mulberry32Next(s);
    mask[i] = mulberry32Output(s) < threshold ? scale : 0;
  }
  return mask;
}

/** Inverted dropout from the seeded source (identity without one). */
export function dropout(x: tf.Tensor2D, src: DropoutSource | null): tf.Tensor2D {
  if (!src || src.rate <= 0) return x;
  return tf.mul(x, tf.tensor2d(dropoutMask(x.size, src), x.shape));
}

/** Keys and values of one layer for cached decoding: [batch, time, width], heads side by side. */
export interface LayerCache {
  k: tf.Tensor3D;
  v: tf.Tensor3D;
}

/**
 * Causal self-attention over x [B*T, d] (already normalised). With `past`, the T new positions
 * attend to the cached ones too (decoding); a causal mask is needed only when T > 1, and then
 * only without a past (training and prefill), which is all this lab uses. The heavy lifting is
 * in ops.causalAttention / ops.cachedAttention (plain 2-D matmuls; see there for why).
 */
function attention(
  p: Params,
  c: ModelConfig,
  layer: number,
  x: tf.Tensor2D,
  batch: number,
  time: number,
  past: LayerCache | null,
  drop: DropoutSource | null,
): { out: tf.Tensor2D; cache: LayerCache } {
  const pre = `h.${layer}.attn.`;
  const qkv = linear(x, p[`${pre}c_attn.weight`]!, p[`${pre}c_attn.bias`]!);
  let merged: tf.Tensor2D;
  let cache: LayerCache;
  if (past) {
    if (time > 1) throw new Error('attention: a cache is only supported when decoding one position at a time');
    const [q, k, v] = splitQkv(qkv, batch, time);
    cache = { k: tf.concat([past.k, k], 1), v: tf.concat([past.v, v], 1) };
    merged = cachedAttention(q, cache.k, cache.v, c.heads);
  } else {
    merged = causalAttention(qkv, batch, time, c.heads);
    // Only decoding reads the cache; the gathers are cheap and off the gradient path.
    const [, k, v] = splitQkv(qkv, batch, time);
    cache = { k, v };
  }
  const out = dropout(linear(merged, p[`${pre}c_proj.weight`]!, p[`${pre}c_proj.bias`]!), drop);
  return { out, cache };
}

function mlp(p: Params, c: ModelConfig, layer: number, x: tf.Tensor2D, drop: DropoutSource | null): tf.Tensor2D {
  const pre = `h.${layer}.mlp.`;
  const hidden = linear(x, p[`${pre}c_fc.weight`]!, p[`${pre}c_fc.bias`]!, c.activation);
  return dropout(linear(hidden, p[`${pre}c_proj.weight`]!, p[`${pre}c_proj.bias`]!), drop);
}

export interface ForwardOptions {
  /**
   * The step's dropout stream while training (at the net's rate, which may be 0; a pretrained
   * student's LoRA dropout draws from it too); null at evaluation time.
   */
  dropout?: DropoutSource | null;
  /** Per-layer caches from earlier positions (decoding); `startPos` is their length. */
  past?: LayerCache[] | null;
  startPos?: number;
  /** Skip the output layer (e.g. for PST's e(r), which needs only hidden states). */
  skipLogits?: boolean;
  /**
   * wte transposed ([width, vocab]), precomputed by a decoding loop so the tied output layer does
   * not transpose the table for every token. Inference only: it must equal the current wte.
   */
  wteT?: tf.Tensor2D;
  /**
   * A pretrained student's weights as its family's forward reads them (LoRA merged, marker rows
   * appended) and its output table transposed, precomputed once by a decoding loop
   * (StudentNet.prepareDecoding) instead of for every token. Inference only.
   */
  inference?: { weights: Record<string, tf.Tensor>; headT: tf.Tensor2D };
}

export interface ForwardResult {
  /** [B*T, vocab], row b*T + t predicts the token after position t of sequence b. */
  logits: tf.Tensor2D | null;
  /** Last-layer hidden states after the final LayerNorm, [B*T, width] (PST's h). */
  hidden: tf.Tensor2D;
  cache: LayerCache[];
}

/** Runs the transformer over ids [B*T] (row-major B sequences of length T). */
export function forward(
  p: Params,
  c: ModelConfig,
  ids: tf.Tensor1D,
  batch: number,
  time: number,
  opts: ForwardOptions = {},
): ForwardResult {
  const start = opts.startPos ?? 0;
  if (start + time > c.context)
    throw new Error(`sequence of ${start + time} tokens exceeds the model context ${c.context}`);
  const drop = opts.dropout ?? null;
  const tok = embed(ids, p['wte']!);
  const pos = embed(tf.range(start, start + time, 1, 'int32') as tf.Tensor1D, p['wpe']!);
  let x = tf.reshape(tf.add(tf.reshape(tok, [batch, time, c.width]), pos), [batch * time, c.width]) as tf.Tensor2D;
  x = dropout(x, drop);
  const cache: LayerCache[] = [];
  for (let i = 0; i < c.layers; i++) {
    const a = attention(
      p,
      c,
      i,
      layerNorm(x, p[`h.${i}.ln_1.weight`]!, p[`h.${i}.ln_1.bias`]!),
      batch,
      time,
      opts.past?.[i] ?? null,
      drop,
    );
    x = tf.add(x, a.out);
    cache.push(a.cache);
    x = tf.add(x, mlp(p, c, i, layerNorm(x, p[`h.${i}.ln_2.weight`]!, p[`h.${i}.ln_2.bias`]!), drop));
  }
  const hidden = layerNorm(x, p['ln_f.weight']!, p['ln_f.bias']!);
  const logits = opts.skipLogits ? null : tiedLogits(hidden, p['wte']!, opts.wteT);
  return { logits, hidden, cache };
}

/**
 * Training FLOPs per token, counted the usual way (Kaplan et al. / PaLM appendix, as in nanoGPT's
 * estimate_mfu): 6 * N for every weight matrix multiply (2 forward + 4 backward), where N counts
 * the non-embedding weights plus the tied output projection (vocab x width; the one-hot input
 * embedding is not counted), plus 12 * layers * seqLen * width for the attention score and
 * value products (full T x T, as is conventional, even though half of it is masked).
 */
export function trainFlopsPerToken(c: ModelConfig, seqLen: number): number {
  const d = c.width;
  const matmulWeights = c.layers * (d * 3 * d + d * d + d * 4 * d + 4 * d * d) + c.vocabSize * d;
  return 6 * matmulWeights + 12 * c.layers * seqLen * d;
}
