// Messages between the process that owns the database (app main, CLI, serve) and a run's worker
// process. Plain JSON-safe data: they cross a process boundary.
import type { TrainConfig, StartInfo, StepMetrics, ValidationMetrics } from '../training/trainer';
import type { TrainExample } from '../training/methods/types';
import type { ExampleEvaluation } from '../training/evaluate';
import type { BackendName } from '../../../shared/types/app';
import type { EvaluationFigures } from '../../../shared/types/runs';

export type { EvaluationFigures };

export type OwnerMessage =
  | {
      type: 'start';
      runId: number;
      config: TrainConfig;
      train: TrainExample[];
      val: TrainExample[];
      test: TrainExample[];
      runDir: string;
      resume: boolean;
      backend: BackendName | null;
      /** wasm threads; null = every core. */
      threads: number | null;
      /** The --cuda-libs folder already on this process's loader path (recorded), or null. */
      cudaLibs: string | null;
    }
  | {
      type: 'evaluate';
      checkpoint: string;
      examples: TrainExample[];
      backend: BackendName | null;
      threads: number | null;
      cudaLibs: string | null;
      generateRationale: boolean;
    }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'cancel' };

export interface EvaluatedExample extends ExampleEvaluation {
  tokenF1: number | null;
  rougeL: number | null;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'backend'; name: string; reasons: Record<string, string>; environment: Record<string, unknown> }
  | { type: 'started'; info: StartInfo; resolved: Record<string, unknown> }
  | { type: 'step'; metrics: StepMetrics }
  | { type: 'validation'; metrics: ValidationMetrics }
  | { type: 'checkpoint'; kind: 'last' | 'best'; dir: string; step: number }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'evaluating'; done: number; total: number }
  | {
      type: 'finished';
      status: 'completed' | 'cancelled' | 'early-stopped';
      steps: number;
      bestStep: number | null;
      bestValAccuracy: number | null;
      test: EvaluationFigures | null;
      predictions: EvaluatedExample[];
      /** Highest resident set size of the run process during training (bytes); null when it never trained. */
      peakRssBytes: number | null;
    }
  | { type: 'evaluated'; summary: EvaluationFigures; predictions: EvaluatedExample[] }
  | { type: 'failed'; error: string };


/** The two ends of a worker channel, whatever the process kind (Node fork or Electron utility). */
export interface WorkerPort {
  send(message: WorkerMessage): void;
  onMessage(listener: (message: OwnerMessage) => void): void;
}
