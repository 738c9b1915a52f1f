// Per-annotator undo/redo within a dataset. Every change an annotator makes records the state
// before and after it; undo restores `before` of the newest entry not yet undone, redo re-applies
// `after` of the oldest undone entry. A new change clears the redo stack (classic editor
// semantics). Undo and redo are themselves durable writes, so they survive a restart too.
import type { Db } from '../../db/database';
import type { RationaleAnnotation, UndoState } from '../../../../shared/types/annotations';
import { readAnnotation, writeAnnotation, type ItemKey } from './rows';

export type HistoryAction = 'save' | 'accept' | 'reject';

interface HistoryRow {
  id: number;
  external_id: string;
  completion_idx: number;
  before: string | null;
  after: string | null;
}

/** Records a change and clears the redo stack. Call inside the change's transaction. */
export function recordChange(db: Db, key: ItemKey, annotator: string, action: HistoryAction, before: RationaleAnnotation | null, after: RationaleAnnotation | null): void {
  db.prepare('DELETE FROM annotation_history WHERE dataset_id = ? AND annotator = ? AND undone = 1').run(key.datasetId, annotator);
  db.prepare(
    'INSERT INTO annotation_history (dataset_id, annotator, external_id, completion_idx, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(key.datasetId, annotator, key.externalId, key.completion, action, before ? JSON.stringify(before) : null, after ? JSON.stringify(after) : null);
}

export function undoState(db: Db, datasetId: number, annotator: string): UndoState {
  const count = (undone: number): number =>
    (db.prepare('SELECT COUNT(*) AS n FROM annotation_history WHERE dataset_id = ? AND annotator = ? AND undone = ?').get(datasetId, annotator, undone) as { n: number }).n;
  return { canUndo: count(0) > 0, canRedo: count(1) > 0 };
}

/** Undoes (or redoes) the annotator's latest change; returns the item changed, or null. Call inside a transaction. */
export function stepHistory(db: Db, datasetId: number, annotator: string, direction: 'undo' | 'redo'): ItemKey | null {
  const row = db
    .prepare(
      direction === 'undo'
        ? 'SELECT id, external_id, completion_idx, before, after FROM annotation_history WHERE dataset_id = ? AND annotator = ? AND undone = 0 ORDER BY id DESC LIMIT 1'
        : 'SELECT id, external_id, completion_idx, before, after FROM annotation_history WHERE dataset_id = ? AND annotator = ? AND undone = 1 ORDER BY id ASC LIMIT 1',
    )
    .get(datasetId, annotator) as HistoryRow | undefined;
  if (!row) return null;
  const key: ItemKey = { datasetId, externalId: row.external_id, completion: row.completion_idx };
  const raw = direction === 'undo' ? row.before : row.after;
  const state = raw === null ? null : (JSON.parse(raw) as RationaleAnnotation);
  // Time spent is real effort, not a label: undo restores labels but keeps the time counted.
  const current = readAnnotation(db, key, annotator);
  if (state && current) state.timeSpentMs = Math.max(state.timeSpentMs, current.timeSpentMs);
  writeAnnotation(db, key, annotator, state);
  db.prepare('UPDATE annotation_history SET undone = ? WHERE id = ?').run(direction === 'undo' ? 1 : 0, row.id);
  return key;
}
