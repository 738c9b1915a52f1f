import type { Migration } from '../migration';

// Annotations of teacher rationales.
// - Labels are keyed by the example's lineage, not its revision: (dataset_id, external_id,
//   completion_idx). Editing an example writes a new revision with the same external_id, so its
//   labels follow it; `fingerprint` (hash of the rationale text the labels were made on) tells
//   when the text changed under them and the offsets may be wrong.
// - `annotations` holds one row per (rationale, annotator): the whole label state as JSON (a
//   RationaleAnnotation: verdict, steps, spans with provenance and timestamps) because it is
//   always read and written as a unit, plus denormalised columns the queue, the dataset table
//   status and training subsets filter on. The machine's suggestions are the annotator 'auto'.
// - `annotation_history` is the per-annotator undo/redo log: every change stores the state
//   before and after it; `undone` marks entries on the redo stack.
// - `annotation_gold` is the adjudicated label set: at most one per rationale.
export const m004Annotations: Migration = {
  version: 4,
  name: 'annotations, undo history, gold labels',
  up(db) {
    db.exec(`
      CREATE TABLE annotations (
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        external_id TEXT NOT NULL,
        completion_idx INTEGER NOT NULL CHECK (completion_idx >= 0),
        annotator TEXT NOT NULL CHECK (length(annotator) > 0),
        fingerprint TEXT NOT NULL,
        verdict TEXT CHECK (verdict IN ('faithful','hallucinated','unsure')),
        -- a verdict, a rated step or an active span: the annotator has labelled this rationale
        labelled INTEGER NOT NULL CHECK (labelled IN (0, 1)),
        -- an active incorrect step or error span
        has_error INTEGER NOT NULL CHECK (has_error IN (0, 1)),
        first_error_step INTEGER,
        time_spent_ms REAL NOT NULL DEFAULT 0,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (dataset_id, external_id, completion_idx, annotator)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX annotations_annotator ON annotations(dataset_id, annotator);

      CREATE TABLE annotation_history (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        annotator TEXT NOT NULL,
        external_id TEXT NOT NULL,
        completion_idx INTEGER NOT NULL,
        action TEXT NOT NULL,
        -- JSON RationaleAnnotation before / after the change; NULL = no labels
        before TEXT,
        after TEXT,
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      ) STRICT;
      CREATE INDEX annotation_history_stack ON annotation_history(dataset_id, annotator, undone, id);

      CREATE TABLE annotation_gold (
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        external_id TEXT NOT NULL,
        completion_idx INTEGER NOT NULL CHECK (completion_idx >= 0),
        adjudicator TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        verdict TEXT CHECK (verdict IN ('faithful','hallucinated','unsure')),
        sources TEXT NOT NULL DEFAULT '[]',
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (dataset_id, external_id, completion_idx)
      ) STRICT, WITHOUT ROWID;

    `);
  },
};
