// Validation of generator options into fully resolved settings. The resolved settings are stored
// in every example's metadata, so a dataset records exactly how it was made (including which
// requested hallucination types the task could not use).
import { HALLUCINATION_TYPES, type HallucinationType } from '../../../shared/types/dataset';
import { getSyntheticTask, isSyntheticTaskName, SYNTHETIC_TASK_NAMES } from './catalog';
import type { SyntheticTaskName } from './types';

// 2: answer_mismatch's teacher answer is the stated conclusion; split and clean-rationale fields.
export const SYNTHETIC_GENERATOR_VERSION = 2;

/**
 * How a generated dataset is split (docs/methods.md, "Compositional split"): `random` deals
 * examples 80/10/10; `compositional` gives the test split a structure training never has (larger
 * sizes, and for arithmetic larger numbers) while train and validation share one structure.
 */
export type SyntheticSplit = 'random' | 'compositional';
export const SYNTHETIC_SPLITS: readonly SyntheticSplit[] = ['random', 'compositional'];

export interface SyntheticOptions {
  task: SyntheticTaskName;
  /** Number of examples. */
  n: number;
  /** Any safe integer; the same seed and options always give the same examples. */
  seed: number;
  /** Probability that an example's rationale gets an injected error (default 0). */
  hallucinationRate?: number;
  /**
   * Which error types to inject: a list (equal weights) or weights per type. Default: every type
   * the task supports, equally weighted. Types the task does not support are dropped (recorded
   * as `droppedTypes`); if none is left the options are refused.
   */
  hallucinationTypes?: readonly HallucinationType[] | Partial<Record<HallucinationType, number>>;
  /**
   * true (default): errors stay local and the teacher's final answer stays correct.
   * false: the teacher keeps reasoning from the error, so the answer follows it (for the types
   * that can reach the answer: arithmetic_slip, quantity_misread, contradictory_statement,
   * answer_mismatch; skipped_step and irrelevant_statement never change the answer).
   */
  keepAnswerCorrect?: boolean;
  /** Problem size range in the task's unit (people, words, steps, swaps); see SYNTHETIC_TASKS. */
  minSize?: number;
  maxSize?: number;
  /** Index of the first example (default 0), to generate a large dataset in independent chunks. */
  startIndex?: number;
  /** Default `random`. With `compositional`, minSize/maxSize are the train/val sizes. */
  split?: SyntheticSplit;
  /**
   * Compositional split only: the test items' size range, above maxSize (default maxSize + 1 to
   * maxSize + 2, within the task's limits).
   */
  testMinSize?: number;
  testMaxSize?: number;
}

export interface SyntheticSettings {
  generator: 'pst-lab-synthetic';
  version: number;
  task: SyntheticTaskName;
  n: number;
  seed: number;
  startIndex: number;
  hallucinationRate: number;
  /** Effective weights (only types the task supports, all > 0). */
  hallucinationTypes: Partial<Record<HallucinationType, number>>;
  droppedTypes: HallucinationType[];
  keepAnswerCorrect: boolean;
  sizeUnit: string;
  /** Train and validation sizes (all sizes with the random split). */
  minSize: number;
  maxSize: number;
  split: SyntheticSplit;
  /** Test sizes of the compositional split (null with the random split). */
  testMinSize: number | null;
  testMaxSize: number | null;
}

export class SyntheticOptionsError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`synthetic options: field "${field}": ${reason}`);
    this.name = 'SyntheticOptionsError';
  }
}

function requireInt(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new SyntheticOptionsError(field, `must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return value;
}

function resolveWeights(raw: SyntheticOptions['hallucinationTypes']): Partial<Record<HallucinationType, number>> {
  if (raw === undefined) return Object.fromEntries(HALLUCINATION_TYPES.map((t) => [t, 1]));
  const entries: [string, unknown][] = Array.isArray(raw) ? raw.map((t) => [t, 1]) : Object.entries(raw);
  if (entries.length === 0) throw new SyntheticOptionsError('hallucinationTypes', 'is empty; omit it to use every type');
  const out: Partial<Record<HallucinationType, number>> = {};
  for (const [type, weight] of entries) {
    if (!(HALLUCINATION_TYPES as readonly string[]).includes(type)) {
      throw new SyntheticOptionsError('hallucinationTypes', `unknown type "${type}" (known: ${HALLUCINATION_TYPES.join(', ')})`);
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new SyntheticOptionsError('hallucinationTypes', `weight of "${type}" must be a finite number >= 0 (got ${JSON.stringify(weight)})`);
    }
    if (weight > 0) out[type as HallucinationType] = weight;
  }
  return out;
}

export function resolveSyntheticOptions(options: SyntheticOptions): SyntheticSettings {
  if (typeof options.task !== 'string' || !isSyntheticTaskName(options.task)) {
    throw new SyntheticOptionsError('task', `unknown task ${JSON.stringify(options.task)} (known: ${SYNTHETIC_TASK_NAMES.join(', ')})`);
  }
  const task = getSyntheticTask(options.task);
  const n = requireInt('n', options.n, 0, 10_000_000);
  const seed = requireInt('seed', options.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const startIndex = requireInt('startIndex', options.startIndex ?? 0, 0, 2 ** 32 - 1 - n);
  const rate = options.hallucinationRate ?? 0;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new SyntheticOptionsError('hallucinationRate', `must be a number from 0 to 1 (got ${JSON.stringify(rate)})`);
  }
  const keepAnswerCorrect = options.keepAnswerCorrect ?? true;
  if (typeof keepAnswerCorrect !== 'boolean') {
    throw new SyntheticOptionsError('keepAnswerCorrect', `must be true or false (got ${JSON.stringify(keepAnswerCorrect)})`);
  }
  const split = options.split ?? 'random';
  if (!SYNTHETIC_SPLITS.includes(split)) {
    throw new SyntheticOptionsError('split', `must be one of ${SYNTHETIC_SPLITS.join(', ')} (got ${JSON.stringify(split)})`);
  }
  const compositional = split === 'compositional';
  const { size } = task;
  // The compositional split keeps room above the training sizes for the test items.
  const maxDefault = compositional ? Math.min(size.defaultMax, size.allowedMax - 1) : size.defaultMax;
  // A lone bound pulls the other default along, so `maxSize: 1` alone means sizes 1..1.
  const minDefault = Math.min(size.defaultMin, typeof options.maxSize === 'number' ? options.maxSize : maxDefault);
  const minSize = requireInt('minSize', options.minSize ?? minDefault, size.allowedMin, size.allowedMax);
  const maxSize = requireInt('maxSize', options.maxSize ?? Math.max(maxDefault, minSize), size.allowedMin, size.allowedMax);
  if (maxSize < minSize) throw new SyntheticOptionsError('maxSize', `must be >= minSize (${minSize}), got ${maxSize}`);
  let testMinSize: number | null = null;
  let testMaxSize: number | null = null;
  if (!compositional) {
    for (const field of ['testMinSize', 'testMaxSize'] as const) {
      if (options[field] !== undefined) throw new SyntheticOptionsError(field, 'applies only to split "compositional"');
    }
  } else {
    if (maxSize >= size.allowedMax) {
      throw new SyntheticOptionsError(
        'maxSize',
        `the compositional split tests on ${size.unit} above maxSize, and ${task.name} allows at most ${size.allowedMax}: use maxSize <= ${size.allowedMax - 1} (got ${maxSize})`,
      );
    }
    if ((options.startIndex ?? 0) !== 0) {
      throw new SyntheticOptionsError('startIndex', 'the compositional split is dealt over the whole dataset: generate it in one call (startIndex 0)');
    }
    testMinSize = requireInt('testMinSize', options.testMinSize ?? maxSize + 1, maxSize + 1, size.allowedMax);
    const testMaxDefault = Math.min(size.allowedMax, Math.max(testMinSize, maxSize + 2));
    testMaxSize = requireInt('testMaxSize', options.testMaxSize ?? testMaxDefault, testMinSize, size.allowedMax);
  }

  const requested = resolveWeights(options.hallucinationTypes);
  const effective: Partial<Record<HallucinationType, number>> = {};
  const dropped: HallucinationType[] = [];
  for (const [type, weight] of Object.entries(requested) as [HallucinationType, number][]) {
    if (task.applicableTypes[type] !== undefined) effective[type] = weight;
    else if (options.hallucinationTypes !== undefined) dropped.push(type);
  }
  if (rate > 0 && Object.keys(effective).length === 0) {
    throw new SyntheticOptionsError(
      'hallucinationTypes',
      `none of the requested types applies to ${options.task} (it supports: ${Object.keys(task.applicableTypes).join(', ')})`,
    );
  }
  return {
    generator: 'pst-lab-synthetic',
    version: SYNTHETIC_GENERATOR_VERSION,
    task: options.task,
    n,
    seed,
    startIndex,
    hallucinationRate: rate,
    hallucinationTypes: effective,
    droppedTypes: dropped,
    keepAnswerCorrect,
    sizeUnit: size.unit,
    minSize,
    maxSize,
    split,
    testMinSize,
    testMaxSize,
  };
}
