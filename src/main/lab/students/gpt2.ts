// GPT-2 family (GPT2LMHeadModel: gpt2, distilgpt2, ...): pre-LayerNorm blocks, learned
// positions, Conv1D weights stored [in, out] (so no transposes), `gelu_new` MLP, output layer
// tied to the token embedding. The same network as the char GPT (training/model.ts) with GPT-2's
// names, epsilon and activation.
import * as tf from '@tensorflow/tfjs';
import { dropout, gptActivationFloats, type LayerCache } from '../training/model';
import { causalAttention, embed, layerNorm, splitQkv } from '../training/ops';
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
import { attendQkv, geluTanh, linearLora, outputLogits, tokenEmbedding } from './ops';

export interface Gpt2Config extends StudentDims {
  inner: number;
  eps: number;
  residDropout: number;
  embdDropout: number;
  tied: boolean;
}

const PREFIX = 'transformer.';

function parseConfig(raw: Record<string, unknown>, source: string): Gpt2Config {
  const r = new ConfigReader(raw, source);
  const width = r.posInt('n_embd');
  const heads = r.posInt('n_head');
  if (width % heads !== 0) throw configError(source, 'n_head', `n_embd ${width} is not divisible by n_head ${heads}`);
  r.oneOf('activation_function', ['gelu_new', 'gelu_pytorch_tanh'], 'gelu_new');
  r.refuse('scale_attn_weights', (v) => v === true, 'unscaled attention');
  r.refuse('scale_attn_by_inverse_layer_idx', (v) => v === false, 'per-layer attention scaling');
  r.refuse('add_cross_attention', (v) => v === false, 'cross-attention is for encoder-decoder models');
  const inner = r.has('n_inner') ? r.posInt('n_inner') : 4 * width;
  return {
    architecture: 'GPT2LMHeadModel',
    modelType: 'gpt2',
    vocabSize: r.posInt('vocab_size'),
    context: r.has('n_positions') ? r.posInt('n_positions') : r.posInt('n_ctx'),
    width,
    layers: r.posInt('n_layer'),
    heads,
    inner,
    eps: r.num('layer_norm_epsilon', 1e-5),
    residDropout: r.num('resid_pdrop', 0.1),
    embdDropout: r.num('embd_pdrop', 0.1),
    tied: r.bool('tie_word_embeddings', true),
  };
}

function parameters(c: Gpt2Config): ParamSpec[] {
  const d = c.width;
  const p = (name: string, shape: number[]): ParamSpec => ({ name: PREFIX + name, shape, transpose: false });
  const out = [p('wte.weight', [c.vocabSize, d]), p('wpe.weight', [c.context, d])];
  for (let i = 0; i < c.layers; i++) {
    const h = `h.${i}.`;
    out.push(
      p(`${h}ln_1.weight`, [d]),
      p(`${h}ln_1.bias`, [d]),
      p(`${h}attn.c_attn.weight`, [d, 3 * d]),
      p(`${h}attn.c_attn.bias`, [3 * d]),
      p(`${h}attn.c_proj.weight`, [d, d]),
      p(`${h}attn.c_proj.bias`, [d]),
      p(`${h}ln_2.weight`, [d]),
      p(`${h}ln_2.bias`, [d]),
      p(`${h}mlp.c_fc.weight`, [d, c.inner]),
      p(`${h}mlp.c_fc.bias`, [c.inner]),
      p(`${h}mlp.c_proj.weight`, [c.inner, d]),
      p(`${h}mlp.c_proj.bias`, [d]),
    );
  }
  out.push(p('ln_f.weight', [d]), p('ln_f.bias', [d]));
  if (!c.tied) out.push({ name: 'lm_head.weight', shape: [c.vocabSize, d], transpose: false });
  return out;
}

function canonicalName(fileName: string, c: Gpt2Config): string | null {
  // The causal-mask buffers older checkpoints saved with the weights.
  if (/(^|\.)attn\.(masked_)?bias$/.test(fileName)) return null;
  if (fileName === 'lm_head.weight') return c.tied ? null : fileName;
  return fileName.startsWith(PREFIX) ? fileName : PREFIX + fileName;
}

function block(
  p: StudentParams,
  c: Gpt2Config,
  i: number,
  x: tf.Tensor2D,
  batch: number,
  time: number,
  past: LayerCache | null,
  opts: StudentForwardOptions,
): { x: tf.Tensor2D; cache: LayerCache } {
  const h = `${PREFIX}h.${i}.`;
  const drop = opts.dropout ?? null;
  const lin = (name: string, input: tf.Tensor2D): tf.Tensor2D => linearLora(p, h + name, input, opts.lora);
  const a = layerNorm(x, p[`${h}ln_1.weight`]!, p[`${h}ln_1.bias`]!, c.eps);
  const qkv = lin('attn.c_attn', a);
  const [q, k, v] = splitQkv(qkv, batch, time);
  let att: { out: tf.Tensor2D; cache: LayerCache };
  if (past) {
    const flat = (t: tf.Tensor3D) => tf.reshape(t, [batch * time, c.width]) as tf.Tensor2D;
    att = attendQkv(flat(q), flat(k), flat(v), batch, time, c.heads, past);
  } else {
    // Training and prefill: the fused qkv goes to attention as it is; k, v only feed the cache.
    att = { out: causalAttention(qkv, batch, time, c.heads), cache: { k, v } };
  }
  x = tf.add(x, dropout(lin('attn.c_proj', att.out), drop));
  const m = layerNorm(x, p[`${h}ln_2.weight`]!, p[`${h}ln_2.bias`]!, c.eps);
  const hidden = geluTanh(lin('mlp.c_fc', m));
  x = tf.add(x, dropout(lin('mlp.c_proj', hidden), drop));
  return { x, cache: att.cache };
}

function forward(
  p: StudentParams,
  c: Gpt2Config,
  ids: tf.Tensor1D,
  batch: number,
  time: number,
  opts: StudentForwardOptions = {},
): StudentForwardResult {
  const start = opts.startPos ?? 0;
  if (start + time > c.context)
    throw new Error(`sequence of ${start + time} tokens exceeds the student's context ${c.context}`);
  const drop = opts.dropout ?? null;
  const tok = tokenEmbedding(p, `${PREFIX}wte.weight`, ids);
  const pos = embed(tf.range(start, start + time, 1, 'int32') as tf.Tensor1D, p[`${PREFIX}wpe.weight`]!);
  let x = tf.reshape(tf.add(tf.reshape(tok, [batch, time, c.width]), pos), [batch * time, c.width]) as tf.Tensor2D;
  x = dropout(x, drop);
  const cache: LayerCache[] = [];
  for (let i = 0; i < c.layers; i++) {
    const b = block(p, c, i, x, batch, time, opts.past?.[i] ?? null, opts);
    x = b.x;
    cache.push(b.cache);
  }
  const hidden = layerNorm(x, p[`${PREFIX}ln_f.weight`]!, p[`${PREFIX}ln_f.bias`]!, c.eps);
  const head = c.tied ? `${PREFIX}wte.weight` : 'lm_head.weight';
  return { logits: opts.skipLogits ? null : outputLogits(p, head, hidden, opts.headT), hidden, cache };
}

export const gpt2Family: StudentFamily<Gpt2Config> = {
  id: 'gpt2',
  kind: 'causal',
  architectures: ['GPT2LMHeadModel'],
  parseConfig,
  summary: summarise,
  parameters,
  canonicalName,
  prefixed: (names) => names.some((n) => n.startsWith(PREFIX)),
  exportName: (name, prefixed) => (prefixed || !name.startsWith(PREFIX) ? name : name.slice(PREFIX.length)),
  forward,
  activationFloats: (c, time) => gptActivationFloats(c.width, c.inner, c.heads, time),
};
