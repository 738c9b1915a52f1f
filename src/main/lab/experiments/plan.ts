// `experiments.plan`: the grid a spec expands into and how long it should take here, without side
// effects. Times come from measurements only: completed runs of the same method on the same
// backend, preset and model (their ms per step and per-run overhead), else - only when asked
// (`probe`) - a short probe run in a throw-away worker process; without either there is no estimate yet. A run's time = start-up + steps x ms/step + evaluated examples x
// ms/example; the wall time spreads the runs over the concurrent processes (longest first).
import type { CellFactors, CellTimeEstimate, ExperimentPlan, ExperimentSpec, PlannedCell } from '../../../shared/types/experiments';
import type { ExampleInput } from '../../../shared/types/dataset';
import type { MethodId, RunSpec, SemanticRecord } from '../../../shared/types/runs';
import { resolveMethodConfig, type PstConfig } from '../training/methods';
import { rationaleTextSet } from '../training/semantic/external';
import type { Db } from '../db/database';
import type { RunManager } from '../runs/manager';
import { loadTrainingData, vocabularyCharacters, type TrainingData } from '../runs/trainingData';
import { extraCharacters } from '../training/tokenizer';
import { cellRunSpec, defaultConcurrency, experimentContext, withContext } from './create';
import { resolveStudent } from '../students/registry';
import { cellMethodOptions, expandGrid, specSeeds } from './grid';
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
  semantic: string | null;
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
      `SELECT r.id, r.spec, r.semantic, r.steps, r.started_at, r.finished_at,
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
  // assumes the new runs evaluate about as many examples as those did. PST's target setup (self
  // encoder pre-training, external encoding) is recorded apart and estimated per cell instead.
  const overhead = avg((r) =>
    Math.max(
      0,
      Date.parse(r.finished_at) - Date.parse(r.started_at) - r.last_step * msPerStep - setupMsOf(r.semantic),
    ),
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

function setupMsOf(semantic: string | null): number {
  return semantic ? ((JSON.parse(semantic) as SemanticRecord).setupMs ?? 0) : 0;
}

/** Measured costs of PST targets built before training (docs/methods.md, "PST semantic targets"). */
interface SetupRates {
  /** The self encoder's ms per NTP(r) step. */
  selfStepMs: number | null;
  selfBasis: string;
  /** The external encoder's ms per rationale encoded (paid once per dataset variant: the targets are cached). */
  encodeMsPerText: number | null;
  encodeBasis: string;
}

/**
 * Setup costs recorded by earlier PST runs (any status: they are measured before training):
 * self-encoder steps of runs with the same preset, model, batch size and backend; encoding by the
 * same external encoder.
 */
function setupFromHistory(db: Db, spec: RunSpec, backend: string | null, encoderStudent: string | null): SetupRates {
  const rows = db
    .prepare(
      `SELECT id, spec, semantic FROM runs WHERE method = 'pst' AND preset = ? AND semantic IS NOT NULL ${backend ? 'AND backend = ?' : ''}
       ORDER BY id DESC LIMIT 200`,
    )
    .all(...[spec.preset, ...(backend ? [backend] : [])]) as { id: number; spec: string; semantic: string }[];
  const self: { id: number; v: number }[] = [];
  const enc: { id: number; v: number }[] = [];
  for (const r of rows) {
    const s = JSON.parse(r.spec) as RunSpec;
    const rec = JSON.parse(r.semantic) as SemanticRecord;
    if (
      rec.selfStepMs != null &&
      JSON.stringify(s.model ?? {}) === JSON.stringify(spec.model ?? {}) &&
      s.batchSize === spec.batchSize
    )
      self.push({ id: r.id, v: rec.selfStepMs });
    if (rec.encodeMsPerText != null && encoderStudent !== null && rec.encoderConfig['encoder'] === encoderStudent)
      enc.push({ id: r.id, v: rec.encodeMsPerText });
  }
  const mean = (xs: { v: number }[]): number => xs.reduce((a, x) => a + x.v, 0) / xs.length;
  const runs = (xs: { id: number }[]): string => `#${xs.map((x) => x.id).join(', #')}`;
  const s5 = self.slice(0, 5);
  const e5 = enc.slice(0, 5);
  return {
    selfStepMs: s5.length ? mean(s5) : null,
    selfBasis: s5.length ? `self-encoder steps recorded by run(s) ${runs(s5)}` : '',
    encodeMsPerText: e5.length ? mean(e5) : null,
    encodeBasis: e5.length ? `encoding recorded by run(s) ${runs(e5)}` : '',
  };
}

function pstConfigOf(spec: ExperimentSpec, f: CellFactors): PstConfig | null {
  try {
    return resolveMethodConfig({ method: 'pst', ...cellMethodOptions(spec, f) }) as PstConfig;
  } catch {
    return null;
  }
}

interface SetupInput {
  spec: ExperimentSpec;
  cells: PlannedCell[];
  pstCfg: Map<string, PstConfig | null>;
  needsSelf(c: PlannedCell): boolean;
  needsEncode(c: PlannedCell): boolean;
  /** The PST probe's figures when one ran, null when none ran, false when probing is off. */
  probe: ProbeFigures | null | false;
  /** The dataset variants' previews, in the order of `keys`. */
  previews: (Pick<TrainingData, 'train' | 'val' | 'test'> | null)[];
  keys: { rate: number | null; answerFollowsError: boolean }[];
  existing: { datasetId: number; version: number } | null;
  /** The PST student's measured ms per step (the stand-in for unmeasured self-encoder steps). */
  pstMsPerStep: number | null;
}

/**
 * Seconds each PST cell spends on its targets before training: `selfSteps` NTP(r) steps of the
 * self encoder (unless `selfFrom` gives a finished checkpoint), and for `external` the one-off
 * encoding of the variant's rationales, paid by the first external cell of each dataset variant
 * (later cells read the cache).
 */
async function pstSetup(db: Db, runs: RunManager, i: SetupInput): Promise<{ seconds: Map<string, number>; lines: string[]; notes: string[] }> {
  const seconds = new Map<string, number>();
  const lines: string[] = [];
  const notes: string[] = [];
  // A cell's variant: its rate, and with varied answer targets the answer-follows-error one for `teacher`.
  const variantOf = (c: PlannedCell): number =>
    i.keys.findIndex(
      (k) =>
        k.rate === c.factors.hallucinationRate &&
        (!c.factors.answerTarget || k.answerFollowsError === (c.factors.answerTarget === 'teacher')),
    );
  const selfCells = i.cells.filter(i.needsSelf);
  const encodeCells = i.cells.filter(i.needsEncode);
  if (!selfCells.length && !encodeCells.length) return { seconds, lines, notes };
  const pstCell = selfCells[0] ?? encodeCells[0]!;
  const variant = i.existing ?? { datasetId: 0, version: 1 };
  const base = cellRunSpec(i.spec, pstCell, variant);
  const student = encodeCells.length ? (i.pstCfg.get(encodeCells[0]!.key)?.encoderStudent ?? null) : null;
  const rates = setupFromHistory(db, base, i.spec.backend ?? null, student);
  const fromProbe = (p: ProbeFigures, what: string): void => {
    if (rates.selfStepMs === null && p.selfStepMs !== null) {
      rates.selfStepMs = p.selfStepMs;
      rates.selfBasis = `a probe of ${what}`;
    }
    if (rates.encodeMsPerText === null && p.encodeMsPerText !== null) {
      rates.encodeMsPerText = p.encodeMsPerText;
      rates.encodeBasis = `a probe of ${what}`;
    }
  };
  if (i.probe) fromProbe(i.probe, 'PST');
  if (i.probe !== false && rates.encodeMsPerText === null && encodeCells.length) {
    // The PST probe measured a self cell; the external encoder's rate needs a probe of its own.
    const cell = encodeCells[0]!;
    const data = i.previews[variantOf(cell)] ?? null;
    if (data) {
      try {
        fromProbe(await probeThroughput(runs, cellRunSpec(i.spec, cell, variant), data), 'PST with the external encoder');
      } catch (err) {
        notes.push(`the external encoder's probe failed: ${(err as Error).message}`);
      }
    }
  }
  if (selfCells.length) {
    const ms = rates.selfStepMs ?? i.pstMsPerStep;
    const basis =
      rates.selfStepMs !== null
        ? `${rates.selfStepMs.toFixed(0)} ms/step from ${rates.selfBasis}`
        : i.pstMsPerStep !== null
          ? `not measured yet, counted at the PST student's ${i.pstMsPerStep.toFixed(0)} ms/step`
          : 'not measured yet';
    for (const c of selfCells) if (ms !== null) seconds.set(c.key, (i.pstCfg.get(c.key)!.selfSteps * ms) / 1000);
    const steps = [...new Set(selfCells.map((c) => i.pstCfg.get(c.key)!.selfSteps))].join('/');
    lines.push(`PST cells with encoder self (${selfCells.length}) first train their encoder for ${steps} NTP(r) steps each (${basis}).`);
  }
  if (encodeCells.length) {
    const paid = new Set<number>();
    let texts = 0;
    for (const c of encodeCells) {
      const v = variantOf(c);
      if (paid.has(v)) continue;
      paid.add(v);
      const d = i.previews[v];
      const n = d ? rationaleTextSet([...d.train, ...d.val].map((e) => e.rationale)).length : 0;
      texts += n;
      if (rates.encodeMsPerText !== null) seconds.set(c.key, (n * rates.encodeMsPerText) / 1000);
    }
    lines.push(
      rates.encodeMsPerText !== null
        ? `The external encoder encodes ${texts} rationales once per dataset variant (${rates.encodeMsPerText.toFixed(1)} ms each from ${rates.encodeBasis}; counted on the first external cell of each variant, later cells read the cache).`
        : `The external encoder's one-off encoding of ${texts} rationales is not measured yet and not included (a probe measures it).`,
    );
  }
  return { seconds, lines, notes };
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
  // PST cells whose targets cost time before training; the representative PST cell is one of them,
  // so a probe measures that cost too.
  const pstCfg = new Map(
    cells.filter((c) => c.factors.method === 'pst').map((c) => [c.key, pstConfigOf(resolved, c.factors)]),
  );
  const needsSelf = (c: PlannedCell): boolean => {
    const cfg = pstCfg.get(c.key);
    return !!cfg && cfg.encoder === 'self' && cfg.selfFrom === null;
  };
  const needsEncode = (c: PlannedCell): boolean => pstCfg.get(c.key)?.encoder === 'external';
  let pstProbe: ProbeFigures | null = null;
  for (const method of spec.methods) {
    const ofMethod = cells.filter((c) => c.factors.method === method);
    const cell = ofMethod.find(needsSelf) ?? ofMethod.find(needsEncode) ?? ofMethod[0]!;
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
        if (method === 'pst') pstProbe = p;
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
  const setup = await pstSetup(db, runs, {
    spec: resolved,
    cells,
    pstCfg,
    needsSelf,
    needsEncode,
    probe: opts.probe ? pstProbe : false,
    previews,
    keys,
    existing,
    pstMsPerStep: perMethod.find((m) => m.method === 'pst')?.msPerStep ?? null,
  });
  notes.push(...setup.notes);
  const cellSeconds = (c: PlannedCell): number | null => {
    const base = secondsByMethod.get(c.factors.method);
    return base === undefined ? null : base + (setup.seconds.get(c.key) ?? 0);
  };
  // A PST figure per run is the mean over its cells: cells differ by their targets' setup.
  for (const m of perMethod) {
    const ofMethod = cells.filter((c) => c.factors.method === m.method);
    if (m.secondsPerRun !== null && m.method === 'pst')
      m.secondsPerRun = ofMethod.reduce((a, c) => a + cellSeconds(c)!, 0) / ofMethod.length;
  }
  const known = cells.every((c) => secondsByMethod.has(c.factors.method));
  // Concurrent processes share the cores: with more processes than cores each one slows down.
  const lanes = Math.min(concurrency, cells.length);
  const slowdown = Math.max(1, lanes / Math.max(1, opts.cores));
  const estimatedSeconds = known
    ? makespan(
        cells.map((c) => cellSeconds(c)!),
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
    ...setup.lines,
    context
      ? context.source === 'spec'
        ? `Context ${context.tokens} tokens (set by the spec; the longest sequence of any split needs ${context.needed}).`
        : `Context ${context.tokens} tokens, chosen so that no method's sequences of any split are cut (the longest needs ${context.needed}).`
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
