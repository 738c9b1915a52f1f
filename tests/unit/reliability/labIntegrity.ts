// What every fuzz test checks at its end: the database passes SQLite's integrity and foreign-key
// checks, and no temporary or staging file (nor any path matching `extra`) is left in the data folder.
import fs from 'node:fs';
import { expect } from 'vitest';
import type { Lab } from '../../../src/main/lab/lab';

export function expectWholeLab(lab: Lab, dataDir: string, extra?: RegExp): void {
  const db = lab.context.db;
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  const leftovers = fs
    .readdirSync(dataDir, { recursive: true })
    .map(String)
    .filter((f) => /\.tmp$|\.tmp-|staging-/.test(f) || (extra?.test(f) ?? false));
  expect(leftovers).toEqual([]);
}
