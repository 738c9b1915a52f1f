// Number formatting shared by every report, so the HTML, Markdown and LaTeX tables print the same
// digits for the same value. Accuracies in the results are fractions in [0, 1]; reports show percent.
import type { Aggregate } from '../../../shared/types/experiments';

export const MINUS = '\u2212';

/** Fixed decimals; negative zero prints as 0. */
export function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}

export function percent(fraction: number, digits = 1): string {
  return fixed(fraction * 100, digits);
}

/** "71.3 ± 2.1" (std omitted when undefined, i.e. a single seed). */
export function meanStd(agg: Aggregate, digits: number, scale = 1, pm = ' ± '): string {
  const m = fixed(agg.mean * scale, digits);
  return agg.std === null ? m : `${m}${pm}${fixed(agg.std * scale, digits)}`;
}

/** "[69.0, 73.6]" for the seed-level t-interval, "not enough seeds (n=2)" below 3 seeds. */
export function ciText(agg: Aggregate, digits: number, scale = 1): string {
  const { low, high, n } = agg.ci;
  if (low === null || high === null) return `not enough seeds (n=${n})`;
  return `[${fixed(low * scale, digits)}, ${fixed(high * scale, digits)}]`;
}

/** A fraction as a percentage, or a placeholder for null ("n/a" for chance on open answers). */
export function percentOr(fraction: number | null | undefined, digits = 1, missing = '—'): string {
  return fraction === null || fraction === undefined ? missing : percent(fraction, digits);
}

/** p-values: three decimals, and "< 0.001" below that (never a misleading 0.000). */
export function pValue(p: number): string {
  return p < 0.001 ? '< 0.001' : fixed(p, 3);
}

/** A signed difference in percentage points, e.g. "+4.2" / "−1.0". */
export function signedPercent(fraction: number, digits = 1): string {
  const s = percent(Math.abs(fraction), digits);
  if (Number(s) === 0) return s;
  return fraction > 0 ? `+${s}` : `${MINUS}${s}`;
}

export function durationText(ms: number | null): string {
  if (ms === null) return '';
  const s = ms / 1000;
  if (s < 60) return `${fixed(s, 1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${fixed(s - m * 60, 0)} s`;
}
