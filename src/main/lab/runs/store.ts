// Rows of runs and what they record. Every write of the runs table is here: status changes are
// named transitions that name the states they start from and refuse any other (a CONFLICT error,
// nothing written); the other writes record what a run reports. Named @parameters throughout.
import type { Db } from '../db/database';
import { LabError } from '../errors';
import type { EvalPoint, MethodId, PresetName, Prediction, RunDetail, RunSpec, RunStatus, RunSummary, SemanticDiagnostics, SemanticRecord, StepPoint } from '../../../shared/types/runs';

export interface RunRow {
  id: number;
  name: string;
  dataset_id: number;
  version_id: number;
  method: MethodId;
  preset: PresetName;
  seed: number;
  spec: string;
  status: RunStatus;
  error: string | null;
  control: 'pause' | 'resume' | 'cancel' | null;
  owner_pid: number | null;
  backend: string | null;
  backend_reason: string | null;
  resolved: string | null;
  environment: string | null;
  data_stats: string | null;
  semantic: string | null;
  warnings: string | null;
  step: number;
  steps: number;
  last_loss: number | null;
  best_val_accuracy: number | null;
  test_accuracy: number | null;
  final: string | null;
  checkpoint_dir: string | null;
  checkpoint_step: number | null;
  /** JSON of the queue launch when a remote worker trains the run (queue/owner.ts), else null. */
  remote: string | null;
  experiment_id: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running', 'paused'];

export function getRunRow(db: Db, id: number): RunRow {
  const r = db.prepare('SELECT * FROM runs WHERE id = @id').get({ id }) as RunRow | undefined;
  if (!r) throw new LabError('NOT_FOUND', `run ${id} does not exist`);
  return r;
}

const SUMMARY_SQL = `SELECT r.*, d.name AS dataset_name, v.number AS version_number, e.name AS experiment_name
  FROM runs r JOIN datasets d ON d.id = r.dataset_id JOIN dataset_versions v ON v.id = r.version_id
  LEFT JOIN experiments e ON e.id = r.experiment_id`;

type SummaryRow = RunRow & { dataset_name: string; version_number: number; experiment_name: string | null };

function toSummary(r: SummaryRow): RunSummary {
  return {
    id: r.id,
    name: r.name,
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    version: r.version_number,
    method: r.method,
    preset: r.preset,
    seed: r.seed,
    status: r.status,
    error: r.error,
    backend: r.backend,
    backendReason: r.backend_reason,
    step: r.step,
    steps: r.steps,
    lastLoss: r.last_loss,
    bestValAccuracy: r.best_val_accuracy,
    testAccuracy: r.test_accuracy,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    experimentId: r.experiment_id,
    experimentName: r.experiment_name,
  };
}

const json = (s: string | null): Record<string, unknown> | null => (s ? (JSON.parse(s) as Record<string, unknown>) : null);

export function runSummary(db: Db, id: number): RunSummary {
  const r = db.prepare(`${SUMMARY_SQL} WHERE r.id = @id`).get({ id }) as SummaryRow | undefined;
  if (!r) throw new LabError('NOT_FOUND', `run ${id} does not exist`);
  return toSummary(r);
}

export function runDetail(db: Db, id: number): RunDetail {
  const r = db.prepare(`${SUMMARY_SQL} WHERE r.id = @id`).get({ id }) as SummaryRow | undefined;
  if (!r) throw new LabError('NOT_FOUND', `run ${id} does not exist`);
  return {
    ...toSummary(r),
    spec: JSON.parse(r.spec) as RunSpec,
    resolved: json(r.resolved),
    environment: json(r.environment),
    dataStats: json(r.data_stats),
    checkpointDir: r.checkpoint_dir,
    final: json(r.final),
    semantic: runSemantic(db, r.id, r.semantic),
    warnings: r.warnings ? (JSON.parse(r.warnings) as string[]) : [],
  };
}

/** A run's PST encoder record (runs.semantic) with its diagnostics: the start, then every validation in step order. */
export function runSemantic(db: Db, runId: number, semantic: string | null): SemanticRecord | null {
  if (!semantic) return null;
  const rec = JSON.parse(semantic) as SemanticRecord;
  const evals = db.prepare('SELECT semantic FROM run_evals WHERE run_id = @runId AND semantic IS NOT NULL ORDER BY step').all({ runId }) as { semantic: string }[];
  return { ...rec, diagnostics: [...rec.diagnostics, ...evals.map((e) => JSON.parse(e.semantic) as SemanticDiagnostics)] };
}

/** Adds warnings to a run (each message once). */
export function addRunWarnings(db: Db, id: number, messages: readonly string[]): void {
  if (messages.length === 0) return;
  const row = getRunRow(db, id);
  const current = row.warnings ? (JSON.parse(row.warnings) as string[]) : [];
  const next = [...current, ...messages.filter((m) => !current.includes(m))];
  update(db, id, 'warnings = @warnings', { warnings: JSON.stringify(next) });
}

export function listRuns(db: Db, filter: { dataset?: number; experiment?: number; limit?: number }): RunSummary[] {
  const where: string[] = [];
  if (filter.dataset !== undefined) where.push('r.dataset_id = @dataset');
  if (filter.experiment !== undefined) where.push('r.experiment_id = @experiment');
  const sql = `${SUMMARY_SQL}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY r.id DESC LIMIT @limit`;
  const params = { dataset: filter.dataset ?? null, experiment: filter.experiment ?? null, limit: filter.limit ?? 500 };
  return (db.prepare(sql).all(params) as SummaryRow[]).map(toSummary);
}

export function runMetrics(db: Db, id: number, sinceStep = 0): { steps: StepPoint[]; evals: EvalPoint[] } {
  getRunRow(db, id);
  const steps = db
    .prepare(
      `SELECT step, loss, answer_loss AS answerLoss, rationale_loss AS rationaleLoss, semantic_loss AS semanticLoss, lr,
              tokens_per_sec AS tokensPerSec, elapsed_ms AS elapsedMs FROM run_steps WHERE run_id = ? AND step > ? ORDER BY step`,
    )
    .all(id, sinceStep) as StepPoint[];
  const evals = db
    .prepare('SELECT step, val_loss AS valLoss, val_accuracy AS valAccuracy FROM run_evals WHERE run_id = ? ORDER BY step')
    .all(id) as EvalPoint[];
  return { steps, evals };
}

export function runPredictions(
  db: Db,
  q: { run: number; split?: 'test' | 'val'; correct?: boolean; offset?: number; limit?: number },
): { total: number; correct: number; rows: Prediction[] } {
  getRunRow(db, q.run);
  const split = q.split ?? 'test';
  const filter = q.correct === undefined ? '' : ` AND p.correct = ${q.correct ? 1 : 0}`;
  const counts = db
    .prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(correct), 0) AS c FROM run_predictions p WHERE run_id = ? AND split = ?${filter}`)
    .get(q.run, split) as { n: number; c: number };
  const rows = db
    .prepare(
      `SELECT p.example_id AS exampleId, e.external_id AS externalId, e.question, e.answer AS gold, p.prediction, p.correct,
              p.output, p.tokens_to_answer AS tokensToAnswer, p.ms_to_answer AS msToAnswer, p.rationale, p.token_f1 AS tokenF1,
              p.rouge_l AS rougeL
       FROM run_predictions p JOIN examples e ON e.id = p.example_id
       WHERE p.run_id = ? AND p.split = ?${filter} ORDER BY e.id LIMIT ? OFFSET ?`,
    )
    .all(q.run, split, q.limit ?? 100, q.offset ?? 0) as (Omit<Prediction, 'correct'> & { correct: number })[];
  return { total: counts.n, correct: counts.c, rows: rows.map((r) => ({ ...r, correct: r.correct === 1 })) };
}

// ---- Writes of the runs table -------------------------------------------------------------------

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
const sqlList = (xs: readonly string[]): string => xs.map((x) => `'${x}'`).join(', ');

/** Sets columns of one run (not its status); NOT_FOUND when there is no such run. */
function update(db: Db, id: number, set: string, params: Record<string, unknown> = {}): void {
  if (db.prepare(`UPDATE runs SET ${set} WHERE id = @id`).run({ ...params, id }).changes === 0) throw new LabError('NOT_FOUND', `run ${id} does not exist`);
}

/**
 * Moves one run to `to` when its status is one of `from`; otherwise refuses with CONFLICT (or,
 * with `ifFrom`, leaves the run as it is and returns false).
 */
function transition(db: Db, id: number, from: readonly RunStatus[], to: RunStatus, set: string, params: Record<string, unknown>, ifFrom = false): boolean {
  const sql = `UPDATE runs SET status = @to, ${set} WHERE id = @id AND status IN (${sqlList(from)})`;
  if (db.prepare(sql).run({ ...params, id, to }).changes > 0) return true;
  const now = getRunRow(db, id).status;
  if (ifFrom) return false;
  throw new LabError('CONFLICT', `run ${id} is ${now}; it cannot become ${to} (only from ${from.join(', ')})`);
}

/** The run state machine: the states each transition starts from. */
export const RUN_TRANSITIONS = {
  /** A launch: a new or waiting run, or a stopped one continuing from its checkpoint. */
  running: ['queued', 'interrupted', 'cancelled', 'failed'],
  paused: ['running'],
  resumed: ['paused'],
  /** The worker's final report; a run interrupted meanwhile by a sweep may still report. */
  finished: ['running', 'paused', 'interrupted'],
  interrupted: ['queued', 'running', 'paused'],
  failed: ['queued', 'running', 'paused', 'interrupted', 'cancelled'],
  /** Waiting runs only; running ones are cancelled by their process (a 'finished' report). */
  cancelled: ['queued'],
  /** An experiment's retry: failed and interrupted runs wait in its queue again. */
  requeued: ['failed', 'interrupted'],
} as const satisfies Record<string, readonly RunStatus[]>;

export interface NewRun {
  name: string;
  datasetId: number;
  versionId: number;
  method: MethodId;
  preset: PresetName;
  seed: number;
  spec: RunSpec;
  steps: number;
  dataStats: Record<string, unknown>;
  experimentId: number | null;
}

/** A new run, queued; returns its id. */
export function insertQueuedRun(db: Db, r: NewRun): number {
  const info = db
    .prepare(
      `INSERT INTO runs (name, dataset_id, version_id, method, preset, seed, spec, status, steps, data_stats, experiment_id)
       VALUES (@name, @datasetId, @versionId, @method, @preset, @seed, @spec, 'queued', @steps, @dataStats, @experimentId)`,
    )
    .run({ ...r, spec: JSON.stringify(r.spec), dataStats: JSON.stringify(r.dataStats) });
  return Number(info.lastInsertRowid);
}

/** A process (`ownerPid`, null for a remote queue's worker, then `remote` is set) trains the run now. */
export function markRunning(db: Db, id: number, a: { ownerPid: number | null; checkpointDir: string; remote: boolean }): void {
  transition(
    db,
    id,
    RUN_TRANSITIONS.running,
    'running',
    `error = NULL, control = NULL, owner_pid = @ownerPid, checkpoint_dir = @checkpointDir, remote = CASE WHEN @remote THEN remote ELSE NULL END,
     started_at = COALESCE(started_at, ${NOW}), finished_at = NULL`,
    { ...a, remote: a.remote ? 1 : 0 },
  );
}

/** The worker paused (`paused`) or continued (`running`); a pending control request is done. */
export function markPaused(db: Db, id: number, paused: boolean): void {
  if (paused) transition(db, id, RUN_TRANSITIONS.paused, 'paused', 'control = NULL', {});
  else transition(db, id, RUN_TRANSITIONS.resumed, 'running', 'control = NULL', {});
}

/** The worker's final report: completed, or cancelled on request (resumable). */
export function markFinished(db: Db, id: number, f: { status: 'completed' | 'cancelled'; testAccuracy: number | null; final: Record<string, unknown> }): void {
  transition(db, id, RUN_TRANSITIONS.finished, f.status, `control = NULL, owner_pid = NULL, test_accuracy = COALESCE(@testAccuracy, test_accuracy), final = @final, finished_at = ${NOW}`, {
    testAccuracy: f.testAccuracy,
    final: JSON.stringify(f.final),
  });
}

/**
 * Its process is gone: the run resumes from its last checkpoint. With `ifActive` a run that is no
 * longer active (it finished or failed meanwhile) is left as it is; returns whether it moved.
 */
export function markInterrupted(db: Db, id: number, error: string, o: { ifActive?: boolean } = {}): boolean {
  return transition(db, id, RUN_TRANSITIONS.interrupted, 'interrupted', 'error = @error, control = NULL, owner_pid = NULL', { error }, o.ifActive ?? false);
}

export function markFailed(db: Db, id: number, error: string): void {
  transition(db, id, RUN_TRANSITIONS.failed, 'failed', `error = @error, control = NULL, owner_pid = NULL, finished_at = ${NOW}`, { error });
}

/** A waiting run is cancelled before anything ran. */
export function cancelQueuedRun(db: Db, id: number): void {
  transition(db, id, RUN_TRANSITIONS.cancelled, 'cancelled', 'control = NULL', {});
}

/** An experiment starts (again): its interrupted and cancelled runs no process owns wait in its queue. */
export function requeueStoppedExperimentRuns(db: Db, experimentId: number): number {
  return db
    .prepare(`UPDATE runs SET status = 'queued', error = NULL WHERE experiment_id = @experimentId AND status IN ('interrupted', 'cancelled') AND owner_pid IS NULL`)
    .run({ experimentId }).changes;
}

/** An experiment is cancelled: its waiting runs no process owns are cancelled. */
export function cancelWaitingExperimentRuns(db: Db, experimentId: number): number {
  return db
    .prepare(`UPDATE runs SET status = 'cancelled', control = NULL WHERE experiment_id = @experimentId AND status IN ('queued', 'interrupted') AND owner_pid IS NULL`)
    .run({ experimentId }).changes;
}

/**
 * An experiment's retry: each run (failed or interrupted) waits in its queue again, in one
 * transaction (all or none); an interrupted run keeps its checkpoint, a failed one starts over.
 */
export function requeueRuns(db: Db, ids: readonly number[]): void {
  db.transaction(() => {
    for (const id of ids)
      transition(
        db,
        id,
        RUN_TRANSITIONS.requeued,
        'queued',
        "error = NULL, control = NULL, owner_pid = NULL, finished_at = NULL, checkpoint_step = CASE WHEN status = 'interrupted' THEN checkpoint_step ELSE NULL END",
        {},
      );
  })();
}

/** A pause/resume/cancel request for the process that owns the run (null: handled). */
export function setRunControl(db: Db, id: number, control: RunRow['control']): void {
  update(db, id, 'control = @control', { control });
}

/** The queue launch of a run a remote worker trains (queue/owner.ts). */
export function setRunRemote(db: Db, id: number, remote: object): void {
  update(db, id, 'remote = @remote', { remote: JSON.stringify(remote) });
}

export function recordRunBackend(db: Db, id: number, b: { backend: string; reason: string; environment: unknown }): void {
  update(db, id, 'backend = @backend, backend_reason = @reason, environment = @environment', { ...b, environment: JSON.stringify(b.environment) });
}

/** The resolved configuration; the PST encoder record of the first start is kept on resume. */
export function recordRunStart(db: Db, id: number, resolved: unknown, semantic: unknown | null): void {
  update(db, id, 'resolved = @resolved, semantic = COALESCE(semantic, @semantic)', {
    resolved: JSON.stringify(resolved),
    semantic: semantic ? JSON.stringify(semantic) : null,
  });
}

export function recordRunStep(db: Db, id: number, step: number, loss: number): void {
  update(db, id, 'step = @step, last_loss = @loss', { step, loss });
}

export function recordBestValAccuracy(db: Db, id: number, accuracy: number | null): void {
  update(db, id, 'best_val_accuracy = @accuracy', { accuracy });
}

export function recordCheckpointStep(db: Db, id: number, step: number): void {
  update(db, id, 'checkpoint_step = @step', { step });
}

export function recordTestAccuracy(db: Db, id: number, accuracy: number): void {
  update(db, id, 'test_accuracy = @accuracy', { accuracy });
}

/** Before a restart: steps after `step` will be trained again, the old test result goes. */
export function rewindRun(db: Db, id: number, step: number): void {
  update(db, id, 'step = @step, test_accuracy = NULL, final = NULL', { step });
}

/** Deletes a stopped run (its steps, evals and predictions go with it). */
export function deleteRun(db: Db, id: number): void {
  const row = getRunRow(db, id);
  if (ACTIVE_STATUSES.includes(row.status)) throw new LabError('CONFLICT', `run ${id} is ${row.status}; cancel it first`);
  db.prepare('DELETE FROM runs WHERE id = @id').run({ id });
}

/** Deletes every run of an experiment (the caller checked none is active). */
export function deleteExperimentRuns(db: Db, experimentId: number): void {
  db.prepare('DELETE FROM runs WHERE experiment_id = @experimentId').run({ experimentId });
}
