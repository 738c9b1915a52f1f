// The runs table has one writer, src/main/lab/runs/store.ts: status changes are named transitions
// that refuse moves from a state they do not start from (nothing written), and no other file in
// src writes the table.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/main/lab/db/database';
import {
  cancelQueuedRun,
  deleteRun,
  getRunRow,
  insertQueuedRun,
  markFailed,
  markFinished,
  markInterrupted,
  markPaused,
  markRunning,
  requeueRuns,
} from '../../../src/main/lab/runs/store';
import { tempDir } from '../../helpers/tempLab';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = tempDir('runs-transitions');
  db = openDatabase(path.join(dir, 'lab.db'));
  db.prepare(`INSERT INTO datasets (id, name, source) VALUES (1, 'd', 'test')`).run();
  db.prepare(
    `INSERT INTO dataset_versions (id, dataset_id, number, content_hash, committed_at) VALUES (1, 1, 1, 'h', 'now')`,
  ).run();
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const newRun = (): number =>
  insertQueuedRun(db, {
    name: 'r',
    datasetId: 1,
    versionId: 1,
    method: 'answer-only',
    preset: 'tiny',
    seed: 1,
    spec: { dataset: 1, method: 'answer-only' } as never,
    steps: 10,
    dataStats: {},
    experimentId: null,
  });
const status = (id: number): string => getRunRow(db, id).status;
const start = (id: number): void => markRunning(db, id, { ownerPid: 123, checkpointDir: '/tmp/x', remote: false });

describe('run state transitions', () => {
  it('follows the allowed path: queued -> running -> paused -> running -> completed', () => {
    const id = newRun();
    expect(status(id)).toBe('queued');
    start(id);
    expect(getRunRow(db, id)).toMatchObject({ status: 'running', owner_pid: 123, checkpoint_dir: '/tmp/x' });
    markPaused(db, id, true);
    expect(status(id)).toBe('paused');
    markPaused(db, id, false);
    expect(status(id)).toBe('running');
    markFinished(db, id, { status: 'completed', testAccuracy: 0.5, final: { steps: 10 } });
    expect(getRunRow(db, id)).toMatchObject({ status: 'completed', owner_pid: null, test_accuracy: 0.5 });
  });

  it('refuses illegal moves with CONFLICT and writes nothing', () => {
    const id = newRun();
    expect(() => markPaused(db, id, true)).toThrow(/run \d+ is queued; it cannot become paused \(only from running\)/);
    expect(() => markFinished(db, id, { status: 'completed', testAccuracy: 1, final: {} })).toThrow(
      /is queued; it cannot become completed/,
    );
    expect(getRunRow(db, id)).toMatchObject({ status: 'queued', test_accuracy: null, final: null });
    start(id);
    expect(() => start(id)).toThrow(/is running; it cannot become running/);
    expect(() => cancelQueuedRun(db, id)).toThrow(/is running; it cannot become cancelled/);
    markFinished(db, id, { status: 'completed', testAccuracy: 1, final: {} });
    expect(() => markInterrupted(db, id, 'gone')).toThrow(/is completed; it cannot become interrupted/);
    expect(markInterrupted(db, id, 'gone', { ifActive: true })).toBe(false);
    expect(() => markFailed(db, id, 'x')).toThrow(/is completed; it cannot become failed/);
    expect(() => start(id)).toThrow(/is completed; it cannot become running/);
    expect(() => requeueRuns(db, [id])).toThrow(/is completed; it cannot become queued/);
    expect(getRunRow(db, id)).toMatchObject({ status: 'completed', error: null });
  });

  it('requeues several runs in one transaction: one illegal run leaves all as they were', () => {
    const failed = newRun();
    markFailed(db, failed, 'boom');
    const interrupted = newRun();
    start(interrupted);
    db.prepare('UPDATE runs SET checkpoint_step = 5 WHERE id = ?').run(interrupted);
    markInterrupted(db, interrupted, 'gone');
    const queued = newRun();
    expect(() => requeueRuns(db, [failed, interrupted, queued])).toThrow(/is queued; it cannot become queued/);
    expect([status(failed), status(interrupted)]).toEqual(['failed', 'interrupted']);
    requeueRuns(db, [failed, interrupted]);
    expect(getRunRow(db, failed)).toMatchObject({ status: 'queued', error: null });
    // An interrupted run keeps its checkpoint; a failed one would start over.
    expect(getRunRow(db, interrupted)).toMatchObject({ status: 'queued', checkpoint_step: 5 });
  });

  it('refuses to delete an active run', () => {
    const id = newRun();
    expect(() => deleteRun(db, id)).toThrow(/is queued; cancel it first/);
    cancelQueuedRun(db, id);
    deleteRun(db, id);
    expect(() => getRunRow(db, id)).toThrow(/does not exist/);
  });
});

describe('the runs table has one writer', () => {
  it('no file in src but runs/store.ts updates, inserts into or deletes from runs', () => {
    const root = path.join(__dirname, '../../../src');
    const store = path.join(root, 'main/lab/runs/store.ts');
    const write = /\b(UPDATE|INSERT\s+(OR\s+\w+\s+)?INTO|REPLACE\s+INTO|DELETE\s+FROM)\s+runs\b/i;
    const offenders: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|svelte)$/.test(e.name) && p !== store) {
          fs.readFileSync(p, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (write.test(line)) offenders.push(`${path.relative(root, p)}:${i + 1}: ${line.trim()}`);
            });
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
    // The pattern does catch a write (the test can fail).
    expect(write.test(fs.readFileSync(store, 'utf8'))).toBe(true);
  });
});
