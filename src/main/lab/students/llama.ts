// Llama family (LlamaForCausalLM, e.g. SmolLM2; Qwen2ForCausalLM, e.g. Qwen2.5): RMSNorm,
// rotary position embeddings (config's rope_theta and rope_scaling), SwiGLU MLP, grouped-query
// attention, Qwen2's q/k/v biases, tied or separate output layer. nn.Linear weights are kept
// transposed ([in, out]) in memory; see family.ts.
import * as tf from '@tensorflow/tfjs';
import type { LayerCache } from '../training/model';
import {
  ConfigReader,
  type StudentDims,
  configError,
  type ParamSpec,
  type StudentFamily,
  type StudentForwardOptions,
  type StudentForwardResult,
  type StudentParams,
  summarise,
} from './family';
import {
  applyRope,
  attendQkv,
  linearLora,
  outputLogits,
  tokenEmbedding,
  repeatKv,
  rmsNorm,
  ropeInverseFrequencies,
  ropeTables,
  silu,
  type RopeScaling,
} from './ops';

export interface LlamaConfig extends StudentDims {
  architecture: 'LlamaForCausalLM' | 'Qwen2ForCausalLM';
  kvHeads: number;
  headDim: number;
  intermediate: number;
  eps: number;
  ropeTheta: number;
  ropeScaling: RopeScaling;
  /** Biases on q, k, v projections (Qwen2 always; Llama with attention_bias). */
  qkvBias: boolean;
  /** Bias on the attention output projection (Llama with attention_bias). */
  oBias: boolean;
  mlpBias: boolean;
  tied: boolean;
}

function parseRopeScaling(raw: unknown, source: string): RopeScaling {
  if (raw === undefined || raw === null) return { type: 'default' };
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw configError(source, 'rope_scaling', `must be an object or null, got ${JSON.stringify(raw)}`);
  const o = raw as Record<string, unknown>;
  const type = o['rope_type'] ?? o['type'];
  const field = o['rope_type'] !== undefined ? 'rope_scaling.rope_type' : 'rope_scaling.type';
  const num = (k: string): number => {
    const v = o[k];
    if (typeof v !== 'number' || !(v > 0))
      throw configError(source, `rope_scaling.${k}`, `must be a positive number, got ${JSON.stringify(v)}`);
    return v;
  };
  if (type === 'default') return { type: 'default' };
  if (type === 'linear') return { type: 'linear', factor: num('factor') };
  if (type === 'llama3') {
    return {
      type: 'llama3',
      factor: num('factor'),
      lowFreqFactor: num('low_freq_factor'),
      highFreqFactor: num('high_freq_factor'),
      originalContext: num('original_max_position_embeddings'),
    };
  }
  throw configError(
    source,
    field,
    `${JSON.stringify(type)} is not supported (the lab implements default, linear and llama3)`,
  );
}

function parseConfig(raw: Record<string, unknown>, source: string): LlamaConfig {
  const r = new ConfigReader(raw, source);
  const named = (raw['architectures'] as string[] | undefined)?.[0];
  const qwen = named === 'Qwen2ForCausalLM' || (named === undefined && raw['model_type'] === 'qwen2');
  const architecture = qwen ? 'Qwen2ForCausalLM' : 'LlamaForCausalLM';
  const width = r.posInt('hidden_size');
  const heads = r.posInt('num_attention_heads');
  const kvHeads = r.posInt('num_key_value_heads', heads);
  if (heads % kvHeads !== 0)
    throw configError(source, 'num_key_value_heads', `${kvHeads} does not divide num_attention_heads ${heads}`);
  if (!r.has('head_dim') && width % heads !== 0)
    throw configError(source, 'num_attention_heads', `hidden_size ${width} is not divisible by ${heads} heads`);
  const headDim = r.has('head_dim') ? r.posInt('head_dim') : width / heads;
  if (headDim % 2 !== 0)
    throw configError(source, 'head_dim', `rotary embeddings need an even head dimension, got ${headDim}`);
  r.oneOf('hidden_act', ['silu'], 'silu');
  r.refuse('partial_rotary_factor', (v) => v === 1, 'rotary embeddings on part of each head');
  r.refuse('use_sliding_window', (v) => v === false, 'sliding-window attention');
  r.refuse('attention_dropout', (v) => v === 0, 'attention dropout');
  const attentionBias = r.bool('attention_bias', false);
  return {
    architecture,
    modelType: r.str('model_type', qwen ? 'qwen2' : 'llama'),
    vocabSize: r.posInt('vocab_size'),
    context: r.posInt('max_position_embeddings'),
    width,
    layers: r.posInt('num_hidden_layers'),
    heads,
    kvHeads,
    headDim,
    intermediate: r.posInt('intermediate_size'),
    eps: r.num('rms_norm_eps', 1e-6),
    ropeTheta: r.num('rope_theta', 10000),
    ropeScaling: parseRopeScaling(raw['rope_scaling'], source),
    qkvBias: qwen || attentionBias,
    oBias: !qwen && attentionBias,
    mlpBias: r.bool('mlp_bias', false),
    tied: r.bool('tie_word_embeddings', false),
  };
}

function parameters(c: LlamaConfig): ParamSpec[] {
  const d = c.width;
  const qd = c.heads * c.headDim;
  const kvd = c.kvHeads * c.headDim;
  const vec = (name: string, n: number): ParamSpec => ({ name, shape: [n], transpose: false });
  /** nn.Linear(in, out): weight [out, in] on disk, plus its bias when the config has one. */
  const lin = (name: string, inDim: number, outDim: number, bias: boolean): ParamSpec[] => [
    { name: `${name}.weight`, shape: [outDim, inDim], transpose: true },
    ...(bias ? [vec(`${name}.bias`, outDim)] : []),
  ];
  const out: ParamSpec[] = [{ name: 'model.embed_tokens.weight', shape: [c.vocabSize, d], transpose: false }];
  for (let i = 0; i < c.layers; i++) {
    const l = `model.layers.${i}.`;
    out.push(
      vec(`${l}input_layernorm.weight`, d),
      ...lin(`${l}self_attn.q_proj`, d, qd, c.qkvBias),
      ...lin(`${l}self_attn.k_proj`, d, kvd, c.qkvBias),
      ...lin(`${l}self_attn.v_proj`, d, kvd, c.qkvBias),
      ...lin(`${l}self_attn.o_proj`, qd, d, c.oBias),
      vec(`${l}post_attention_layernorm.weight`, d),
      ...lin(`${l}mlp.gate_proj`, d, c.intermediate, c.mlpBias),
      ...lin(`${l}mlp.up_proj`, d, c.intermediate, c.mlpBias),
      ...lin(`${l}mlp.down_proj`, c.intermediate, d, c.mlpBias),
    );
  }
  out.push(vec('model.norm.weight', d));
  // The output layer multiplies by W^T itself (tiedLogits), so it stays [vocab, hidden].
  if (!c.tied) out.push({ name: 'lm_head.weight', shape: [c.vocabSize, d], transpose: false });
  return out;
}

function canonicalName(fileName: string, c: LlamaConfig): string | null {
  if (fileName.endsWith('rotary_emb.inv_freq')) return null; // a buffer older checkpoints saved
  if (fileName === 'lm_head.weight' && c.tied) return null;
  return fileName;
}

/**
 * f32 values per token and layer a training forward keeps for the backward pass: counted from the
 * live buffers on the cpu backend (Qwen2-shaped folders of width 256-896, intermediate 1024-4864,
 * key/value width 128-512, 32-64 positions: 30 x width + 5 x intermediate + 5.2 x kv width +
 * heads x time at most; RMSNorm, rotary embeddings and SiLU are composed of plain ops, each
 * keeping its inputs), rounded up.
 */
function activationFloats(c: LlamaConfig, time: number): number {
  return 32 * c.width + 6 * c.intermediate + 6 * c.kvHeads * c.headDim + 2 * c.heads * time;
}

const invFreqCache = new WeakMap<LlamaConfig, Float64Array>();

function forward(
  p: StudentParams,
  c: LlamaConfig,
  ids: tf.Tensor1D,
  batch: number,
  time: number,
  opts: StudentForwardOptions = {},
): StudentForwardResult {
  const start = opts.startPos ?? 0;
  if (start + time > c.context)
    throw new Error(`sequence of ${start + time} tokens exceeds the student's context ${c.context}`);
  let invFreq = invFreqCache.get(c);
  if (!invFreq) invFreqCache.set(c, (invFreq = ropeInverseFrequencies(c.headDim, c.ropeTheta, c.ropeScaling)));
  const rope = ropeTables(invFreq, start, time);
  /** y = x @ W (+ b) for the transposed nn.Linear `name` (with its LoRA adapter on the separate path). */
  const proj = (name: string, x: tf.Tensor2D): tf.Tensor2D => linearLora(p, name, x, opts.lora);
  let x = tokenEmbedding(p, 'model.embed_tokens.weight', ids);
  const cache: LayerCache[] = [];
  for (let i = 0; i < c.layers; i++) {
    const l = `model.layers.${i}.`;
    const a = rmsNorm(x, p[`${l}input_layernorm.weight`]!, c.eps);
    const q = applyRope(proj(`${l}self_attn.q_proj`, a), batch, time, c.heads, rope);
    const k = applyRope(proj(`${l}self_attn.k_proj`, a), batch, time, c.kvHeads, rope);
    const v = proj(`${l}self_attn.v_proj`, a);
    const att = attendQkv(
      q,
      repeatKv(k, c.kvHeads, c.heads),
      repeatKv(v, c.kvHeads, c.heads),
      batch,
      time,
      c.heads,
      opts.past?.[i] ?? null,
    );
    cache.push(att.cache);
    x = tf.add(x, proj(`${l}self_attn.o_proj`, att.out));
    const m = rmsNorm(x, p[`${l}post_attention_layernorm.weight`]!, c.eps);
    const gated = tf.mul(silu(proj(`${l}mlp.gate_proj`, m)), proj(`${l}mlp.up_proj`, m)) as tf.Tensor2D;
    x = tf.add(x, proj(`${l}mlp.down_proj`, gated));
  }
  const hidden = rmsNorm(x, p['model.norm.weight']!, c.eps);
  const head = c.tied ? 'model.embed_tokens.weight' : 'lm_head.weight';
  return { logits: opts.skipLogits ? null : outputLogits(p, head, hidden, opts.headT), hidden, cache };
}

export const llamaFamily: StudentFamily<LlamaConfig> = {
  id: 'llama',
  kind: 'causal',
  architectures: ['LlamaForCausalLM', 'Qwen2ForCausalLM'],
  parseConfig,
  summary: summarise,
  parameters,
  canonicalName,
  prefixed: () => true,
  exportName: (name) => name,
  forward,
  activationFloats,
};
