// Descriptive statistics over seeds / examples. Undefined quantities are errors or nulls, never
// NaN: a NaN silently turns into "null" in JSON and into a missing bar in a chart.

function requireFinite(xs: readonly number[], what: string): void {
  if (xs.length === 0) throw new Error(`${what}: needs at least one value`);
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i]!)) throw new Error(`${what}: value ${i} is not a finite number (${xs[i]})`);
  }
}

export function mean(xs: readonly number[]): number {
  requireFinite(xs, 'mean');
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n - 1 denominator). Throws for fewer than two values. */
export function std(xs: readonly number[]): number {
  requireFinite(xs, 'std');
  if (xs.length < 2) throw new Error('std: the sample standard deviation needs at least two values');
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

/**
 * Quantile by linear interpolation between order statistics (Hyndman & Fan type 7, the default
 * of R and NumPy). `sorted` must be ascending.
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile: needs at least one value');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile: q must be in [0, 1], got ${q}`);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (h - lo) * (b - a);
}

export interface Summary {
  n: number;
  mean: number;
  /** Sample std; null for a single value (undefined, not zero). */
  std: number | null;
  min: number;
  max: number;
}

export function summarize(xs: readonly number[]): Summary {
  requireFinite(xs, 'summarize');
  return {
    n: xs.length,
    mean: mean(xs),
    std: xs.length >= 2 ? std(xs) : null,
    min: Math.min(...xs),
    max: Math.max(...xs),
  };
}
