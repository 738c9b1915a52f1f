// Rows of runs and what they record. Only the owning process writes (see manager.ts).
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
  const r = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
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
  const r = db.prepare(`${SUMMARY_SQL} WHERE r.id = ?`).get(id) as SummaryRow | undefined;
  if (!r) throw new LabError('NOT_FOUND', `run ${id} does not exist`);
  return toSummary(r);
}

export function runDetail(db: Db, id: number): RunDetail {
  const r = db.prepare(`${SUMMARY_SQL} WHERE r.id = ?`).get(id) as SummaryRow | undefined;
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
  const evals = db.prepare('SELECT semantic FROM run_evals WHERE run_id = ? AND semantic IS NOT NULL ORDER BY step').all(runId) as { semantic: string }[];
  return { ...rec, diagnostics: [...rec.diagnostics, ...evals.map((e) => JSON.parse(e.semantic) as SemanticDiagnostics)] };
}

/** Adds warnings to a run (each message once). */
export function addRunWarnings(db: Db, id: number, messages: readonly string[]): void {
  if (messages.length === 0) return;
  const row = db.prepare('SELECT warnings FROM runs WHERE id = ?').get(id) as { warnings: string | null } | undefined;
  if (!row) throw new LabError('NOT_FOUND', `run ${id} does not exist`);
  const current = row.warnings ? (JSON.parse(row.warnings) as string[]) : [];
  const next = [...current, ...messages.filter((m) => !current.includes(m))];
  db.prepare('UPDATE runs SET warnings = ? WHERE id = ?').run(JSON.stringify(next), id);
}

export function listRuns(db: Db, filter: { dataset?: number; experiment?: number; limit?: number }): RunSummary[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.dataset !== undefined) {
    where.push('r.dataset_id = ?');
    params.push(filter.dataset);
  }
  if (filter.experiment !== undefined) {
    where.push('r.experiment_id = ?');
    params.push(filter.experiment);
  }
  const sql = `${SUMMARY_SQL}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY r.id DESC LIMIT ?`;
  return (db.prepare(sql).all(...params, filter.limit ?? 500) as SummaryRow[]).map(toSummary);
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
