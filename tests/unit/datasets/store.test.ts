import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelName, ChannelResult } from '../../../src/shared/contract';
import { callOk } from '../../helpers/call';
import type { Lab } from '../../../src/main/lab/lab';
import { openTempLab } from '../../helpers/tempLab';

let lab: Lab;
let dataDir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ lab, dataDir, cleanup } = openTempLab());
});
afterEach(() => cleanup());

const ok = <C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> => callOk(lab, channel, input);

function writeJsonl(name: string, rows: unknown[]): string {
  const file = path.join(dataDir, name);
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

const ROWS = [
  { id: 'a', question: 'Tom has 3 apples and buys 2. How many?', answer: '5', rationale: '3 + 2 = 5.', teacher_answer: '5' },
  { id: 'b', question: 'Ann has 4 pens and loses 1. How many?', answer: '3', rationale: '4 - 1 = 2.', teacher_answer: '2' },
  { id: 'c', question: 'tom has 3 apples, and buys 2! How many?', answer: '5', rationale: 'Three plus two.', teacher_answer: '5' },
  { id: 'd', question: 'A box has 6 eggs. Two boxes?', answer: '12', rationale: '6 * 2 = 12.', teacher_answer: '12' },
];

describe('datasets: import, versions and curation', () => {
  it('imports a file as version 1 with teacher accuracy and a content hash', async () => {
    const report = await ok('datasets.import', { paths: [writeJsonl('small.jsonl', ROWS)], name: 'small' });
    expect(report.examples).toBe(4);
    expect(report.version.number).toBe(1);
    expect(report.version.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(report.version.stats).toMatchObject({ examples: 4, teacherJudged: 4, teacherCorrect: 3 });
    const list = await ok('datasets.list', {});
    expect(list.map((d) => d.name)).toEqual(['small']);
  });

  it('refuses a bad import whole, with located problems, leaving the database bytes unchanged', async () => {
    await ok('datasets.import', { paths: [writeJsonl('good.jsonl', ROWS)], name: 'good' });
    lab.db.pragma('wal_checkpoint(TRUNCATE)');
    const dbFile = path.join(dataDir, 'pst-lab.sqlite');
    const before = fs.readFileSync(dbFile);
    const walBefore = fs.existsSync(dbFile + '-wal') ? fs.readFileSync(dbFile + '-wal') : Buffer.alloc(0);
    const bad = path.join(dataDir, 'bad.jsonl');
    fs.writeFileSync(bad, `${JSON.stringify(ROWS[0])}\n{"id":"x","question":"q?"\n${JSON.stringify({ id: 'y', question: 'q', answer: 'seven', answer_type: 'number' })}\n`);
    const r = await lab.dispatch('datasets.import', { paths: [bad], name: 'bad' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('BAD_FILE');
    const problems = (r.error.details as { problems: { file: string; line: number; reason: string }[] }).problems;
    expect(problems.map((p) => p.line)).toEqual([2, 3]);
    expect(problems.every((p) => p.file.endsWith('bad.jsonl'))).toBe(true);
    expect(fs.readFileSync(dbFile).equals(before)).toBe(true);
    const walAfter = fs.existsSync(dbFile + '-wal') ? fs.readFileSync(dbFile + '-wal') : Buffer.alloc(0);
    expect(walAfter.equals(walBefore)).toBe(true);
    expect((await ok('datasets.list', {})).map((d) => d.name)).toEqual(['good']);

    const skipped = await ok('datasets.import', { paths: [bad], name: 'partial', skipInvalid: true });
    expect(skipped.examples).toBe(1);
    expect(skipped.skipped.map((s) => s.line)).toEqual([2, 3]);
  });

  it('refusals name the file and line and quote at most 1000 characters of it (found by the import fuzz)', async () => {
    // every record invalid with skipInvalid: the refusal still names where
    const bad = path.join(dataDir, 'all-bad.jsonl');
    fs.writeFileSync(bad, '{"id": "a", "question": \n{"id": "b"\n');
    const none = await lab.dispatch('datasets.import', { paths: [bad], skipInvalid: true });
    expect(none).toMatchObject({ ok: false, error: { code: 'BAD_FILE' } });
    if (!none.ok) expect(none.error.message).toMatch(new RegExp(`^no valid examples found; nothing was imported; first problem: .*all-bad\\.jsonl:1: malformed JSON`));
    // a problem whose reason quotes a 20 KB value of the file
    const long = writeJsonl('long.jsonl', [{ id: 'a', question: 'q?', answer: 'x'.repeat(20_000), answer_type: 'number' }]);
    const r = await lab.dispatch('datasets.import', { paths: [long] });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_FILE' } });
    if (!r.ok) {
      expect(r.error.message).toMatch(new RegExp(`first: .*long\\.jsonl:1 \\(answer\\): answer "x+… \\(\\d+ characters\\)`));
      expect(r.error.message.length).toBeLessThan(1500);
    }
    expect(await ok('datasets.list', {})).toEqual([]);
  });

  it('edits an example in a draft; committing makes version 2 and version 1 keeps the old text', async () => {
    const { datasetId } = await ok('datasets.import', { paths: [writeJsonl('e.jsonl', ROWS)], name: 'e' });
    const page = await ok('datasets.examples', { dataset: datasetId, search: 'pens' });
    expect(page.total).toBe(1);
    const b = page.rows[0]!;
    expect(b.externalId).toBe('b');
    const edited = await ok('datasets.editExample', {
      dataset: datasetId,
      example: b.id,
      completions: [{ index: 0, rationale: '4 - 1 = 3.', teacherAnswer: '3' }],
    });
    expect(edited.id).not.toBe(b.id);
    expect(edited.completions[0]).toMatchObject({ rationale: '4 - 1 = 3.', correct: true });
    expect(edited.history).toEqual([b.id]);
    const d = await ok('datasets.get', { dataset: datasetId });
    expect(d.hasDraft).toBe(true);
    expect(d.headVersion?.number).toBeNull();
    expect(d.headVersion?.changes).toMatchObject({ edited: 1, added: 0 });
    const v2 = await ok('datasets.commit', { dataset: datasetId, message: 'fix rationale of b' });
    expect(v2.number).toBe(2);
    expect(v2.changes).toMatchObject({ edited: 1, added: 0, removed: 0 });
    expect(v2.stats.teacherCorrect).toBe(4);
    const old = await ok('datasets.example', { dataset: datasetId, version: 1, example: b.id });
    expect(old.completions[0]!.rationale).toBe('4 - 1 = 2.');
    expect(await lab.dispatch('datasets.commit', { dataset: datasetId, message: 'again' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    // An edit and its reverse net to no change: the draft says so (nothing to commit).
    const b2 = (await ok('datasets.examples', { dataset: datasetId, search: 'pens' })).rows[0]!;
    const there = await ok('datasets.editExample', { dataset: datasetId, example: b2.id, completions: [{ index: 0, rationale: '4 - 1 = 9.' }] });
    expect((await ok('datasets.get', { dataset: datasetId })).headVersion).toMatchObject({ number: null, unchanged: false });
    await ok('datasets.editExample', { dataset: datasetId, example: there.id, completions: [{ index: 0, rationale: '4 - 1 = 3.' }] });
    const back = (await ok('datasets.get', { dataset: datasetId })).headVersion!;
    expect(back).toMatchObject({ number: null, unchanged: true, parentNumber: 2 });
    expect(v2.unchanged).toBe(false);
  });

  it('refuses an edit that makes the answer invalid for its type', async () => {
    const { datasetId } = await ok('datasets.import', { paths: [writeJsonl('t.jsonl', ROWS)], name: 't' });
    const row = (await ok('datasets.examples', { dataset: datasetId })).rows[0]!;
    const r = await lab.dispatch('datasets.editExample', { dataset: datasetId, example: row.id, answer: 'five' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { field: 'answer' } } });
  });

  it('finds exact and normalised duplicates and resolves them by keeping the first', async () => {
    // a and its copy a2 sit in train and test: leakage the Duplicates tab shows.
    const rows = [...ROWS.map((r) => ({ ...r, split: r.id === 'c' ? 'val' : 'train' })), { ...ROWS[0], id: 'a2', split: 'test' }];
    const { datasetId } = await ok('datasets.import', { paths: [writeJsonl('d.jsonl', rows)], name: 'd' });
    const groups = await ok('datasets.duplicates', { dataset: datasetId });
    const kinds = groups.map((g) => [g.kind, g.exampleIds.length]);
    expect(kinds).toContainEqual(['exact', 2]);
    expect(kinds).toContainEqual(['normalised', 3]);
    expect(groups.find((g) => g.kind === 'exact')).toMatchObject({ splits: ['train', 'test'], crossSplit: true });
    expect(groups.find((g) => g.kind === 'normalised')).toMatchObject({ splits: ['train', 'val', 'test'], crossSplit: true });
    const res = await ok('datasets.resolveDuplicates', { dataset: datasetId, kind: 'all' });
    expect(res.excluded).toBe(2);
    expect(await ok('datasets.duplicates', { dataset: datasetId })).toEqual([]);
    const v = await ok('datasets.commit', { dataset: datasetId, message: 'dedupe' });
    expect(v.stats.excluded).toBe(2);
    expect(v.changes.excludedChanged).toBe(2);
    expect((await ok('datasets.tags', { dataset: datasetId })).find((t) => t.tag === 'duplicate')?.count).toBe(2);
  });

  it('splits reproducibly by seed, stratified by answer, and keeps predefined splits when asked', async () => {
    const gen = await ok('datasets.generate', { task: 'coin_flip', n: 400, seed: 5 });
    expect(gen.version.stats.splits).toEqual({ train: 320, val: 40, test: 40, none: 0 });
    const a = await ok('datasets.split', { dataset: gen.datasetId, train: 0.5, val: 0.25, test: 0.25, seed: 11 });
    expect(a.stratified).toBe(true);
    expect(a.assigned).toEqual({ train: 200, val: 100, test: 100 });
    const va = await ok('datasets.commit', { dataset: gen.datasetId, message: 'split a' });
    await ok('datasets.split', { dataset: gen.datasetId, train: 0.8, val: 0.1, test: 0.1, seed: 1 });
    await ok('datasets.split', { dataset: gen.datasetId, train: 0.5, val: 0.25, test: 0.25, seed: 11 });
    await ok('datasets.discardDraft', { dataset: gen.datasetId });
    await ok('datasets.split', { dataset: gen.datasetId, train: 0.5, val: 0.25, test: 0.25, seed: 11 });
    // same seed, same ratios, same data -> same assignment -> nothing to commit
    expect(await lab.dispatch('datasets.commit', { dataset: gen.datasetId, message: 'same' })).toMatchObject({ ok: false });
    const yes = await ok('datasets.examples', { dataset: gen.datasetId, version: va.number!, split: 'test', limit: 1000 });
    const yesShare = yes.rows.filter((r) => r.answer === 'yes').length / yes.rows.length;
    const all = await ok('datasets.examples', { dataset: gen.datasetId, version: va.number!, limit: 1000 });
    const allShare = all.rows.filter((r) => r.answer === 'yes').length / all.rows.length;
    expect(Math.abs(yesShare - allShare)).toBeLessThan(0.02);
    const keep = await ok('datasets.split', { dataset: gen.datasetId, train: 1, val: 0, test: 0, seed: 3, scope: 'unassigned' });
    expect(keep.assigned).toEqual({ train: 0, val: 0, test: 0 });
  });

  it('refuses a split that leaves the test set empty, unless asked, and keeps the draft as it was', async () => {
    const gen = await ok('datasets.generate', { task: 'coin_flip', n: 6, seed: 5 });
    const before = (await ok('datasets.get', { dataset: gen.datasetId })).headVersion!.stats.splits;
    // 6 examples at a 5% test share: largest remainder gives the test split 0 examples.
    const r = await lab.dispatch('datasets.split', { dataset: gen.datasetId, train: 0.9, val: 0.05, test: 0.05, seed: 1, stratify: false });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!r.ok) expect(r.error.message).toBe('this split leaves the test set empty (6 examples split, test share 5%): raise the test share, or allow an empty test set explicitly if you evaluate on other data');
    expect((await ok('datasets.get', { dataset: gen.datasetId })).headVersion!.stats.splits).toEqual(before);
    const allowed = await ok('datasets.split', { dataset: gen.datasetId, train: 1, val: 0, test: 0, seed: 1, allowEmptyTest: true });
    expect(allowed.assigned).toEqual({ train: 6, val: 0, test: 0 });
  });

  it('a compositional dataset stores its pattern report: no test item memorisable (docs/methods.md)', async () => {
    const gen = await ok('datasets.generate', { task: 'coin_flip', n: 200, seed: 2, split: 'compositional' });
    expect(gen.patterns).toMatchObject({ split: 'compositional', possible: { trainVal: 28, test: 96 }, testSeenInTraining: 0 });
    expect((await ok('datasets.get', { dataset: gen.datasetId })).patterns).toEqual(gen.patterns);
    const bad = await lab.dispatch('datasets.generate', { task: 'coin_flip', n: 20, split: 'compositional', maxSize: 6 });
    expect(bad).toMatchObject({ ok: false });
  });

  it('gives equal content hashes to equal data and different ones to different seeds', async () => {
    const a = await ok('datasets.generate', { task: 'last_letters', n: 50, seed: 1, name: 'a' });
    const b = await ok('datasets.generate', { task: 'last_letters', n: 50, seed: 1, name: 'b' });
    const c = await ok('datasets.generate', { task: 'last_letters', n: 50, seed: 2, name: 'c' });
    expect(a.version.contentHash).toBe(b.version.contentHash);
    expect(a.version.contentHash).not.toBe(c.version.contentHash);
  });

  it('filters by split, teacher correctness, tag, hallucination and length, and sorts', async () => {
    const gen = await ok('datasets.generate', { task: 'arithmetic', n: 300, seed: 2, hallucinationRate: 0.5, keepAnswerCorrect: false });
    const d = gen.datasetId;
    const total = (await ok('datasets.examples', { dataset: d })).total;
    const wrong = (await ok('datasets.examples', { dataset: d, teacherCorrect: false })).total;
    const right = (await ok('datasets.examples', { dataset: d, teacherCorrect: true })).total;
    expect(wrong + right).toBe(total);
    expect(wrong).toBeGreaterThan(0);
    const hall = (await ok('datasets.examples', { dataset: d, hallucinated: true })).total;
    expect(hall).toBe(gen.hallucinated);
    const ids = await ok('datasets.matchingIds', { dataset: d, hallucinated: true });
    expect(ids).toHaveLength(hall);
    const page = await ok('datasets.examples', { dataset: d, hallucinated: true, limit: 1000 });
    expect(ids).toEqual(page.rows.map((r) => r.id));
    const byLen = await ok('datasets.examples', { dataset: d, sort: 'length', desc: true, limit: 5 });
    const lens = byLen.rows.map((r) => r.length);
    expect([...lens].sort((x, y) => y - x)).toEqual(lens);
    const short = await ok('datasets.examples', { dataset: d, maxLength: lens[4]! - 1, limit: 1000 });
    expect(short.rows.every((r) => r.length < lens[4]!)).toBe(true);
    const test = await ok('datasets.examples', { dataset: d, split: 'test' });
    expect(test.total).toBe(30);
  });

  it('exports generic JSONL and Fine-tune-CoT files that import back', async () => {
    const gen = await ok('datasets.generate', { task: 'shuffled_objects', n: 40, seed: 9 });
    const out = path.join(dataDir, 'out', 'so.jsonl');
    const exp = await ok('datasets.export', { dataset: gen.datasetId, out });
    expect(exp.examples).toBe(40);
    const back = await ok('datasets.import', { paths: [out], name: 'back' });
    expect(back.version.stats.splits).toEqual(gen.version.stats.splits);
    expect(back.version.stats.answerTypes).toEqual({ choice: 40 });
    const ftc = await ok('datasets.export', { dataset: gen.datasetId, out: path.join(dataDir, 'out', 'so.json'), layout: 'finetune-cot' });
    expect(ftc.files).toHaveLength(3);
    const again = await ok('datasets.import', { paths: ftc.files, name: 'ftc' });
    expect(again.format).toBe('finetune-cot');
    expect(again.examples).toBe(40);
    expect(again.version.stats.teacherCorrect).toBe(gen.version.stats.teacherCorrect);
  });

  it('deletes a dataset with all its versions and search entries', async () => {
    const gen = await ok('datasets.generate', { task: 'coin_flip', n: 20, seed: 1 });
    await ok('datasets.delete', { dataset: gen.datasetId });
    expect(await ok('datasets.list', {})).toEqual([]);
    expect((lab.db.prepare('SELECT COUNT(*) AS n FROM examples_fts').get() as { n: number }).n).toBe(0);
    expect((lab.db.prepare('SELECT COUNT(*) AS n FROM examples').get() as { n: number }).n).toBe(0);
  });
});
