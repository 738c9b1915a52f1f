// Aggregated results of an experiment: one group per factor combination over seeds (mean, sample
// std and a Student t-interval over the per-seed values: the seed is the unit of replication, see
// docs/methods.md "Statistics"), the share of outputs with no answer, the majority-class and
// chance baselines of the test examples, training-loss curves with a min..max band over seeds, and
// the reproducibility bundle. Only completed runs enter the figures; a group with none has null
// aggregates (a missing bar, never a fake zero).
import fs from 'node:fs';
import path from 'node:path';
import type {
  Aggregate,
  CellGroup,
  ExperimentResults,
  ExperimentSpec,
  SeedInterval,
  TestBaselines,
  TrainingCurve,
} from '../../../shared/types/experiments';
import type { AnswerType } from '../../../shared/types/dataset';
import type { Db } from '../db/database';
import { appVersion, findPackageRoot } from '../paths';
import { MIN_SEEDS_FOR_INTERVAL, mean, std, tInterval, testBaselines } from '../stats';
import { experimentRuns, experimentSummary, getExperimentRow } from './store';
import { runSemantic } from '../runs/store';

export const DEFAULT_RESAMPLES = 10_000;
/** Fixed so a report regenerated from the same runs shows the same (example-level bootstrap) intervals. */
export const BOOTSTRAP_SEED = 20240601;
/** Confidence level of every seed-level interval. */
export const CONFIDENCE_LEVEL = 0.95;
/** Curves are thinned to about this many points: enough for a chart, small enough for a report. */
const MAX_CURVE_POINTS = 200;

/** The t-interval over seeds, or "not computable" below MIN_SEEDS_FOR_INTERVAL seeds. */
export function seedInterval(values: readonly number[], level = CONFIDENCE_LEVEL): SeedInterval {
  const n = values.length;
  const ci = tInterval(values, level);
  const seeds = `${n} seed${n === 1 ? '' : 's'}`;
  return {
    method: 't',
    unit: 'seed',
    level,
    n,
    low: ci?.low ?? null,
    high: ci?.high ?? null,
    description: ci
      ? `${Math.round(level * 100)}% t-interval over ${seeds}`
      : `not computable (n=${seeds}; needs ${MIN_SEEDS_FOR_INTERVAL})`,
  };
}

export function aggregate(values: readonly number[]): Aggregate | null {
  if (values.length === 0) return null;
  return {
    n: values.length,
    mean: mean(values),
    std: values.length >= 2 ? std(values) : null,
    ci: seedInterval(values),
    values: [...values],
  };
}

interface RunFigures {
  runId: number;
  accuracy: number | null;
  noAnswer: number | null;
  tokensToAnswer: number | null;
  msToAnswer: number | null;
}

/**
 * Test accuracy, share of outputs with no extractable answer (evaluation stores the prediction as
 * NULL then) and mean cost to answer of each run, from its stored per-example predictions.
 */
function runFigures(db: Db, runIds: readonly number[]): Map<number, RunFigures> {
  const q = db.prepare(
    `SELECT COUNT(*) AS n, AVG(correct) AS acc, AVG(prediction IS NULL OR TRIM(prediction) = '') AS none,
            AVG(tokens_to_answer) AS tok, AVG(ms_to_answer) AS ms
     FROM run_predictions WHERE run_id = ? AND split = 'test'`,
  );
  const out = new Map<number, RunFigures>();
  for (const id of runIds) {
    const r = q.get(id) as {
      n: number;
      acc: number | null;
      none: number | null;
      tok: number | null;
      ms: number | null;
    };
    out.set(
      id,
      r.n
        ? { runId: id, accuracy: r.acc, noAnswer: r.none, tokensToAnswer: r.tok, msToAnswer: r.ms }
        : { runId: id, accuracy: null, noAnswer: null, tokensToAnswer: null, msToAnswer: null },
    );
  }
  return out;
}

/** Baselines of the distinct test examples the given runs were evaluated on. */
function baselinesOf(db: Db, runIds: readonly number[]): TestBaselines | null {
  if (runIds.length === 0) return null;
  const rows = db
    .prepare(
      `SELECT DISTINCT e.id, e.answer, e.answer_type, e.choices FROM run_predictions p JOIN examples e ON e.id = p.example_id
       WHERE p.split = 'test' AND p.run_id IN (${runIds.map(() => '?').join(',')})`,
    )
    .all(...runIds) as { id: number; answer: string; answer_type: AnswerType; choices: string | null }[];
  return testBaselines(
    rows.map((r) => ({
      answer: r.answer,
      answerType: r.answer_type,
      choices: r.choices ? (JSON.parse(r.choices) as string[]) : null,
    })),
  );
}

export function experimentGroups(db: Db, experimentId: number): CellGroup[] {
  const cells = experimentRuns(db, experimentId);
  const figures = runFigures(
    db,
    cells.filter((c) => c.status === 'completed').map((c) => c.runId),
  );
  const groups = new Map<string, { cells: typeof cells }>();
  for (const c of cells) {
    const g = groups.get(c.groupKey) ?? { cells: [] };
    g.cells.push(c);
    groups.set(c.groupKey, g);
  }
  return [...groups.entries()].map(([key, g]) => {
    const first = g.cells[0]!;
    const { seed: _seed, ...factors } = first.factors;
    void _seed;
    const done = g.cells
      .map((c) => figures.get(c.runId))
      .filter((f): f is RunFigures => f !== undefined && f.accuracy !== null);
    return {
      key,
      label: first.label,
      factors,
      runIds: g.cells.map((c) => c.runId),
      seeds: g.cells.map((c) => c.factors.seed),
      accuracy: aggregate(done.map((f) => f.accuracy!)),
      noAnswer: aggregate(done.map((f) => f.noAnswer!)),
      meanTokensToAnswer: aggregate(done.map((f) => f.tokensToAnswer!)),
      meanMsToAnswer: aggregate(done.map((f) => f.msToAnswer!)),
      baselines: baselinesOf(
        db,
        done.map((f) => f.runId),
      ),
    };
  });
}

/** Loss per step averaged over the group's completed seeds, with the min..max band. */
export function experimentCurves(db: Db, groups: readonly CellGroup[]): TrainingCurve[] {
  const completed = new Set(
    (
      db
        .prepare(
          `SELECT id FROM runs WHERE status = 'completed' AND id IN (${groups.flatMap((g) => g.runIds).join(',') || 'NULL'})`,
        )
        .all() as { id: number }[]
    ).map((r) => r.id),
  );
  const stepsOf = db.prepare('SELECT step, loss FROM run_steps WHERE run_id = ? ORDER BY step');
  const curves: TrainingCurve[] = [];
  for (const g of groups) {
    const series = g.runIds
      .filter((id) => completed.has(id))
      .map((id) => new Map((stepsOf.all(id) as { step: number; loss: number }[]).map((s) => [s.step, s.loss])));
    if (series.length === 0) continue;
    // Steps every seed recorded (they share the budget, so normally all of them).
    const shared = [...series[0]!.keys()].filter((step) => series.every((s) => s.has(step))).sort((a, b) => a - b);
    const stride = Math.max(1, Math.ceil(shared.length / MAX_CURVE_POINTS));
    const picked = shared.filter((_, i) => i % stride === 0 || i === shared.length - 1);
    const curve: TrainingCurve = { key: g.key, label: g.label, steps: [], mean: [], low: [], high: [] };
    for (const step of picked) {
      const losses = series.map((s) => s.get(step)!);
      curve.steps.push(step);
      curve.mean.push(mean(losses));
      curve.low.push(Math.min(...losses));
      curve.high.push(Math.max(...losses));
    }
    curves.push(curve);
  }
  return curves;
}

/** The commit the code was built from, read from .git without running git (null outside a checkout). */
export function gitCommit(root: string = findPackageRoot()): string | null {
  try {
    const head = fs.readFileSync(path.join(root, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return /^[0-9a-f]{40}$/.test(head) ? head : null;
    const ref = head.slice(5);
    const loose = path.join(root, '.git', ref);
    if (fs.existsSync(loose)) return fs.readFileSync(loose, 'utf8').trim();
    const packed = fs.readFileSync(path.join(root, '.git', 'packed-refs'), 'utf8');
    const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
    return line ? line.split(' ')[0]! : null;
  } catch {
    return null;
  }
}

function reproducibility(db: Db, experimentId: number): ExperimentResults['reproducibility'] {
  const cells = experimentRuns(db, experimentId);
  const rows = db
    .prepare(
      `SELECT r.id, r.spec, r.resolved, r.environment, r.backend, r.started_at, r.finished_at, r.version_id, r.semantic,
              d.id AS dataset_id, d.name AS dataset_name, v.number AS version, v.content_hash
       FROM runs r JOIN datasets d ON d.id = r.dataset_id JOIN dataset_versions v ON v.id = r.version_id
       WHERE r.experiment_id = ? ORDER BY r.id`,
    )
    .all(experimentId) as {
    id: number;
    spec: string;
    resolved: string | null;
    semantic: string | null;
    environment: string | null;
    backend: string | null;
    started_at: string | null;
    finished_at: string | null;
    version_id: number;
    dataset_id: number;
    dataset_name: string;
    version: number;
    content_hash: string;
  }[];
  const factors = new Map(cells.map((c) => [c.runId, c.factors]));
  const datasets = new Map<number, { id: number; name: string; version: number; contentHash: string }>();
  for (const r of rows)
    datasets.set(r.version_id, {
      id: r.dataset_id,
      name: r.dataset_name,
      version: r.version,
      contentHash: r.content_hash,
    });
  const parse = (s: string | null): unknown => (s ? JSON.parse(s) : null);
  return {
    appVersion: appVersion(),
    commit: gitCommit(),
    datasets: [...datasets.values()],
    runs: rows.map((r) => ({
      id: r.id,
      factors: factors.get(r.id)!,
      spec: parse(r.spec),
      resolved: parse(r.resolved),
      environment: parse(r.environment),
      backend: r.backend,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      durationMs: r.started_at && r.finished_at ? Date.parse(r.finished_at) - Date.parse(r.started_at) : null,
      semantic: runSemantic(db, r.id, r.semantic),
    })),
    generatedAt: new Date().toISOString(),
  };
}

export function experimentResults(db: Db, experimentId: number, etaSec: number | null): ExperimentResults {
  const row = getExperimentRow(db, experimentId);
  const groups = experimentGroups(db, experimentId);
  return {
    experiment: { ...experimentSummary(db, experimentId, etaSec), spec: JSON.parse(row.spec) as ExperimentSpec },
    groups,
    curves: experimentCurves(db, groups),
    reproducibility: reproducibility(db, experimentId),
  };
}
