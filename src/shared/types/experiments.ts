// Experiments (docs/methods.md, "Statistics"): a grid of runs over factors, its aggregated results, and reports.
// This file is the shared vocabulary between the scheduler, the statistics, the Compare page and
// the report writers.
import type { BackendName } from './app';
import type { AnnotationStatus } from './annotations';
import type { AnswerType, HallucinationType } from './dataset';
import type { AnswerTarget, LoraSpec, MethodId, MethodOptions, ModelOverrides, PresetName, PstEncoderName, PstLossName, RunStatus, SemanticRecord, TrainingSubset } from './runs';

/** The JSON spec file (`pst-lab experiment create spec.json`), documented in examples/README.md. */
export interface ExperimentSpec {
  name: string;
  description?: string;
  /** An existing dataset (name or id) and version; or `synthetic` to let the lab generate variants. */
  dataset?: string | number;
  version?: number;
  /**
   * Robustness experiments on a generated task: one dataset variant per hallucination rate, all with
   * the same seed (so questions are identical across rates and only the teacher rationales differ).
   */
  synthetic?: {
    task: string;
    n: number;
    seed?: number;
    hallucinationRates: number[];
    hallucinationTypes?: HallucinationType[];
    keepAnswerCorrect?: boolean;
    /** Problem size range in the task's unit (see datasets.syntheticTasks); smaller = shorter rationales. */
    minSize?: number;
    maxSize?: number;
    /**
     * random (default, 80/10/10) or compositional: test items with a structure training never has
     * (minSize/maxSize are then the train/val sizes; docs/methods.md, "Compositional split").
     */
    split?: 'random' | 'compositional';
    /** Compositional split: the test items' size range, above maxSize. */
    testMinSize?: number;
    testMaxSize?: number;
  };
  subset?: TrainingSubset;
  methods: MethodId[];
  /**
   * The label factor (docs/methods.md, "Answer targets"): `gold` trains on the gold answer; `teacher`
   * trains on the teacher's answer, and on generated data its injected errors carry into the
   * conclusion (`keepAnswerCorrect: false`), so hallucinations corrupt the labels too.
   */
  answerTargets?: AnswerTarget[];
  /** Options for every method (e.g. answerTarget) and per method. */
  methodOptions?: MethodOptions;
  perMethodOptions?: Partial<Record<MethodId, MethodOptions>>;
  /** PST ablation factors: each list multiplies the PST cells of the grid. */
  /**
   * PST options varied as grid factors; `encoderStudent` is not a factor but the sentence encoder
   * (registered name or folder) of the cells whose encoder is `external`.
   */
  pstGrid?: { lambda?: number[]; encoder?: PstEncoderName[]; loss?: PstLossName[]; encoderStudent?: string };
  /** A number n means seeds 1..n; default 5 (the seed is the unit of replication, docs/methods.md). */
  seeds?: number | number[];
  preset?: PresetName;
  model?: ModelOverrides;
  /** A pretrained student (registered name or folder) for every cell instead of the preset's char GPT. */
  student?: string | null;
  lora?: LoraSpec | null;
  /** Micro-batches per optimizer step (gradient accumulation). */
  accumulate?: number;
  budget: { steps: number; batchSize?: number; lr?: number };
  evaluation?: { evalEvery?: number; valExamples?: number; testExamples?: number | null };
  backend?: BackendName | null;
  /** wasm threads per run; absent = Settings, else cores / concurrency. */
  threads?: number | null;
  /** CUDA library folder for the runs; absent = Settings. */
  cudaLibs?: string | null;
  concurrency?: number;
  /**
   * Let runs cut more than 1 % of their training rationales or questions to fit the context. Without
   * `model.context` the experiment picks a context that cuts nothing (docs/methods.md, "Context").
   */
  allowTruncation?: boolean;
  /** Every run trains at random start positions (RunSpec.randomPositions). */
  randomPositions?: boolean;
}

/** The factor values that identify one cell of the grid (one run). */
export interface CellFactors {
  method: MethodId;
  seed: number;
  hallucinationRate: number | null;
  lambda: number | null;
  encoder: string | null;
  loss: string | null;
  /** The answer target when the spec varies it (`answerTargets`); absent or null otherwise. */
  answerTarget?: AnswerTarget | null;
}

export type ExperimentStatus = 'draft' | 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface ExperimentSummary {
  id: number;
  name: string;
  status: ExperimentStatus;
  createdAt: string;
  runs: number;
  byStatus: Partial<Record<RunStatus, number>>;
  /** Fraction of all planned training steps done. */
  progress: number;
  etaSec: number | null;
  concurrency: number;
}

/** One group of runs that differ only by seed (a bar or a line point). */
export interface CellGroup {
  /** Stable key, e.g. "pst|rate=0.3|lambda=1|encoder=self|loss=cosine". */
  key: string;
  label: string;
  factors: Omit<CellFactors, 'seed'>;
  runIds: number[];
  seeds: number[];
  accuracy: Aggregate | null;
  /** Share of test outputs with no extractable answer (stored prediction NULL or empty). */
  noAnswer: Aggregate | null;
  meanTokensToAnswer: Aggregate | null;
  meanMsToAnswer: Aggregate | null;
  /** Majority-class baseline and chance on the test examples the group was evaluated on. */
  baselines: TestBaselines | null;
}

/**
 * A confidence interval with the seed as the unit of replication: a Student t-interval over the
 * per-seed values; low/high are null below 3 seeds ("not computable"). See docs/methods.md.
 */
export interface SeedInterval {
  method: 't';
  unit: 'seed';
  level: number;
  n: number;
  low: number | null;
  high: number | null;
  /** What to print: "95% t-interval over 5 seeds" or "not computable (n=2 seeds)". */
  description: string;
}

/** Mean and sample std over seeds (one value per completed run) and the seed-level interval. */
export interface Aggregate {
  n: number;
  mean: number;
  std: number | null;
  ci: SeedInterval;
  values: number[];
}

/** What an answer needs no learning for, on one set of test examples. */
export interface TestBaselines {
  /** Test examples the baselines are computed on (those the group's runs were evaluated on). */
  examples: number;
  answerTypes: AnswerType[];
  /**
   * Accuracy of always answering the commonest (normalised) gold answer of these examples: the best
   * any constant answer can score here.
   */
  majority: { answer: string; accuracy: number };
  /**
   * Expected accuracy of a uniform guess: 1/#choices for multiple choice, 0.5 for yes/no, averaged
   * over the examples; null ("n/a") when any example has an open answer (number or text).
   */
  chance: number | null;
}

/** One shared seed of a paired comparison: each group's accuracy on the shared examples. */
export interface SeedDifference {
  seed: number;
  a: number;
  b: number;
  difference: number;
}

export interface PairedComparison {
  a: string;
  b: string;
  sharedSeeds: number[];
  /** Shared test examples (both groups evaluated them on every shared seed). */
  examples: number;
  /** The seed as the unit of replication (docs/methods.md, "Statistics"). */
  seedLevel: {
    n: number;
    differences: SeedDifference[];
    /** Mean over seeds of the per-seed accuracy difference a - b. */
    meanDifference: number;
    /** Paired t-test on the differences (df = n - 1, two-sided) with the t-interval of the mean difference. */
    tTest: { t: number; df: number; p: number; level: number; ciLow: number; ciHigh: number } | null;
    /** Why tTest is null (fewer than 2 seeds, or all differences equal). */
    tTestNote: string | null;
    /** Exact sign-flip permutation test over all 2^n sign patterns; minP = 2 / 2^n. */
    signFlip: { p: number; patterns: number; minP: number } | null;
    signFlipNote: string | null;
  };
  /**
   * Conditional on the trained models (examples as unit): a paired bootstrap over examples and the
   * exact McNemar test on pooled (seed, example) pairs. They ignore seed-to-seed variation.
   */
  conditional: {
    /** Mean accuracy difference a - b over shared seeds and examples. */
    difference: number;
    ciLow: number;
    ciHigh: number;
    pBootstrap: number;
    resamples: number;
    /** b01 = a wrong & b right, b10 = a right & b wrong. */
    mcnemar: { b01: number; b10: number; p: number };
  };
}

export interface TrainingCurve {
  key: string;
  label: string;
  /** Steps on the x axis; loss mean and band (min..max or mean±std) over seeds. */
  steps: number[];
  mean: number[];
  low: number[];
  high: number[];
}

/** Everything the Compare page and the reports need about one experiment. */
export interface ExperimentResults {
  experiment: ExperimentSummary & { spec: ExperimentSpec };
  groups: CellGroup[];
  curves: TrainingCurve[];
  /** Reproducibility bundle: dataset versions and hashes, full run configs, seeds, environment. */
  reproducibility: {
    appVersion: string;
    commit: string | null;
    datasets: { id: number; name: string; version: number; contentHash: string }[];
    runs: { id: number; factors: CellFactors; spec: unknown; resolved: unknown; environment: unknown; backend: string | null; startedAt: string | null; finishedAt: string | null; durationMs: number | null; semantic?: SemanticRecord | null }[];
    generatedAt: string;
  };
}

/** One cell of an expanded grid: the factors and the run spec it becomes (before datasets exist). */
export interface PlannedCell {
  position: number;
  key: string;
  groupKey: string;
  label: string;
  factors: CellFactors;
}

/** How long one kind of run is expected to take, and where the figure came from. */
export interface CellTimeEstimate {
  method: MethodId;
  runs: number;
  /** Estimated seconds for one run of this method (start-up + training + final evaluation). */
  secondsPerRun: number | null;
  trainTokensPerSec: number | null;
  msPerStep: number | null;
  /** 'history': finished runs on the same backend/preset/model; 'probe': a short measured run; null: unknown. */
  source: 'history' | 'probe' | null;
  basis: string;
}

/** `experiments.plan`: what an experiment would do, computed without side effects. */
export interface ExperimentPlan {
  runs: number;
  cells: PlannedCell[];
  groups: number;
  seeds: number[];
  datasets: { hallucinationRate: number | null; answerFollowsError?: boolean; reuse: { id: number; name: string; version: number } | null }[];
  concurrency: number;
  /** Wall-clock seconds with `concurrency` run processes (null when no estimate could be made). */
  estimatedSeconds: number | null;
  perMethod: CellTimeEstimate[];
  /**
   * The context every run gets: `model.context` of the spec, else the longest sequence of any split
   * under any method on any variant (null when the data cannot be previewed).
   */
  context: { tokens: number; needed: number; source: 'spec' | 'data' } | null;
  /** Plain words: how the estimate was made and what it leaves out. */
  explanation: string;
}

/** 'experiment.progress': one experiment moved (a run stepped, started, finished). */
export interface ExperimentProgress {
  experimentId: number;
  status: ExperimentStatus;
  runs: number;
  byStatus: Partial<Record<RunStatus, number>>;
  /** Fraction of all planned training steps done. */
  progress: number;
  etaSec: number | null;
  /** The runs this process is running right now. */
  active: {
    runId: number;
    label: string;
    status: RunStatus;
    step: number;
    steps: number;
    loss: number | null;
    etaSec: number | null;
    evaluating: { done: number; total: number } | null;
    /** The remote worker training it (runs on a queue), else null (a run process of this machine). */
    worker: string | null;
  }[];
}

export interface ExperimentRunRow {
  runId: number;
  position: number;
  key: string;
  groupKey: string;
  label: string;
  factors: CellFactors;
  status: RunStatus;
  error: string | null;
  step: number;
  steps: number;
  /** Loss of the last recorded step (null before the first step). */
  lastLoss: number | null;
  testAccuracy: number | null;
  datasetId: number;
  version: number;
}

export interface ExperimentDetail extends ExperimentSummary {
  description: string;
  spec: ExperimentSpec;
  runsDetail: ExperimentRunRow[];
}

/** Where annotators stand on one example (its teacher rationales), as the Annotate page shows it. */
export interface FlipAnnotation {
  /** The example's status: the first of disagreement, hallucinated, faithful, labelled, auto-flagged, unlabelled over its rationales. */
  status: AnnotationStatus;
  /** Human annotators (not the machine) who labelled any of its rationales. */
  annotators: number;
  hasGold: boolean;
}

/** An example that one method gets right and the other wrong (on the shared seeds). */
export interface FlipExample {
  externalId: string;
  exampleId: number;
  question: string;
  gold: string;
  seeds: number;
  /** On how many shared seeds each method was right. */
  aCorrect: number;
  bCorrect: number;
  /** 'a' when a was right more often, 'b' otherwise. */
  favours: 'a' | 'b';
  predictionsA: (string | null)[];
  predictionsB: (string | null)[];
  /** null when the lab has no annotation tables (they came with schema 4). */
  annotation: FlipAnnotation | null;
}

export interface FlipsResult {
  a: string;
  b: string;
  sharedSeeds: number[];
  examples: number;
  annotationsAvailable: boolean;
  flips: FlipExample[];
}
