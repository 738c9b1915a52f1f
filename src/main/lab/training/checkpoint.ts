// Checkpoints: <dir>/model.safetensors (student weights + PST projection head, loadable by other
// frameworks), <dir>/optimizer.safetensors (AdamW moments) and <dir>/checkpoint.json (everything
// else needed to continue exactly: configs, tokenizer, optimizer step, data position, seed, and
// the size and SHA-256 of the other two files). <dir>.prev keeps the previous whole checkpoint.
// Dropout and shuffling streams are derived from (seed, step) / (seed, epoch), so the step and
// the seed are the whole RNG state.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { MethodConfig } from './methods';
import type { ModelConfig } from './model';
import type { PretrainedStudentRecord } from './student';
import type { OptimizerConfig } from './optimizer';
import { fsyncDir, writeFileAtomic } from '../fsAtomic';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from './safetensors';
import type { TokenizerJSON } from './tokenizer';

export const CHECKPOINT_FORMAT = 'pst-lab-checkpoint/1';

export interface CheckpointState {
  format: typeof CHECKPOINT_FORMAT;
  /**
   * The char GPT's config, or the pretrained student's record: then model.safetensors holds the
   * trainable parameters only (with LoRA: adapters, marker rows, PST head) and the frozen base
   * weights are read from the student's folder, whose file hashes the record keeps.
   */
  model: ModelConfig | PretrainedStudentRecord;
  method: MethodConfig;
  tokenizer: TokenizerJSON;
  optimizer: OptimizerConfig & { t: number };
  training: {
    seed: number;
    batchSize: number;
    /** Steps completed; training continues with step `step`. */
    step: number;
    /** RNG state: every random stream is derived from the seed and the step/epoch. */
    rng: { seed: number; derivation: 'deriveSeed(seed, stream, step|epoch)' };
  };
  /** Validation bookkeeping so early stopping and best tracking resume too. */
  validation: { bestScore: number | null; bestStep: number | null; bestAccuracy: number | null; sinceBest: number };
  backend: string;
  savedAt: string;
}

async function toSafe(vars: Iterable<[string, tf.Tensor]>): Promise<Map<string, SafeTensor>> {
  const out = new Map<string, SafeTensor>();
  for (const [name, t] of vars)
    out.set(name, { dtype: 'F32', shape: [...t.shape], data: (await t.data()) as Float32Array });
  return out;
}

/** What a checkpoint directory holds besides checkpoint.json, with their sizes and SHA-256. */
export type CheckpointManifest = Record<string, { bytes: number; sha256: string }>;

function sha256(data: Uint8Array | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/**
 * Test-only fault injection: PST_LAB_TEST_CRASH_CHECKPOINT="<file|swap>@<step>" kills this process
 * (SIGKILL, no clean-up) right after that file of the step's checkpoint is written, or between
 * the two renames that put a new checkpoint in place ("swap").
 */
function crashPoint(point: string, step: number): void {
  const spec = process.env.PST_LAB_TEST_CRASH_CHECKPOINT;
  if (spec && spec === `${point}@${step}`) process.kill(process.pid, 'SIGKILL');
}

/** The previous complete checkpoint kept beside `dir`, used when `dir` is missing or torn. */
export function previousCheckpointDir(dir: string): string {
  return `${dir}.prev`;
}

/**
 * Writes a checkpoint crash-safely (docs/methods.md, "Crash safety"): every file goes to a fresh
 * staging directory and is fsynced, checkpoint.json (with the other files' hashes) is written
 * last, then the old checkpoint is renamed to <dir>.prev and the staging directory to <dir>. A
 * crash at any moment leaves either <dir> or <dir>.prev whole.
 */
export async function saveCheckpoint(
  dir: string,
  params: Record<string, tf.Variable>,
  moments: { m: Map<string, tf.Variable>; v: Map<string, tf.Variable> },
  state: CheckpointState,
): Promise<void> {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  // Staging folders of saves that a crash interrupted are garbage.
  for (const name of fs.readdirSync(parent)) {
    if (name.startsWith(`${path.basename(target)}.staging-`))
      fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  const staging = `${target}.staging-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.mkdirSync(staging);
  const step = state.training.step;
  const meta = { format: 'pt', producer: 'pst-lab' };
  const files: CheckpointManifest = {};
  const put = (name: string, data: Uint8Array): void => {
    writeFileAtomic(path.join(staging, name), data);
    files[name] = { bytes: data.length, sha256: sha256(data) };
    crashPoint(name, step);
  };
  put('model.safetensors', encodeSafetensors(await toSafe(Object.entries(params)), meta));
  const opt = await toSafe([
    ...[...moments.m].map(([n, t]) => [`exp_avg.${n}`, t] as [string, tf.Tensor]),
    ...[...moments.v].map(([n, t]) => [`exp_avg_sq.${n}`, t] as [string, tf.Tensor]),
  ]);
  put('optimizer.safetensors', encodeSafetensors(opt, meta));
  writeFileAtomic(path.join(staging, 'checkpoint.json'), JSON.stringify({ ...state, files }, null, 2));
  crashPoint('checkpoint.json', step);
  const prev = previousCheckpointDir(target);
  if (fs.existsSync(target)) {
    // Only a whole checkpoint may become the fallback; a torn one is set aside for inspection.
    const keep = tornReason(target) === null ? prev : `${target}.torn`;
    fs.rmSync(keep, { recursive: true, force: true });
    fs.renameSync(target, keep);
    crashPoint('swap', step);
  }
  fs.renameSync(staging, target);
  fsyncDir(parent);
}

export interface LoadedCheckpoint {
  state: CheckpointState;
  weights: Map<string, SafeTensor>;
  /** Null when the optimizer file is absent (weights-only export). */
  moments: { m: Map<string, SafeTensor>; v: Map<string, SafeTensor> } | null;
  /** The directory actually read: `dir`, or its previous checkpoint when `dir` was missing or torn. */
  dir: string;
  /** Why the previous checkpoint was used instead of `dir`; null when `dir` was whole. */
  fallback: string | null;
}

/** Why the checkpoint in `dir` is not whole (files missing or not matching its manifest), or null. */
export function tornReason(dir: string): string | null {
  try {
    loadWhole(dir, false);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Reads one checkpoint directory, verifying every file against the manifest; throws when torn. */
function loadWhole(dir: string, decode = true): Omit<LoadedCheckpoint, 'fallback'> {
  const jsonPath = path.join(dir, 'checkpoint.json');
  if (!fs.existsSync(jsonPath)) throw new Error(`${jsonPath}: no checkpoint here`);
  let parsed: CheckpointState & { files?: CheckpointManifest };
  try {
    parsed = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as CheckpointState & { files?: CheckpointManifest };
  } catch (err) {
    throw new Error(`${jsonPath}: unreadable (${(err as Error).message})`);
  }
  const { files, ...state } = parsed;
  if (state.format !== CHECKPOINT_FORMAT)
    throw new Error(`${jsonPath}: format '${String(state.format)}' is not ${CHECKPOINT_FORMAT}`);
  const read = (name: string): Buffer | null => {
    const file = path.join(dir, name);
    const entry = files?.[name];
    if (!fs.existsSync(file)) {
      if (entry) throw new Error(`${file}: missing, the checkpoint is torn`);
      return null;
    }
    const data = fs.readFileSync(file);
    // Checkpoints written before manifests existed carry no hashes and are taken as they are.
    if (files && !entry) throw new Error(`${file}: not listed in ${jsonPath}, the checkpoint is torn`);
    if (entry && (entry.bytes !== data.length || entry.sha256 !== sha256(data))) {
      throw new Error(
        `${file}: does not match the hash in ${jsonPath} (step ${state.training.step}), the checkpoint is torn`,
      );
    }
    return data;
  };
  const modelPath = path.join(dir, 'model.safetensors');
  const modelData = read('model.safetensors');
  if (!modelData) throw new Error(`${modelPath}: missing`);
  const optData = read('optimizer.safetensors');
  if (!decode) return { state: state as CheckpointState, weights: new Map(), moments: null, dir };
  const weights = decodeSafetensors(modelData, modelPath).tensors;
  const optPath = path.join(dir, 'optimizer.safetensors');
  let moments: LoadedCheckpoint['moments'] = null;
  if (optData) {
    const t = decodeSafetensors(optData, optPath).tensors;
    moments = { m: new Map(), v: new Map() };
    for (const [name, st] of t) {
      if (name.startsWith('exp_avg_sq.')) moments.v.set(name.slice('exp_avg_sq.'.length), st);
      else if (name.startsWith('exp_avg.')) moments.m.set(name.slice('exp_avg.'.length), st);
    }
  }
  return { state: state as CheckpointState, weights, moments, dir };
}

/**
 * Loads the checkpoint in `dir`; when it is missing or torn, the previous complete one
 * (<dir>.prev) is loaded instead and `fallback` says why. Throws when neither is whole.
 */
export function loadCheckpoint(dir: string): LoadedCheckpoint {
  let reason: string;
  try {
    return { ...loadWhole(dir), fallback: null };
  } catch (err) {
    reason = (err as Error).message;
  }
  const prev = previousCheckpointDir(dir);
  if (fs.existsSync(prev)) {
    try {
      const loaded = loadWhole(prev);
      return {
        ...loaded,
        fallback: `${reason}; continuing from the previous complete checkpoint (step ${loaded.state.training.step})`,
      };
    } catch (err) {
      throw new Error(`${reason}; the previous checkpoint is not usable either: ${(err as Error).message}`);
    }
  }
  throw new Error(reason);
}

/** The step a run would resume from (its newest whole checkpoint), or null when there is none. */
export function resumableStep(dir: string): number | null {
  try {
    return loadCheckpoint(dir).state.training.step;
  } catch {
    return null;
  }
}
