// The one interface every PST semantic encoder implements, and what the lab does with its output
// for every encoder alike (docs/methods.md, "PST semantic targets"): subtract the training-set
// mean of e(r) and L2-normalise, so the shared component that dominates mean-pooled states
// (anisotropy) cannot carry the loss.

/** Names of the encoders a run can choose (the shared list lives in src/shared/types/runs.ts). */
export type { PstEncoderName } from '../../../../shared/types/runs';

export interface SemanticEncoder {
  /** Encoder name recorded with the run. */
  readonly name: string;
  /** What reproduces this encoder (options, source checkpoint, pre-training steps), recorded with the run. */
  readonly config: Record<string, unknown>;
  /** Dimension of e(r). */
  readonly dim: number;
  /** Raw e(r), one row per rationale, in order (neither centred nor normalised by the encoder's caller). */
  encode(rationales: readonly string[]): Promise<Float32Array[]>;
  /** What building it measured (the experiment plan's time estimate reads these from the run record). */
  readonly timing?: { selfStepMs?: number | null; encodeMsPerText?: number | null };
  /** Frees whatever the encoder holds (tensors); the encoder is unusable afterwards. */
  dispose(): void;
}

/** Mean row of a non-empty set of equal-length rows. */
export function meanRow(rows: readonly Float32Array[]): Float32Array {
  if (rows.length === 0) throw new Error('semantic targets: cannot centre an empty set of rationales');
  const dim = rows[0]!.length;
  const mean = new Float32Array(dim);
  for (const r of rows) {
    if (r.length !== dim) throw new Error(`semantic targets: rows of length ${r.length} and ${dim}`);
    for (let j = 0; j < dim; j++) mean[j]! += r[j]!;
  }
  for (let j = 0; j < dim; j++) mean[j]! /= rows.length;
  return mean;
}

/** Euclidean norm. */
export function norm(v: Float32Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j]! * v[j]!;
  return Math.sqrt(s);
}

/** (v - mean) / ||v - mean||; a row equal to the mean stays the zero vector (it carries nothing). */
export function centreNormalise(v: Float32Array, mean: Float32Array | null): Float32Array {
  const out = new Float32Array(v.length);
  for (let j = 0; j < v.length; j++) out[j] = v[j]! - (mean ? mean[j]! : 0);
  const n = norm(out);
  if (n > 0) for (let j = 0; j < out.length; j++) out[j]! /= n;
  return out;
}

/** Targets of a run: the training mean (null = not centred) and one row per example (null: no rationale). */
export interface TargetSet {
  mean: Float32Array | null;
  /** Centred, L2-normalised rows as the loss sees them. */
  rows: (Float32Array | null)[];
  /** The encoder's rows before centring (kept for the raw-diversity diagnostic). */
  raw: (Float32Array | null)[];
}

function hasRationale(r: string | null | undefined): r is string {
  return typeof r === 'string' && r.trim() !== '';
}

/** Encodes the examples' rationales; rows of examples without one are null. */
export async function encodeRationales(
  encoder: SemanticEncoder,
  rationales: readonly (string | null | undefined)[],
): Promise<(Float32Array | null)[]> {
  const idx = rationales.flatMap((r, i) => (hasRationale(r) ? [i] : []));
  const rows = await encoder.encode(idx.map((i) => rationales[i]!.trim()));
  if (rows.length !== idx.length)
    throw new Error(`semantic encoder '${encoder.name}' returned ${rows.length} rows for ${idx.length} rationales`);
  const out: (Float32Array | null)[] = rationales.map(() => null);
  idx.forEach((i, k) => {
    const row = rows[k]!;
    if (row.length !== encoder.dim)
      throw new Error(
        `semantic encoder '${encoder.name}' returned a row of ${row.length} values, expected ${encoder.dim}`,
      );
    out[i] = row;
  });
  return out;
}

/**
 * Training and validation targets of one encoder: the mean comes from the training rationales
 * only and is applied to both, so validation rows are measured in the training frame.
 */
export async function fitTargets(
  encoder: SemanticEncoder,
  train: readonly (string | null | undefined)[],
  val: readonly (string | null | undefined)[],
): Promise<{ train: TargetSet; val: TargetSet }> {
  const rawTrain = await encodeRationales(encoder, train);
  const rawVal = await encodeRationales(encoder, val);
  const present = rawTrain.filter((r): r is Float32Array => r !== null);
  const mean = meanRow(present);
  const apply = (raw: (Float32Array | null)[]): TargetSet => ({
    mean,
    raw,
    rows: raw.map((r) => (r ? centreNormalise(r, mean) : null)),
  });
  return { train: apply(rawTrain), val: apply(rawVal) };
}
