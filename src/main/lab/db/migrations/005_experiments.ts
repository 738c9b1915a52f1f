import type { Migration } from '../migration';

// Experiments: a stored spec and the grid of runs it expanded into. Runs keep their own rows in
// `runs` (experiment_id points here); `experiment_runs` records which cell of the grid each run is,
// so results can be grouped by factors without re-expanding a spec that may have been edited since.
// `owner_pid` is the process whose scheduler is working the queue (one at a time).
export const m005Experiments: Migration = {
  version: 5,
  name: 'experiments and their grid cells',
  up(db) {
    db.exec(`
      CREATE TABLE experiments (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        spec TEXT NOT NULL,
        concurrency INTEGER NOT NULL CHECK (concurrency >= 1),
        owner_pid INTEGER,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        started_at TEXT,
        finished_at TEXT
      ) STRICT;

      CREATE TABLE experiment_runs (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        cell_key TEXT NOT NULL,
        group_key TEXT NOT NULL,
        label TEXT NOT NULL,
        factors TEXT NOT NULL,
        UNIQUE (experiment_id, position)
      ) STRICT;
      CREATE INDEX experiment_runs_group ON experiment_runs(experiment_id, group_key);
      CREATE INDEX runs_experiment ON runs(experiment_id);
    `);
  },
};
