// Whether PST's semantic target carries information (docs/methods.md, "PST diagnostics"):
// the diversity of the targets (mean off-diagonal cosine) and how well the projected student
// states P(h_SEM) pick out their own rationale among a fixed sample.
import type { RetrievalDiagnostics } from '../../../../shared/types/runs';
import { norm } from './encoder';

/** Mean cosine above which a target set counts as degenerate (no information). */
export const DEGENERATE_DIVERSITY = 0.95;
/** A sample's size limit for the diagnostics. */
export const DIAGNOSTIC_SAMPLE = 256;

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let j = 0; j < a.length; j++) dot += a[j]! * b[j]!;
  const n = norm(a) * norm(b);
  return n > 0 ? dot / n : 0;
}

/**
 * Mean off-diagonal cosine of a set of rows (1 = all the same direction, about 0 = unrelated).
 * Zero rows (a target equal to the training mean) count as identical to each other (cosine 1):
 * they carry no information, and the measure must say so. Null with fewer than two rows.
 */
export function meanOffDiagonalCosine(rows: readonly Float32Array[]): number | null {
  const n = rows.length;
  if (n < 2) return null;
  const norms = rows.map(norm);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) sum += norms[i]! === 0 && norms[j]! === 0 ? 1 : cosine(rows[i]!, rows[j]!);
  }
  return sum / ((n * (n - 1)) / 2);
}

/**
 * Mean over rows of ||raw - mean|| / ||raw||: the share of e(r) that differs across rationales.
 * Near 0 means centring leaves (almost) nothing but numerical residue.
 */
export function centredShare(raw: readonly Float32Array[], mean: Float32Array | null): number | null {
  if (raw.length === 0) return null;
  if (!mean) return 1;
  let sum = 0;
  for (const r of raw) {
    const d = new Float32Array(r.length);
    for (let j = 0; j < r.length; j++) d[j] = r[j]! - mean[j]!;
    const n = norm(r);
    sum += n > 0 ? norm(d) / n : 0;
  }
  return sum / raw.length;
}

/**
 * Retrieval of own target: for each i, the cosines of z_i to every target e_j of the sample; row i
 * scores top-k when e_i is among the k most similar. Ties are broken uniformly at random in
 * expectation (own target tied with t others and beaten by g: P(top-k) = clamp((k - g)/(t + 1))),
 * so identical targets score exactly chance (k/n).
 */
export function retrieval(z: readonly Float32Array[], e: readonly Float32Array[]): RetrievalDiagnostics | null {
  const n = z.length;
  if (n !== e.length) throw new Error(`retrieval: ${n} projections but ${e.length} targets`);
  if (n < 2) return null;
  const tol = 1e-6;
  let top1 = 0;
  let top5 = 0;
  let own = 0;
  let others = 0;
  for (let i = 0; i < n; i++) {
    const c = e.map((t) => cosine(z[i]!, t));
    const mine = c[i]!;
    let greater = 0;
    let ties = 0;
    c.forEach((x, j) => {
      if (j === i) return;
      if (x > mine + tol) greater++;
      else if (Math.abs(x - mine) <= tol) ties++;
      others += x;
    });
    const p = (k: number): number => Math.min(1, Math.max(0, (k - greater) / (ties + 1)));
    top1 += p(1);
    top5 += p(5);
    own += mine;
  }
  return {
    n,
    top1: top1 / n,
    top5: top5 / n,
    chanceTop1: 1 / n,
    chanceTop5: Math.min(5, n) / n,
    cosOwn: own / n,
    cosOthers: others / (n * (n - 1)),
  };
}

/** Indices of a fixed sample (at most `size`, drawn with the given Rng-like shuffle), in ascending order. */
export function sampleIndices(
  candidates: readonly number[],
  size: number,
  shuffle: (xs: number[]) => number[],
): number[] {
  if (candidates.length <= size) return [...candidates];
  return shuffle([...candidates])
    .slice(0, size)
    .sort((a, b) => a - b);
}
