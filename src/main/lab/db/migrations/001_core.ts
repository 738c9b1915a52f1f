import type { Migration } from '../migration';

// Settings as JSON values by key; a jobs table is not needed yet: each domain adds its own tables.
export const m001Core: Migration = {
  version: 1,
  name: 'core: settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      ) STRICT;
    `);
  },
};
