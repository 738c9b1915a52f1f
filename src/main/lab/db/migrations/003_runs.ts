import type { Migration } from '../migration';

// Training runs, their per-step metrics, validations and per-example predictions. A run always
// points at a committed dataset version, so its result can be traced to exactly its data.
export const m003Runs: Migration = {
  version: 3,
  name: 'training runs, metrics, validations, predictions',
  up(db) {
    db.exec(`
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        version_id INTEGER NOT NULL REFERENCES dataset_versions(id),
        method TEXT NOT NULL,
        preset TEXT NOT NULL,
        seed INTEGER NOT NULL,
        spec TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued','running','paused','completed','cancelled','failed','interrupted')),
        error TEXT,
        -- what the owner asked the run process to do next; read by the process that owns the worker
        control TEXT CHECK (control IN ('pause','resume','cancel')),
        owner_pid INTEGER,
        backend TEXT,
        backend_reason TEXT,
        resolved TEXT,
        environment TEXT,
        data_stats TEXT,
        step INTEGER NOT NULL DEFAULT 0,
        steps INTEGER NOT NULL,
        last_loss REAL,
        best_val_accuracy REAL,
        test_accuracy REAL,
        final TEXT,
        checkpoint_dir TEXT,
        checkpoint_step INTEGER,
        experiment_id INTEGER,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        started_at TEXT,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX runs_dataset ON runs(dataset_id);
      CREATE INDEX runs_status ON runs(status);

      CREATE TABLE run_steps (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        loss REAL NOT NULL,
        answer_loss REAL,
        rationale_loss REAL,
        semantic_loss REAL,
        lr REAL NOT NULL,
        grad_norm REAL,
        tokens_per_sec REAL NOT NULL,
        elapsed_ms REAL NOT NULL,
        PRIMARY KEY (run_id, step)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE run_evals (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        val_loss REAL,
        val_accuracy REAL,
        val_count INTEGER NOT NULL,
        is_best INTEGER NOT NULL,
        PRIMARY KEY (run_id, step)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE run_predictions (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        split TEXT NOT NULL CHECK (split IN ('val','test')),
        example_id INTEGER NOT NULL REFERENCES examples(id),
        prediction TEXT,
        correct INTEGER NOT NULL,
        output TEXT NOT NULL,
        tokens_to_answer INTEGER NOT NULL,
        ms_to_answer REAL NOT NULL,
        tokens_generated INTEGER NOT NULL,
        rationale TEXT,
        token_f1 REAL,
        rouge_l REAL,
        PRIMARY KEY (run_id, split, example_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
