// Experiment rows and what they derive from their runs. An experiment's status is never stored:
// it is read from its runs, so it cannot disagree with them after a crash or a restart.
import type {
  CellFactors,
  ExperimentDetail,
  ExperimentRunRow,
  ExperimentSpec,
  ExperimentStatus,
  ExperimentSummary,
} from '../../../shared/types/experiments';
import type { RunStatus } from '../../../shared/types/runs';
import type { Db } from '../db/database';
import { LabError } from '../errors';

export interface ExperimentRow {
  id: number;
  name: string;
  description: string;
  spec: string;
  concurrency: number;
  owner_pid: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export function getExperimentRow(db: Db, id: number): ExperimentRow {
  const r = db.prepare('SELECT * FROM experiments WHERE id = ?').get(id) as ExperimentRow | undefined;
  if (!r) throw new LabError('NOT_FOUND', `experiment ${id} does not exist`);
  return r;
}

/** An experiment by id or (exact) name, for the CLI. */
export function experimentIdByRef(db: Db, ref: string): number {
  if (/^\d+$/.test(ref)) {
    const hit = db.prepare('SELECT id FROM experiments WHERE id = ?').get(Number(ref)) as { id: number } | undefined;
    if (hit) return hit.id;
  }
  const rows = db.prepare('SELECT id FROM experiments WHERE name = ? ORDER BY id DESC').all(ref) as { id: number }[];
  if (rows.length === 0) throw new LabError('NOT_FOUND', `no experiment with id or name ${JSON.stringify(ref)}`);
  return rows[0]!.id;
}

/**
 * running: some run has a process; queued: work is left that `start` would do (queued or
 * interrupted runs); otherwise failed > cancelled > completed, the worst outcome wins.
 */
export function deriveStatus(byStatus: Partial<Record<RunStatus, number>>): ExperimentStatus {
  const n = (s: RunStatus): number => byStatus[s] ?? 0;
  if (n('running') + n('paused') > 0) return 'running';
  if (n('queued') + n('interrupted') > 0) return 'queued';
  if (n('failed') > 0) return 'failed';
  if (n('cancelled') > 0) return 'cancelled';
  return 'completed';
}

interface RunState {
  status: RunStatus;
  step: number;
  steps: number;
}

export function progressOf(runs: readonly RunState[]): {
  byStatus: Partial<Record<RunStatus, number>>;
  progress: number;
} {
  const byStatus: Partial<Record<RunStatus, number>> = {};
  let done = 0;
  let total = 0;
  for (const r of runs) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    total += r.steps;
    // A finished run counts as fully done even if it stopped early.
    done += r.status === 'completed' ? r.steps : Math.min(r.step, r.steps);
  }
  return { byStatus, progress: total ? done / total : 0 };
}

export function experimentRunStates(db: Db, experimentId: number): (RunState & { id: number })[] {
  return db
    .prepare('SELECT id, status, step, steps FROM runs WHERE experiment_id = ? ORDER BY id')
    .all(experimentId) as (RunState & { id: number })[];
}

export function experimentSummary(db: Db, id: number, etaSec: number | null = null): ExperimentSummary {
  const r = getExperimentRow(db, id);
  const { byStatus, progress } = progressOf(experimentRunStates(db, id));
  const runs = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return {
    id: r.id,
    name: r.name,
    status: deriveStatus(byStatus),
    createdAt: r.created_at,
    runs,
    byStatus,
    progress,
    etaSec,
    concurrency: r.concurrency,
  };
}

export function listExperiments(db: Db, eta: (id: number) => number | null): ExperimentSummary[] {
  const ids = db.prepare('SELECT id FROM experiments ORDER BY id DESC').all() as { id: number }[];
  return ids.map(({ id }) => experimentSummary(db, id, eta(id)));
}

export function experimentRuns(db: Db, experimentId: number): ExperimentRunRow[] {
  const rows = db
    .prepare(
      `SELECT c.run_id, c.position, c.cell_key, c.group_key, c.label, c.factors, r.status, r.error, r.step, r.steps, r.last_loss, r.test_accuracy,
              r.dataset_id, v.number AS version
       FROM experiment_runs c JOIN runs r ON r.id = c.run_id JOIN dataset_versions v ON v.id = r.version_id
       WHERE c.experiment_id = ? ORDER BY c.position`,
    )
    .all(experimentId) as {
    run_id: number;
    position: number;
    cell_key: string;
    group_key: string;
    label: string;
    factors: string;
    status: RunStatus;
    error: string | null;
    step: number;
    steps: number;
    last_loss: number | null;
    test_accuracy: number | null;
    dataset_id: number;
    version: number;
  }[];
  return rows.map((r) => ({
    runId: r.run_id,
    position: r.position,
    key: r.cell_key,
    groupKey: r.group_key,
    label: r.label,
    factors: JSON.parse(r.factors) as CellFactors,
    status: r.status,
    error: r.error,
    step: r.step,
    steps: r.steps,
    lastLoss: r.last_loss,
    testAccuracy: r.test_accuracy,
    datasetId: r.dataset_id,
    version: r.version,
  }));
}

export function experimentDetail(db: Db, id: number, etaSec: number | null = null): ExperimentDetail {
  const r = getExperimentRow(db, id);
  return {
    ...experimentSummary(db, id, etaSec),
    description: r.description,
    spec: JSON.parse(r.spec) as ExperimentSpec,
    runsDetail: experimentRuns(db, id),
  };
}
