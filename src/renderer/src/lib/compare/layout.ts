// Turns an experiment's groups (runs that differ only by seed) into what the charts draw: grouped
// bars (x: method and the factors not used for colour; colour: the chosen factor), robustness
// lines (x: injected hallucination rate) and cost points, with the majority-class and chance
// baselines next to every accuracy. Pure functions, so the charts stay thin.
import type { Aggregate, CellGroup } from '../../../../shared/types/experiments';
import type { Interval } from './errorBars';

export type ErrorMode = 'std' | 'ci';
export type Factor = 'hallucinationRate' | 'answerTarget' | 'lambda' | 'encoder' | 'loss';
const FACTORS: readonly Factor[] = ['hallucinationRate', 'answerTarget', 'lambda', 'encoder', 'loss'];

/** A group's value of a factor; answerTarget is absent on experiments that do not vary it. */
export function factorValue(g: CellGroup, f: Factor): number | string | null {
  return g.factors[f] ?? null;
}

export const FACTOR_NAMES: Record<Factor, string> = {
  hallucinationRate: 'hallucination rate',
  answerTarget: 'answer target',
  lambda: 'PST λ',
  encoder: 'PST encoder',
  loss: 'PST loss',
};

/** Factors with at least two different values among the groups. */
export function varyingFactors(groups: readonly CellGroup[]): Factor[] {
  return FACTORS.filter((f) => new Set(groups.map((g) => factorValue(g, f)).filter((v) => v !== null)).size >= 2);
}

export function hasRates(groups: readonly CellGroup[]): boolean {
  return groups.some((g) => g.factors.hallucinationRate !== null);
}

/**
 * The whisker of an aggregate: mean ± sample std, or the 95% t-interval over seeds. Null when there
 * is none to draw (one seed; or fewer than 3 seeds for the t-interval, which is then not computable).
 */
export function interval(a: Aggregate, mode: ErrorMode): Interval | null {
  if (mode === 'ci') return a.ci.low === null || a.ci.high === null ? null : { low: a.ci.low, high: a.ci.high };
  if (a.std === null) return null;
  return { low: a.mean - a.std, high: a.mean + a.std };
}

/** Majority-class baseline and chance (null: open answers) of a group's test examples. */
export interface BaselineMark {
  majority: number;
  chance: number | null;
}

export function baselineOf(g: CellGroup): BaselineMark | null {
  return g.baselines ? { majority: g.baselines.majority.accuracy, chance: g.baselines.chance } : null;
}

export function factorText(factor: Factor, value: number | string | null): string {
  if (value === null) return factor === 'hallucinationRate' ? 'no rate' : factor === 'answerTarget' ? 'method default' : 'not PST';
  switch (factor) {
    case 'hallucinationRate':
      return `rate ${value}`;
    case 'answerTarget':
      return `${value} target`;
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
    ...factors.filter((f) => factorValue(g, f) !== null).map((f) => factorText(f, factorValue(g, f))),
  ].join(' ');
}

export interface BarCell {
  groupKey: string;
  label: string;
  mean: number;
  interval: Interval | null;
  /** What the interval is, for the tooltip ("95% t-interval over 5 seeds", "not computable (n=2 seeds)"). */
  intervalText: string;
  n: number;
  /** Accuracy bars only: the baselines of the group's test examples. */
  baseline: BaselineMark | null;
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
  withBaselines = true,
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
    const value = colourBy ? factorValue(g, colourBy) : null;
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
      intervalText:
        mode === 'ci' ? a.ci.description : a.std === null ? 'std undefined (1 seed)' : `± 1 std over ${a.n} seeds`,
      n: a.n,
      baseline: withBaselines ? baselineOf(g) : null,
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
  /** Null: no band at this point (the interval is not computable). */
  low: number | null;
  high: number | null;
}

export interface BandLine {
  label: string;
  points: BandPoint[];
}

/** A plain reference line (a baseline) drawn dashed, without a band. */
export interface ReferenceLine {
  label: string;
  points: { x: number; y: number }[];
  dash: number[];
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
    pts.push({ x: rate, y: g.accuracy.mean, low: iv?.low ?? null, high: iv?.high ?? null });
    lines.set(label, pts);
  }
  return [...lines].map(([label, points]) => ({ label, points: points.sort((a, b) => a.x - b.x) }));
}

/**
 * The majority-class baseline and chance against the hallucination rate (the test questions are the
 * same at every rate, so normally flat lines); chance is left out where the answers are open.
 */
export function baselineLines(groups: readonly CellGroup[]): ReferenceLine[] {
  const byRate = new Map<number, BaselineMark>();
  for (const g of groups) {
    const b = baselineOf(g);
    if (g.factors.hallucinationRate === null || !b || byRate.has(g.factors.hallucinationRate)) continue;
    byRate.set(g.factors.hallucinationRate, b);
  }
  const rates = [...byRate.keys()].sort((a, b) => a - b);
  const lines: ReferenceLine[] = [];
  if (rates.length === 0) return lines;
  lines.push({
    label: 'majority baseline',
    points: rates.map((x) => ({ x, y: byRate.get(x)!.majority })),
    dash: [6, 4],
  });
  const chance = rates.filter((x) => byRate.get(x)!.chance !== null);
  if (chance.length > 0)
    lines.push({ label: 'chance', points: chance.map((x) => ({ x, y: byRate.get(x)!.chance! })), dash: [2, 3] });
  return lines;
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
