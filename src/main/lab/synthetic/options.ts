// Validation of generator options into fully resolved settings. The resolved settings are stored
// in every example's metadata, so a dataset records exactly how it was made (including which
// requested hallucination types the task could not use).
import { HALLUCINATION_TYPES, type HallucinationType } from '../../../shared/types/dataset';
import { getSyntheticTask, isSyntheticTaskName, SYNTHETIC_TASK_NAMES } from './catalog';
import type { SyntheticTaskName } from './types';

export const SYNTHETIC_GENERATOR_VERSION = 1;

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
  minSize: number;
  maxSize: number;
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
  const { size } = task;
  // A lone bound pulls the other default along, so `maxSize: 1` alone means sizes 1..1.
  const minDefault = typeof options.maxSize === 'number' ? Math.min(size.defaultMin, options.maxSize) : size.defaultMin;
  const minSize = requireInt('minSize', options.minSize ?? minDefault, size.allowedMin, size.allowedMax);
  const maxSize = requireInt('maxSize', options.maxSize ?? Math.max(size.defaultMax, minSize), size.allowedMin, size.allowedMax);
  if (maxSize < minSize) throw new SyntheticOptionsError('maxSize', `must be >= minSize (${minSize}), got ${maxSize}`);

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
  };
}
