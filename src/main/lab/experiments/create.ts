// Storing an experiment: resolve (or generate) its dataset versions, expand the grid, and write the
// experiment with every run as a queued row in one transaction, so a bad cell leaves nothing behind.
import type { CellFactors, ExperimentPlan, ExperimentSpec, PlannedCell } from '../../../shared/types/experiments';
import { RUN_DEFAULTS } from '../../../shared/catalogue';
import type { RunSpec } from '../../../shared/types/runs';
import type { Db } from '../db/database';
import { LabError } from '../errors';
import type { RunManager } from '../runs/manager';
import { loadTrainingData, vocabularyCharacters, type TrainingData } from '../runs/trainingData';
import { buildTokenizer, contextFit } from '../training/data';
import { createMethod, resolveMethodConfig } from '../training/methods';
import { extraCharacters } from '../training/tokenizer';
import { cellMethodOptions, expandGrid } from './grid';
import type { StudentFolder } from '../students/folder';
import { resolveStudent } from '../students/registry';
import { pretrainedNet } from '../students/trainable';
import { resolveVariants, type ResolvedVariant } from './variants';

// An experiment's runs take the catalogue's run defaults (the same as `runs.start`) except
// validation, which defaults to four times per run (below).

/** Validate four times per run by default, so the test evaluation uses the best checkpoint. */
export function defaultEvalEvery(steps: number): number {
  return Math.max(1, Math.ceil(steps / 4));
}

export function defaultConcurrency(cores: number): number {
  return Math.max(1, cores);
}

/** The run spec of one cell, on the dataset version of its hallucination rate. */
export function cellRunSpec(
  spec: ExperimentSpec,
  cell: PlannedCell,
  variant: Pick<ResolvedVariant, 'datasetId' | 'version'>,
  characters = '',
): RunSpec {
  const steps = spec.budget.steps;
  return {
    ...(characters ? { characters } : {}),
    dataset: variant.datasetId,
    version: variant.version,
    subset: spec.subset ?? RUN_DEFAULTS.subset,
    method: cell.factors.method,
    methodOptions: cellMethodOptions(spec, cell.factors),
    preset: spec.preset ?? RUN_DEFAULTS.preset,
    ...(spec.model ? { model: spec.model } : {}),
    ...(spec.student ? { student: spec.student } : {}),
    ...(spec.lora ? { lora: spec.lora } : {}),
    ...(spec.accumulate ? { accumulate: spec.accumulate } : {}),
    steps,
    batchSize: spec.budget.batchSize ?? RUN_DEFAULTS.batchSize,
    lr: spec.budget.lr ?? RUN_DEFAULTS.lr,
    seed: cell.factors.seed,
    backend: spec.backend ?? null,
    ...(spec.threads ? { threads: spec.threads } : {}),
    ...(spec.cudaLibs ? { cudaLibs: spec.cudaLibs } : {}),
    evalEvery: spec.evaluation?.evalEvery ?? defaultEvalEvery(steps),
    valMaxExamples: spec.evaluation?.valExamples ?? RUN_DEFAULTS.valMaxExamples,
    earlyStopPatience: null,
    testMaxExamples: spec.evaluation?.testExamples ?? null,
    name: `${spec.name}: ${cell.label} seed ${cell.factors.seed}`,
    ...(spec.allowTruncation ? { allowTruncation: true } : {}),
    ...(spec.randomPositions ? { randomPositions: true } : {}),
  };
}

/** The dataset variant a cell trains on: its hallucination rate, and for the `teacher` target the answer-follows-error one. */
export function variantForCell(
  variants: readonly ResolvedVariant[],
  f: Pick<CellFactors, 'hallucinationRate' | 'answerTarget'>,
): ResolvedVariant {
  const rate = f.hallucinationRate;
  const matches = (x: ResolvedVariant): boolean =>
    x.hallucinationRate === rate && (!f.answerTarget || x.answerFollowsError === (f.answerTarget === 'teacher'));
  const v = variants.find(matches) ?? (rate === null ? variants[0] : undefined);
  if (!v)
    throw new LabError(
      'INTERNAL',
      `no dataset variant for hallucination rate ${rate}${f.answerTarget ? ` and the ${f.answerTarget} target` : ''}`,
    );
  return v;
}

type SplitData = Pick<TrainingData, 'train' | 'val' | 'test'>;

/**
 * The context of every run of an experiment (docs/methods.md, "Context"): `model.context` when the
 * spec sets one, else the longest sequence (in the student's tokens) of any split of any dataset
 * variant under any method of the grid, rounded up to a multiple of 8, so no method's rationales are
 * cut in training, the teacher-length generation of every test item fits, and every cell has the
 * same context.
 */
export function experimentContext(
  spec: ExperimentSpec,
  data: readonly SplitData[],
  characters: string,
  student: StudentFolder | null = null,
): NonNullable<ExperimentPlan['context']> {
  let needed = 0;
  const seen = new Set<string>();
  for (const cell of expandGrid(spec)) {
    const options = cellMethodOptions(spec, cell.factors);
    const key = JSON.stringify([cell.factors.method, options]);
    if (seen.has(key)) continue;
    seen.add(key);
    let method;
    try {
      method = createMethod(resolveMethodConfig({ method: cell.factors.method, ...options }));
    } catch (err) {
      throw new LabError('INVALID_INPUT', `cell ${cell.key}: ${(err as Error).message}`);
    }
    for (const d of data) {
      // A pretrained student counts in its own tokens (its markers need the method's SEM count).
      const tok = student
        ? pretrainedNet({ folder: student, name: null, semTokens: method.semTokens }).tokenizer
        : buildTokenizer([...d.train, ...d.val], method, characters);
      // Every split counts: a compositional test split has longer items than any training item, and
      // a think-first student's generation on them must fit (docs/methods.md, "Context").
      needed = Math.max(
        needed,
        contextFit([...d.train, ...d.val, ...d.test], method, tok, Number.MAX_SAFE_INTEGER).neededContext,
      );
    }
  }
  const given = spec.model?.context;
  // A pretrained student's context cannot grow past its own (runs then refuse or record the cut).
  const limit = student ? student.summary.context : Number.MAX_SAFE_INTEGER;
  return given
    ? { tokens: given, needed, source: 'spec' }
    : { tokens: Math.min(limit, Math.ceil(needed / 8) * 8), needed, source: 'data' };
}

/** The spec with the chosen context filled in (what the experiment stores and its runs use). */
export function withContext(spec: ExperimentSpec, context: NonNullable<ExperimentPlan['context']>): ExperimentSpec {
  return context.source === 'data' ? { ...spec, model: { ...spec.model, context: context.tokens } } : spec;
}

export function createExperiment(db: Db, runs: RunManager, requested: ExperimentSpec, cores: number): number {
  // Generated variants are kept even if a later step fails: they are ordinary datasets, reused next time.
  const variants = resolveVariants(db, requested);
  const data = variants.map((v) => loadTrainingData(db, v.versionId, 'all'));
  // Characters outside the base set over every split of every variant go on every run spec, so
  // every cell of the grid shares token ids (docs/methods.md, "Vocabulary").
  const characters = extraCharacters(data.map((d) => vocabularyCharacters(d))).join('');
  const student = requested.student ? resolveStudent(db, requested.student).folder : null;
  const spec = withContext(requested, experimentContext(requested, data, characters, student));
  const cells = expandGrid(spec);
  return db.transaction(() => {
    const experimentId = Number(
      db
        .prepare('INSERT INTO experiments (name, description, spec, concurrency) VALUES (?, ?, ?, ?)')
        .run(spec.name, spec.description ?? '', JSON.stringify(spec), spec.concurrency ?? defaultConcurrency(cores))
        .lastInsertRowid,
    );
    const cellRow = db.prepare(
      'INSERT INTO experiment_runs (run_id, experiment_id, position, cell_key, group_key, label, factors) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const cell of cells) {
      const runSpec = cellRunSpec(spec, cell, variantForCell(variants, cell.factors), characters);
      let runId: number;
      try {
        runId = runs.enqueue(runSpec, experimentId);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw new LabError(err instanceof LabError ? err.code : 'INTERNAL', `cell ${cell.key}: ${message}`);
      }
      cellRow.run(
        runId,
        experimentId,
        cell.position,
        cell.key,
        cell.groupKey,
        cell.label,
        JSON.stringify(cell.factors),
      );
    }
    return experimentId;
  })();
}
