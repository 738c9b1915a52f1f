// The tables every report shows, as plain-text cells: the HTML and Markdown writers render the same
// Table objects, so the two formats cannot disagree on a number.
import type { CellGroup, PairedComparison } from '../../../shared/types/experiments';
import { layoutGroups, rowLabel, sortGroups, varyingFactors } from './factors';
import { MIN_SEEDS_FOR_INTERVAL } from '../stats/seedLevel';
import { ciText, durationText, fixed, meanStd, percent, percentOr, pValue, signedPercent } from './format';
import { runPstOptions } from './pstOptions';
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

/** The distinct numbers of completed seeds per group, as "5" or "3–5". */
export function seedCountText(exp: ReportExperiment): string {
  const ns = [...new Set(exp.groups.flatMap((g) => (g.accuracy ? [g.accuracy.n] : [])))].sort((a, b) => a - b);
  if (ns.length === 0) return '0';
  return ns.length === 1 ? String(ns[0]) : `${ns[0]}–${ns[ns.length - 1]}`;
}

/** The accuracy n (completed seeds) of every group that has one. */
function accuracyNs(exp: ReportExperiment): number[] {
  return exp.groups.flatMap((g) => (g.accuracy ? [g.accuracy.n] : []));
}

/**
 * The interval kind of the accuracy figures and tables: the 95% Student t-interval over seeds with
 * its n, or "not enough seeds" where a group has fewer than MIN_SEEDS_FOR_INTERVAL.
 */
export function intervalKindText(exp: ReportExperiment): string {
  const ns = accuracyNs(exp);
  const n = seedCountText(exp);
  if (ns.length === 0 || Math.max(...ns) < MIN_SEEDS_FOR_INTERVAL) {
    return `no interval: not enough seeds for a 95% t-interval (n = ${n} seeds per group; it needs at least ${MIN_SEEDS_FOR_INTERVAL})`;
  }
  if (Math.min(...ns) >= MIN_SEEDS_FOR_INTERVAL) return `95% Student t-interval over seeds (n = ${n} seeds per group)`;
  return (
    `95% Student t-interval over seeds (n = ${n} seeds per group; none where a group has fewer than ` +
    `${MIN_SEEDS_FOR_INTERVAL} seeds: not enough seeds)`
  );
}

/** The interval kind in a few words, for a caption whose error bars are a std: where the t-intervals are. */
export function intervalNote(exp: ReportExperiment): string {
  const ns = accuracyNs(exp);
  if (ns.length === 0 || Math.max(...ns) < MIN_SEEDS_FOR_INTERVAL) {
    return `not enough seeds for a 95% t-interval (it needs at least ${MIN_SEEDS_FOR_INTERVAL})`;
  }
  if (Math.min(...ns) >= MIN_SEEDS_FOR_INTERVAL) return '95% t-intervals over seeds in the results table';
  return `95% t-intervals over seeds in the results table (not enough seeds where a group has fewer than ${MIN_SEEDS_FOR_INTERVAL})`;
}

/** What the groups table's interval column is, with its unit and n (captions of every format). */
export function intervalCaption(exp: ReportExperiment): string {
  return (
    `95% CI: Student t-interval over the per-seed accuracies (the seed is the unit; n = ${seedCountText(exp)} seeds per group; ` +
    `"not enough seeds" below ${MIN_SEEDS_FOR_INTERVAL} seeds)`
  );
}

/** "62.0%" or "55.0–62.0%": the range of some fractions, in percent. */
function percentRange(fractions: readonly number[]): string {
  const lo = percent(Math.min(...fractions), ACCURACY_DIGITS);
  const hi = percent(Math.max(...fractions), ACCURACY_DIGITS);
  return lo === hi ? `${lo}%` : `${lo}–${hi}%`;
}

/** The values an accuracy figure is read against: majority-class baseline, chance and the no-answer share. */
export function accuracyContext(exp: ReportExperiment): { majority: string; chance: string; noAnswer: string } {
  const withBaselines = exp.groups.flatMap((g) => (g.baselines ? [g.baselines] : []));
  const majority = withBaselines.map((b) => b.majority.accuracy);
  const chance = withBaselines.flatMap((b) => (b.chance === null ? [] : [b.chance]));
  const open = withBaselines.some((b) => b.chance === null);
  const noAnswer = exp.groups.flatMap((g) => (g.noAnswer ? [g.noAnswer.mean] : []));
  return {
    majority: majority.length > 0 ? percentRange(majority) : '—',
    chance:
      chance.length > 0
        ? `${percentRange(chance)}${open ? ', n/a for open answers' : ''}`
        : open
          ? 'n/a (open answers)'
          : '—',
    noAnswer: noAnswer.length > 0 ? percentRange(noAnswer) : '—',
  };
}

/** What the baseline and no-answer columns mean. */
export const BASELINE_CAPTION =
  'Majority: accuracy of always giving the commonest gold answer of the test examples; chance: a uniform guess ' +
  '(1/#choices, 1/2 for yes/no; n/a for open answers); no answer: share of test outputs with no extractable answer, ' +
  'mean over seeds.';

/**
 * One row per group: factors that vary, n, accuracy mean ± std, its seed-level interval, the
 * majority and chance baselines, the no-answer share and inference cost.
 */
export function groupsTable(exp: ReportExperiment): Table {
  const groups = orderedGroups(exp);
  const v = varyingFactors(groups);
  const columns: TableColumn[] = [left('Method')];
  if (v.hallucinationRate) columns.push(right('Halluc. rate'));
  columns.push(
    right('n (seeds)'),
    right('Accuracy % (mean ± std)'),
    right('95% CI (t, seeds)'),
    right('Majority %'),
    right('Chance %'),
    right('No answer %'),
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
      percentOr(g.baselines?.majority.accuracy, ACCURACY_DIGITS),
      g.baselines ? percentOr(g.baselines.chance, ACCURACY_DIGITS, 'n/a') : '—',
      g.noAnswer ? meanStd(g.noAnswer, ACCURACY_DIGITS, 100) : '—',
      g.meanTokensToAnswer ? meanStd(g.meanTokensToAnswer, COST_DIGITS) : '—',
      g.meanMsToAnswer ? meanStd(g.meanMsToAnswer, COST_DIGITS) : '—',
      g.runIds.map((id) => `#${id}`).join(' '),
    );
    return cells;
  });
  return { columns, rows };
}

/**
 * A table with one row per paired comparison: columns A and B (the groups' row labels, "@ rate" when
 * the rate varies) and then the given columns. Null when the experiment has no comparisons.
 */
function comparisonsTable(
  exp: ReportExperiment,
  columns: TableColumn[],
  cells: (c: PairedComparison) => string[],
): Table | null {
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
    columns: [left('A'), left('B'), ...columns],
    rows: comparisons.map((c) => [name(c.a), name(c.b), ...cells(c)]),
  };
}

const pp = (lo: number, hi: number): string =>
  `[${signedPercent(lo, ACCURACY_DIGITS)}, ${signedPercent(hi, ACCURACY_DIGITS)}]`;

/**
 * Paired comparisons with the seed as the unit: per-seed differences, paired t-test with the
 * t-interval of the mean difference, and the exact sign-flip p with its floor 2/2^n.
 */
export function seedComparisonsTable(exp: ReportExperiment): Table | null {
  return comparisonsTable(
    exp,
    [
      right('Seeds (n)'),
      right('Δ acc. per seed (pp)'),
      right('Mean Δ (pp)'),
      right('95% CI (t, seeds)'),
      right('t (df)'),
      right('p (paired t)'),
      right('p (sign-flip, exact)'),
    ],
    (c) => {
      const s = c.seedLevel;
      const t = s.tTest;
      const flip = s.signFlip;
      return [
        `${c.sharedSeeds.join(', ')} (${s.n})`,
        s.differences.map((d) => signedPercent(d.difference, ACCURACY_DIGITS)).join(', '),
        signedPercent(s.meanDifference, ACCURACY_DIGITS),
        t ? pp(t.ciLow, t.ciHigh) : 'not computable',
        t ? `${fixed(t.t, 2)} (${t.df})` : '—',
        t ? pValue(t.p) : (s.tTestNote ?? '—'),
        flip ? `${pValue(flip.p)} (min ${pValue(flip.minP)})` : (s.signFlipNote ?? '—'),
      ];
    },
  );
}

/** Paired comparisons conditional on the trained models (examples as unit): bootstrap and McNemar. */
export function conditionalComparisonsTable(exp: ReportExperiment): Table | null {
  return comparisonsTable(
    exp,
    [
      right('Δ acc. (pp)'),
      right('95% CI (bootstrap, examples)'),
      right('p (bootstrap)'),
      right('b01 / b10'),
      right('p (McNemar)'),
      right('Seeds'),
      right('Examples'),
    ],
    (c) => {
      const k = c.conditional;
      return [
        signedPercent(k.difference, ACCURACY_DIGITS),
        pp(k.ciLow, k.ciHigh),
        pValue(k.pBootstrap),
        `${k.mcnemar.b01} / ${k.mcnemar.b10}`,
        pValue(k.mcnemar.p),
        c.sharedSeeds.join(', '),
        String(c.examples),
      ];
    },
  );
}

/** Caption of the seed-level comparisons table (the smallest reachable p depends on n). */
export function seedComparisonsCaption(exp: ReportExperiment): string {
  const ns = [...new Set((exp.comparisons ?? []).map((c) => c.seedLevel.n))].sort((a, b) => a - b);
  const floors = ns.map((n) => `${n} seeds: 2/${2 ** n} = ${fixed(2 / 2 ** n, 4)}`).join('; ');
  return (
    'The seed is the unit: Δ is A − B in percentage points, per shared seed on the shared test examples; paired t-test ' +
    '(two-sided, df = n − 1) with the 95% t-interval of the mean difference; exact sign-flip permutation test over all 2^n sign ' +
    `patterns, whose smallest possible two-sided p is 2/2^n (${floors}).`
  );
}

export const CONDITIONAL_COMPARISONS_CAPTION =
  'Conditional on the trained models (examples as unit): these resample or pool test examples of the same checkpoints and ' +
  'ignore seed-to-seed variation, so they do not say whether a difference survives retraining. Paired bootstrap over ' +
  'examples (CI and p); exact McNemar test on pooled (seed, example) pairs (b01: A wrong and B right, b10: A right and B wrong).';

export function datasetsTable(exp: ReportExperiment): Table {
  return {
    columns: [right('ID'), left('Dataset'), right('Version'), left('Content hash (SHA-256)')],
    rows: exp.reproducibility.datasets.map((d) => [String(d.id), d.name, String(d.version), d.contentHash]),
  };
}

function factorText(x: number | string | null): string {
  return x === null ? '' : String(x);
}

/** Every run with its factors, seed, backend and timing; PST runs with the λ, encoder and loss they used. */
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
    rows: runs.map((r) => {
      const pst = runPstOptions(r);
      return [
        `#${r.id}`,
        r.factors.method,
        String(r.factors.seed),
        factorText(r.factors.hallucinationRate),
        factorText(pst?.lambda ?? null),
        factorText(pst?.encoder ?? null),
        factorText(pst?.loss ?? null),
        r.backend ?? '',
        r.startedAt ?? '',
        durationText(r.durationMs),
      ];
    }),
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
