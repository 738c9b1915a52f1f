// Inference with the seed as the unit of replication (docs/methods.md, "Statistics"): a Student
// t-interval over per-seed means, and for two groups trained on the same seeds a paired t-test
// and an exact sign-flip permutation test on the per-seed differences. Examples are not
// independent replications of a training run, so these are the figures that say whether a
// difference would survive retraining.
import { mean, std } from './descriptive';
import { studentTQuantile, studentTTwoSidedP } from './tdist';

/** Below this many seeds a group interval is not computed (a t-interval on 2 values is ±12.7 sd/√2). */
export const MIN_SEEDS_FOR_INTERVAL = 3;

export interface TInterval {
  n: number;
  df: number;
  level: number;
  mean: number;
  low: number;
  high: number;
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new Error(`confidence level must be in (0, 1), got ${level}`);
}

/**
 * mean ± t_{(1+level)/2, n-1} · s/√n over the values (one per seed); null below
 * MIN_SEEDS_FOR_INTERVAL values.
 */
export function tInterval(values: readonly number[], level = 0.95): TInterval | null {
  checkLevel(level);
  const m = mean(values);
  if (values.length < MIN_SEEDS_FOR_INTERVAL) return null;
  const df = values.length - 1;
  const half = (studentTQuantile((1 + level) / 2, df) * std(values)) / Math.sqrt(values.length);
  return { n: values.length, df, level, mean: m, low: m - half, high: m + half };
}

export interface PairedTTestResult {
  n: number;
  df: number;
  meanDifference: number;
  /** Sample std of the differences. */
  sdDifference: number;
  t: number;
  /** Two-sided. */
  p: number;
  level: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * Paired t-test of H0 "mean difference 0" on per-seed differences. Returns a reason instead of a
 * result when it is undefined: fewer than 2 differences, or all differences equal (zero variance).
 */
export function pairedTTest(
  differences: readonly number[],
  level = 0.95,
): { result: PairedTTestResult; reason: null } | { result: null; reason: string } {
  checkLevel(level);
  const n = differences.length;
  if (n < 2) return { result: null, reason: `needs at least 2 shared seeds (has ${n})` };
  const m = mean(differences);
  const sd = std(differences);
  if (sd <= 1e-12 * Math.max(1, Math.abs(m))) {
    return { result: null, reason: `all ${n} per-seed differences are equal, so the t statistic is undefined` };
  }
  const df = n - 1;
  const se = sd / Math.sqrt(n);
  const t = m / se;
  const half = studentTQuantile((1 + level) / 2, df) * se;
  return {
    result: {
      n,
      df,
      meanDifference: m,
      sdDifference: sd,
      t,
      p: studentTTwoSidedP(t, df),
      level,
      ciLow: m - half,
      ciHigh: m + half,
    },
    reason: null,
  };
}

/** Largest number of seeds for which all 2^n sign patterns are enumerated. */
export const MAX_SIGN_FLIP_SEEDS = 20;

export interface SignFlipResult {
  n: number;
  /** 2^n. */
  patterns: number;
  /** Two-sided exact p: share of sign patterns whose |mean| is at least the observed |mean|. */
  p: number;
  /** The smallest p any data can reach with n seeds: 2 / 2^n (the observed pattern and its mirror). */
  minP: number;
}

/**
 * Exact sign-flip permutation test: under H0 each per-seed difference is as likely to have either
 * sign, so every one of the 2^n sign patterns is equally likely. Throws above MAX_SIGN_FLIP_SEEDS.
 */
export function signFlipTest(differences: readonly number[]): SignFlipResult {
  const n = differences.length;
  if (n === 0) throw new Error('sign-flip test: needs at least one per-seed difference');
  if (n > MAX_SIGN_FLIP_SEEDS) {
    throw new Error(`sign-flip test: enumerates 2^n patterns, so at most ${MAX_SIGN_FLIP_SEEDS} seeds (got ${n})`);
  }
  const observed = Math.abs(mean(differences)) * n;
  // Sums equal up to rounding count as "at least as extreme".
  const tolerance = 1e-9 * Math.max(1, observed);
  const patterns = 2 ** n;
  let extreme = 0;
  for (let mask = 0; mask < patterns; mask++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += mask & (1 << i) ? -differences[i]! : differences[i]!;
    if (Math.abs(s) >= observed - tolerance) extreme++;
  }
  return { n, patterns, p: extreme / patterns, minP: Math.min(1, 2 / patterns) };
}
