// PST's semantic target inside a training run (docs/methods.md, "PST semantic targets" and "PST
// diagnostics"): build the run's encoder, fit centred + normalised targets on the training split,
// keep them with the run, and measure the diagnostics on fixed samples.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { SemanticDiagnostics, SemanticRecord } from '../../../../shared/types/runs';
import { writeFileAtomic } from '../../fsAtomic';
import { makeBatch, type Batch } from '../batching';
import type { EncodedSet } from '../data';
import type { PstConfig } from '../methods';
import type { TrainExample } from '../methods/types';
import type { Params } from '../model';
import { createNetParams, type StudentNet } from '../student';
import { Rng, deriveSeed } from '../rng';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from '../safetensors';
import type { Tokenizer } from '../tokenizer';
import {
  DEGENERATE_DIVERSITY,
  DIAGNOSTIC_SAMPLE,
  centredShare,
  meanOffDiagonalCosine,
  retrieval,
  sampleIndices,
} from './diagnostics';
import { fitTargets, type SemanticEncoder } from './encoder';
import { ExternalEncoder } from './external';
import { HashedTfidfEncoder } from './hashedTfidf';
import { project } from './head';
import { FrozenStudentEncoder, pretrainSelfEncoder, selfEncoderFromCheckpoint } from './selfEncoder';

/** Stream id of the diagnostic samples. */
const SAMPLE_STREAM = 0xd1a6;
/** Rows per forward pass when measuring. */
const MEASURE_BATCH = 32;
/** The file in a run directory that keeps the training mean (and a pre-trained self encoder). */
export const SEMANTIC_FILE = 'semantic.safetensors';

export interface PstTargets {
  record: Omit<SemanticRecord, 'diagnostics'>;
  dim: number;
  /** Centred, normalised rows per example; null for 'self-online' (computed from the live student). */
  train: (Float32Array | null)[] | null;
  val: (Float32Array | null)[] | null;
  /** Measured once for frozen encoders (they do not change); null for 'self-online'. */
  rawDiversity: number | null;
  centredShare: number | null;
  /** Fixed sequence indices of the diagnostic samples. */
  trainSample: number[];
  valSample: number[];
}

export interface PstTargetInput {
  pst: PstConfig;
  seed: number;
  net: StudentNet;
  tok: Tokenizer;
  /** Learning rate and batch size of the run (the self encoder's pre-training uses them too). */
  lr: number;
  batchSize: number;
  train: readonly TrainExample[];
  val: readonly TrainExample[];
  trainSet: EncodedSet;
  valSet: EncodedSet;
  runDir: string | null;
}

function loadSavedSelf(file: string, net: StudentNet, tok: Tokenizer): FrozenStudentEncoder | null {
  if (!fs.existsSync(file)) return null;
  const saved = decodeSafetensors(fs.readFileSync(file), file);
  const config = saved.metadata['encoder_config'];
  if (!config) return null;
  const values = new Map(
    [...saved.tensors]
      .filter(([n]) => n.startsWith('encoder.'))
      .map(([n, t]) => [n.slice('encoder.'.length), t.data as Float32Array]),
  );
  if (values.size === 0) return null;
  return new FrozenStudentEncoder(
    'self',
    JSON.parse(config) as Record<string, unknown>,
    createNetParams(net, values, 'self_encoder/'),
    net,
    tok,
  );
}

async function buildEncoder(i: PstTargetInput): Promise<SemanticEncoder> {
  const { pst } = i;
  if (pst.encoder === 'hashed-tfidf') {
    return new HashedTfidfEncoder(
      i.train.map((e) => e.rationale ?? '').filter((r) => r.trim()),
      { dim: pst.embedDim, seed: i.seed },
    );
  }
  if (pst.encoder === 'external') {
    if (!pst.external) throw new Error(`pst: encoder external (${pst.encoderStudent ?? '?'}) has no resolved folder`);
    return ExternalEncoder.prepare(pst.external, [...i.train, ...i.val].map((e) => e.rationale));
  }
  if (pst.selfFrom !== null) {
    if (!pst.selfCheckpoint) throw new Error(`pst: selfFrom ${pst.selfFrom} has no resolved checkpoint`);
    return selfEncoderFromCheckpoint(pst.selfCheckpoint, pst.selfFrom);
  }
  const file = i.runDir ? path.join(i.runDir, SEMANTIC_FILE) : null;
  const saved = file ? loadSavedSelf(file, i.net, i.tok) : null;
  if (saved) return saved;
  return pretrainSelfEncoder({
    net: i.net,
    tok: i.tok,
    rationales: i.train.flatMap((e) => (e.rationale && e.rationale.trim() ? [e.rationale.trim()] : [])),
    steps: pst.selfSteps,
    batchSize: i.batchSize,
    lr: i.lr,
    seed: i.seed,
  });
}

/** Writes the training mean (and a pre-trained self encoder's weights) next to the run's checkpoints. */
async function saveTargets(file: string, mean: Float32Array, encoder: SemanticEncoder): Promise<void> {
  const tensors = new Map<string, SafeTensor>([['mean', { dtype: 'F32', shape: [mean.length], data: mean }]]);
  const metadata: Record<string, string> = { encoder: encoder.name, encoder_config: JSON.stringify(encoder.config) };
  if (encoder instanceof FrozenStudentEncoder && encoder.config['source'] === 'pretrained') {
    for (const [name, v] of Object.entries(encoder.weights()))
      tensors.set(`encoder.${name}`, { dtype: 'F32', shape: [...v.shape], data: (await v.data()) as Float32Array });
  }
  writeFileAtomic(file, encodeSafetensors(tensors, metadata));
}

function sampleOf(
  set: EncodedSet,
  hasTarget: (exampleIndex: number) => boolean,
  seed: number,
  split: number,
): number[] {
  const candidates = set.sequences.flatMap((q, i) => (q.semPositions?.length && hasTarget(q.exampleIndex) ? [i] : []));
  const rng = new Rng(deriveSeed(seed, SAMPLE_STREAM, split));
  return sampleIndices(candidates, DIAGNOSTIC_SAMPLE, (xs) => rng.shuffle(xs));
}

/** Builds the run's encoder and targets; the encoder is released before returning. */
export async function preparePstTargets(i: PstTargetInput): Promise<PstTargets> {
  const { pst } = i;
  if (pst.encoder === 'self-online') {
    const has = (set: EncodedSet) => (ex: number) => (set.rationaleTokens[ex]?.length ?? 0) >= 2;
    return {
      record: {
        encoder: 'self-online',
        encoderConfig: { source: 'training student (no centring)' },
        loss: pst.loss,
        dim: i.net.width,
        centred: false,
      },
      dim: i.net.width,
      train: null,
      val: null,
      rawDiversity: null,
      centredShare: null,
      trainSample: sampleOf(i.trainSet, has(i.trainSet), i.seed, 0),
      valSample: sampleOf(i.valSet, has(i.valSet), i.seed, 1),
    };
  }
  const t0 = performance.now();
  const encoder = await buildEncoder(i);
  try {
    const targets = await fitTargets(
      encoder,
      i.train.map((e) => e.rationale),
      i.val.map((e) => e.rationale),
    );
    if (i.runDir) await saveTargets(path.join(i.runDir, SEMANTIC_FILE), targets.train.mean!, encoder);
    const trainSample = sampleOf(i.trainSet, (ex) => targets.train.rows[ex] != null, i.seed, 0);
    const rawSample = trainSample.map((q) => targets.train.raw[i.trainSet.sequences[q]!.exampleIndex]!);
    return {
      record: {
        encoder: encoder.name,
        encoderConfig: encoder.config,
        loss: pst.loss,
        dim: encoder.dim,
        centred: true,
        setupMs: performance.now() - t0,
        ...(encoder.timing?.selfStepMs != null ? { selfStepMs: encoder.timing.selfStepMs } : {}),
        ...(encoder.timing?.encodeMsPerText != null ? { encodeMsPerText: encoder.timing.encodeMsPerText } : {}),
      },
      dim: encoder.dim,
      train: targets.train.rows,
      val: targets.val.rows,
      rawDiversity: meanOffDiagonalCosine(rawSample),
      centredShare: centredShare(rawSample, targets.train.mean),
      trainSample,
      valSample: sampleOf(i.valSet, (ex) => targets.val.rows[ex] != null, i.seed, 1),
    };
  } finally {
    encoder.dispose();
  }
}

export interface MeasureInput {
  targets: PstTargets;
  pst: PstConfig;
  net: StudentNet;
  pad: number;
  params: Params;
  trainSet: EncodedSet;
  valSet: EncodedSet;
  /** e(r) rows of a batch as the loss sees them ([B, D]) and which rows have one. */
  targetsFor(set: EncodedSet, b: Batch): { e: tf.Tensor2D; rows: tf.Tensor1D };
}

/** P(h_SEM) and e(r) rows of a sample, read back to the CPU (no dropout, no gradient). */
function projectSample(
  m: MeasureInput,
  set: EncodedSet,
  sample: readonly number[],
): { z: Float32Array[]; e: Float32Array[] } {
  const z: Float32Array[] = [];
  const e: Float32Array[] = [];
  const dim = m.targets.dim;
  for (let s = 0; s < sample.length; s += MEASURE_BATCH) {
    const b = makeBatch(set.sequences, sample.slice(s, s + MEASURE_BATCH), m.pad, m.net.context);
    const [zt, et, rt] = tf.tidy(() => {
      const sem = m.targetsFor(set, b);
      const { hidden } = m.net.forward(m.params, tf.tensor1d(b.inputs, 'int32'), b.batch, b.time, {
        skipLogits: true,
      });
      const pooled = tf.matMul(tf.tensor2d(b.semSelect!, [b.batch, b.batch * b.time]), hidden) as tf.Tensor2D;
      return [project(m.pst.head, m.params, pooled), sem.e, sem.rows];
    });
    const [zd, ed, rd] = [zt.dataSync(), et.dataSync(), rt.dataSync()];
    [zt, et, rt].forEach((t) => t.dispose());
    for (let r = 0; r < b.batch; r++) {
      if (!rd[r]) continue;
      z.push(Float32Array.from(zd.subarray(r * dim, (r + 1) * dim)));
      e.push(Float32Array.from(ed.subarray(r * dim, (r + 1) * dim)));
    }
  }
  return { z, e };
}

/** The diagnostics at one step (the start of training or a validation). */
export function measureSemantic(step: number, m: MeasureInput): SemanticDiagnostics {
  const train = projectSample(m, m.trainSet, m.targets.trainSample);
  const val = projectSample(m, m.valSet, m.targets.valSample);
  const diversity = meanOffDiagonalCosine(train.e);
  const rawDiversity = m.targets.record.centred ? m.targets.rawDiversity : diversity;
  const share = m.targets.centredShare;
  return {
    step,
    diversity,
    rawDiversity,
    centredShare: share,
    train: retrieval(train.z, train.e),
    val: retrieval(val.z, val.e),
    degenerate: (diversity !== null && diversity > DEGENERATE_DIVERSITY) || (share !== null && share < 0.01),
  };
}

/** The run warning for degenerate diagnostics (null when the target carries information). */
export function degenerateWarning(d: SemanticDiagnostics, encoder: string): string | null {
  if (!d.degenerate) return null;
  const div = d.diversity === null ? 'n/a' : d.diversity.toFixed(3);
  return (
    `PST semantic target is degenerate at step ${d.step} (encoder ${encoder}): mean off-diagonal cosine ${div} > ${DEGENERATE_DIVERSITY}` +
    (d.centredShare !== null && d.centredShare < 0.01
      ? ` or centring left ${(100 * d.centredShare).toFixed(2)} % of e(r)`
      : '') +
    '; the semantic loss can be met without using the rationale (docs/methods.md, "PST diagnostics")'
  );
}
