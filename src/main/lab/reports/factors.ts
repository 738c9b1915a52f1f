// How groups of an experiment are named and arranged in tables and charts: a "row" is a method
// variant (method plus the PST options that vary in this experiment) and a "condition" is the
// injected hallucination rate. Options that have one value across the whole experiment are left out
// of the labels, so "pst" stays "pst" unless the experiment is a lambda/encoder/loss ablation.
import type { CellGroup } from '../../../shared/types/experiments';
import { METHOD_IDS } from '../../../shared/types/runs';

export interface Varying {
  hallucinationRate: boolean;
  answerTarget: boolean;
  lambda: boolean;
  encoder: boolean;
  loss: boolean;
}

function distinctCount<T>(values: readonly T[]): number {
  return new Set(values.map((v) => JSON.stringify(v))).size;
}

export function varyingFactors(groups: readonly CellGroup[]): Varying {
  return {
    hallucinationRate: distinctCount(groups.map((g) => g.factors.hallucinationRate)) > 1,
    answerTarget: distinctCount(groups.map((g) => g.factors.answerTarget ?? null)) > 1,
    lambda: distinctCount(groups.map((g) => g.factors.lambda)) > 1,
    encoder: distinctCount(groups.map((g) => g.factors.encoder)) > 1,
    loss: distinctCount(groups.map((g) => g.factors.loss)) > 1,
  };
}

export function rowKey(f: CellGroup['factors']): string {
  return JSON.stringify([f.method, f.lambda, f.encoder, f.loss, f.answerTarget ?? null]);
}

/** "pst (λ=0.5, hashed-tfidf, mse, teacher target)" with only the options that vary. */
export function rowLabel(f: CellGroup['factors'], varying: Varying): string {
  const opts: string[] = [];
  if (varying.answerTarget && f.answerTarget) opts.push(`${f.answerTarget} target`);
  if (varying.lambda && f.lambda !== null) opts.push(`λ=${f.lambda}`);
  if (varying.encoder && f.encoder !== null) opts.push(f.encoder);
  if (varying.loss && f.loss !== null) opts.push(f.loss);
  return opts.length > 0 ? `${f.method} (${opts.join(', ')})` : f.method;
}

/** Orders groups by the spec's method order, then the PST options, then the hallucination rate. */
export function sortGroups(groups: readonly CellGroup[], methodOrder: readonly string[]): CellGroup[] {
  const order = [...methodOrder, ...METHOD_IDS.filter((m) => !methodOrder.includes(m))];
  const rank = (m: string): number => {
    const i = order.indexOf(m);
    return i < 0 ? order.length : i;
  };
  const cmp = (a: number | string | null, b: number | string | null): number => {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    return a < b ? -1 : 1;
  };
  return [...groups].sort(
    (x, y) =>
      cmp(x.factors.answerTarget ?? null, y.factors.answerTarget ?? null) ||
      rank(x.factors.method) - rank(y.factors.method) ||
      cmp(x.factors.lambda, y.factors.lambda) ||
      cmp(x.factors.encoder, y.factors.encoder) ||
      cmp(x.factors.loss, y.factors.loss) ||
      cmp(x.factors.hallucinationRate, y.factors.hallucinationRate),
  );
}

export interface Layout {
  varying: Varying;
  /** Method variants in display order. */
  rows: { key: string; label: string }[];
  /** Hallucination rates in ascending order; [null] when the experiment has no rate factor. */
  conditions: (number | null)[];
  /** The group of a row under a condition, if any. */
  cell(rowKey: string, condition: number | null): CellGroup | undefined;
}

/** Arranges groups as a rows x conditions grid (the shape of the LaTeX table and the bar chart). */
export function layoutGroups(groups: readonly CellGroup[], methodOrder: readonly string[]): Layout {
  const sorted = sortGroups(groups, methodOrder);
  const varying = varyingFactors(sorted);
  const rows: { key: string; label: string }[] = [];
  const cells = new Map<string, CellGroup>();
  const rates = new Set<number | null>();
  for (const g of sorted) {
    const key = rowKey(g.factors);
    if (!rows.some((r) => r.key === key)) rows.push({ key, label: rowLabel(g.factors, varying) });
    const rate = varying.hallucinationRate ? g.factors.hallucinationRate : null;
    rates.add(rate);
    cells.set(JSON.stringify([key, rate]), g);
  }
  const conditions = [...rates].sort((a, b) => (a ?? -1) - (b ?? -1));
  return { varying, rows, conditions, cell: (k, c) => cells.get(JSON.stringify([k, c])) };
}

export function conditionLabel(rate: number | null): string {
  return rate === null ? 'accuracy' : `hallucination rate ${rate}`;
}
