// BERT family (BertModel, e.g. all-MiniLM-L6-v2), used only as a frozen sentence encoder for
// PST's `external` e(r): post-LayerNorm encoder blocks with bidirectional attention, learned
// absolute positions, token-type embedding (type 0), exact GELU. nn.Linear weights are kept
// transposed ([in, out]), see family.ts. Inference only.
import * as tf from '@tensorflow/tfjs';
import { gptActivationFloats, type LayerCache } from '../training/model';
import { embed, layerNorm, linear } from '../training/ops';
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
import { geluErf, maskedAttention } from './ops';

export interface BertConfig extends StudentDims {
  intermediate: number;
  typeVocab: number;
  eps: number;
}

const PREFIX = 'bert.';

function parseConfig(raw: Record<string, unknown>, source: string): BertConfig {
  const r = new ConfigReader(raw, source);
  const width = r.posInt('hidden_size');
  const heads = r.posInt('num_attention_heads');
  if (width % heads !== 0)
    throw configError(source, 'num_attention_heads', `hidden_size ${width} is not divisible by ${heads} heads`);
  r.oneOf('hidden_act', ['gelu'], 'gelu');
  r.oneOf('position_embedding_type', ['absolute'], 'absolute');
  r.refuse('is_decoder', (v) => v === false, 'a decoder BERT is not a sentence encoder');
  return {
    architecture: 'BertModel',
    modelType: 'bert',
    vocabSize: r.posInt('vocab_size'),
    context: r.posInt('max_position_embeddings'),
    width,
    layers: r.posInt('num_hidden_layers'),
    heads,
    tied: false,
    intermediate: r.posInt('intermediate_size'),
    typeVocab: r.posInt('type_vocab_size', 2),
    eps: r.num('layer_norm_eps', 1e-12),
  };
}

function parameters(c: BertConfig): ParamSpec[] {
  const d = c.width;
  const vec = (name: string, n: number): ParamSpec => ({ name, shape: [n], transpose: false });
  const lin = (name: string, inDim: number, outDim: number): ParamSpec[] => [
    { name: `${name}.weight`, shape: [outDim, inDim], transpose: true },
    vec(`${name}.bias`, outDim),
  ];
  const ln = (name: string): ParamSpec[] => [vec(`${name}.weight`, d), vec(`${name}.bias`, d)];
  const out: ParamSpec[] = [
    { name: 'embeddings.word_embeddings.weight', shape: [c.vocabSize, d], transpose: false },
    { name: 'embeddings.position_embeddings.weight', shape: [c.context, d], transpose: false },
    { name: 'embeddings.token_type_embeddings.weight', shape: [c.typeVocab, d], transpose: false },
    ...ln('embeddings.LayerNorm'),
  ];
  for (let i = 0; i < c.layers; i++) {
    const l = `encoder.layer.${i}.`;
    out.push(
      ...lin(`${l}attention.self.query`, d, d),
      ...lin(`${l}attention.self.key`, d, d),
      ...lin(`${l}attention.self.value`, d, d),
      ...lin(`${l}attention.output.dense`, d, d),
      ...ln(`${l}attention.output.LayerNorm`),
      ...lin(`${l}intermediate.dense`, d, c.intermediate),
      ...lin(`${l}output.dense`, c.intermediate, d),
      ...ln(`${l}output.LayerNorm`),
    );
  }
  return out;
}

function canonicalName(fileName: string): string | null {
  const name = fileName.startsWith(PREFIX) ? fileName.slice(PREFIX.length) : fileName;
  // Buffers and heads a sentence encoder does not use (pooler, masked-LM head).
  if (name === 'embeddings.position_ids' || name.startsWith('pooler.') || fileName.startsWith('cls.')) return null;
  // Old TensorFlow-converted checkpoints name LayerNorm parameters gamma and beta.
  return name.replace(/LayerNorm\.gamma$/, 'LayerNorm.weight').replace(/LayerNorm\.beta$/, 'LayerNorm.bias');
}

function proj(p: StudentParams, name: string, x: tf.Tensor2D): tf.Tensor2D {
  return linear(x, p[`${name}.weight`]!, p[`${name}.bias`]!);
}

/**
 * Token states [B*T, hidden] of B sequences of length T; `keyMask` [B, T] is 1 for real tokens
 * and 0 for padding (padding keys get no attention; padded positions' states are meaningless).
 */
export function bertEncode(
  p: StudentParams,
  c: BertConfig,
  ids: tf.Tensor1D,
  batch: number,
  time: number,
  keyMask: tf.Tensor2D,
): tf.Tensor2D {
  if (time > c.context) throw new Error(`sequence of ${time} tokens exceeds the encoder's context ${c.context}`);
  const tok = tf.reshape(embed(ids, p['embeddings.word_embeddings.weight']!), [batch, time, c.width]);
  const pos = embed(tf.range(0, time, 1, 'int32') as tf.Tensor1D, p['embeddings.position_embeddings.weight']!);
  const type0 = tf.slice(p['embeddings.token_type_embeddings.weight']!, [0, 0], [1, c.width]);
  const sum = tf.reshape(tf.add(tf.add(tok, pos), type0), [batch * time, c.width]) as tf.Tensor2D;
  let x = layerNorm(sum, p['embeddings.LayerNorm.weight']!, p['embeddings.LayerNorm.bias']!, c.eps);
  for (let i = 0; i < c.layers; i++) {
    const l = `encoder.layer.${i}.`;
    const q = proj(p, `${l}attention.self.query`, x);
    const k = proj(p, `${l}attention.self.key`, x);
    const v = proj(p, `${l}attention.self.value`, x);
    const a = proj(p, `${l}attention.output.dense`, maskedAttention(q, k, v, batch, time, c.heads, keyMask));
    x = layerNorm(
      tf.add(a, x),
      p[`${l}attention.output.LayerNorm.weight`]!,
      p[`${l}attention.output.LayerNorm.bias`]!,
      c.eps,
    );
    const h = proj(p, `${l}output.dense`, geluErf(proj(p, `${l}intermediate.dense`, x)));
    x = layerNorm(tf.add(h, x), p[`${l}output.LayerNorm.weight`]!, p[`${l}output.LayerNorm.bias`]!, c.eps);
  }
  return x;
}

/** The family interface's forward: unpadded sequences, token states as `hidden`, no logits. */
function forward(
  p: StudentParams,
  c: BertConfig,
  ids: tf.Tensor1D,
  batch: number,
  time: number,
  opts: StudentForwardOptions = {},
): StudentForwardResult {
  if (opts.past) throw new Error('a BERT encoder has no decoding cache');
  const cache: LayerCache[] = [];
  return { logits: null, hidden: bertEncode(p, c, ids, batch, time, tf.ones([batch, time])), cache };
}

export const bertFamily: StudentFamily<BertConfig> = {
  id: 'bert',
  kind: 'encoder',
  architectures: ['BertModel'],
  parseConfig,
  summary: summarise,
  parameters,
  canonicalName,
  prefixed: (names) => names.some((n) => n.startsWith(PREFIX)),
  exportName: (name, prefixed) => (prefixed ? PREFIX + name : name),
  forward,
  // A frozen encoder never trains; the GPT-2 block's count is the nearest (LayerNorm, GELU MLP).
  activationFloats: (c, time) => gptActivationFloats(c.width, c.intermediate, c.heads, time),
};
