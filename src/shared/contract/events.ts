// Event streams pushed from the lab to every connected UI (progress of imports, training, exports).
import { event } from './define';
import type { Settings } from '../types/app';
import type { RunProgress } from '../types/runs';
import type { ExperimentProgress } from '../types/experiments';

export interface ProgressPayload {
  /** Which job this is about (import id, run id, export id...). */
  jobId: string;
  label: string;
  done: number;
  total: number | null;
}

export const labEvents = {
  'settings.changed': event<Settings>('Settings were changed by some window or process.'),
  'job.progress': event<ProgressPayload>('Progress of a long job (import, export, generation).'),
  'run.progress': event<RunProgress>('A training run moved: step, losses, learning rate, throughput, ETA, status.'),
  'experiment.progress': event<ExperimentProgress>('An experiment moved: runs by status, overall progress and ETA, the active runs.'),
} as const;
