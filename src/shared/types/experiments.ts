// Experiments (issue 6): a grid of runs over factors, its aggregated results, and reports.
// This file is the shared vocabulary between the scheduler, the statistics, the Compare page and
// the report writers.
import type { BackendName } from './app';
import type { AnnotationStatus } from './annotations';
import type { HallucinationType } from './dataset';
import type { MethodId, MethodOptions, ModelOverrides, PresetName, RunStatus, TrainingSubset } from './runs';

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
  };
  subset?: TrainingSubset;
  methods: MethodId[];
  /** Options for every method (e.g. answerTarget) and per method. */
  methodOptions?: MethodOptions;
  perMethodOptions?: Partial<Record<MethodId, MethodOptions>>;
  /** PST ablation factors: each list multiplies the PST cells of the grid. */
  pstGrid?: { lambda?: number[]; encoder?: ('self' | 'hashed-tfidf')[]; loss?: ('cosine' | 'mse' | 'infonce')[] };
  /** A number n means seeds 1..n; default 3. */
  seeds?: number | number[];
  preset?: PresetName;
  model?: ModelOverrides;
  budget: { steps: number; batchSize?: number; lr?: number };
  evaluation?: { evalEvery?: number; valExamples?: number; testExamples?: number | null };
  backend?: BackendName | null;
  concurrency?: number;
}

/** The factor values that identify one cell of the grid (one run). */
export interface CellFactors {
  method: MethodId;
  seed: number;
  hallucinationRate: number | null;
  lambda: number | null;
  encoder: string | null;
  loss: string | null;
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
  meanTokensToAnswer: Aggregate | null;
  meanMsToAnswer: Aggregate | null;
}

/** Mean, sample std and a 95% bootstrap CI over seeds. */
export interface Aggregate {
  n: number;
  mean: number;
  std: number | null;
  ciLow: number;
  ciHigh: number;
  values: number[];
}

export interface PairedComparison {
  a: string;
  b: string;
  /** Mean accuracy difference a - b over shared seeds and examples. */
  difference: number;
  ciLow: number;
  ciHigh: number;
  pBootstrap: number;
  /** Exact McNemar on pooled paired predictions (b01 = a wrong & b right, b10 = a right & b wrong). */
  mcnemar: { b01: number; b10: number; p: number };
  sharedSeeds: number[];
  examples: number;
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
    runs: { id: number; factors: CellFactors; spec: unknown; resolved: unknown; environment: unknown; backend: string | null; startedAt: string | null; finishedAt: string | null; durationMs: number | null }[];
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
  datasets: { hallucinationRate: number | null; reuse: { id: number; name: string; version: number } | null }[];
  concurrency: number;
  /** Wall-clock seconds with `concurrency` run processes (null when no estimate could be made). */
  estimatedSeconds: number | null;
  perMethod: CellTimeEstimate[];
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
  active: { runId: number; label: string; status: RunStatus; step: number; steps: number; loss: number | null; etaSec: number | null; evaluating: { done: number; total: number } | null }[];
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
