// The experiment queue. The queue itself is the database: an experiment's runs wait as 'queued'
// rows with no owner, so queued work survives any restart. A scheduler only exists in the process
// that called `experiments.start`; it claims the experiment (owner_pid), starts queued runs in
// grid order while fewer than `concurrency` run processes are busy, and starts the next one each
// time a run process ends. Opening a lab never starts work by itself.
import os from 'node:os';
import type { ExperimentProgress, ExperimentSummary } from '../../../shared/types/experiments';
import type { RunProgress, RunSpec } from '../../../shared/types/runs';
import type { Db } from '../db/database';
import { LabError } from '../errors';
import type { EventHub } from '../events';
import type { LabContext } from '../lab';
import { remoteRecord } from '../queue/record';
import type { WorkerLauncher } from '../runs/launcher';
import { pidAlive, type RunManager } from '../runs/manager';
import { defaultConcurrency } from './create';
import { experimentRunStates, experimentSummary, getExperimentRow, progressOf, deriveStatus } from './store';
import { cancelWaitingExperimentRuns, requeueRuns, requeueStoppedExperimentRuns } from '../runs/store';

const EMIT_INTERVAL_MS = 500;

interface ActiveRunState {
  label: string;
  steps: number;
  startedAt: number;
  progress: RunProgress | null;
  /** wasm threads the run uses on this machine (runs x threads never exceed the cores); 0 = remote. */
  threads: number;
}

/** How an experiment's runs reach a remote queue instead of this machine's run processes. */
export interface QueueTarget {
  launcher: WorkerLauncher;
  /** Runs already on the queue that this process follows again (after a restart). */
  adopted: readonly number[];
}

interface Job {
  experimentId: number;
  concurrency: number;
  /** Set when the runs go to a remote queue: all are enqueued at once and workers set the pace. */
  queue: QueueTarget | null;
  running: Map<number, ActiveRunState>;
  stopping: boolean;
  /** Wall times (ms) of runs that completed under this job: the basis of the ETA. */
  durations: number[];
  lastEmit: number;
  done: Promise<void>;
  resolve: () => void;
}

export class ExperimentScheduler {
  private readonly jobs = new Map<number, Job>();
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly events: EventHub,
    private readonly runs: RunManager,
    private readonly cores: number = os.cpus().length,
  ) {
    runs.onClose(() => this.close());
    events.subscribe((m) => {
      if (m.name !== 'run.progress') return;
      for (const job of this.jobs.values()) {
        const state = job.running.get(m.payload.runId);
        if (!state) continue;
        const statusChanged = state.progress?.status !== m.payload.status;
        state.progress = m.payload;
        this.emit(job, statusChanged);
      }
    });
  }

  isRunning(experimentId: number): boolean {
    return this.jobs.has(experimentId);
  }

  /** Starts (or continues, or changes the concurrency of) the queue of an experiment in this process. */
  start(experimentId: number, concurrency?: number, queue: QueueTarget | null = null): ExperimentSummary {
    if (this.closed) throw new LabError('CONFLICT', 'the lab is closing');
    const row = getExperimentRow(this.db, experimentId);
    const existing = this.jobs.get(experimentId);
    if (existing) {
      if (concurrency !== undefined) {
        existing.concurrency = concurrency;
        this.db.prepare('UPDATE experiments SET concurrency = ? WHERE id = ?').run(concurrency, experimentId);
      }
      existing.stopping = false;
      if (queue) existing.queue = queue;
      this.pump(existing);
      return this.summary(experimentId);
    }
    const n = concurrency ?? row.concurrency ?? defaultConcurrency(this.cores);
    this.db.transaction(() => {
      const owner = (
        this.db.prepare('SELECT owner_pid FROM experiments WHERE id = ?').get(experimentId) as {
          owner_pid: number | null;
        }
      ).owner_pid;
      if (owner !== null && owner !== process.pid && pidAlive(owner)) {
        throw new LabError(
          'CONFLICT',
          `experiment ${experimentId} is being run by another PST Lab process (pid ${owner}); follow it there or cancel it`,
        );
      }
      this.db
        .prepare(
          `UPDATE experiments SET owner_pid = ?, concurrency = ?, started_at = COALESCE(started_at, strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                  finished_at = NULL WHERE id = ?`,
        )
        .run(process.pid, n, experimentId);
      // Interrupted and cancelled runs continue from their checkpoints: queue them again. Failed
      // runs wait for an explicit retry (their failure may repeat).
      requeueStoppedExperimentRuns(this.db, experimentId);
    })();
    let resolve: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolve = r));
    const job: Job = {
      experimentId,
      concurrency: queue ? Number.POSITIVE_INFINITY : n,
      queue,
      running: new Map(),
      stopping: false,
      durations: [],
      lastEmit: 0,
      done,
      resolve,
    };
    this.jobs.set(experimentId, job);
    for (const id of queue?.adopted ?? []) this.follow(job, id, this.labelOf(id));
    this.pump(job);
    return this.summary(experimentId);
  }

  /**
   * Starts queued runs while there is room: fewer than `concurrency` run processes, and their wasm
   * threads together within the machine's cores (a run without its own thread count gets an equal
   * share, cores / concurrency; runs on a remote queue use their worker's cores and are not
   * counted). Ends the job when nothing runs and nothing is left.
   */
  private pump(job: Job): void {
    const next = this.db.prepare(
      `SELECT r.id, r.steps, r.spec, c.label FROM runs r JOIN experiment_runs c ON c.run_id = r.id
       WHERE r.experiment_id = ? AND r.status = 'queued' AND r.owner_pid IS NULL ORDER BY c.position LIMIT 1`,
    );
    const share = Math.max(1, Math.floor(this.cores / job.concurrency));
    while (!job.stopping && !this.closed && !this.runs.isClosing && job.running.size < job.concurrency) {
      const candidate = next.get(job.experimentId) as
        { id: number; steps: number; spec: string; label: string } | undefined;
      if (!candidate) break;
      let threads: number;
      try {
        threads = this.runs.computeFor(JSON.parse(candidate.spec) as RunSpec).threads ?? share;
      } catch (err) {
        this.runs.markFailed(candidate.id, `could not start: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      const busy = [...job.running.values()].reduce((sum, r) => sum + r.threads, 0);
      // Wait for a running run to end rather than oversubscribe (one run always may start).
      if (!job.queue && job.running.size > 0 && busy + threads > this.cores) break;
      try {
        // restart() starts a queued run from scratch, or from its last checkpoint when it has one.
        this.runs.restart(candidate.id, job.queue?.launcher, job.queue ? null : threads);
      } catch (err) {
        this.runs.markFailed(candidate.id, `could not start: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      this.follow(job, candidate.id, candidate.label, candidate.steps, job.queue ? 0 : threads);
    }
    this.emit(job, true);
    if (job.running.size === 0) this.finish(job);
  }

  private labelOf(runId: number): string {
    const r = this.db.prepare('SELECT label FROM experiment_runs WHERE run_id = ?').get(runId) as { label: string } | undefined;
    return r?.label ?? `run ${runId}`;
  }

  /** Counts a started (or adopted) run as running until its process or remote job ends. */
  private follow(job: Job, runId: number, label: string, steps?: number, threads = 0): void {
    const state: ActiveRunState = {
      label,
      steps: steps ?? (this.db.prepare('SELECT steps FROM runs WHERE id = ?').get(runId) as { steps: number }).steps,
      startedAt: Date.now(),
      progress: null,
      threads,
    };
    job.running.set(runId, state);
    void this.runs.wait(runId).then((status) => {
      job.running.delete(runId);
      if (status === 'completed') job.durations.push(Date.now() - state.startedAt);
      this.emit(job, true);
      this.pump(job);
    });
  }

  private finish(job: Job): void {
    if (this.jobs.get(job.experimentId) !== job) return;
    this.jobs.delete(job.experimentId);
    if (!this.closed) {
      const { byStatus } = progressOf(experimentRunStates(this.db, job.experimentId));
      const status = deriveStatus(byStatus);
      this.db
        .prepare(
          `UPDATE experiments SET owner_pid = NULL, finished_at = CASE WHEN ? THEN strftime('%Y-%m-%dT%H:%M:%fZ','now') ELSE NULL END
           WHERE id = ? AND owner_pid = ?`,
        )
        .run(status === 'queued' ? 0 : 1, job.experimentId, process.pid);
      this.emit(job, true);
    }
    job.resolve();
  }

  /**
   * Stops this process's work on an experiment: no new runs start and running ones are cancelled
   * (keeping their checkpoints); queued runs stay queued, so `start` continues where it stopped.
   */
  stop(experimentId: number): void {
    const job = this.jobs.get(experimentId);
    if (!job) return;
    job.stopping = true;
    for (const runId of job.running.keys()) this.cancelRun(runId);
    if (job.running.size === 0) this.finish(job);
  }

  /** Cancels the whole experiment, whichever process runs it: queued -> cancelled, running -> cancelled. */
  cancel(experimentId: number): ExperimentSummary {
    getExperimentRow(this.db, experimentId);
    const job = this.jobs.get(experimentId);
    if (job) job.stopping = true;
    cancelWaitingExperimentRuns(this.db, experimentId);
    const active = this.db
      .prepare(`SELECT id FROM runs WHERE experiment_id = ? AND status IN ('running', 'paused', 'queued')`)
      .all(experimentId) as { id: number }[];
    for (const { id } of active) this.cancelRun(id);
    if (job && job.running.size === 0) this.finish(job);
    return this.summary(experimentId);
  }

  private cancelRun(runId: number): void {
    try {
      this.runs.control(runId, 'cancel');
    } catch {
      // it ended between the query and the request (or its process is gone and it became interrupted)
    }
  }

  /**
   * Queues failed and interrupted runs again (all of the experiment's, or the listed ones). An
   * interrupted run (its process died) continues from its last whole checkpoint; a failed run
   * starts from scratch, since its failure came from its own trajectory.
   */
  retry(experimentId: number, runIds?: readonly number[]): number {
    getExperimentRow(this.db, experimentId);
    const retryable = new Map(
      (
        this.db
          .prepare(
            `SELECT id, status FROM runs WHERE experiment_id = ? AND status IN ('failed', 'interrupted') AND owner_pid IS NULL`,
          )
          .all(experimentId) as { id: number; status: 'failed' | 'interrupted' }[]
      ).map((r) => [r.id, r.status]),
    );
    const targets = runIds ? [...runIds] : [...retryable.keys()];
    for (const id of targets) {
      if (!retryable.has(id))
        throw new LabError('CONFLICT', `run ${id} is not a failed or interrupted run of experiment ${experimentId}`);
    }
    requeueRuns(this.db, targets);
    return targets.length;
  }

  /** Resolves when this process's scheduler for the experiment has nothing left to run. */
  wait(experimentId: number): Promise<void> {
    return this.jobs.get(experimentId)?.done ?? Promise.resolve();
  }

  /**
   * Seconds until the queue is done: the remaining work (queued runs plus the unfinished share of
   * active ones) times the measured wall time per run, spread over the concurrent processes. Before
   * any run has completed, the active runs' own training ETAs stand in for the time per run.
   */
  eta(experimentId: number): number | null {
    const job = this.jobs.get(experimentId);
    if (!job) return null;
    const queued = (
      this.db
        .prepare(`SELECT COUNT(*) AS n FROM runs WHERE experiment_id = ? AND status = 'queued' AND owner_pid IS NULL`)
        .get(experimentId) as { n: number }
    ).n;
    const active = [...job.running.values()];
    let perRunMs: number | null = job.durations.length
      ? job.durations.reduce((a, b) => a + b, 0) / job.durations.length
      : null;
    if (perRunMs === null) {
      const guesses = active
        .filter((a) => a.progress && a.progress.etaSec !== null && a.progress.step > 0)
        .map((a) => Date.now() - a.startedAt + a.progress!.etaSec! * 1000);
      if (guesses.length === 0) return null;
      perRunMs = guesses.reduce((a, b) => a + b, 0) / guesses.length;
    }
    const activeLeft = active.reduce((sum, a) => {
      const p = a.progress;
      const fraction = p && p.steps ? Math.min(1, p.step / p.steps) : 0;
      return sum + perRunMs! * (1 - fraction);
    }, 0);
    const lanes = Math.max(1, Math.min(job.concurrency, queued + active.length));
    return Math.round((queued * perRunMs + activeLeft) / lanes / 1000);
  }

  summary(experimentId: number): ExperimentSummary {
    return experimentSummary(this.db, experimentId, this.eta(experimentId));
  }

  progress(experimentId: number): ExperimentProgress {
    const s = this.summary(experimentId);
    const job = this.jobs.get(experimentId);
    const workerOf = this.db.prepare('SELECT remote FROM runs WHERE id = ?');
    const active = job
      ? [...job.running.entries()].map(([runId, a]) => ({
          runId,
          label: a.label,
          status: a.progress?.status ?? 'running',
          step: a.progress?.step ?? 0,
          steps: a.progress?.steps ?? a.steps,
          loss: a.progress?.loss ?? null,
          etaSec: a.progress?.etaSec ?? null,
          evaluating: a.progress?.evaluating ?? null,
          worker: remoteRecord(workerOf.get(runId) as { remote: string | null })?.worker ?? null,
        }))
      : [];
    return {
      experimentId,
      status: s.status,
      runs: s.runs,
      byStatus: s.byStatus,
      progress: s.progress,
      etaSec: s.etaSec,
      active,
    };
  }

  private emit(job: Job, force: boolean): void {
    const now = Date.now();
    if (!force && now - job.lastEmit < EMIT_INTERVAL_MS) return;
    job.lastEmit = now;
    try {
      this.events.emit('experiment.progress', this.progress(job.experimentId));
    } catch {
      // the database is closing; progress is informational
    }
  }

  /** The lab is closing: stop starting runs (the run manager interrupts the running ones). */
  private close(): void {
    this.closed = true;
    for (const job of [...this.jobs.values()]) {
      job.stopping = true;
      this.jobs.delete(job.experimentId);
      try {
        this.db
          .prepare('UPDATE experiments SET owner_pid = NULL WHERE id = ? AND owner_pid = ?')
          .run(job.experimentId, process.pid);
      } catch {
        // the database may already be closed
      }
      job.resolve();
    }
  }
}

const schedulers = new WeakMap<LabContext, ExperimentScheduler>();

/** The one scheduler of a lab (created on first use, so opening a lab starts nothing). */
export function experimentScheduler(ctx: LabContext): ExperimentScheduler {
  let s = schedulers.get(ctx);
  if (!s) {
    s = new ExperimentScheduler(ctx.db, ctx.events, ctx.runs);
    schedulers.set(ctx, s);
  }
  return s;
}
