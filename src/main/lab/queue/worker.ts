// `pst-lab worker`: takes runs from a lab's queue and trains each in its own run process, exactly
// as the local queue does (same worker entry, same messages, same determinism), and sends every
// message back as a result job. Checkpoints are uploaded before the message that announces them,
// so a run picked up by another worker after this one died resumes from its last checkpoint.
// Ctrl+C (stop()) asks each run to save a checkpoint and puts its job back in the queue.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DelayedError, Queue, WaitingError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { BackendName } from '../../../shared/types/app';
import { appVersion } from '../paths';
import { nodeWorkerLauncher, type WorkerHandle, type WorkerLauncher } from '../runs/launcher';
import type { WorkerMessage } from '../runs/protocol';
import { DataMismatchError, getCheckpoint, getData, putCheckpoint, readCheckpointFiles } from './blobs';
import { connectChecked, readLabMeta } from './connect';
import {
  QUEUE_PROTOCOL,
  RESULTS_QUEUE,
  RUNS_QUEUE,
  controlKey,
  resultJobId,
  type ResultJobData,
  type RunJobData,
  type WorkerIdentity,
} from './protocol';
import type { QueueLocation } from './redisUrl';
import { localEncoder, localStudent, StudentMissingError } from './students';
import type { TrainExample } from '../training/methods/types';

export interface WorkerEvent {
  event:
    | 'ready'
    | 'run-started'
    | 'progress'
    | 'run-finished'
    | 'run-requeued'
    | 'refused'
    | 'stopping'
    | 'stopped'
    | 'error';
  jobId?: string;
  runId?: number;
  step?: number;
  steps?: number;
  loss?: number;
  status?: string;
  resumedFrom?: number | null;
  message?: string;
}

export interface QueueWorkerOptions {
  location: QueueLocation;
  /** The worker's own folder: the data cache and the run directories of the runs it trains. */
  dataDir: string;
  name?: string;
  concurrency?: number;
  backend?: BackendName | null;
  /** Where this worker's pretrained students are (each folder and its subfolders); see students.ts. */
  studentsDirs?: readonly string[];
  /** The PST Lab version this worker is (default: this installation's); it serves jobs of that version only. */
  appVersion?: string;
  launcher?: WorkerLauncher;
  /** How long a job stays locked without a heartbeat before another worker may take it over. */
  lockMs?: number;
  log?: (e: WorkerEvent) => void;
}

const CONTROL_POLL_MS = 500;
/** A job this worker cannot serve (another lab, bad data) goes back to the queue for this long. */
const REFUSE_DELAY_MS = 15_000;

export class QueueWorker {
  private stopping = false;
  private readonly active = new Map<string, { child: WorkerHandle; stopRequested: boolean }>();

  private constructor(
    private readonly opts: QueueWorkerOptions,
    private readonly redis: Redis,
    private readonly results: Queue,
    private readonly worker: Worker,
    readonly identity: WorkerIdentity,
  ) {}

  static async start(opts: QueueWorkerOptions): Promise<QueueWorker> {
    const redis = await connectChecked(opts.location);
    try {
      const meta = await readLabMeta(redis);
      if (meta && meta.protocol !== QUEUE_PROTOCOL) {
        throw new Error(
          `the lab on ${opts.location.redacted} speaks queue protocol ${meta.protocol} (PST Lab ${meta.appVersion}); this worker speaks ${QUEUE_PROTOCOL} (PST Lab ${appVersion()}): install the same version`,
        );
      }
    } catch (err) {
      redis.disconnect();
      throw err;
    }
    const identity: WorkerIdentity = {
      name: opts.name ?? os.hostname(),
      host: os.hostname(),
      pid: process.pid,
      appVersion: opts.appVersion ?? appVersion(),
    };
    const results = new Queue(RESULTS_QUEUE, { connection: opts.location.connection });
    const lockDuration = opts.lockMs ?? 30_000;
    let self: QueueWorker | null = null;
    const worker = new Worker(
      RUNS_QUEUE,
      async (job: Job, token?: string) => self!.process(job as Job<RunJobData>, token),
      {
        connection: opts.location.connection,
        concurrency: opts.concurrency ?? 1,
        lockDuration,
        stalledInterval: Math.max(1000, Math.round(lockDuration / 2)),
        // A run survives several dead workers; each pick-up resumes from the last checkpoint.
        maxStalledCount: 20,
        autorun: false,
      },
    );
    self = new QueueWorker(opts, redis, results, worker, identity);
    worker.on('error', (err) => self!.log({ event: 'error', message: err.message }));
    results.on('error', (err) => self!.log({ event: 'error', message: `results queue: ${err.message}` }));
    void worker.run();
    await worker.waitUntilReady();
    self.log({
      event: 'ready',
      message: `worker ${identity.name} serving ${opts.location.redacted} with ${opts.concurrency ?? 1} slot(s)`,
    });
    return self;
  }

  private log(e: WorkerEvent): void {
    this.opts.log?.(e);
  }

  private async refuse(job: Job<RunJobData>, token: string | undefined, reason: string): Promise<never> {
    this.log({ event: 'refused', jobId: job.id, runId: job.data.runId, message: reason });
    await job.moveToDelayed(Date.now() + REFUSE_DELAY_MS, token);
    throw new DelayedError();
  }

  private async process(job: Job<RunJobData>, token: string | undefined): Promise<void> {
    const d = job.data;
    if (d.protocol !== QUEUE_PROTOCOL)
      return this.refuse(
        job,
        token,
        `job ${job.id} speaks queue protocol ${d.protocol}, this worker ${QUEUE_PROTOCOL}`,
      );
    // Training is deterministic per version: a run must train (and resume) under the lab's version.
    if (d.appVersion !== this.identity.appVersion)
      return this.refuse(
        job,
        token,
        `job ${job.id} needs PST Lab ${d.appVersion}; this worker is PST Lab ${this.identity.appVersion}: left on the queue for a worker of that version`,
      );
    const meta = await readLabMeta(this.redis);
    if (!meta || meta.labId !== d.labId)
      return this.refuse(job, token, `job ${job.id} belongs to lab ${d.labId}, not to the lab that owns this queue`);
    let config = d.config;
    if (config.student) {
      try {
        config = { ...config, student: localStudent(config.student, this.opts.studentsDirs ?? []) };
      } catch (err) {
        if (err instanceof StudentMissingError) return this.refuse(job, token, `job ${job.id}: ${err.message}`);
        throw err;
      }
    }
    if (config.method.method === 'pst' && config.method.external) {
      const cache = path.join(this.opts.dataDir, 'semantic-cache');
      try {
        config = {
          ...config,
          method: {
            ...config.method,
            external: localEncoder(config.method.external, this.opts.studentsDirs ?? [], cache),
          },
        };
      } catch (err) {
        if (err instanceof StudentMissingError) return this.refuse(job, token, `job ${job.id}: ${err.message}`);
        throw err;
      }
    }
    let data;
    try {
      data = await getData<TrainExample>(this.redis, d.dataHash, path.join(this.opts.dataDir, 'queue-cache', 'data'));
    } catch (err) {
      if (err instanceof DataMismatchError) return this.refuse(job, token, `job ${job.id}: ${err.message}`);
      throw err;
    }
    const runDir = path.join(this.opts.dataDir, 'queue-runs', d.jobId);
    fs.rmSync(runDir, { recursive: true, force: true });
    fs.mkdirSync(runDir, { recursive: true });
    // A job picked up again (its worker died or stopped) resumes from the checkpoint it uploaded.
    const resumedFrom = await getCheckpoint(this.redis, d.jobId, 'last', path.join(runDir, 'last'));
    await getCheckpoint(this.redis, d.jobId, 'best', path.join(runDir, 'best'));
    if (config.method.method === 'pst' && config.method.selfCheckpoint) {
      const dir = path.join(runDir, 'self-encoder');
      if ((await getCheckpoint(this.redis, d.jobId, 'self', dir)) === null)
        return this.refuse(job, token, `job ${job.id}: its self-encoder checkpoint (selfFrom) is not in the queue`);
      config = { ...config, method: { ...config.method, selfCheckpoint: dir } };
    }
    const attempt = crypto.randomBytes(6).toString('hex');
    let seq = 0;
    let chain: Promise<unknown> = Promise.resolve();
    const relay = (message: WorkerMessage): Promise<unknown> => {
      const r: ResultJobData = {
        labId: d.labId,
        runId: d.runId,
        jobId: d.jobId,
        attempt,
        seq: seq++,
        worker: this.identity,
        message,
      };
      chain = chain.then(() =>
        this.results.add('result', r, {
          jobId: resultJobId(r),
          removeOnComplete: { age: 86_400 },
          removeOnFail: { age: 7 * 86_400 },
        }),
      );
      return chain;
    };
    const child = (this.opts.launcher ?? nodeWorkerLauncher())();
    const slot = { child, stopRequested: false };
    this.active.set(d.jobId, slot);
    this.log({ event: 'run-started', jobId: d.jobId, runId: d.runId, resumedFrom, steps: d.config.steps });
    let lastControl: string | null = null;
    const poll = setInterval(() => {
      void this.redis.get(controlKey(d.jobId)).then(
        (c) => {
          if (c && c !== lastControl && (c === 'pause' || c === 'resume' || c === 'cancel')) {
            lastControl = c;
            child.send({ type: c });
          }
        },
        () => undefined,
      );
    }, CONTROL_POLL_MS);
    try {
      const outcome = await new Promise<{ kind: 'done' } | { kind: 'failed'; error: string } | { kind: 'requeue' }>(
        (resolve) => {
          let ended = false;
          child.onMessage((m) => {
            if (m.type === 'ready') return;
            if (m.type === 'checkpoint') {
              const kind = m.kind;
              const files = readCheckpointFiles(m.dir);
              chain = chain.then(() => putCheckpoint(this.redis, d.jobId, kind, files, m.step));
              void relay({ ...m, dir: kind });
              return;
            }
            if (m.type === 'step') {
              this.log({
                event: 'progress',
                jobId: d.jobId,
                runId: d.runId,
                step: m.metrics.step,
                steps: m.metrics.totalSteps,
                loss: m.metrics.loss,
              });
            }
            if (m.type === 'finished' && m.status === 'cancelled' && slot.stopRequested) {
              ended = true;
              return resolve({ kind: 'requeue' });
            }
            if (m.type === 'backend') {
              void relay({
                ...m,
                environment: { ...m.environment, worker: this.identity.name, workerHost: this.identity.host },
              });
              return;
            }
            // Paths on this machine mean nothing to the lab: the tested checkpoint is named relative
            // to the run directory (the owner has its own copy of 'best' and 'last').
            void relay(
              m.type === 'finished' && m.test
                ? { ...m, test: { ...m.test, checkpoint: path.relative(runDir, m.test.checkpoint) } }
                : m,
            );
            if (m.type === 'finished') {
              ended = true;
              resolve({ kind: 'done' });
            } else if (m.type === 'failed') {
              ended = true;
              resolve({ kind: 'failed', error: m.error });
            }
          });
          child.onExit((code) => {
            if (ended) return;
            ended = true;
            if (slot.stopRequested) return resolve({ kind: 'requeue' });
            const error = `the run process exited unexpectedly on worker ${this.identity.name} (code ${code ?? 'signal'})`;
            void relay({ type: 'failed', error });
            resolve({ kind: 'failed', error });
          });
          child.send({
            type: 'start',
            runId: d.runId,
            config,
            train: data.train,
            val: data.val,
            test: data.test,
            runDir,
            resume: resumedFrom !== null,
            backend: this.opts.backend ?? d.backend,
            // This machine's cores (no per-run thread count crosses the queue) and no CUDA folder.
            threads: null,
            cudaLibs: null,
          });
        },
      );
      await chain;
      if (outcome.kind === 'requeue') {
        this.log({
          event: 'run-requeued',
          jobId: d.jobId,
          runId: d.runId,
          message: 'stopped; the run goes back to the queue and resumes from its checkpoint',
        });
        await job.moveToWait(token);
        throw new WaitingError();
      }
      this.log({
        event: 'run-finished',
        jobId: d.jobId,
        runId: d.runId,
        status: outcome.kind === 'done' ? 'finished' : `failed: ${outcome.error}`,
      });
    } finally {
      clearInterval(poll);
      this.active.delete(d.jobId);
      child.kill();
      fs.rmSync(runDir, { recursive: true, force: true });
    }
  }

  /** Ctrl+C: no new jobs; each running run saves a checkpoint and goes back to the queue. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log({
      event: 'stopping',
      message: `stopping: ${this.active.size} run(s) save a checkpoint and go back to the queue`,
    });
    const closing = this.worker.close();
    for (const slot of this.active.values()) {
      slot.stopRequested = true;
      slot.child.send({ type: 'cancel' });
    }
    await closing;
    await this.results.close();
    this.redis.disconnect();
    this.log({ event: 'stopped' });
  }
}
