// Storing an experiment: resolve (or generate) its dataset versions, expand the grid, and write the
// experiment with every run as a queued row in one transaction, so a bad cell leaves nothing behind.
import type { ExperimentSpec, PlannedCell } from '../../../shared/types/experiments';
import type { RunSpec } from '../../../shared/types/runs';
import type { Db } from '../db/database';
import { LabError } from '../errors';
import type { RunManager } from '../runs/manager';
import { loadTrainingData, vocabularyCharacters } from '../runs/trainingData';
import { extraCharacters } from '../training/tokenizer';
import { cellMethodOptions, expandGrid } from './grid';
import { resolveVariants, type ResolvedVariant } from './variants';

/** Defaults of an experiment's runs (the same as `runs.start` except validation, see below). */
export const RUN_DEFAULTS = { preset: 'tiny', batchSize: 16, lr: 1e-3, valMaxExamples: 100, subset: 'all' } as const;

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
    steps,
    batchSize: spec.budget.batchSize ?? RUN_DEFAULTS.batchSize,
    lr: spec.budget.lr ?? RUN_DEFAULTS.lr,
    seed: cell.factors.seed,
    backend: spec.backend ?? null,
    evalEvery: spec.evaluation?.evalEvery ?? defaultEvalEvery(steps),
    valMaxExamples: spec.evaluation?.valExamples ?? RUN_DEFAULTS.valMaxExamples,
    earlyStopPatience: null,
    testMaxExamples: spec.evaluation?.testExamples ?? null,
    name: `${spec.name}: ${cell.label} seed ${cell.factors.seed}`,
  };
}

export function variantForRate(variants: readonly ResolvedVariant[], rate: number | null): ResolvedVariant {
  const v = variants.find((x) => x.hallucinationRate === rate) ?? (rate === null ? variants[0] : undefined);
  if (!v) throw new LabError('INTERNAL', `no dataset variant for hallucination rate ${rate}`);
  return v;
}

/**
 * Characters outside the tokenizer's base set over every split of every variant: each run's
 * vocabulary holds them all, so every cell of the grid shares token ids (docs/methods.md, "Vocabulary").
 */
export function experimentCharacters(db: Db, variants: readonly Pick<ResolvedVariant, 'versionId'>[]): string {
  return extraCharacters(variants.map((v) => vocabularyCharacters(loadTrainingData(db, v.versionId, 'all')))).join('');
}

export function createExperiment(db: Db, runs: RunManager, spec: ExperimentSpec, cores: number): number {
  const cells = expandGrid(spec);
  // Generated variants are kept even if a later step fails: they are ordinary datasets, reused next time.
  const variants = resolveVariants(db, spec);
  const characters = experimentCharacters(db, variants);
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
      const runSpec = cellRunSpec(spec, cell, variantForRate(variants, cell.factors.hallucinationRate), characters);
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
