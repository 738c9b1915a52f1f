// Folds a run.progress event into the run summary already on screen, so the list and the detail
// move with every event; the next database refresh then fills in what events do not carry
// (best validation accuracy, test accuracy, backend).
import type { RunProgress, RunSummary } from '../../../../shared/types/runs';

export function applyProgress(run: RunSummary, p: RunProgress): RunSummary {
  return {
    ...run,
    status: p.status,
    step: p.step,
    steps: p.steps,
    lastLoss: p.loss ?? run.lastLoss,
  };
}

/** True when the event changes something only a refetch can show (status, finished evaluation). */
export function needsRefetch(run: RunSummary | undefined, p: RunProgress): boolean {
  return !run || run.status !== p.status;
}
