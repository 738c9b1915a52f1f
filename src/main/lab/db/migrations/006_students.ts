import type { Migration } from '../migration';

// Pretrained students registered from local Hugging Face folders. The folder stays where the user
// keeps it; the row records what was validated there (architecture, sizes, tokenizer) and the
// size and SHA-256 of every file, so a moved or changed folder is detected before it is used.
export const m006Students: Migration = {
  version: 6,
  name: 'registered pretrained students',
  up(db) {
    db.exec(`
      CREATE TABLE students (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        dir TEXT NOT NULL,
        family TEXT NOT NULL,
        architecture TEXT NOT NULL,
        model_type TEXT NOT NULL,
        parameter_count INTEGER NOT NULL,
        vocab_size INTEGER NOT NULL,
        context INTEGER NOT NULL,
        hidden INTEGER NOT NULL,
        layers INTEGER NOT NULL,
        heads INTEGER NOT NULL,
        tied_embeddings INTEGER NOT NULL,
        tokenizer TEXT NOT NULL,
        tokenizer_size INTEGER NOT NULL,
        dtypes TEXT NOT NULL,
        files TEXT NOT NULL,
        config TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      ) STRICT;
    `);
  },
};
