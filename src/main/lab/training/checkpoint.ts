// Checkpoints: <dir>/model.safetensors (student weights + PST projection head, loadable by other
// frameworks), <dir>/optimizer.safetensors (AdamW moments) and <dir>/checkpoint.json (everything
// else needed to continue exactly: configs, tokenizer, optimizer step, data position, seed).
// Dropout and shuffling streams are derived from (seed, step) / (seed, epoch), so the step and
// the seed are the whole RNG state.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { MethodConfig } from './methods';
import type { ModelConfig } from './model';
import type { OptimizerConfig } from './optimizer';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from './safetensors';
import type { TokenizerJSON } from './tokenizer';

export const CHECKPOINT_FORMAT = 'pst-lab-checkpoint/1';

export interface CheckpointState {
  format: typeof CHECKPOINT_FORMAT;
  model: ModelConfig;
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
  for (const [name, t] of vars) out.set(name, { dtype: 'F32', shape: [...t.shape], data: (await t.data()) as Float32Array });
  return out;
}

function writeFileAtomic(file: string, data: Buffer | string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Writes a checkpoint directory; files are replaced atomically, the JSON last (it marks completeness). */
export async function saveCheckpoint(
  dir: string,
  params: Record<string, tf.Variable>,
  moments: { m: Map<string, tf.Variable>; v: Map<string, tf.Variable> },
  state: CheckpointState,
): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const meta = { format: 'pt', producer: 'pst-lab' };
  writeFileAtomic(path.join(dir, 'model.safetensors'), encodeSafetensors(await toSafe(Object.entries(params)), meta));
  const opt = await toSafe([
    ...[...moments.m].map(([n, t]) => [`exp_avg.${n}`, t] as [string, tf.Tensor]),
    ...[...moments.v].map(([n, t]) => [`exp_avg_sq.${n}`, t] as [string, tf.Tensor]),
  ]);
  writeFileAtomic(path.join(dir, 'optimizer.safetensors'), encodeSafetensors(opt, meta));
  writeFileAtomic(path.join(dir, 'checkpoint.json'), JSON.stringify(state, null, 2));
}

export interface LoadedCheckpoint {
  state: CheckpointState;
  weights: Map<string, SafeTensor>;
  /** Null when the optimizer file is absent (weights-only export). */
  moments: { m: Map<string, SafeTensor>; v: Map<string, SafeTensor> } | null;
}

export function loadCheckpoint(dir: string): LoadedCheckpoint {
  const jsonPath = path.join(dir, 'checkpoint.json');
  if (!fs.existsSync(jsonPath)) throw new Error(`${jsonPath}: no checkpoint here`);
  const state = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as CheckpointState;
  if (state.format !== CHECKPOINT_FORMAT) throw new Error(`${jsonPath}: format '${String(state.format)}' is not ${CHECKPOINT_FORMAT}`);
  const modelPath = path.join(dir, 'model.safetensors');
  const weights = decodeSafetensors(fs.readFileSync(modelPath), modelPath).tensors;
  const optPath = path.join(dir, 'optimizer.safetensors');
  let moments: LoadedCheckpoint['moments'] = null;
  if (fs.existsSync(optPath)) {
    const t = decodeSafetensors(fs.readFileSync(optPath), optPath).tensors;
    moments = { m: new Map(), v: new Map() };
    for (const [name, st] of t) {
      if (name.startsWith('exp_avg_sq.')) moments.v.set(name.slice('exp_avg_sq.'.length), st);
      else if (name.startsWith('exp_avg.')) moments.m.set(name.slice('exp_avg.'.length), st);
    }
  }
  return { state, weights, moments };
}
