// PST's 'self' encoder (docs/methods.md, "PST semantic targets"): e(r) is the mean over r of the
// last-layer states of a FROZEN student-architecture model that has read rationales — either
// pre-trained here with NTP(r) on the training rationales, or a checkpoint of a completed run.
// The untrained (or still-training) student's states are nearly identical for every rationale,
// which is why the frozen, rationale-trained model is the default.
import * as tf from '@tensorflow/tfjs';
import { epochBatches, makeBatch } from '../batching';
import { loadCheckpoint } from '../checkpoint';
import type { EncodedSequence } from '../methods/types';
import type { PretrainedNet } from '../../students/trainable';
import type { Params } from '../model';
import { weightedCrossEntropy } from '../ops';
import { AdamW, learningRate } from '../optimizer';
import { namedSeed } from '../rng';
import { SPECIAL, type Tokenizer } from '../tokenizer';
import { checkpointValues, createNetParams, studentOfCheckpoint, type StudentNet } from '../student';
import type { SemanticEncoder } from './encoder';

/** Seed of the self encoder's streams: its weights (per parameter) and its batch order, apart from the student's. */
const selfSeed = (seed: number): number => namedSeed(seed, 'self_encoder');
/** Rows per forward pass when encoding. */
const ENCODE_BATCH = 16;

/** `RAT r` ids cut to the context (r's first tokens are kept). */
function rationaleIds(tok: Tokenizer, text: string, context: number): number[] {
  return [tok.id(SPECIAL.RAT), ...tok.encode(text)].slice(0, context);
}

/** A frozen student-architecture model used as e(r): mean of its last-layer states over r (RAT excluded). */
export class FrozenStudentEncoder implements SemanticEncoder {
  readonly dim: number;
  /** Set when pre-trained here: measured ms per NTP(r) step. */
  timing: { selfStepMs: number | null } = { selfStepMs: null };

  constructor(
    readonly name: string,
    readonly config: Record<string, unknown>,
    private readonly params: Params,
    private readonly net: StudentNet,
    private readonly tok: Tokenizer,
  ) {
    this.dim = net.width;
  }

  encode(rationales: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let s = 0; s < rationales.length; s += ENCODE_BATCH) {
      const ids = rationales.slice(s, s + ENCODE_BATCH).map((r) => rationaleIds(this.tok, r, this.net.context));
      const rows = tf.tidy(() => this.pool(ids));
      const data = rows.dataSync() as Float32Array;
      rows.dispose();
      ids.forEach((_, i) => out.push(data.slice(i * this.dim, (i + 1) * this.dim)));
    }
    return Promise.resolve(out);
  }

  /** [B, width]: per row the mean hidden state over positions 1..len-1 (the rationale's tokens). */
  private pool(rows: number[][]): tf.Tensor2D {
    const batch = rows.length;
    const time = Math.max(2, ...rows.map((r) => r.length));
    const ids = new Int32Array(batch * time).fill(this.tok.pad);
    const pool = new Float32Array(batch * batch * time);
    rows.forEach((r, b) => {
      r.forEach((t, i) => (ids[b * time + i] = t));
      const n = Math.max(1, r.length - 1);
      for (let i = 1; i < Math.max(2, r.length); i++) pool[b * batch * time + b * time + i] = 1 / n;
    });
    const { hidden } = this.net.forward(this.params, tf.tensor1d(ids, 'int32'), batch, time, { skipLogits: true });
    return tf.matMul(tf.tensor2d(pool, [batch, batch * time]), hidden);
  }

  /** The frozen weights (to keep a pre-trained encoder with its run). */
  weights(): Params {
    return this.params;
  }

  dispose(): void {
    for (const v of Object.values(this.params)) v.dispose();
  }
}

export interface SelfPretrainOptions {
  /** The student's network: the encoder starts from its initial weights (the pretrained ones for a folder). */
  net: StudentNet;
  tok: Tokenizer;
  /** Training rationales (non-empty texts). */
  rationales: readonly string[];
  steps: number;
  batchSize: number;
  lr: number;
  seed: number;
}

/**
 * Trains a fresh student-architecture model with NTP(r) on `RAT r EOS` for `steps` steps (AdamW,
 * 10 % warmup then cosine decay to lr/10, weight decay 0.1, clipping 1, no dropout) and returns it
 * frozen as the 'self' encoder. Its weights and batch order come from their own streams of the
 * run's seed, so the student's initialisation and batches are unchanged by it.
 */
export async function pretrainSelfEncoder(o: SelfPretrainOptions): Promise<FrozenStudentEncoder> {
  if (!Number.isInteger(o.steps) || o.steps < 1)
    throw new Error(`pst: selfSteps must be a positive integer, got ${o.steps}`);
  if (o.rationales.length === 0)
    throw new Error('pst: the self encoder needs training rationales, and this training set has none');
  const rat = o.tok.id(SPECIAL.RAT);
  const eos = o.tok.id(SPECIAL.EOS);
  const sequences: EncodedSequence[] = o.rationales.map((r, i) => {
    const tokens = [rat, ...o.tok.encode(r), eos].slice(0, o.net.context + 1);
    return { exampleIndex: i, tokens, terms: tokens.map((_, t) => (t === 0 ? null : 'rationale')) };
  });
  const params = createNetParams(o.net, o.net.initialValues(selfSeed(o.seed)), 'self_encoder/');
  const trainable: Params = Object.fromEntries(Object.entries(params).filter(([, v]) => v.trainable));
  const opt = new AdamW(
    {
      lr: o.lr,
      minLrRatio: 0.1,
      warmupSteps: Math.floor(o.steps / 10),
      totalSteps: o.steps,
      beta1: 0.9,
      beta2: 0.99,
      eps: 1e-8,
      weightDecay: 0.1,
      gradClip: 1,
    },
    trainable,
  );
  const lengths = sequences.map((q) => q.tokens.length);
  const batchSeed = selfSeed(o.seed);
  let schedule: number[][] = [];
  let scheduleEpoch = -1;
  const vars = Object.values(trainable);
  // A pretrained student with LoRA trains its adapters beside the frozen weights, as the trainer
  // does (merged, every adapted layer would keep weight-sized tensors for the backward pass), and
  // without LoRA dropout: the encoder trains with no dropout. Otherwise forwardLora = forward.
  const trainForward = o.net.kind === 'hf' ? (o.net as PretrainedNet).forwardLora : o.net.forward;
  // ms per step, timed from the end of the first step (it includes one-off kernel compilation).
  let firstDone = 0;
  const t0 = performance.now();
  try {
    for (let step = 0; step < o.steps; step++) {
      const perEpoch = Math.max(1, Math.ceil(sequences.length / o.batchSize));
      const epoch = Math.floor(step / perEpoch);
      if (epoch !== scheduleEpoch) {
        schedule = epochBatches(lengths, o.batchSize, batchSeed, epoch);
        scheduleEpoch = epoch;
      }
      const b = makeBatch(sequences, schedule[step % schedule.length]!, o.tok.pad, o.net.context);
      const lr = learningRate(step, opt.config);
      const norm = tf.tidy(() => {
        const w = new Float32Array(b.batch * b.time);
        for (let i = 0; i < w.length; i++) w[i] = b.masks.rationale[i]! / Math.max(1, b.counts.rationale);
        const { grads } = tf.variableGrads(() => {
          const { logits } = trainForward(params, tf.tensor1d(b.inputs, 'int32'), b.batch, b.time);
          return weightedCrossEntropy(logits!, tf.tensor1d(b.targets, 'int32'), tf.tensor1d(w));
        }, vars);
        // variableGrads keys gradients by variable name, which carries the 'self_encoder/' prefix.
        return opt.step(
          trainable,
          Object.fromEntries(Object.entries(trainable).map(([n, v]) => [n, grads[v.name]!])),
          lr,
        );
      });
      await norm.data();
      norm.dispose();
      if (step === 0) firstDone = performance.now();
    }
  } finally {
    opt.dispose();
  }
  const end = performance.now();
  const selfStepMs = o.steps > 1 ? (end - firstDone) / (o.steps - 1) : end - t0;
  const encoder = new FrozenStudentEncoder(
    'self',
    {
      source: 'pretrained',
      steps: o.steps,
      lr: o.lr,
      batchSize: o.batchSize,
      seedStream: 'namedSeed(seed, self_encoder)',
      rationales: o.rationales.length,
    },
    params,
    o.net,
    o.tok,
  );
  encoder.timing = { selfStepMs };
  return encoder;
}

/** The frozen student of a checkpoint directory (its own tokenizer and architecture) as the 'self' encoder. */
export function selfEncoderFromCheckpoint(dir: string, runId: number): FrozenStudentEncoder {
  const ck = loadCheckpoint(dir);
  const { net, tok } = studentOfCheckpoint(ck.state);
  const params = createNetParams(net, checkpointValues(net, ck), 'self_encoder/');
  return new FrozenStudentEncoder(
    'self',
    { source: 'run', run: runId, checkpoint: dir, step: ck.state.training.step, method: ck.state.method.method },
    params,
    net,
    tok,
  );
}
