// The paired bootstrap over examples between two methods. It resamples test examples only, so it
// is conditional on the trained models (examples as the unit): it says whether these particular
// checkpoints differ on this test distribution, not whether the methods differ across retraining
// (for that see seedLevel.ts and docs/methods.md, "Statistics"). Seeded so that a report
// regenerated from the same data shows the same interval.
import { mean, quantileSorted } from './descriptive';
import { Rng } from '../../../shared/mulberry32';

export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 10 000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** PRNG seed (default 0). */
  seed?: number;
}

export interface ConfidenceInterval {
  estimate: number;
  lower: number;
  upper: number;
  level: number;
  resamples: number;
  seed: number;
}

function resolve(opts: BootstrapOptions): { resamples: number; level: number; seed: number } {
  const resamples = opts.resamples ?? 10_000;
  const level = opts.level ?? 0.95;
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new Error(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: level must be in (0, 1), got ${level}`);
  return { resamples, level, seed };
}

/**
 * Per-example scores of one method: rows are seeds (runs), columns are examples, in the same
 * example order for both methods (e.g. 1 = correct, 0 = wrong).
 */
export type ScoreMatrix = readonly (readonly number[])[];

export interface PairedBootstrapResult {
  /** Observed mean(a) - mean(b) over all seeds and examples. */
  meanDiff: number;
  ci: ConfidenceInterval;
  /**
   * Two-sided p-value for "no difference": twice the smaller share of resampled differences on
   * either side of zero, with the +1 correction so it is never exactly 0. This is the smallest
   * alpha at which the percentile interval excludes zero.
   */
  pValue: number;
  examples: number;
  seeds: number;
}

function checkMatrices(a: ScoreMatrix, b: ScoreMatrix): { seeds: number; examples: number } {
  if (a.length === 0) throw new Error('pairedBootstrap: needs at least one seed');
  if (a.length !== b.length)
    throw new Error(`pairedBootstrap: method A has ${a.length} seeds, method B has ${b.length}`);
  const examples = a[0]!.length;
  if (examples === 0) throw new Error('pairedBootstrap: needs at least one example');
  for (let s = 0; s < a.length; s++) {
    if (a[s]!.length !== examples || b[s]!.length !== examples) {
      throw new Error(
        `pairedBootstrap: seed ${s} has ${a[s]!.length} (A) and ${b[s]!.length} (B) examples, expected ${examples}`,
      );
    }
    for (let i = 0; i < examples; i++) {
      if (!Number.isFinite(a[s]![i]!) || !Number.isFinite(b[s]![i]!))
        throw new Error(`pairedBootstrap: seed ${s} example ${i} is not a finite number`);
    }
  }
  return { seeds: a.length, examples };
}

/**
 * Paired bootstrap over examples (Koehn 2004; Berg-Kirkpatrick et al. 2012): both methods were
 * evaluated on the same examples with the same seeds, so each resample draws example indices
 * once and uses them for every seed of both methods. That keeps the pairing (an easy example is
 * easy for both) and averages seed noise instead of treating seeds as independent examples.
 */
export function pairedBootstrap(a: ScoreMatrix, b: ScoreMatrix, opts: BootstrapOptions = {}): PairedBootstrapResult {
  const { resamples, level, seed } = resolve(opts);
  const { seeds, examples } = checkMatrices(a, b);
  // Per-example difference averaged over seeds: the resampling unit is the example.
  const diff = new Array<number>(examples).fill(0);
  for (let s = 0; s < seeds; s++) for (let i = 0; i < examples; i++) diff[i]! += (a[s]![i]! - b[s]![i]!) / seeds;
  const meanDiff = mean(diff);
  const rng = new Rng(seed);
  const stats = new Array<number>(resamples);
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < examples; i++) sum += diff[rng.index(examples)]!;
    const d = sum / examples;
    stats[r] = d;
    if (d <= 0) atOrBelow++;
    if (d >= 0) atOrAbove++;
  }
  stats.sort((x, y) => x - y);
  const pValue = Math.min(1, (2 * (Math.min(atOrBelow, atOrAbove) + 1)) / (resamples + 1));
  return {
    meanDiff,
    ci: {
      estimate: meanDiff,
      lower: quantileSorted(stats, (1 - level) / 2),
      upper: quantileSorted(stats, (1 + level) / 2),
      level,
      resamples,
      seed,
    },
    pValue,
    examples,
    seeds,
  };
}
