// Turns recorded metrics into chart series. Long runs record one point per step; a canvas is a few
// hundred pixels wide, so series are thinned to a bounded number of points (keeping the first and
// the last) to keep redraws cheap.
import type { EvalPoint, StepPoint } from '../../../../shared/types/runs';

export interface XY {
  x: number;
  y: number;
}

export const MAX_POINTS = 1500;

export function thin<T>(points: readonly T[], max = MAX_POINTS): T[] {
  if (points.length <= max) return points.slice();
  const stride = Math.ceil(points.length / max);
  const out: T[] = [];
  for (let i = 0; i < points.length; i += stride) out.push(points[i]!);
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]!);
  return out;
}

type StepKey = 'loss' | 'answerLoss' | 'rationaleLoss' | 'semanticLoss' | 'lr';

/** One per-step quantity as {x: step, y}; steps where the term is absent (null) are skipped. */
export function stepSeries(steps: readonly StepPoint[], key: StepKey): XY[] {
  const out: XY[] = [];
  for (const s of steps) {
    const y = s[key];
    if (typeof y === 'number' && Number.isFinite(y)) out.push({ x: s.step, y });
  }
  return out;
}

export function evalSeries(evals: readonly EvalPoint[], key: 'valLoss' | 'valAccuracy', scale = 1): XY[] {
  const out: XY[] = [];
  for (const e of evals) {
    const y = e[key];
    if (typeof y === 'number' && Number.isFinite(y)) out.push({ x: e.step, y: y * scale });
  }
  return out;
}

/** Appends newly fetched steps, replacing any already held at the same step (a resumed run redoes them). */
export function mergeSteps(held: readonly StepPoint[], fresh: readonly StepPoint[]): StepPoint[] {
  if (fresh.length === 0) return held.slice();
  const first = fresh[0]!.step;
  return [...held.filter((s) => s.step < first), ...fresh];
}

/** A line (or points-only series) of a chart, coloured by a key of the theme's series palette. */
export interface ChartSeries {
  label: string;
  data: XY[];
  colour: 'loss' | 'answer' | 'rationale' | 'semantic' | 'val' | 'lr' | 'accuracy';
  axis: 'y' | 'y1';
  /** Validation points are few: draw them as markers joined by a dashed line. */
  points?: boolean;
}

export interface AxisSpec {
  title: string;
  min?: number;
  max?: number;
  /** Learning rates span decades and print as 1e-3 better than 0.001. */
  exponential?: boolean;
}
