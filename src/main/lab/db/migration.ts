import type Database from 'better-sqlite3';

/** One numbered schema step. Versions are 1, 2, 3... with no gaps; `up` runs inside a transaction. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
