// The tables every report shows, as plain-text cells: the HTML and Markdown writers render the same
// Table objects, so the two formats cannot disagree on a number.
import type { CellGroup } from '../../../shared/types/experiments';
import { layoutGroups, rowLabel, sortGroups, varyingFactors } from './factors';
import { ciText, durationText, meanStd, pValue, signedPercent } from './format';
import type { ReportExperiment } from './types';

export interface TableColumn {
  title: string;
  align: 'left' | 'right';
}

export interface Table {
  columns: TableColumn[];
  rows: string[][];
}

const left = (title: string): TableColumn => ({ title, align: 'left' });
const right = (title: string): TableColumn => ({ title, align: 'right' });

/** Decimals of accuracies in percent, and of tokens / milliseconds to answer. */
export const ACCURACY_DIGITS = 1;
export const COST_DIGITS = 1;

function methodOrder(exp: ReportExperiment): string[] {
  return exp.experiment.spec.methods ?? [];
}

/** The groups in the order of the tables and charts. */
export function orderedGroups(exp: ReportExperiment): CellGroup[] {
  return sortGroups(exp.groups, methodOrder(exp));
}

/** Method variants x conditions (see factors.ts). */
export function experimentLayout(exp: ReportExperiment): ReturnType<typeof layoutGroups> {
  return layoutGroups(exp.groups, methodOrder(exp));
}

/** One row per group: factors that vary, n, accuracy mean ± std, its CI, and inference cost. */
export function groupsTable(exp: ReportExperiment): Table {
  const groups = orderedGroups(exp);
  const v = varyingFactors(groups);
  const columns: TableColumn[] = [left('Method')];
  if (v.hallucinationRate) columns.push(right('Halluc. rate'));
  columns.push(
    right('n'),
    right('Accuracy % (mean ± std)'),
    right('95% CI'),
    right('Tokens to answer'),
    right('ms to answer'),
    left('Runs'),
  );
  const rows = groups.map((g) => {
    const acc = g.accuracy;
    const cells = [rowLabel(g.factors, v)];
    if (v.hallucinationRate)
      cells.push(g.factors.hallucinationRate === null ? '' : String(g.factors.hallucinationRate));
    cells.push(
      String(acc?.n ?? 0),
      acc ? meanStd(acc, ACCURACY_DIGITS, 100) : '—',
      acc ? ciText(acc, ACCURACY_DIGITS, 100) : '—',
      g.meanTokensToAnswer ? meanStd(g.meanTokensToAnswer, COST_DIGITS) : '—',
      g.meanMsToAnswer ? meanStd(g.meanMsToAnswer, COST_DIGITS) : '—',
      g.runIds.map((id) => `#${id}`).join(' '),
    );
    return cells;
  });
  return { columns, rows };
}

/** Paired comparisons with the bootstrap CI of the difference and both p-values. */
export function comparisonsTable(exp: ReportExperiment): Table | null {
  const comparisons = exp.comparisons ?? [];
  if (comparisons.length === 0) return null;
  const v = varyingFactors(exp.groups);
  const byKey = new Map(exp.groups.map((g) => [g.key, g]));
  const name = (key: string): string => {
    const g = byKey.get(key);
    if (!g) return key;
    const base = rowLabel(g.factors, v);
    return v.hallucinationRate && g.factors.hallucinationRate !== null
      ? `${base} @ ${g.factors.hallucinationRate}`
      : base;
  };
  return {
    columns: [
      left('A'),
      left('B'),
      right('Δ acc. (pp)'),
      right('95% CI'),
      right('p (bootstrap)'),
      right('b01 / b10'),
      right('p (McNemar)'),
      right('Seeds'),
      right('Examples'),
    ],
    rows: comparisons.map((c) => [
      name(c.a),
      name(c.b),
      signedPercent(c.difference, ACCURACY_DIGITS),
      `[${signedPercent(c.ciLow, ACCURACY_DIGITS)}, ${signedPercent(c.ciHigh, ACCURACY_DIGITS)}]`,
      pValue(c.pBootstrap),
      `${c.mcnemar.b01} / ${c.mcnemar.b10}`,
      pValue(c.mcnemar.p),
      c.sharedSeeds.join(', '),
      String(c.examples),
    ]),
  };
}

export function datasetsTable(exp: ReportExperiment): Table {
  return {
    columns: [right('ID'), left('Dataset'), right('Version'), left('Content hash (SHA-256)')],
    rows: exp.reproducibility.datasets.map((d) => [String(d.id), d.name, String(d.version), d.contentHash]),
  };
}

function factorText(x: number | string | null): string {
  return x === null ? '' : String(x);
}

/** Every run with its factors, seed, backend and timing. */
export function runsTable(exp: ReportExperiment): Table {
  const runs = [...exp.reproducibility.runs].sort((a, b) => a.id - b.id);
  return {
    columns: [
      right('Run'),
      left('Method'),
      right('Seed'),
      right('Halluc. rate'),
      right('λ'),
      left('Encoder'),
      left('Loss'),
      left('Backend'),
      left('Started'),
      right('Duration'),
    ],
    rows: runs.map((r) => [
      `#${r.id}`,
      r.factors.method,
      String(r.factors.seed),
      factorText(r.factors.hallucinationRate),
      factorText(r.factors.lambda),
      factorText(r.factors.encoder),
      factorText(r.factors.loss),
      r.backend ?? '',
      r.startedAt ?? '',
      durationText(r.durationMs),
    ]),
  };
}

/** Environments as recorded by the runs, deduplicated (normally one for the whole experiment). */
export function distinctEnvironments(exp: ReportExperiment): { runIds: number[]; environment: unknown }[] {
  const seen = new Map<string, { runIds: number[]; environment: unknown }>();
  for (const r of exp.reproducibility.runs) {
    const key = JSON.stringify(r.environment ?? null);
    const entry = seen.get(key) ?? { runIds: [], environment: r.environment ?? null };
    entry.runIds.push(r.id);
    seen.set(key, entry);
  }
  return [...seen.values()];
}

/** Wall time of the experiment's runs: first start to last finish, and the summed run durations. */
export function timings(exp: ReportExperiment): {
  firstStart: string | null;
  lastFinish: string | null;
  totalRunMs: number;
} {
  const starts = exp.reproducibility.runs
    .map((r) => r.startedAt)
    .filter((s): s is string => s !== null)
    .sort();
  const ends = exp.reproducibility.runs
    .map((r) => r.finishedAt)
    .filter((s): s is string => s !== null)
    .sort();
  const totalRunMs = exp.reproducibility.runs.reduce((s, r) => s + (r.durationMs ?? 0), 0);
  return { firstStart: starts[0] ?? null, lastFinish: ends[ends.length - 1] ?? null, totalRunMs };
}

/** The distinct seeds used by the experiment's runs. */
export function seedsOf(exp: ReportExperiment): number[] {
  return [...new Set(exp.reproducibility.runs.map((r) => r.factors.seed))].sort((a, b) => a - b);
}

/** A short line under the experiment title. */
export function experimentFacts(exp: ReportExperiment): string[] {
  const e = exp.experiment;
  const facts = [`experiment #${e.id}`, `status ${e.status}`, `${e.runs} runs`, `seeds ${seedsOf(exp).join(', ')}`];
  for (const d of exp.reproducibility.datasets) facts.push(`dataset ${d.name} v${d.version}`);
  facts.push(`budget ${e.spec.budget.steps} steps`);
  return facts;
}
