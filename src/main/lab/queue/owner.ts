// The lab's side of the queue. The owner stays the single writer of its database: it enqueues runs
// (their data content-addressed in Redis), and it alone consumes the results queue, feeding each
// message to the run manager exactly as a local run process's message would be, so a remote run is
// recorded by the same code as a local one. Ingestion is idempotent: a result names its run and its
// launch (jobId); results for runs this lab did not enqueue, for a superseded launch or for a run
// that has finished are refused and logged. Steps, validations and checkpoints are keyed by step, so
// a message delivered twice, or a stretch trained again after a worker died, writes the same rows.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../db/database';
import { appVersion } from '../paths';
import type { WorkerHandle, WorkerLauncher } from '../runs/launcher';
import type { RunManager } from '../runs/manager';
import type { WorkerMessage } from '../runs/protocol';
import { ACTIVE_STATUSES, markInterrupted, setRunRemote, type RunRow } from '../runs/store';
import { remoteRecord, type RemoteRecord } from './record';
import { deleteCheckpoints, getCheckpoint, putCheckpoint, putData, readCheckpointFiles } from './blobs';
import { connectChecked, readLabMeta } from './connect';
import {
  LAB_KEY,
  QUEUE_PROTOCOL,
  RESULTS_QUEUE,
  RUNS_QUEUE,
  controlKey,
  type QueueLabMeta,
  type ResultJobData,
  type RunJobData,
  type StartMessage,
} from './protocol';
import type { QueueLocation } from './redisUrl';

/** Lock of a result job while the owner ingests it (ingesting takes milliseconds; BullMQ renews it). */
const RESULT_LOCK_MS = 8_000;

/** The lab's id (made once): a queue belongs to one lab, and jobs and results name it. */
export function labId(db: Db): string {
  const row = db.prepare(`SELECT value FROM settings WHERE key = 'labId'`).get() as { value: string } | undefined;
  if (row) return JSON.parse(row.value) as string;
  const id = crypto.randomUUID();
  db.prepare(`INSERT INTO settings(key, value) VALUES ('labId', ?) ON CONFLICT(key) DO NOTHING`).run(
    JSON.stringify(id),
  );
  return labId(db);
}

export interface OwnerLogEntry {
  level: 'info' | 'refused' | 'error';
  message: string;
}

/** A run on the queue, seen by the run manager as if it were a local run process. */
class RemoteRun implements WorkerHandle {
  readonly pid = undefined;
  readonly remote = true;
  private readonly listeners: ((m: WorkerMessage) => void)[] = [];
  private readonly exitListeners: ((code: number | null) => void)[] = [];
  private exited = false;

  constructor(
    private readonly owner: QueueOwner,
    public runId: number | null = null,
    public jobId: string | null = null,
  ) {}

  send(m: Parameters<WorkerHandle['send']>[0]): void {
    if (m.type === 'start') {
      this.runId = m.runId;
      this.owner.enqueue(this, m).catch((err: unknown) => {
        this.deliver({
          type: 'failed',
          error: `could not put the run on the queue: ${err instanceof Error ? err.message : String(err)}`,
        });
      });
    } else if (m.type === 'pause' || m.type === 'resume' || m.type === 'cancel') {
      void this.owner.control(this, m.type);
    }
  }

  onMessage(l: (m: WorkerMessage) => void): void {
    this.listeners.push(l);
  }

  onExit(l: (code: number | null) => void): void {
    this.exitListeners.push(l);
  }

  /** The owner closing leaves remote runs running: their results wait in the queue. */
  kill(): void {
    this.owner.forget(this);
  }

  deliver(m: WorkerMessage): void {
    if (this.exited) return;
    for (const l of this.listeners) l(m);
    if (m.type === 'finished' || m.type === 'failed') {
      this.exited = true;
      this.owner.forget(this);
      for (const l of this.exitListeners) l(0);
    }
  }
}

export class QueueOwner {
  private readonly handles = new Map<number, RemoteRun>();
  private closed = false;
  readonly launcher: WorkerLauncher = () => new RemoteRun(this);

  private constructor(
    private readonly db: Db,
    private readonly runs: RunManager,
    readonly location: QueueLocation,
    readonly labId: string,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly results: Queue,
    private readonly consumer: Worker,
    private readonly log: (e: OwnerLogEntry) => void,
  ) {}

  static async connect(opts: {
    db: Db;
    runs: RunManager;
    location: QueueLocation;
    log?: (e: OwnerLogEntry) => void;
  }): Promise<QueueOwner> {
    const id = labId(opts.db);
    const redis = await connectChecked(opts.location);
    try {
      const meta: QueueLabMeta = {
        labId: id,
        protocol: QUEUE_PROTOCOL,
        appVersion: appVersion(),
        host: os.hostname(),
        since: new Date().toISOString(),
      };
      await redis.set(LAB_KEY, JSON.stringify(meta), 'NX');
      const current = await readLabMeta(redis);
      if (!current || current.labId !== id) {
        throw new Error(
          `the queue at ${opts.location.redacted} belongs to another lab (${current?.labId.slice(0, 8) ?? 'unknown'} on ${current?.host ?? '?'}, since ${current?.since ?? '?'}); give this lab its own database number, e.g. redis://${opts.location.host}:${opts.location.port}/${(opts.location.db + 1) % 16}`,
        );
      }
      if (current.protocol !== QUEUE_PROTOCOL || current.appVersion !== meta.appVersion) {
        await redis.set(LAB_KEY, JSON.stringify({ ...current, protocol: QUEUE_PROTOCOL, appVersion: meta.appVersion }));
      }
    } catch (err) {
      redis.disconnect();
      throw err;
    }
    const queue = new Queue(RUNS_QUEUE, { connection: opts.location.connection });
    const results = new Queue(RESULTS_QUEUE, { connection: opts.location.connection });
    let self: QueueOwner | null = null;
    const consumer = new Worker(
      RESULTS_QUEUE,
      async (job: Job, token?: string) => {
        try {
          await self!.ingest(job.data as ResultJobData, job, token);
        } catch (err) {
          if (err instanceof DelayedError || !token) throw err;
          // Not a refusal (those return) but the lab or Redis failing under it (closing, a lost
          // connection): the result is tried again, never dropped.
          self!.log({
            level: 'error',
            message: `result ${job.id} not ingested, tried again shortly: ${err instanceof Error ? err.message : String(err)}`,
          });
          await job.moveToDelayed(Date.now() + RESULT_LOCK_MS / 4, token);
          throw new DelayedError();
        }
      },
      {
        connection: opts.location.connection,
        // One at a time, in queue order: a run's messages are applied in the order they were sent.
        concurrency: 1,
        autorun: false,
        // A result an owner held when it died stays active until its lock expires; the stalled
        // check then hands it out again. Short locks make a restarted owner get it back within
        // ~RESULT_LOCK_MS * 1.5, and a result is never dropped for having stalled (a killed owner
        // may hold the same one more than once).
        lockDuration: RESULT_LOCK_MS,
        stalledInterval: RESULT_LOCK_MS / 2,
        maxStalledCount: Number.MAX_SAFE_INTEGER,
      },
    );
    self = new QueueOwner(
      opts.db,
      opts.runs,
      opts.location,
      id,
      redis,
      queue,
      results,
      consumer,
      opts.log ?? (() => undefined),
    );
    // Connection errors while Redis restarts are reported here (BullMQ reconnects by itself).
    consumer.on('error', (err) => self!.log({ level: 'error', message: `results queue: ${err.message}` }));
    queue.on('error', (err) => self!.log({ level: 'error', message: `run queue: ${err.message}` }));
    results.on('error', (err) => self!.log({ level: 'error', message: `results queue: ${err.message}` }));
    void consumer.run();
    await consumer.waitUntilReady();
    return self;
  }

  forget(run: RemoteRun): void {
    if (run.runId !== null && this.handles.get(run.runId) === run) this.handles.delete(run.runId);
  }

  /** Puts a run on the queue: data by hash, a checkpoint to resume from if the owner has one. */
  async enqueue(run: RemoteRun, m: StartMessage): Promise<void> {
    const row = this.db.prepare('SELECT remote, checkpoint_step FROM runs WHERE id = ?').get(m.runId) as Pick<
      RunRow,
      'remote' | 'checkpoint_step'
    >;
    const previous = remoteRecord(row);
    const launches = (previous?.launches ?? 0) + 1;
    const jobId = `lab-${this.labId.slice(0, 8)}-run-${m.runId}-${launches}`;
    run.jobId = jobId;
    this.handles.set(m.runId, run);
    const dataHash = await putData(this.redis, { train: m.train, val: m.val, test: m.test });
    if (m.resume && row.checkpoint_step !== null) {
      for (const kind of ['last', 'best'] as const) {
        const dir = path.join(m.runDir, kind);
        if (fs.existsSync(dir))
          await putCheckpoint(this.redis, jobId, kind, readCheckpointFiles(dir), row.checkpoint_step);
      }
    }
    // PST's self encoder from a finished run (selfFrom) travels with the job like a checkpoint.
    const method = m.config.method;
    if (method.method === 'pst' && method.selfCheckpoint)
      await putCheckpoint(this.redis, jobId, 'self', readCheckpointFiles(method.selfCheckpoint), 0);
    const record: RemoteRecord = {
      queue: this.location.redacted,
      jobId,
      launches,
      dataHash,
      worker: null,
      workerHost: null,
    };
    setRunRemote(this.db, m.runId, record);
    const data: RunJobData = {
      protocol: QUEUE_PROTOCOL,
      labId: this.labId,
      appVersion: appVersion(),
      runId: m.runId,
      jobId,
      dataHash,
      config: m.config,
      backend: m.backend,
    };
    await this.queue.add('run', data, {
      jobId,
      removeOnComplete: { age: 7 * 86_400 },
      removeOnFail: { age: 7 * 86_400 },
    });
    this.log({ level: 'info', message: `run ${m.runId} queued as ${jobId}` });
  }

  async control(run: RemoteRun, action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    if (!run.jobId) return;
    const job = await this.queue.getJob(run.jobId);
    const state = job ? await job.getState() : 'unknown';
    if (action === 'cancel' && job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
      await job.remove();
      const row = this.db.prepare('SELECT step FROM runs WHERE id = ?').get(run.runId) as { step: number };
      run.deliver({
        type: 'finished',
        status: 'cancelled',
        steps: row.step,
        bestStep: null,
        peakRssBytes: null,
        bestValAccuracy: null,
        test: null,
        predictions: [],
      });
      return;
    }
    await this.redis.set(controlKey(run.jobId), action, 'EX', 7 * 86_400);
  }

  /**
   * After a restart of the owner: the runs the queue still holds (waiting, active, or finished with
   * results not yet ingested) are followed again; runs whose job is gone are marked interrupted, so
   * the experiment's queue starts them again from their last checkpoint. Returns the followed ids.
   */
  async reconcile(experimentId: number | null): Promise<number[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM runs WHERE remote IS NOT NULL AND status IN (${ACTIVE_STATUSES.map(() => '?').join(',')})
           ${experimentId === null ? '' : 'AND experiment_id = ?'}`,
      )
      .all(...ACTIVE_STATUSES, ...(experimentId === null ? [] : [experimentId])) as RunRow[];
    const followed: number[] = [];
    const status = this.db.prepare('SELECT status FROM runs WHERE id = ?');
    for (const row of rows) {
      const rec = remoteRecord(row);
      if (!rec) continue;
      // The results consumer runs from connect() on: a result waiting in the queue may already
      // have made this owner follow the run (or even finish it) before or while this loop asks Redis.
      if (!this.handles.has(row.id) && !this.runs.isActive(row.id)) {
        const job = await this.queue.getJob(rec.jobId);
        const now = (status.get(row.id) as { status: RunRow['status'] }).status;
        if (this.handles.has(row.id) || this.runs.isActive(row.id) || !ACTIVE_STATUSES.includes(now)) {
          // followed (or finished) by the consumer meanwhile
        } else if (job) {
          const handle = new RemoteRun(this, row.id, rec.jobId);
          this.handles.set(row.id, handle);
          this.runs.adopt(row.id, handle);
        } else {
          markInterrupted(this.db, row.id, 'its queue job is gone; it resumes from its last checkpoint', {
            ifActive: true,
          });
          continue;
        }
      }
      if (this.handles.has(row.id)) followed.push(row.id);
    }
    return followed;
  }

  private refuse(d: ResultJobData, why: string): void {
    this.log({
      level: 'refused',
      message: `refused a ${d.message?.type ?? 'malformed'} result for run ${d.runId} (${d.jobId}) from ${d.worker?.name ?? '?'}: ${why}`,
    });
  }

  /**
   * Results of the same launch sent before `job` that are not ingested yet: typically one a killed
   * owner held (active until its lock expires, then put back by the stalled check), which would
   * otherwise arrive after the run's 'finished' and be refused as a result of a finished run.
   */
  private async earlierPending(d: ResultJobData, job: Job): Promise<number> {
    const pending = await this.results.getJobs(['active', 'wait', 'delayed', 'prioritized']);
    return pending.filter(
      (j) =>
        j?.id !== job.id && (j.data as ResultJobData | undefined)?.jobId === d.jobId && j.timestamp <= job.timestamp,
    ).length;
  }

  /** Applies one result; refusals complete the result job without writing anything. */
  private async ingest(d: ResultJobData, job?: Job, token?: string): Promise<void> {
    if (this.closed) throw new Error('the lab is closing');
    if (!d || typeof d !== 'object' || !d.message || typeof d.runId !== 'number')
      return this.refuse(d, 'not a PST Lab result');
    if (d.labId !== this.labId) return this.refuse(d, 'it belongs to another lab');
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(d.runId) as RunRow | undefined;
    if (!row) return this.refuse(d, 'this lab has no such run');
    const rec = remoteRecord(row);
    if (!rec || rec.jobId !== d.jobId)
      return this.refuse(d, 'this lab did not enqueue that job (or launched the run again since)');
    if (!ACTIVE_STATUSES.includes(row.status)) return this.refuse(d, `the run has finished (${row.status})`);
    if ((d.message.type === 'finished' || d.message.type === 'failed') && job && token) {
      const earlier = await this.earlierPending(d, job);
      if (earlier > 0) {
        // The run ends only after everything it sent before its end is recorded.
        this.log({
          level: 'info',
          message: `run ${d.runId}: holding its '${d.message.type}' until ${earlier} earlier result(s) are ingested`,
        });
        await job.moveToDelayed(Date.now() + RESULT_LOCK_MS / 4, token);
        throw new DelayedError();
      }
    }
    let handle = this.handles.get(d.runId);
    if (!handle) {
      handle = new RemoteRun(this, d.runId, d.jobId);
      this.handles.set(d.runId, handle);
      this.runs.adopt(d.runId, handle);
    }
    let m = d.message;
    if (m.type === 'checkpoint') {
      if (!row.checkpoint_dir) return this.refuse(d, 'the run has no checkpoint folder');
      const dir = path.join(row.checkpoint_dir, m.kind);
      const step = await getCheckpoint(this.redis, d.jobId, m.kind, dir);
      if (step === null) return this.refuse(d, `its ${m.kind} checkpoint is not in the queue`);
      m = { ...m, dir, step };
    }
    if (m.type === 'finished' && m.test && row.checkpoint_dir) {
      m = { ...m, test: { ...m.test, checkpoint: path.join(row.checkpoint_dir, path.basename(m.test.checkpoint)) } };
    }
    if (m.type === 'backend' && (rec.worker !== d.worker.name || rec.workerHost !== d.worker.host)) {
      setRunRemote(this.db, d.runId, { ...rec, worker: d.worker.name, workerHost: d.worker.host });
    }
    handle.deliver(m);
    if (m.type === 'finished' || m.type === 'failed') {
      await deleteCheckpoints(this.redis, d.jobId);
      await this.redis.del(controlKey(d.jobId));
    }
  }

  /** Counts of the run queue, for status lines. */
  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  }

  /** For throw-away labs (benchmarks): gives the Redis database back so another lab may own it. */
  async release(): Promise<void> {
    const meta = await readLabMeta(this.redis);
    if (meta?.labId === this.labId) await this.redis.del(LAB_KEY);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.consumer.close();
    await this.results.close();
    await this.queue.close();
    this.redis.disconnect();
  }
}
