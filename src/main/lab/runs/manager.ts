// Owns the runs started by this process: launches one worker process per run, turns its messages
// into database rows and 'run.progress' events, relays pause/resume/cancel, and keeps the run's
// status true when workers finish, crash, or their owner disappears. Control requests made by
// another process (e.g. `pst-lab runs cancel` while the app trains) arrive through the run row's
// `control` column, which the owner polls.
import fs from 'node:fs';
import path from 'node:path';
import type { RunProgress, RunSpec, RunStatus, RunSummary } from '../../../shared/types/runs';
import type { Db } from '../db/database';
import { LabError } from '../errors';
import type { EventHub } from '../events';
import { resolveMethodConfig } from '../training/methods';
import type { ExternalEncoderRef } from '../training/semantic';
import { previousCheckpointDir, resumableStep } from '../training/checkpoint';
import { defaultTrainConfig, type TrainConfig } from '../training/trainer';
import { datasetIdByName } from '../datasets/store/datasets';
import { resolveVersion } from '../datasets/store/versions';
import type { WorkerHandle, WorkerLauncher } from './launcher';
import type { EvaluatedExample, EvaluationFigures, WorkerMessage } from './protocol';
import {
  ACTIVE_STATUSES,
  addRunWarnings,
  cancelQueuedRun,
  getRunRow,
  insertQueuedRun,
  markFailed as storeMarkFailed,
  markFinished,
  markInterrupted,
  markPaused,
  markRunning,
  recordBestValAccuracy,
  recordCheckpointStep,
  recordRunBackend,
  recordRunStart,
  recordRunStep,
  recordTestAccuracy,
  rewindRun,
  runSummary,
  setRunControl,
  type RunRow,
} from './store';
import { checkContext, loadTrainingData, runContextFit, vocabularyCharacters } from './trainingData';
import { readSettings } from '../settingsStore';
import { resolveStudent, studentFingerprint } from '../students/registry';
import { resolveLora, type PretrainedStudentSpec } from '../students/trainable';
import { environmentWithLibraries, resolveCudaLibs } from '../compute/cuda';
import type { BackendName } from '../../../shared/types/app';

const PROGRESS_INTERVAL_MS = 250;
const CONTROL_POLL_MS = 500;

interface ActiveRun {
  id: number;
  worker: WorkerHandle;
  done: Promise<RunStatus>;
  lastProgressAt: number;
  progress: RunProgress;
}

export function pidAlive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunManager {
  private readonly active = new Map<number, ActiveRun>();
  private readonly poll: NodeJS.Timeout;
  private closing = false;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly events: EventHub,
    private readonly dataDir: string,
    private readonly launch: WorkerLauncher,
  ) {
    this.markOrphansInterrupted();
    this.poll = setInterval(() => this.applyControlRequests(), CONTROL_POLL_MS);
    this.poll.unref();
  }

  /**
   * Runs left active by a process that is gone were interrupted: they can resume from a checkpoint.
   * Queued runs without an owner are waiting in an experiment's queue, not orphans: they stay queued;
   * so are runs on a remote queue (`remote`), which its workers train whatever this process does.
   */
  private markOrphansInterrupted(): void {
    const rows = this.db
      .prepare(
        `SELECT id, owner_pid FROM runs WHERE status IN (${ACTIVE_STATUSES.map(() => '?').join(',')})
           AND NOT (status = 'queued' AND owner_pid IS NULL) AND remote IS NULL`,
      )
      .all(...ACTIVE_STATUSES) as { id: number; owner_pid: number | null }[];
    for (const r of rows) {
      if (r.owner_pid === process.pid || !pidAlive(r.owner_pid)) {
        markInterrupted(this.db, r.id, 'the process running it ended unexpectedly', { ifActive: true });
      }
    }
  }

  /** The trainer config of a spec, for callers that run workers themselves (throughput probes). */
  configFor(spec: RunSpec): TrainConfig {
    return this.trainConfig(spec);
  }

  /** A bare worker process that records nothing (throughput probes); the caller must end it. */
  spawnWorker(env?: NodeJS.ProcessEnv): WorkerHandle {
    return this.launch(env);
  }

  /** Resolves a spec against the database into the trainer's config (throws INVALID_INPUT early). */
  private trainConfig(spec: RunSpec): TrainConfig {
    let method;
    try {
      method = resolveMethodConfig({ method: spec.method, ...spec.methodOptions });
    } catch (err) {
      throw new LabError('INVALID_INPUT', (err as Error).message);
    }
    if (spec.lora && !spec.student) throw new LabError('INVALID_INPUT', 'lora: LoRA needs a pretrained student (student)', [{ path: ['lora'], message: 'LoRA needs a pretrained student' }]);
    if (method.method === 'pst' && method.selfFrom !== null) method = { ...method, selfCheckpoint: this.selfCheckpoint(method.selfFrom) };
    if (method.method === 'pst' && method.encoder === 'external')
      method = { ...method, external: this.externalEncoder(method.encoderStudent!, `dataset ${spec.dataset} v${spec.version}`) };
    return defaultTrainConfig(method, {
      preset: spec.preset,
      ...(spec.model ? { model: spec.model } : {}),
      steps: spec.steps,
      batchSize: spec.batchSize,
      lr: spec.lr,
      seed: spec.seed,
      evalEvery: spec.evalEvery,
      // A resumable point at every validation (a run moved to another worker, or resumed after a
      // crash, repeats at most that many steps).
      checkpointEvery: spec.evalEvery > 0 ? Math.min(spec.evalEvery, 500) : 500,
      valMaxExamples: spec.valMaxExamples,
      earlyStopPatience: spec.earlyStopPatience,
      ...(spec.randomPositions ? { randomPositions: true } : {}),
      accumulate: spec.accumulate ?? 1,
      student: spec.student ? this.studentFor(spec) : null,
    });
  }

  /** The run's pretrained student: a registered one (its files rehashed now) or a folder, validated now. */
  private studentFor(spec: RunSpec): PretrainedStudentSpec {
    const { folder, registered } = resolveStudent(this.db, spec.student!);
    return { dir: folder.dir, name: registered, files: folder.files, lora: resolveLora(spec.lora, folder.family.id) };
  }

  /**
   * PST `external`: the sentence encoder (registered, whose files must still hash as registered, or a
   * folder, validated and hashed now) and where its targets are cached (docs/methods.md, "PST semantic targets").
   */
  private externalEncoder(ref: string, dataVersion: string): ExternalEncoderRef {
    let resolved: ReturnType<typeof resolveStudent>;
    try {
      resolved = resolveStudent(this.db, ref, 'encoder');
    } catch (err) {
      const message = `methodOptions.encoderStudent: ${(err as Error).message}`;
      throw new LabError('INVALID_INPUT', message, [{ path: ['methodOptions', 'encoderStudent'], message }]);
    }
    const { folder, registered } = resolved;
    return {
      name: registered ?? folder.dir,
      dir: folder.dir,
      files: folder.files,
      fingerprint: studentFingerprint(folder.files),
      cacheDir: path.join(this.dataDir, 'semantic-cache'),
      dataVersion,
    };
  }

  /** PST `selfFrom`: the completed run's best (else last) checkpoint, whose student becomes the frozen encoder. */
  private selfCheckpoint(runId: number): string {
    const row = this.db.prepare('SELECT status, checkpoint_dir FROM runs WHERE id = ?').get(runId) as { status: RunStatus; checkpoint_dir: string | null } | undefined;
    if (!row) throw new LabError('INVALID_INPUT', `methodOptions.selfFrom: run ${runId} does not exist`);
    if (row.status !== 'completed') throw new LabError('INVALID_INPUT', `methodOptions.selfFrom: run ${runId} is ${row.status}; only a completed run's checkpoint can be the encoder`);
    const dir = [row.checkpoint_dir && path.join(row.checkpoint_dir, 'best'), row.checkpoint_dir && path.join(row.checkpoint_dir, 'last')].find(
      (d): d is string => !!d && fs.existsSync(path.join(d, 'checkpoint.json')),
    );
    if (!dir) throw new LabError('INVALID_INPUT', `methodOptions.selfFrom: run ${runId} has no checkpoint on disk`);
    return dir;
  }

  start(input: Omit<RunSpec, 'version'> & { version?: number | undefined }, experimentId: number | null = null): RunSummary {
    const { id, spec, config, data } = this.insertQueued(input, experimentId);
    this.launchWorker(id, spec, config, data, false);
    return runSummary(this.db, id);
  }

  /**
   * Validates a spec and stores it as a queued run with no owner and no process: an experiment's
   * queue starts it later (possibly from another process, after a restart) with `restart`.
   */
  enqueue(input: Omit<RunSpec, 'version'> & { version?: number | undefined }, experimentId: number | null): number {
    return this.insertQueued(input, experimentId).id;
  }

  private insertQueued(
    input: Omit<RunSpec, 'version'> & { version?: number | undefined },
    experimentId: number | null,
  ): { id: number; spec: RunSpec; config: TrainConfig; data: ReturnType<typeof loadTrainingData> } {
    const datasetId = datasetIdByName(this.db, input.dataset);
    const version = resolveVersion(this.db, datasetId, input.version ?? 'head');
    const committed =
      version.number !== null
        ? version
        : (this.db
            .prepare('SELECT * FROM dataset_versions WHERE dataset_id = ? AND number IS NOT NULL ORDER BY number DESC LIMIT 1')
            .get(datasetId) as typeof version);
    const spec: RunSpec = { ...input, dataset: datasetId, version: committed.number! };
    this.computeFor(spec);
    const config = this.trainConfig(spec);
    const data = loadTrainingData(this.db, committed.id, spec.subset);
    if (data.val.length === 0) throw new LabError('INVALID_INPUT', 'the version has no validation examples; split it with a val share first');
    if (data.test.length === 0) throw new LabError('INVALID_INPUT', 'the version has no test examples; split it with a test share first');
    const contextRecord = checkContext(spec.method, runContextFit(config, data, vocabularyCharacters(data, spec.characters)), spec.allowTruncation ?? false);
    const who = config.student ? (config.student.name ?? path.basename(config.student.dir)) + (config.student.lora ? ` LoRA r${config.student.lora.rank}` : '') : spec.preset;
    const name = spec.name ?? `${spec.method} ${who} seed ${spec.seed}`;
    const id = insertQueuedRun(this.db, {
      name,
      datasetId,
      versionId: committed.id,
      method: spec.method,
      preset: spec.preset,
      seed: spec.seed,
      spec,
      steps: spec.steps,
      dataStats: { ...data.stats, ...contextRecord },
      experimentId,
    });
    return { id, spec, config, data };
  }

  private launchWorker(
    id: number,
    spec: RunSpec,
    config: TrainConfig,
    data: ReturnType<typeof loadTrainingData>,
    resume: boolean,
    launch: WorkerLauncher = this.launch,
    defaultThreads: number | null = null,
  ): void {
    const runDir = path.join(this.dataDir, 'runs', String(id));
    const compute = this.computeFor(spec);
    fs.mkdirSync(runDir, { recursive: true });
    const testLimit = spec.testMaxExamples ?? data.test.length;
    const worker = launch(compute.env);
    // A run on a remote queue has no process here: its workers train it (the queue owner keeps
    // `remote`, which counts its launches); a local launch clears it.
    markRunning(this.db, id, { ownerPid: worker.remote ? null : process.pid, checkpointDir: runDir, remote: Boolean(worker.remote) });
    this.attach(id, worker);
    const characters = vocabularyCharacters(data, spec.characters);
    worker.send({
      type: 'start',
      runId: id,
      config: { ...config, characters },
      train: data.train,
      val: data.val,
      test: data.test.slice(0, testLimit),
      runDir,
      resume,
      backend: this.backendFor(spec),
      threads: compute.threads ?? defaultThreads,
      cudaLibs: compute.cudaLibs,
    });
    this.emit(this.active.get(id)!, true);
  }

  /**
   * Follows a run that is already running elsewhere (a remote queue's worker, after this process
   * restarted): its messages are recorded as if this process had started it.
   */
  adopt(id: number, worker: WorkerHandle): void {
    if (this.active.has(id)) throw new LabError('CONFLICT', `run ${id} is already followed by this process`);
    this.attach(id, worker);
  }

  private attach(id: number, worker: WorkerHandle): void {
    let settle: (s: RunStatus) => void = () => undefined;
    const done = new Promise<RunStatus>((resolve) => (settle = resolve));
    const run: ActiveRun = {
      id,
      worker,
      done,
      lastProgressAt: 0,
      progress: { ...this.storedProgress(id), status: 'running' },
    };
    this.active.set(id, run);
    let finished = false;
    worker.onMessage((m) => {
      try {
        if (m.type === 'finished' || m.type === 'failed') finished = true;
        this.handle(run, m);
      } catch (err) {
        try {
          this.fail(id, `recording the run failed: ${(err as Error).message}`);
        } finally {
          worker.kill();
        }
      }
    });
    worker.onExit((code) => {
      this.active.delete(id);
      if (this.closing) return settle('interrupted');
      // A worker that died without reporting (killed, out of memory, crashed) left its last whole
      // checkpoint behind: the run is interrupted and can resume from there.
      if (!finished) this.interrupt(id, `the run process exited unexpectedly (code ${code ?? 'signal'})`);
      settle(getRunRow(this.db, id).status);
    });
  }

  /** Records that a run could not be started or continued (e.g. its data no longer loads). */
  markFailed(id: number, error: string): void {
    this.fail(id, error);
  }

  /** Called once when the lab closes, before workers are stopped (schedulers stop launching). */
  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** A worker that ended without reporting: its run, if still active, is interrupted. */
  private interrupt(id: number, error: string): void {
    if (!markInterrupted(this.db, id, error, { ifActive: true })) return;
    this.events.emit('run.progress', { ...this.storedProgress(id), status: 'interrupted' });
  }

  private fail(id: number, error: string): void {
    storeMarkFailed(this.db, id, error);
    const run = this.active.get(id);
    if (run) {
      run.progress.status = 'failed';
      this.emit(run, true);
    } else {
      this.events.emit('run.progress', { ...this.storedProgress(id), status: 'failed' });
    }
  }

  /**
   * The run's wasm threads and CUDA library folder (its own, else Settings; null threads = every
   * core), and the run process's environment with that folder on the loader path. A folder that
   * no longer holds the libraries fails here, before anything starts.
   */
  computeFor(spec: RunSpec): { threads: number | null; cudaLibs: string | null; env: NodeJS.ProcessEnv | undefined } {
    const settings = readSettings(this.db);
    const threads = spec.threads ?? settings.threads;
    const dir = spec.cudaLibs ?? settings.cudaLibs;
    if (!dir) return { threads, cudaLibs: null, env: undefined };
    let folder;
    try {
      folder = resolveCudaLibs(dir);
    } catch (err) {
      throw new LabError('INVALID_INPUT', (err as Error).message);
    }
    return { threads, cudaLibs: folder.dir, env: environmentWithLibraries(process.env, folder.libraryDirs) };
  }

  /** The run's own backend, else the Settings preference, else null (the best that loads). */
  private backendFor(spec: RunSpec): BackendName | null {
    if (spec.backend !== null) return spec.backend;
    const preferred = readSettings(this.db).backend;
    return preferred === 'auto' ? null : preferred;
  }

  /** A run's progress as the database knows it (live figures arrive with the next step). */
  private storedProgress(id: number): RunProgress {
    const r = getRunRow(this.db, id);
    return {
      runId: id,
      status: r.status,
      step: r.step,
      steps: r.steps,
      loss: r.last_loss,
      answerLoss: null,
      rationaleLoss: null,
      semanticLoss: null,
      lr: null,
      tokensPerSec: null,
      etaSec: null,
      evaluating: null,
    };
  }

  private emit(run: ActiveRun, force: boolean): void {
    const now = Date.now();
    if (!force && now - run.lastProgressAt < PROGRESS_INTERVAL_MS) return;
    run.lastProgressAt = now;
    this.events.emit('run.progress', { ...run.progress });
  }

  private handle(run: ActiveRun, m: WorkerMessage): void {
    const db = this.db;
    const id = run.id;
    switch (m.type) {
      case 'ready':
        return;
      case 'backend': {
        const skipped = Object.entries(m.reasons).map(([k, v]) => `${k}: ${v}`);
        const spec = JSON.parse(getRunRow(db, id).spec) as RunSpec;
        const reason =
          spec.backend !== null
            ? 'chosen for this run'
            : this.backendFor(spec) !== null
              ? 'chosen in Settings'
              : skipped.length
                ? `best available; ${skipped.join('; ')}`
                : 'best available';
        recordRunBackend(db, id, { backend: m.name, reason, environment: m.environment });
        // An event now, so open views re-read the backend and environment before the first step.
        this.emit(run, true);
        return;
      }
      case 'started':
        db.transaction(() => {
          // A resumed run keeps the diagnostics of its first start.
          recordRunStart(db, id, { ...m.resolved, start: m.info }, m.info.semantic ?? null);
          addRunWarnings(db, id, m.info.warnings);
        })();
        this.emit(run, true);
        return;
      case 'step': {
        const s = m.metrics;
        db.transaction(() => {
          db.prepare(
            `INSERT OR REPLACE INTO run_steps (run_id, step, loss, answer_loss, rationale_loss, semantic_loss, lr, grad_norm, tokens_per_sec, elapsed_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(id, s.step, s.loss, s.answerLoss, s.rationaleLoss, s.semanticLoss, s.lr, s.gradNorm, s.tokensPerSec, s.elapsedMs);
          recordRunStep(db, id, s.step, s.loss);
        })();
        Object.assign(run.progress, {
          step: s.step,
          loss: s.loss,
          answerLoss: s.answerLoss,
          rationaleLoss: s.rationaleLoss,
          semanticLoss: s.semanticLoss,
          lr: s.lr,
          tokensPerSec: s.tokensPerSec,
          etaSec: s.etaSec,
        });
        this.emit(run, s.step === s.totalSteps);
        return;
      }
      case 'validation': {
        const v = m.metrics;
        db.prepare(
          'INSERT OR REPLACE INTO run_evals (run_id, step, val_loss, val_accuracy, val_count, is_best, semantic) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(id, v.step, v.valLoss, v.valAccuracy, v.valCount, v.isBest ? 1 : 0, v.semantic ? JSON.stringify(v.semantic) : null);
        addRunWarnings(db, id, v.warnings);
        if (v.isBest) recordBestValAccuracy(db, id, v.valAccuracy);
        this.emit(run, true);
        return;
      }
      case 'checkpoint':
        if (m.kind === 'last') recordCheckpointStep(db, id, m.step);
        return;
      case 'paused':
      case 'resumed': {
        const status: RunStatus = m.type === 'paused' ? 'paused' : 'running';
        markPaused(db, id, status === 'paused');
        run.progress.status = status;
        this.emit(run, true);
        return;
      }
      case 'evaluating':
        run.progress.evaluating = { done: m.done, total: m.total };
        this.emit(run, m.done === 0 || m.done === m.total);
        return;
      case 'finished': {
        const status: RunStatus = m.status === 'cancelled' ? 'cancelled' : 'completed';
        db.transaction(() => {
          writePredictions(db, id, 'test', m.predictions);
          markFinished(db, id, {
            status,
            testAccuracy: m.test?.accuracy ?? null,
            final: { status: m.status, steps: m.steps, bestStep: m.bestStep, bestValAccuracy: m.bestValAccuracy, test: m.test, peakRssBytes: m.peakRssBytes },
          });
        })();
        run.progress.status = status;
        run.progress.evaluating = null;
        this.emit(run, true);
        return;
      }
      case 'failed':
        this.fail(id, m.error);
        return;
      case 'evaluated':
        // only sent to evaluation-only workers (see evaluate())
        return;
    }
  }

  /**
   * Re-evaluates a finished run's best (else last) checkpoint on a split in a worker process and
   * stores the per-example predictions for that split.
   */
  evaluate(id: number, split: 'val' | 'test', onProgress?: (done: number, total: number) => void): Promise<EvaluationFigures> {
    const row = getRunRow(this.db, id);
    if (this.active.has(id) || ACTIVE_STATUSES.includes(row.status)) throw new LabError('CONFLICT', `run ${id} is ${row.status}; evaluate it when it has stopped`);
    const dir = row.checkpoint_dir;
    const exists = (d: string): boolean => fs.existsSync(d) || fs.existsSync(previousCheckpointDir(d));
    const checkpoint = dir ? [path.join(dir, 'best'), path.join(dir, 'last')].find(exists) : undefined;
    if (!checkpoint) throw new LabError('NOT_FOUND', `run ${id} has no checkpoint to evaluate`);
    const spec = JSON.parse(row.spec) as RunSpec;
    const data = loadTrainingData(this.db, row.version_id, spec.subset);
    const examples = data[split];
    if (examples.length === 0) throw new LabError('INVALID_INPUT', `the run's dataset version has no ${split} examples`);
    const compute = this.computeFor(spec);
    const worker = this.launch(compute.env);
    return new Promise<EvaluationFigures>((resolve, reject) => {
      let settled = false;
      worker.onMessage((m) => {
        if (m.type === 'evaluating') onProgress?.(m.done, m.total);
        else if (m.type === 'failed') {
          settled = true;
          reject(new LabError('INTERNAL', `evaluation failed: ${m.error}`));
        } else if (m.type === 'evaluated') {
          settled = true;
          this.db.transaction(() => {
            writePredictions(this.db, id, split, m.predictions);
            if (split === 'test') recordTestAccuracy(this.db, id, m.summary.accuracy);
          })();
          resolve(m.summary);
        }
      });
      worker.onExit((code) => {
        if (!settled) reject(new LabError('INTERNAL', `the evaluation process exited unexpectedly (code ${code ?? 'signal'})`));
      });
      worker.send({
        type: 'evaluate',
        checkpoint,
        examples,
        backend: this.backendFor(spec),
        threads: compute.threads,
        cudaLibs: compute.cudaLibs,
        generateRationale: true,
      });
    });
  }

  /** Applies pause/resume/cancel requested by other processes for runs this process owns. */
  private applyControlRequests(): void {
    if (this.active.size === 0) return;
    for (const run of this.active.values()) {
      let row: RunRow;
      try {
        row = getRunRow(this.db, run.id);
      } catch {
        continue;
      }
      if (row.control) {
        setRunControl(this.db, run.id, null);
        run.worker.send({ type: row.control });
      }
    }
  }

  /** Pause, resume or cancel; works for runs owned by this or another live process. */
  control(id: number, action: 'pause' | 'resume' | 'cancel'): RunSummary {
    const row = getRunRow(this.db, id);
    const local = this.active.get(id);
    if (action === 'resume' && (row.status === 'cancelled' || row.status === 'interrupted' || row.status === 'failed')) {
      return this.restart(id);
    }
    const allowed: Record<typeof action, RunStatus[]> = { pause: ['running'], resume: ['paused'], cancel: ['running', 'paused', 'queued'] };
    if (!allowed[action].includes(row.status)) {
      throw new LabError('CONFLICT', `run ${id} is ${row.status}; it cannot be ${action === 'pause' ? 'paused' : action === 'resume' ? 'resumed' : 'cancelled'}`);
    }
    if (action === 'cancel' && row.status === 'queued' && !local && row.owner_pid === null) {
      // Waiting in an experiment's queue: nothing runs yet, so cancelling is just a status change.
      cancelQueuedRun(this.db, id);
      this.events.emit('run.progress', this.storedProgress(id));
    } else if (local) local.worker.send({ type: action });
    else if (pidAlive(row.owner_pid)) setRunControl(this.db, id, action);
    else {
      this.markOrphansInterrupted();
      throw new LabError('CONFLICT', `run ${id} has no live process (it was interrupted); resume it to continue`);
    }
    return runSummary(this.db, id);
  }

  /**
   * Starts a queued run, or continues a cancelled, interrupted or failed one from its last
   * checkpoint (from scratch when it has none).
   */
  restart(id: number, launch?: WorkerLauncher, defaultThreads: number | null = null): RunSummary {
    const row = getRunRow(this.db, id);
    if (this.active.has(id)) throw new LabError('CONFLICT', `run ${id} is already running`);
    const spec = JSON.parse(row.spec) as RunSpec;
    const config = this.trainConfig(spec);
    this.computeFor(spec);
    const data = loadTrainingData(this.db, row.version_id, spec.subset);
    const lastDir = row.checkpoint_dir ? path.join(row.checkpoint_dir, 'last') : null;
    // The newest whole checkpoint (a torn one falls back to the previous; see loadCheckpoint).
    const resumeStep = row.checkpoint_step !== null && lastDir !== null ? resumableStep(lastDir) : null;
    const canResume = resumeStep !== null;
    const from = resumeStep ?? 0;
    // Steps after the checkpoint will be trained again: their old records must go.
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM run_steps WHERE run_id = ? AND step > ?').run(id, from);
      this.db.prepare('DELETE FROM run_evals WHERE run_id = ? AND step > ?').run(id, from);
      this.db.prepare('DELETE FROM run_predictions WHERE run_id = ?').run(id);
      rewindRun(this.db, id, from);
    })();
    this.launchWorker(id, spec, config, data, canResume, launch, defaultThreads);
    return runSummary(this.db, id);
  }

  /** Resolves when the run's process has ended, with its final status. */
  wait(id: number): Promise<RunStatus> {
    return this.active.get(id)?.done ?? Promise.resolve(getRunRow(this.db, id).status);
  }

  isActive(id: number): boolean {
    return this.active.has(id);
  }

  /** On shutdown: stop workers; their runs become interrupted and can resume later. */
  close(): void {
    this.closing = true;
    for (const l of this.closeListeners) {
      try {
        l();
      } catch {
        // closing must go on whatever a listener does
      }
    }
    clearInterval(this.poll);
    for (const run of this.active.values()) {
      run.worker.kill();
      // A remote queue's workers go on training; the queue keeps their results for the next start.
      if (run.worker.remote) continue;
      markInterrupted(this.db, run.id, 'PST Lab was closed while the run was active', { ifActive: true });
    }
    this.active.clear();
  }
}

/** Replaces a run's stored predictions for one split. */
function writePredictions(db: Db, runId: number, split: 'val' | 'test', predictions: readonly EvaluatedExample[]): void {
  db.prepare('DELETE FROM run_predictions WHERE run_id = ? AND split = ?').run(runId, split);
  const ins = db.prepare(
    `INSERT INTO run_predictions (run_id, split, example_id, prediction, correct, output, tokens_to_answer, ms_to_answer,
            tokens_generated, rationale, token_f1, rouge_l) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const p of predictions) {
    // Val/test entries carry the example's revision id as their id (trainingData.ts).
    ins.run(runId, split, Number(p.id), p.prediction, p.correct ? 1 : 0, p.output, p.tokensToAnswer, p.msToAnswer, p.tokensGenerated, p.generatedRationale, p.tokenF1, p.rougeL);
  }
}
