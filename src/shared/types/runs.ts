// Training runs (docs/methods.md, "Student and trainer"): what a run is asked to do, its state and what it recorded.
import type { BackendName } from './app';
import type { AnswerTarget, MethodId, PresetName, PstEncoderName, PstHead, PstLossName, TrainingSubset } from '../catalogue';

// Method ids, presets, subsets, encoders and losses live in the catalogue (src/shared/catalogue.ts).
export { ANSWER_TARGETS, METHOD_IDS, PRESETS, PST_ENCODERS, PST_LOSSES, TRAINING_SUBSETS } from '../catalogue';
export type { AnswerTarget, MethodId, PresetName, PstEncoderName, PstLossName, TrainingSubset } from '../catalogue';

/** Method options; each method reads the ones it knows (docs/methods.md, "Method options"). */
export interface MethodOptions {
  answerTarget?: AnswerTarget;
  /** prefix: weight of the [predict] task. */
  alpha?: number;
  /** post-thinking: w_y and w_r. */
  answerWeight?: number;
  rationaleWeight?: number;
  /** pst */
  encoder?: PstEncoderName;
  /** pst, encoder self: NTP(r) pre-training steps of the frozen encoder (ignored with selfFrom). */
  selfSteps?: number;
  /** pst, encoder self: use this completed run's best (else last) checkpoint as the frozen encoder. */
  selfFrom?: number;
  /** pst, encoder external: a registered sentence encoder (name or id, see `students list`) or its folder. */
  encoderStudent?: string;
  loss?: PstLossName;
  tau?: number;
  head?: PstHead;
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
  /** wasm threads; null/absent = Settings, else every core (an experiment divides the cores). */
  threads?: number | null;
  /** CUDA 11 / cuDNN 8 library folder for tfjs-node-gpu; null/absent = Settings. */
  cudaLibs?: string | null;
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
  /**
   * Train every sequence at a random start position (drawn per step from the run's seed), so the
   * whole position table up to the context is trained in every method, not only the positions of
   * the method's own sequence lengths; inference starts at 0 as usual (docs/methods.md, "Random
   * start positions"). Needed for a fair compositional split, whose test items are longer.
   */
  randomPositions?: boolean;
  /**
   * A pretrained student (registered name or id, or a Hugging Face folder path) instead of the
   * char GPT of `preset` (docs/methods.md, "Training a pretrained student").
   */
  student?: string | null;
  /** LoRA on the pretrained student: only adapters, marker rows and the PST head train. */
  lora?: LoraSpec | null;
  /** Micro-batches per optimizer step (gradient accumulation); effective batch = batchSize x accumulate. */
  accumulate?: number;
}

export interface LoraSpec {
  rank: number;
  /** Scale alpha / rank on the adapter's product (default alpha = rank). */
  alpha?: number;
  /** Dropout on the adapters' input while training, 0 <= P < 1 (default 0; docs/methods.md, "LoRA dropout"). */
  dropout?: number;
  /** Linear layers by module name (default per family: GPT-2 c_attn; Llama/Qwen2 q_proj, v_proj). */
  targets?: string[];
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
  /** The experiment's name when the run belongs to one, else null. */
  experimentName: string | null;
}

export interface RunDetail extends RunSummary {
  spec: RunSpec;
  /** Resolved trainer/model configuration as the worker reported it. */
  resolved: Record<string, unknown> | null;
  environment: Record<string, unknown> | null;
  dataStats: Record<string, unknown> | null;
  checkpointDir: string | null;
  final: Record<string, unknown> | null;
  /** PST only: the semantic target's encoder and its diagnostics (start, then every validation). */
  semantic: SemanticRecord | null;
  /** Problems the run recorded that a reader must see (e.g. degenerate PST targets). */
  warnings: string[];
}

/** How well P(h_SEM) picks out its own rationale's target among a fixed sample (docs/methods.md, "PST diagnostics"). */
export interface RetrievalDiagnostics {
  /** Sample size (rationales). */
  n: number;
  /** Share of rows whose own target is the most similar / among the 5 most similar. */
  top1: number;
  top5: number;
  /** The same shares for a random ranking: 1/n and min(5, n)/n. */
  chanceTop1: number;
  chanceTop5: number;
  /** Mean cosine of P(h_SEM) to its own target and to the other targets of the sample. */
  cosOwn: number;
  cosOthers: number;
}

export interface SemanticDiagnostics {
  /** Training step (the start of training = the step the run started from). */
  step: number;
  /** Mean off-diagonal cosine of the targets as the loss sees them, over the fixed training sample. */
  diversity: number | null;
  /** The same before centring (the encoder's raw output). */
  rawDiversity: number | null;
  /** Mean ||e - mean|| / ||e|| over the sample: the share of e(r) that differs across rationales. */
  centredShare: number | null;
  /** Retrieval among the fixed training sample and among a fixed validation sample. */
  train: RetrievalDiagnostics | null;
  val: RetrievalDiagnostics | null;
  /** diversity above 0.95 (or centring left under 1 % of the raw norm): the target carries no information. */
  degenerate: boolean;
}

export interface SemanticRecord {
  encoder: string;
  /** What reproduces the encoder (options, source run, pre-training steps). */
  encoderConfig: Record<string, unknown>;
  loss: string;
  dim: number;
  /** Targets centred on the training mean and L2-normalised (every encoder except self-online). */
  centred: boolean;
  /**
   * Time spent building the targets before training, in ms (the self encoder's NTP(r) steps, the
   * external encoder's encoding or cache read); absent in runs recorded before it was measured.
   */
  setupMs?: number;
  /** encoder self, pre-trained in this run: measured ms per NTP(r) step (the experiment plan's estimate uses it). */
  selfStepMs?: number | null;
  /** encoder external, encoded in this run (cache miss): measured ms per rationale encoded. */
  encodeMsPerText?: number | null;
  /** At the start of training, then one per validation, in step order. */
  diagnostics: SemanticDiagnostics[];
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
  /** Over outputs with an extractable answer only (null when none has one). */
  meanTokensToAnswer: number | null;
  meanMsToAnswer: number | null;
  /** Share of outputs with no extractable answer. */
  noAnswerShare: number;
  generationTokensPerSec: number;
  checkpoint: string;
}
