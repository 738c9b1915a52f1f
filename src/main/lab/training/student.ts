// The Student seam (docs/methods.md, "Training a pretrained student"): what the trainer, the
// evaluation, decoding and PST's self encoder need of a network, whichever it is — the char GPT
// trained from scratch (model.ts) or a pretrained Hugging Face folder (students/trainable.ts).
// Parameters are a flat name -> variable map; the net says which of them train.
import * as tf from '@tensorflow/tfjs';
import { openPretrained } from '../students/trainable';
import type { CheckpointState, LoadedCheckpoint } from './checkpoint';
import {
  forward,
  gptActivationFloats,
  initialValues,
  parameterShapes,
  variableFrom,
  type ForwardOptions,
  type ForwardResult,
  type ModelConfig,
  type Params,
} from './model';
import { transpose2d } from './ops';
import { CharTokenizer, type Tokenizer } from './tokenizer';

export interface ParamShape {
  name: string;
  shape: number[];
  /** False for weights that stay frozen (a LoRA student's base weights). */
  trainable: boolean;
}

/** What a run records about a pretrained student (the char GPT records its ModelConfig instead). */
export interface PretrainedStudentRecord {
  kind: 'hf';
  /** Registry name, or null when the run named a folder. */
  name: string | null;
  dir: string;
  family: string;
  architecture: string;
  /** Size and SHA-256 of every file of the folder (config, weights, tokenizer). */
  files: { name: string; bytes: number; sha256: string }[];
  /** Context used by the run (at most the model's own). */
  context: number;
  /** Embedding rows of the folder; the method markers are appended after them. */
  baseVocab: number;
  markers: string[];
  lora: LoraConfig | null;
}

export interface LoraConfig {
  rank: number;
  alpha: number;
  /**
   * Dropout on the adapters' input while training (docs/methods.md, "LoRA dropout"); recorded only
   * when above 0, so absent = 0 (the merged path, and every run recorded before the option).
   */
  dropout?: number;
  /** Module names (last path components, e.g. q_proj, c_attn) whose weights get adapters. */
  targets: string[];
}

export interface StudentNet {
  readonly kind: 'char' | 'hf';
  readonly context: number;
  /** Width of the last hidden states (PST's h). */
  readonly width: number;
  /** Dropout rate during training (0 = none). */
  readonly dropout: number;
  readonly vocabSize: number;
  readonly layers: number;
  readonly heads: number;
  parameterShapes(): ParamShape[];
  /** Values of every parameter before training, from the run's seed (and the folder's weights). */
  initialValues(seed: number): Map<string, Float32Array>;
  forward(p: Params, ids: tf.Tensor1D, batch: number, time: number, opts?: ForwardOptions): ForwardResult;
  /** f32 values per token and layer a training forward of `time` positions keeps for the backward pass. */
  activationFloats(time: number): number;
  /** Parameters indexed by token id (embedding, output layer), whose gradients are table-sized. */
  readonly tables: string[];
  /**
   * Tensors a decoding loop computes once instead of for every token (the transposed output table,
   * a pretrained student's merged weights), as forward options; dispose them when decoding ends.
   * They are valid only while the parameters do not change.
   */
  prepareDecoding(p: Params): DecodingWeights;
  /** The char GPT's ModelConfig, or the pretrained student's record (checkpoints and runs keep it). */
  describe(): ModelConfig | PretrainedStudentRecord;
}

export interface DecodingWeights {
  options: ForwardOptions;
  dispose(): void;
}

/** Variables for every parameter of `net` from `values` (frozen ones not trainable). */
export function createNetParams(net: StudentNet, values: Map<string, Float32Array>, prefix = ''): Params {
  const params: Params = {};
  try {
    for (const { name, shape, trainable } of net.parameterShapes()) {
      const v = values.get(name);
      if (!v) throw new Error(`missing parameter ${name}`);
      if (v.length !== shape.reduce((a, b) => a * b, 1))
        throw new Error(`parameter ${name}: expected shape [${shape}], got ${v.length} values`);
      params[name] = variableFrom(v, shape, `${prefix}${name}`, trainable);
    }
  } catch (err) {
    Object.values(params).forEach((v) => v.dispose());
    throw err;
  }
  return params;
}

/** Parameter counts: all, and those the optimizer updates. */
export function parameterCounts(net: StudentNet): { total: number; trainable: number } {
  let total = 0;
  let trainable = 0;
  for (const p of net.parameterShapes()) {
    const n = p.shape.reduce((a, b) => a * b, 1);
    total += n;
    if (p.trainable) trainable += n;
  }
  return { total, trainable };
}

/** The char GPT of model.ts as a StudentNet. */
export function charNet(config: ModelConfig): StudentNet {
  return {
    kind: 'char',
    context: config.context,
    width: config.width,
    dropout: config.dropout,
    vocabSize: config.vocabSize,
    layers: config.layers,
    heads: config.heads,
    parameterShapes: () => parameterShapes(config).map(([name, shape]) => ({ name, shape, trainable: true })),
    initialValues: (seed) => initialValues(config, seed),
    forward: (p, ids, batch, time, opts) => forward(p, config, ids, batch, time, opts),
    // The GPT-2 block's count (its fused LayerNorm and GELU keep less: an upper bound).
    activationFloats: (time) => gptActivationFloats(config.width, 4 * config.width, config.heads, time),
    tables: ['wte'],
    prepareDecoding(p) {
      const wteT = tf.tidy(() => transpose2d(p['wte']! as tf.Tensor2D));
      return { options: { wteT }, dispose: () => wteT.dispose() };
    },
    describe: () => config,
  };
}

/**
 * The network and tokenizer a checkpoint was trained with (a pretrained student's folder must be
 * unchanged). `studentDir`: where the student's folder is in this process, when the run found it
 * elsewhere than the process that wrote the checkpoint (a queue worker looks students up by their
 * file hashes); its files are checked against the checkpoint's record all the same.
 */
export function studentOfCheckpoint(state: CheckpointState, studentDir?: string): { net: StudentNet; tok: Tokenizer } {
  const m = state.model;
  if ('kind' in m && m.kind === 'hf') {
    const { net, tokenizer } = openPretrained(
      { dir: studentDir ?? m.dir, name: m.name, files: m.files, lora: m.lora },
      state.tokenizer.semTokens,
      m.context,
    );
    return { net, tok: tokenizer };
  }
  if (state.tokenizer.kind !== 'char') throw new Error('checkpoint: a char model needs a char tokenizer');
  return { net: charNet(m as ModelConfig), tok: CharTokenizer.fromJSON(state.tokenizer) };
}

/**
 * The values of a checkpoint's student parameters (the PST head left out): a pretrained student's
 * checkpoint holds what trained, its folder the rest.
 */
export function checkpointValues(net: StudentNet, ck: LoadedCheckpoint): Map<string, Float32Array> {
  const values = net.kind === 'hf' ? net.initialValues(ck.state.training.seed) : new Map<string, Float32Array>();
  for (const [n, t] of ck.weights) if (!n.startsWith('sem_proj.')) values.set(n, t.data as Float32Array);
  return values;
}
