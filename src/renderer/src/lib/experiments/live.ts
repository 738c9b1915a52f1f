// Folds 'experiment.progress' events into the experiment on screen: the summary (runs by status,
// progress, ETA) and the rows of the runs that are active. A periodic re-read of the database fills
// in what events do not carry (test accuracy, errors, runs that finished between events).
import type { ExperimentDetail, ExperimentProgress, ExperimentSummary } from '../../../../shared/types/experiments';
import type { RunStatus } from '../../../../shared/types/runs';

/** Live figures of a run that events carry and the database rows do not. */
export interface LiveRun {
  loss: number | null;
  etaSec: number | null;
  evaluating: { done: number; total: number } | null;
  /** The remote worker training the run (experiments on a queue). */
  worker: string | null;
}

export function applyExperimentProgress(d: ExperimentDetail, p: ExperimentProgress): ExperimentDetail {
  const active = new Map(p.active.map((a) => [a.runId, a]));
  return {
    ...d,
    status: p.status,
    byStatus: p.byStatus,
    progress: p.progress,
    etaSec: p.etaSec,
    runsDetail: d.runsDetail.map((r) => {
      const a = active.get(r.runId);
      return a ? { ...r, status: a.status, step: a.step, steps: a.steps } : r;
    }),
  };
}

export function liveRuns(p: ExperimentProgress): Record<number, LiveRun> {
  const out: Record<number, LiveRun> = {};
  for (const a of p.active)
    out[a.runId] = { loss: a.loss, etaSec: a.etaSec, evaluating: a.evaluating, worker: a.worker };
  return out;
}

/** True when the event changes what only a re-read shows (a run or the experiment changed status). */
export function statusChanged(d: ExperimentDetail, p: ExperimentProgress): boolean {
  if (d.status !== p.status) return true;
  const rows = new Map(d.runsDetail.map((r) => [r.runId, r.status]));
  if (p.active.some((a) => rows.get(a.runId) !== a.status)) return true;
  return JSON.stringify(d.byStatus) !== JSON.stringify(p.byStatus);
}

/** The summary part of an event, for the list page. */
export function applyToSummary(s: ExperimentSummary, p: ExperimentProgress): ExperimentSummary {
  return { ...s, status: p.status, byStatus: p.byStatus, progress: p.progress, etaSec: p.etaSec };
}

/** Which controls make sense now. */
export function experimentActions(s: Pick<ExperimentSummary, 'status' | 'byStatus'>): {
  cancel: boolean;
  resume: boolean;
  retry: boolean;
  remove: boolean;
} {
  const n = (k: RunStatus): number => s.byStatus[k] ?? 0;
  const live = n('running') + n('paused') > 0 || s.status === 'running';
  const waiting = n('queued') + n('cancelled') + n('interrupted');
  return {
    cancel: live || (s.status === 'queued' && n('queued') > 0),
    resume: !live && waiting > 0,
    retry: n('failed') > 0,
    remove: !live,
  };
}

export const RUN_STATUS_ORDER: readonly RunStatus[] = [
  'running',
  'paused',
  'queued',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
];

/** "3 completed · 2 running · 3 queued" */
export function byStatusText(byStatus: Partial<Record<RunStatus, number>>): string {
  return RUN_STATUS_ORDER.filter((k) => (byStatus[k] ?? 0) > 0)
    .map((k) => `${byStatus[k]} ${k}`)
    .join(' · ');
}
