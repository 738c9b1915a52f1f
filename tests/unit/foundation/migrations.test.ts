import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, readUserVersion } from '../../../src/main/lab/db/database';
import type { Migration } from '../../../src/main/lab/db/migration';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src/main/lab/db/migrations';
import { LabError } from '../../../src/main/lab/errors';
import { tempDirsPerTest } from '../../helpers/tempLab';

const tmp = tempDirsPerTest();
const dbFile = (): string => path.join(tmp(), 'lab.sqlite');

describe('migrations', () => {
  it('brings a fresh database to the latest version with WAL and foreign keys on', () => {
    const db = openDatabase(dbFile());
    expect(readUserVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('is idempotent: reopening runs nothing again', () => {
    const file = dbFile();
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(readUserVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('refuses a database from a newer version and leaves its bytes unchanged', () => {
    const file = dbFile();
    const raw = new Database(file);
    raw.exec('CREATE TABLE precious (x TEXT); INSERT INTO precious VALUES (\'keep me\');');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    const before = fs.readFileSync(file);
    let caught: unknown;
    try {
      openDatabase(file);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LabError);
    expect((caught as LabError).code).toBe('SCHEMA_TOO_NEW');
    expect((caught as LabError).message).toMatch(/newer PST Lab/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(file + '-wal')).toBe(false);
  });

  it('applies pending steps in one transaction: a failing step leaves the old schema intact', () => {
    const file = dbFile();
    const first: Migration = { version: 1, name: 'one', up: (db) => db.exec('CREATE TABLE a (x INTEGER)') };
    openDatabase(file, { migrations: [first] }).close();
    const good: Migration = { version: 2, name: 'two', up: (db) => db.exec('CREATE TABLE b (x INTEGER)') };
    const bad: Migration = { version: 3, name: 'three', up: (db) => db.exec('CREATE TABLE broken (') };
    expect(() => openDatabase(file, { migrations: [first, good, bad] })).toThrow(/migration 3 \(three\) failed/);
    const db = new Database(file);
    expect(readUserVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
    db.close();
  });

  it('rejects a migration list with gaps', () => {
    const m: Migration = { version: 2, name: 'gap', up: () => undefined };
    expect(() => openDatabase(dbFile(), { migrations: [m] })).toThrow(/expected 1/);
  });
});
