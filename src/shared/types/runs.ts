// Training runs (issue 5): what a run is asked to do, its state and what it recorded.
import type { BackendName } from './app';

export type MethodId = 'answer-only' | 'pre-thinking' | 'prefix' | 'post-thinking' | 'pst';
export const METHOD_IDS: readonly MethodId[] = ['answer-only', 'pre-thinking', 'prefix', 'post-thinking', 'pst'];
export type PresetName = 'tiny' | 'small' | 'base';
export const PRESETS: readonly PresetName[] = ['tiny', 'small', 'base'];

/**
 * Which teacher completions train the student: every one, only those whose answer matches gold
 * (Fine-tune-CoT's default, `only_correct`), or by human annotation (issue 4):
 * `verified-faithful` keeps completions whose resolved human verdict is faithful and
 * `hallucinated-only` those whose resolved verdict is hallucinated. The resolved verdict is the
 * gold (adjudicated) verdict if there is one, else the verdict every human annotator gave
 * (annotators who disagree resolve to nothing); only labels made on the completion's current
 * rationale text count (see src/main/lab/annotation/store/status.ts).
 */
export type TrainingSubset = 'all' | 'teacher-correct' | 'verified-faithful' | 'hallucinated-only';
export const TRAINING_SUBSETS: readonly TrainingSubset[] = ['all', 'teacher-correct', 'verified-faithful', 'hallucinated-only'];

/** Method options; each method reads the ones it knows (PST-METHODS.md, Methods table). */
export interface MethodOptions {
  answerTarget?: 'gold' | 'teacher';
  /** prefix: weight of the [predict] task. */
  alpha?: number;
  /** post-thinking: w_y and w_r. */
  answerWeight?: number;
  rationaleWeight?: number;
  /** pst */
  encoder?: 'self' | 'hashed-tfidf';
  loss?: 'cosine' | 'mse' | 'infonce';
  tau?: number;
  head?: 'linear' | 'mlp';
  k?: number;
  lambda?: number;
  beta?: number;
  embedDim?: number;
}

export interface ModelOverrides {
  layers?: number;
  width?: number;
  heads?: number;
  context?: number;
  dropout?: number;
}

export interface RunSpec {
  dataset: number;
  /** A committed version number (runs never train on a draft). */
  version: number;
  subset: TrainingSubset;
  method: MethodId;
  methodOptions: MethodOptions;
  preset: PresetName;
  /** Overrides of the preset's architecture (the "layers, width, heads, context length"). */
  model?: ModelOverrides;
  steps: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** null = the best backend that loads (see doctor). */
  backend: BackendName | null;
  evalEvery: number;
  valMaxExamples: number;
  earlyStopPatience: number | null;
  /** Test examples evaluated at the end (null = all). */
  testMaxExamples: number | null;
  name?: string;
  /**
   * Characters the vocabulary holds besides the run's own data (set by an experiment: those of its
   * other dataset variants, so every cell shares token ids; docs/methods.md, "Vocabulary").
   */
  characters?: string;
  /**
   * Start even when more than 1 % of the training rationales or questions would be cut to fit the
   * context; the cut shares are recorded in the run's data stats (docs/methods.md, "Context").
   */
  allowTruncation?: boolean;
}

export type RunStatus = 'queued' | 'running' | 'paused' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

export interface RunSummary {
  id: number;
  name: string;
  datasetId: number;
  datasetName: string;
  version: number;
  method: MethodId;
  preset: PresetName;
  seed: number;
  status: RunStatus;
  error: string | null;
  backend: string | null;
  backendReason: string | null;
  step: number;
  steps: number;
  lastLoss: number | null;
  bestValAccuracy: number | null;
  testAccuracy: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  experimentId: number | null;
}

export interface RunDetail extends RunSummary {
  spec: RunSpec;
  /** Resolved trainer/model configuration as the worker reported it. */
  resolved: Record<string, unknown> | null;
  environment: Record<string, unknown> | null;
  dataStats: Record<string, unknown> | null;
  checkpointDir: string | null;
  final: Record<string, unknown> | null;
}

export interface StepPoint {
  step: number;
  loss: number;
  answerLoss: number | null;
  rationaleLoss: number | null;
  semanticLoss: number | null;
  lr: number;
  tokensPerSec: number;
  elapsedMs: number;
}

export interface EvalPoint {
  step: number;
  valLoss: number | null;
  valAccuracy: number | null;
}

export interface RunMetrics {
  steps: StepPoint[];
  evals: EvalPoint[];
}

export interface Prediction {
  exampleId: number;
  externalId: string;
  question: string;
  gold: string;
  prediction: string | null;
  correct: boolean;
  output: string;
  tokensToAnswer: number;
  msToAnswer: number;
  rationale: string | null;
  tokenF1: number | null;
  rougeL: number | null;
}

export interface RunProgress {
  runId: number;
  status: RunStatus;
  step: number;
  steps: number;
  loss: number | null;
  answerLoss: number | null;
  rationaleLoss: number | null;
  semanticLoss: number | null;
  lr: number | null;
  tokensPerSec: number | null;
  etaSec: number | null;
  /** During final evaluation: examples done / total. */
  evaluating: { done: number; total: number } | null;
}

/** Accuracy and cost of one evaluation of a checkpoint. */
export interface EvaluationFigures {
  accuracy: number;
  count: number;
  meanTokensToAnswer: number;
  meanMsToAnswer: number;
  generationTokensPerSec: number;
  checkpoint: string;
}
