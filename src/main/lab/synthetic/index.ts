// Public surface of the built-in synthetic tasks (docs/methods.md, "Generated tasks: splits, patterns and reference rationales").
export { SYNTHETIC_TASKS, SYNTHETIC_TASK_NAMES, isSyntheticTaskName, type SyntheticTaskInfo } from './catalog';
export { generateSynthetic, iterateSynthetic, generateExample, ANSWER_AFFECTING_TYPES } from './generate';
export {
  resolveSyntheticOptions,
  SyntheticOptionsError,
  SYNTHETIC_GENERATOR_VERSION,
  SYNTHETIC_SPLITS,
  type SyntheticSplit,
  type SyntheticOptions,
  type SyntheticSettings,
} from './options';
export { generateSyntheticDataset, patternReport, possiblePatterns, type SyntheticDataset } from './dataset';
export { dealSplits, GENERATED_SPLIT } from './splits';
export { benchmarkSynthetic, type SyntheticBenchResult } from './benchmark';
export type { SyntheticTaskName } from './types';
