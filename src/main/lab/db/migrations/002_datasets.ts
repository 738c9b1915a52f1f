import type { Migration } from '../migration';

// Datasets with immutable versions.
// - `examples` rows are immutable example *revisions*: editing an example writes a new row
//   (prev_id links the lineage) so every committed version keeps pointing at exactly its data.
// - `dataset_versions` are committed snapshots (number >= 1, content hash) or the one open draft
//   per dataset (number NULL) where curation happens until it is committed.
// - `version_examples` says which revisions a version holds, with the per-version curation state
//   (split, excluded, tags) and the order.
// - `examples_fts` indexes question, answer and rationales of every revision for search.
export const m002Datasets: Migration = {
  version: 2,
  name: 'datasets, versions, examples, completions, full-text search',
  up(db) {
    db.exec(`
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL,
        source_detail TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      ) STRICT;

      CREATE TABLE dataset_versions (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        number INTEGER,
        parent_id INTEGER REFERENCES dataset_versions(id),
        content_hash TEXT,
        message TEXT NOT NULL DEFAULT '',
        changes TEXT NOT NULL DEFAULT '{}',
        stats TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        committed_at TEXT,
        CHECK ((number IS NULL) = (committed_at IS NULL)),
        CHECK ((number IS NULL) = (content_hash IS NULL)),
        UNIQUE (dataset_id, number)
      ) STRICT;
      -- at most one open draft per dataset
      CREATE UNIQUE INDEX dataset_versions_one_draft ON dataset_versions(dataset_id) WHERE number IS NULL;

      CREATE TABLE examples (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        external_id TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        answer_type TEXT NOT NULL CHECK (answer_type IN ('number','choice','yesno','text')),
        choices TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        question_norm TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        prev_id INTEGER REFERENCES examples(id)
      ) STRICT;
      CREATE INDEX examples_dataset ON examples(dataset_id, external_id);
      CREATE INDEX examples_prev ON examples(prev_id);

      CREATE TABLE completions (
        example_id INTEGER NOT NULL REFERENCES examples(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        rationale TEXT NOT NULL,
        teacher_answer TEXT,
        source TEXT NOT NULL,
        correct INTEGER CHECK (correct IN (0, 1)),
        injected TEXT,
        PRIMARY KEY (example_id, idx)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE version_examples (
        version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
        example_id INTEGER NOT NULL REFERENCES examples(id),
        position INTEGER NOT NULL,
        split TEXT CHECK (split IN ('train','val','test')),
        excluded INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1)),
        tags TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (version_id, example_id)
      ) STRICT, WITHOUT ROWID;
      CREATE UNIQUE INDEX version_examples_position ON version_examples(version_id, position);
      CREATE INDEX version_examples_example ON version_examples(example_id);

      CREATE VIRTUAL TABLE examples_fts USING fts5(question, answer, rationales, tokenize = 'unicode61 remove_diacritics 2');
    `);
  },
};
