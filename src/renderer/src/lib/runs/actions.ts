// Which controls a run offers in each status. Mirrors the manager's rules (manager.ts `control`):
// resume also restarts cancelled, interrupted and failed runs from their last checkpoint, and only
// finished runs can be deleted.
import type { RunStatus } from '../../../../shared/types/runs';

export type RunAction = 'pause' | 'resume' | 'cancel' | 'delete';

const ALLOWED: Record<RunStatus, readonly RunAction[]> = {
  queued: ['cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  completed: ['delete'],
  cancelled: ['resume', 'delete'],
  interrupted: ['resume', 'delete'],
  failed: ['resume', 'delete'],
};

export function actionsFor(status: RunStatus): readonly RunAction[] {
  return ALLOWED[status];
}

export const ACTION_LABELS: Record<RunAction, string> = {
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  delete: 'Delete',
};

export function isActive(status: RunStatus): boolean {
  return status === 'queued' || status === 'running' || status === 'paused';
}
