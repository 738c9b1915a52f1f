// The dataset versions an experiment trains on. An existing dataset resolves to one committed
// version; a synthetic spec resolves to one generated dataset per hallucination rate, all with the
// same seed so the questions are identical and only the injected teacher errors differ. A variant
// is generated once: a dataset generated earlier with exactly the same settings is reused (its
// first version, which is exactly what the generator produced, whatever was curated later).
import type { ExperimentSpec } from '../../../shared/types/experiments';
import type { HallucinationType } from '../../../shared/types/dataset';
import type { Db } from '../db/database';
import { canonicalJson } from '../datasets/store/canonical';
import { createDataset, datasetIdByName, uniqueDatasetName } from '../datasets/store/datasets';
import { latestCommitted, resolveVersion } from '../datasets/store/versions';
import { LabError } from '../errors';
import {
  GENERATED_SPLIT,
  generateSyntheticDataset,
  resolveSyntheticOptions,
  SyntheticOptionsError,
  type SyntheticDataset,
  type SyntheticOptions,
  type SyntheticSettings,
} from '../synthetic';

export interface ResolvedVariant {
  hallucinationRate: number | null;
  /** Generated with the teacher's errors carried into its answer (keepAnswerCorrect false). */
  answerFollowsError: boolean;
  datasetId: number;
  datasetName: string;
  versionId: number;
  version: number;
}

/**
 * The generator options of one variant. `answerFollowsError` (the `teacher` answer target) lets the
 * injected errors reach the teacher's answer; otherwise the spec's keepAnswerCorrect applies.
 */
export function variantOptions(spec: ExperimentSpec, rate: number, answerFollowsError = false): SyntheticOptions {
  const s = spec.synthetic!;
  const keepAnswerCorrect = answerFollowsError ? false : s.keepAnswerCorrect;
  return {
    task: s.task as SyntheticOptions['task'],
    n: s.n,
    seed: s.seed ?? 1,
    hallucinationRate: rate,
    ...(s.hallucinationTypes ? { hallucinationTypes: s.hallucinationTypes as HallucinationType[] } : {}),
    ...(keepAnswerCorrect !== undefined ? { keepAnswerCorrect } : {}),
    ...(s.minSize !== undefined ? { minSize: s.minSize } : {}),
    ...(s.maxSize !== undefined ? { maxSize: s.maxSize } : {}),
    ...(s.split !== undefined ? { split: s.split } : {}),
    ...(s.testMinSize !== undefined ? { testMinSize: s.testMinSize } : {}),
    ...(s.testMaxSize !== undefined ? { testMaxSize: s.testMaxSize } : {}),
  };
}

/** Runs the generator (or only its option check), naming the spec field of a bad option. */
function withSpecField<T>(make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof SyntheticOptionsError)
      throw new LabError('INVALID_INPUT', `synthetic.${err.field}: ${err.message}`);
    throw err;
  }
}

const resolvedSettings = (options: SyntheticOptions): SyntheticSettings =>
  withSpecField(() => resolveSyntheticOptions(options));

/** The variant's examples with their splits dealt, exactly as `datasets.generate` makes them. */
export const generateVariantData = (options: SyntheticOptions): SyntheticDataset =>
  withSpecField(() => generateSyntheticDataset(options));

/** A dataset generated earlier with exactly these settings and split, if any (no side effects). */
export function findGeneratedVariant(db: Db, options: SyntheticOptions): ResolvedVariant | null {
  const wanted = canonicalJson({ settings: resolvedSettings(options), split: GENERATED_SPLIT });
  const rows = db
    .prepare('SELECT id, name, source_detail FROM datasets WHERE source = ? ORDER BY id')
    .all(`synthetic:${options.task}`) as {
    id: number;
    name: string;
    source_detail: string;
  }[];
  for (const r of rows) {
    // The stored pattern report is derived from the settings, so only settings and split identify.
    const detail = JSON.parse(r.source_detail) as { settings?: unknown; split?: unknown };
    if (canonicalJson({ settings: detail.settings, split: detail.split }) !== wanted) continue;
    const v = db.prepare('SELECT id, number FROM dataset_versions WHERE dataset_id = ? AND number = 1').get(r.id) as
      { id: number; number: number } | undefined;
    if (v)
      return {
        hallucinationRate: options.hallucinationRate ?? 0,
        answerFollowsError: options.keepAnswerCorrect === false,
        datasetId: r.id,
        datasetName: r.name,
        versionId: v.id,
        version: v.number,
      };
  }
  return null;
}

function generateVariant(db: Db, experimentName: string, options: SyntheticOptions): ResolvedVariant {
  const { settings, examples, patterns } = generateVariantData(options);
  const rate = options.hallucinationRate ?? 0;
  const splitName = settings.split === 'compositional' ? ' compositional' : '';
  const follows = options.keepAnswerCorrect === false ? ' answer-follows-error' : '';
  const name = uniqueDatasetName(db, `${options.task} n=${options.n} p=${rate} seed=${options.seed}${splitName}${follows}`);
  const { datasetId, version } = createDataset(db, {
    name,
    source: `synthetic:${options.task}`,
    sourceDetail: { settings, split: GENERATED_SPLIT, patterns },
    message: `Generated ${options.n} ${options.task} examples (hallucination rate ${rate}, seed ${options.seed}) for experiment "${experimentName}"; split 80/10/10${splitName}`,
    examples,
  });
  const row = resolveVersion(db, datasetId, version.number!);
  return {
    hallucinationRate: rate,
    answerFollowsError: options.keepAnswerCorrect === false,
    datasetId,
    datasetName: name,
    versionId: row.id,
    version: version.number!,
  };
}

/**
 * The generated variants of a synthetic spec: one per hallucination rate, and with answerTargets
 * containing `teacher` a second one per rate whose teacher answers follow the injected errors.
 */
export function variantKeys(spec: ExperimentSpec): { rate: number; answerFollowsError: boolean }[] {
  const follows = spec.answerTargets
    ? [...new Set(spec.answerTargets.map((t) => t === 'teacher'))]
    : [spec.synthetic?.keepAnswerCorrect === false];
  return follows.flatMap((answerFollowsError) =>
    spec.synthetic!.hallucinationRates.map((rate) => ({ rate, answerFollowsError })),
  );
}

/** Resolves (and for synthetic specs, generates when missing) every dataset version of a spec. */
export function resolveVariants(db: Db, spec: ExperimentSpec): ResolvedVariant[] {
  if (spec.synthetic) {
    return variantKeys(spec).map(({ rate, answerFollowsError }) => {
      const options = variantOptions(spec, rate, answerFollowsError);
      return findGeneratedVariant(db, options) ?? generateVariant(db, spec.name, options);
    });
  }
  const datasetId = datasetIdByName(db, spec.dataset!);
  const row = spec.version !== undefined ? resolveVersion(db, datasetId, spec.version) : latestCommitted(db, datasetId);
  if (!row || row.number === null)
    throw new LabError('INVALID_INPUT', `dataset ${JSON.stringify(spec.dataset)} has no committed version to train on`);
  const name = (db.prepare('SELECT name FROM datasets WHERE id = ?').get(datasetId) as { name: string }).name;
  return [{ hallucinationRate: null, answerFollowsError: false, datasetId, datasetName: name, versionId: row.id, version: row.number }];
}
