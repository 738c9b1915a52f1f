// What the lab (the owner of the database) and remote workers exchange through Redis. Runs travel
// as BullMQ jobs on one queue; everything a run process says travels back as BullMQ jobs on a
// second queue that only the owner consumes, so results survive an owner that is down and are
// written by the owner alone. Large inputs (training data, checkpoints) are stored once under keys
// of their own and named in the jobs. See docs/queue.md.
import type { OwnerMessage, WorkerMessage } from '../runs/protocol';

/** Bumped whenever a job's or a result's shape changes: workers only serve labs that speak theirs. */
export const QUEUE_PROTOCOL = 1;
export const RUNS_QUEUE = `pstlab-runs-v${QUEUE_PROTOCOL}`;
export const RESULTS_QUEUE = `pstlab-results-v${QUEUE_PROTOCOL}`;
/** The lab that owns this Redis database's queue (one lab per database number). */
export const LAB_KEY = 'pstlab:lab';
export const dataKey = (sha256: string): string => `pstlab:data:${sha256}`;
/** A run's own checkpoints, and ('self') the finished run whose checkpoint is PST's self encoder (selfFrom). */
export type CheckpointKind = 'last' | 'best' | 'self';
export const checkpointKey = (jobId: string, kind: CheckpointKind): string => `pstlab:ckpt:${jobId}:${kind}`;
export const controlKey = (jobId: string): string => `pstlab:ctl:${jobId}`;

export interface QueueLabMeta {
  labId: string;
  protocol: number;
  appVersion: string;
  host: string;
  since: string;
}

export type StartMessage = Extract<OwnerMessage, { type: 'start' }>;

/** A run as a job: the start message without its data (named by hash) and without owner paths. */
export interface RunJobData {
  protocol: number;
  labId: string;
  appVersion: string;
  runId: number;
  /** Unique per launch of the run (a retried run gets a new one); results name it. */
  jobId: string;
  /** SHA-256 of the training data blob (gzip of the JSON {train, val, test}). */
  dataHash: string;
  config: StartMessage['config'];
  backend: StartMessage['backend'];
}

export interface WorkerIdentity {
  name: string;
  host: string;
  pid: number;
  appVersion: string;
}

/** One message of a run process, as a result job. (jobId, attempt, seq) is its identity. */
export interface ResultJobData {
  labId: string;
  runId: number;
  jobId: string;
  /** Which pick-up of the job produced it (a stalled job resumed elsewhere gets a new attempt). */
  attempt: string;
  seq: number;
  worker: WorkerIdentity;
  message: WorkerMessage;
}

/** The BullMQ id of a result job: adding the same message twice is a no-op in the queue itself. */
export const resultJobId = (r: Pick<ResultJobData, 'jobId' | 'attempt' | 'seq'>): string =>
  `${r.jobId}.${r.attempt}.${r.seq}`;
