import type { Migration } from '../migration';

// Runs trained by remote workers through the queue (src/main/lab/queue): `remote` holds the queue
// (redacted URL, never credentials), the launch's job id, the content hash of the data sent, and
// the worker that trains it. NULL for runs trained by this machine's own run processes.
export const m007RunQueue: Migration = {
  version: 7,
  name: 'runs on a remote queue',
  up(db) {
    db.exec(`ALTER TABLE runs ADD COLUMN remote TEXT;`);
  },
};
