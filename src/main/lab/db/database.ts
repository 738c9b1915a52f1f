// The one owner of the SQLite connection. Opens the file, refuses a database written by a newer
// PST Lab (without touching it), turns on WAL and foreign keys, and applies pending migrations in
// a single transaction so a failure leaves the previous schema intact.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors';
import type { Migration } from './migration';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** Path to a better_sqlite3.node built for this runtime (Electron needs its own ABI build). */
  nativeBinding?: string;
  migrations?: readonly Migration[];
}

export function readUserVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): Db {
  const migrations = opts.migrations ?? MIGRATIONS;
  checkMigrationList(migrations);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    // Read the version before any pragma that writes (journal_mode=WAL rewrites the header).
    const current = readUserVersion(db);
    const latest = migrations.length;
    if (current > latest) {
      throw new LabError(
        'SCHEMA_TOO_NEW',
        `${file} has schema version ${current}, but this PST Lab only knows up to ${latest}. ` +
          'It was written by a newer PST Lab; it was left untouched. Update PST Lab to open it.',
        { file, schemaVersion: current, latestSchemaVersion: latest },
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    applyMigrations(db, migrations, current);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration #${i} has version ${m.version}, expected ${i + 1}`);
  });
}

function applyMigrations(db: Db, migrations: readonly Migration[], current: number): void {
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;
  // One transaction for all pending steps: either the database reaches the latest version or it
  // stays exactly as it was.
  db.transaction(() => {
    for (const m of pending) {
      try {
        m.up(db);
      } catch (err) {
        throw new LabError('INTERNAL', `migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
      }
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}
