// `experiments.plan`: the grid a spec expands into and how long it should take here, without side
// effects. Times come from measurements only: completed runs of the same method on the same
// backend, preset and model (their ms per step and per-run overhead), else - only when asked
// (`probe`) - a short probe run in a throw-away worker process; without either there is no estimate yet. A run's time = start-up + steps x ms/step + evaluated examples x
// ms/example; the wall time spreads the runs over the concurrent processes (longest first).
import type { CellTimeEstimate, ExperimentPlan, ExperimentSpec } from '../../../shared/types/experiments';
import type { ExampleInput } from '../../../shared/types/dataset';
import type { MethodId, RunSpec } from '../../../shared/types/runs';
import type { Db } from '../db/database';
import type { RunManager } from '../runs/manager';
import { loadTrainingData, vocabularyCharacters, type TrainingData } from '../runs/trainingData';
import { extraCharacters } from '../training/tokenizer';
import { cellRunSpec, defaultConcurrency, experimentContext, withContext } from './create';
import { resolveStudent } from '../students/registry';
import { expandGrid, specSeeds } from './grid';
import { PROBE_STEPS, probeThroughput, type ProbeFigures } from './probe';
import { findGeneratedVariant, generateVariantData, resolveVariants, variantKeys, variantOptions } from './variants';

interface Measured {
  startupMs: number;
  msPerStep: number;
  msPerEvalExample: number;
  tokensPerSec: number;
  basis: string;
}

interface HistoryRow {
  id: number;
  spec: string;
  steps: number;
  started_at: string;
  finished_at: string;
  first_step: number;
  last_step: number;
  first_ms: number;
  last_ms: number;
  tokens_per_sec: number;
}

/** Completed runs with the same method, preset, model overrides, batch size and backend. */
function fromHistory(db: Db, spec: RunSpec, backend: string | null): Measured | null {
  const rows = db
    .prepare(
      `SELECT r.id, r.spec, r.steps, r.started_at, r.finished_at,
              MIN(s.step) AS first_step, MAX(s.step) AS last_step, MIN(s.elapsed_ms) AS first_ms, MAX(s.elapsed_ms) AS last_ms,
              AVG(s.tokens_per_sec) AS tokens_per_sec
       FROM runs r JOIN run_steps s ON s.run_id = r.id
       WHERE r.status = 'completed' AND r.method = ? AND r.preset = ? AND r.started_at IS NOT NULL AND r.finished_at IS NOT NULL
         ${backend ? 'AND r.backend = ?' : ''}
       GROUP BY r.id ORDER BY r.id DESC LIMIT 50`,
    )
    .all(...[spec.method, spec.preset, ...(backend ? [backend] : [])]) as HistoryRow[];
  const same = rows.filter((r) => {
    const s = JSON.parse(r.spec) as RunSpec;
    return (
      JSON.stringify(s.model ?? {}) === JSON.stringify(spec.model ?? {}) &&
      s.batchSize === spec.batchSize &&
      r.last_step > r.first_step
    );
  });
  if (same.length === 0) return null;
  const recent = same.slice(0, 5);
  const avg = (f: (r: HistoryRow) => number): number => recent.reduce((a, r) => a + f(r), 0) / recent.length;
  const msPerStep = avg((r) => (r.last_ms - r.first_ms) / (r.last_step - r.first_step));
  // Everything that is not training steps: process start-up, validations and the test evaluation.
  // The stored rows do not separate the two, so the overhead is taken as measured per run: it
  // assumes the new runs evaluate about as many examples as those did.
  const overhead = avg((r) =>
    Math.max(0, Date.parse(r.finished_at) - Date.parse(r.started_at) - r.last_step * msPerStep),
  );
  return {
    startupMs: overhead,
    msPerStep,
    msPerEvalExample: 0,
    tokensPerSec: avg((r) => r.tokens_per_sec),
    basis:
      `${recent.length} completed run${recent.length === 1 ? '' : 's'} (#${recent.map((r) => r.id).join(', #')}) with the same method, preset, model and batch size ` +
      `(${msPerStep.toFixed(0)} ms/step, ${(overhead / 1000).toFixed(1)} s start-up and evaluation per run)`,
  };
}

/** The training data a cell would use, without writing anything (generated in memory if needed). */
function previewData(
  db: Db,
  spec: ExperimentSpec,
  rate: number | null,
  runSpec: RunSpec,
  answerFollowsError = false,
): Pick<TrainingData, 'train' | 'val' | 'test'> | null {
  if (!spec.synthetic) {
    const v = db
      .prepare('SELECT id FROM dataset_versions WHERE dataset_id = ? AND number = ?')
      .get(runSpec.dataset, runSpec.version) as { id: number } | undefined;
    return v ? loadTrainingData(db, v.id, runSpec.subset) : null;
  }
  const options = variantOptions(spec, rate ?? 0, answerFollowsError);
  const existing = findGeneratedVariant(db, options);
  if (existing) return loadTrainingData(db, existing.versionId, runSpec.subset);
  const out: Pick<TrainingData, 'train' | 'val' | 'test'> = { train: [], val: [], test: [] };
  for (const e of generateVariantData(options).examples) out[e.split!].push(toTrainExample(e));
  return out;
}

function toTrainExample(e: ExampleInput): TrainingData['train'][number] {
  const c = e.completions[0];
  return {
    id: e.externalId,
    question: e.question,
    answer: e.answer,
    answerType: e.answerType,
    choices: e.choices ?? null,
    rationale: c?.rationale ?? null,
    teacherAnswer: c?.teacherAnswer ?? null,
  };
}

/** Longest-processing-time-first schedule of run durations over `lanes` processes: the makespan. */
export function makespan(durations: readonly number[], lanes: number): number {
  const load = new Array<number>(Math.max(1, lanes)).fill(0);
  for (const d of [...durations].sort((a, b) => b - a)) {
    let i = 0;
    for (let j = 1; j < load.length; j++) if (load[j]! < load[i]!) i = j;
    load[i]! += d;
  }
  return Math.max(...load);
}

export async function planExperiment(
  db: Db,
  runs: RunManager,
  spec: ExperimentSpec,
  opts: { probe: boolean; concurrency?: number; cores: number },
): Promise<ExperimentPlan> {
  const cells = expandGrid(spec);
  const concurrency = opts.concurrency ?? spec.concurrency ?? defaultConcurrency(opts.cores);
  // Which datasets exist already (no generation here: plan has no side effects).
  const keys: { rate: number | null; answerFollowsError: boolean }[] = spec.synthetic
    ? variantKeys(spec)
    : [{ rate: null, answerFollowsError: false }];
  const datasets = spec.synthetic
    ? keys.map(({ rate, answerFollowsError }) => {
        const hit = findGeneratedVariant(db, variantOptions(spec, rate ?? 0, answerFollowsError));
        return {
          hallucinationRate: rate,
          ...(answerFollowsError ? { answerFollowsError } : {}),
          reuse: hit ? { id: hit.datasetId, name: hit.datasetName, version: hit.version } : null,
        };
      })
    : resolveVariants(db, spec).map((v) => ({
        hallucinationRate: null,
        reuse: { id: v.datasetId, name: v.datasetName, version: v.version },
      }));
  const existing = spec.synthetic ? null : resolveVariants(db, spec)[0]!;
  // The context every run will get (as experiments.create picks it), from the data of every variant.
  const previews = keys.map(({ rate, answerFollowsError }) =>
    previewData(
      db,
      spec,
      rate,
      { ...cellRunSpec(spec, cells[0]!, existing ?? { datasetId: 0, version: 1 }), subset: 'all' },
      answerFollowsError,
    ),
  );
  const context = previews.every((d) => d !== null)
    ? experimentContext(
        spec,
        previews,
        extraCharacters(previews.map((d) => vocabularyCharacters(d))).join(''),
        spec.student ? resolveStudent(db, spec.student).folder : null,
      )
    : null;
  const resolved = context ? withContext(spec, context) : spec;

  const perMethod: CellTimeEstimate[] = [];
  const notes: string[] = [];
  const secondsByMethod = new Map<MethodId, number>();
  for (const method of spec.methods) {
    const cell = cells.find((c) => c.factors.method === method)!;
    const runs_ = cells.filter((c) => c.factors.method === method).length;
    const runSpec = cellRunSpec(resolved, cell, existing ?? { datasetId: 0, version: 1 });
    const data = previewData(db, spec, cell.factors.hallucinationRate, runSpec, cell.factors.answerTarget === 'teacher');
    let measured: Measured | null = fromHistory(db, runSpec, spec.backend ?? null);
    let source: CellTimeEstimate['source'] = measured ? 'history' : null;
    if (!measured && opts.probe && data) {
      try {
        const p: ProbeFigures = await probeThroughput(runs, runSpec, data);
        measured = { ...p, basis: `a ${PROBE_STEPS}-step probe run of ${method} on this machine` };
        source = 'probe';
      } catch (err) {
        notes.push(`the ${method} probe failed: ${(err as Error).message}`);
      }
    }
    if (!measured || !data) {
      perMethod.push({
        method,
        runs: runs_,
        secondsPerRun: null,
        trainTokensPerSec: null,
        msPerStep: null,
        source: null,
        basis: opts.probe
          ? 'no measurement'
          : 'no estimate yet: no finished run matches (measure speed to run a probe)',
      });
      continue;
    }
    const validations = runSpec.evalEvery > 0 ? Math.floor(runSpec.steps / runSpec.evalEvery) : 0;
    const evaluated =
      Math.min(data.test.length, runSpec.testMaxExamples ?? Infinity) +
      validations * Math.min(data.val.length, runSpec.valMaxExamples);
    const seconds =
      (measured.startupMs + runSpec.steps * measured.msPerStep + evaluated * measured.msPerEvalExample) / 1000;
    secondsByMethod.set(method, seconds);
    perMethod.push({
      method,
      runs: runs_,
      secondsPerRun: seconds,
      trainTokensPerSec: measured.tokensPerSec,
      msPerStep: measured.msPerStep,
      source,
      basis: measured.basis,
    });
  }
  const known = cells.every((c) => secondsByMethod.has(c.factors.method));
  // Concurrent processes share the cores: with more processes than cores each one slows down.
  const lanes = Math.min(concurrency, cells.length);
  const slowdown = Math.max(1, lanes / Math.max(1, opts.cores));
  const estimatedSeconds = known
    ? makespan(
        cells.map((c) => secondsByMethod.get(c.factors.method)!),
        lanes,
      ) * slowdown
    : null;
  const explanation = [
    `${cells.length} runs = ${spec.methods.length} method(s)${spec.pstGrid ? ' (PST cells multiplied by the PST grid)' : ''} x ${specSeeds(spec).length} seed(s)` +
      (spec.synthetic ? ` x ${spec.synthetic.hallucinationRates.length} hallucination rate(s)` : '') +
      (spec.answerTargets ? ` x ${spec.answerTargets.length} answer target(s)` : '') +
      '.',
    known
      ? `Each run = start-up + ${spec.budget.steps} steps x measured ms/step + evaluated examples x measured ms/example; ` +
        `the runs are spread over ${lanes} concurrent process(es) longest first${slowdown > 1 ? `, slowed by ${lanes} processes sharing ${opts.cores} cores` : ''}.`
      : opts.probe
        ? 'No estimate for every method: no completed run matches and no probe could measure it.'
        : 'No estimate yet for every method: no completed run matches (a probe run can measure it: Measure speed, or plan --probe).',
    ...perMethod.map(
      (m) =>
        `${m.method}: ${m.secondsPerRun === null ? 'unknown' : `${m.secondsPerRun.toFixed(1)} s/run`} from ${m.basis}.`,
    ),
    context
      ? context.source === 'spec'
        ? `Context ${context.tokens} tokens (set by the spec; the longest training sequence needs ${context.needed}).`
        : `Context ${context.tokens} tokens, chosen so that no method's training sequences are cut (the longest needs ${context.needed}).`
      : '',
    'Runs that finish early (early stopping) or other work on the machine change the real time.',
    ...notes,
  ]
    .filter(Boolean)
    .join(' ');
  return {
    runs: cells.length,
    cells,
    groups: new Set(cells.map((c) => c.groupKey)).size,
    seeds: specSeeds(spec),
    datasets,
    concurrency,
    estimatedSeconds,
    perMethod,
    context,
    explanation,
  };
}
