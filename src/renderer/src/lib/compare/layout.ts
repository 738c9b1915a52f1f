// Turns an experiment's groups (runs that differ only by seed) into what the charts draw: grouped
// bars (x: method and the factors not used for colour; colour: the chosen factor), robustness
// lines (x: injected hallucination rate) and cost points. Pure functions, so the charts stay thin.
import type { Aggregate, CellGroup } from '../../../../shared/types/experiments';
import type { Interval } from './errorBars';

export type ErrorMode = 'std' | 'ci';
export type Factor = 'hallucinationRate' | 'lambda' | 'encoder' | 'loss';
const FACTORS: readonly Factor[] = ['hallucinationRate', 'lambda', 'encoder', 'loss'];

export const FACTOR_NAMES: Record<Factor, string> = {
  hallucinationRate: 'hallucination rate',
  lambda: 'PST λ',
  encoder: 'PST encoder',
  loss: 'PST loss',
};

/** Factors with at least two different values among the groups. */
export function varyingFactors(groups: readonly CellGroup[]): Factor[] {
  return FACTORS.filter((f) => new Set(groups.map((g) => g.factors[f]).filter((v) => v !== null)).size >= 2);
}

export function hasRates(groups: readonly CellGroup[]): boolean {
  return groups.some((g) => g.factors.hallucinationRate !== null);
}

/** The whisker of an aggregate: mean ± sample std, or the 95% bootstrap CI. */
export function interval(a: Aggregate, mode: ErrorMode): Interval {
  if (mode === 'ci') return { low: a.ciLow, high: a.ciHigh };
  const sd = a.std ?? 0;
  return { low: a.mean - sd, high: a.mean + sd };
}

export function factorText(factor: Factor, value: number | string | null): string {
  if (value === null) return factor === 'hallucinationRate' ? 'no rate' : 'not PST';
  switch (factor) {
    case 'hallucinationRate':
      return `rate ${value}`;
    case 'lambda':
      return `λ=${value}`;
    default:
      return String(value);
  }
}

/** The method and the given varying factors, e.g. "pst λ=0.5 cosine". */
function categoryOf(g: CellGroup, factors: readonly Factor[]): string {
  return [
    g.factors.method,
    ...factors.filter((f) => g.factors[f] !== null).map((f) => factorText(f, g.factors[f])),
  ].join(' ');
}

export interface BarCell {
  groupKey: string;
  label: string;
  mean: number;
  interval: Interval;
  n: number;
}

export interface BarLayout {
  categories: string[];
  series: { label: string; cells: (BarCell | null)[] }[];
}

/**
 * Grouped bars of one metric. `colourBy` null: one series, one bar per group. Otherwise the
 * bars of a category are that factor's values (groups without the factor, e.g. answer-only under a
 * λ colouring, form their own "not PST" series).
 */
export function barLayout(
  groups: readonly CellGroup[],
  colourBy: Factor | null,
  mode: ErrorMode,
  metric: (g: CellGroup) => Aggregate | null = (g) => g.accuracy,
): BarLayout {
  const rest = varyingFactors(groups).filter((f) => f !== colourBy);
  const categories: string[] = [];
  const seriesKeys: string[] = [];
  const seriesLabels = new Map<string, string>();
  const cells = new Map<string, BarCell>();
  for (const g of groups) {
    const a = metric(g);
    if (!a) continue;
    const cat = categoryOf(g, rest);
    const value = colourBy ? g.factors[colourBy] : null;
    const sKey = colourBy ? JSON.stringify(value) : 'all';
    if (!categories.includes(cat)) categories.push(cat);
    if (!seriesLabels.has(sKey)) {
      seriesKeys.push(sKey);
      seriesLabels.set(sKey, colourBy ? factorText(colourBy, value) : 'mean over seeds');
    }
    cells.set(`${cat}\u0000${sKey}`, {
      groupKey: g.key,
      label: g.label,
      mean: a.mean,
      interval: interval(a, mode),
      n: a.n,
    });
  }
  // Numeric factor values in ascending order (rates 0, 0.3, 0.6), "not PST" last.
  seriesKeys.sort((x, y) => {
    const vx = JSON.parse(x === 'all' ? 'null' : x) as number | string | null;
    const vy = JSON.parse(y === 'all' ? 'null' : y) as number | string | null;
    if (vx === null || vy === null) return vx === null ? (vy === null ? 0 : 1) : -1;
    return typeof vx === 'number' && typeof vy === 'number' ? vx - vy : String(vx).localeCompare(String(vy));
  });
  return {
    categories,
    series: seriesKeys.map((s) => ({
      label: seriesLabels.get(s)!,
      cells: categories.map((c) => cells.get(`${c}\u0000${s}`) ?? null),
    })),
  };
}

export interface BandPoint {
  x: number;
  y: number;
  low: number;
  high: number;
}

export interface BandLine {
  label: string;
  points: BandPoint[];
}

/** Accuracy against the injected hallucination rate: a line per method (and PST option) with a band. */
export function robustnessLines(groups: readonly CellGroup[], mode: ErrorMode): BandLine[] {
  const rest = varyingFactors(groups).filter((f) => f !== 'hallucinationRate');
  const lines = new Map<string, BandPoint[]>();
  for (const g of groups) {
    const rate = g.factors.hallucinationRate;
    if (rate === null || !g.accuracy) continue;
    const label = categoryOf(g, rest);
    const iv = interval(g.accuracy, mode);
    const pts = lines.get(label) ?? [];
    pts.push({ x: rate, y: g.accuracy.mean, low: iv.low, high: iv.high });
    lines.set(label, pts);
  }
  return [...lines].map(([label, points]) => ({ label, points: points.sort((a, b) => a.x - b.x) }));
}

export interface CostPoint {
  groupKey: string;
  label: string;
  method: string;
  cost: number;
  accuracy: number;
}

/** One point per group: accuracy against its mean inference cost (tokens or ms to the answer). */
export function costPoints(groups: readonly CellGroup[], cost: 'tokens' | 'ms'): CostPoint[] {
  const out: CostPoint[] = [];
  for (const g of groups) {
    const c = cost === 'tokens' ? g.meanTokensToAnswer : g.meanMsToAnswer;
    if (!c || !g.accuracy) continue;
    out.push({ groupKey: g.key, label: g.label, method: g.factors.method, cost: c.mean, accuracy: g.accuracy.mean });
  }
  return out;
}

/** The y range a set of intervals needs (bars start at 0), with a little headroom. */
export function yExtent(intervals: readonly (Interval | null)[], floor = 0): { min: number; max: number } {
  let max = floor;
  let min = floor;
  for (const iv of intervals) {
    if (!iv) continue;
    max = Math.max(max, iv.high);
    min = Math.min(min, iv.low);
  }
  return { min, max: max === floor ? floor + 1 : max };
}
