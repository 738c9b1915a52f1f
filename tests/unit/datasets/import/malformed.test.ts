// Every kind of bad input gives located problems (file, line, field, reason), never a crash,
// and never a partial result unless skipInvalid is set.
import { describe, expect, it } from 'vitest';
import { parseImport, ImportError } from '../../../../src/main/lab/datasets/import';
import { fixtureDir, jsonl } from './fixtures';

const row = (id: string, answer: unknown = '3'): Record<string, unknown> => ({ id, question: `q${id}?`, answer });

describe('malformed input', () => {
  it('malformed JSONL line: located, all-or-nothing, and skippable', async () => {
    const fx = fixtureDir();
    const f = fx.write('d.jsonl', JSON.stringify(row('a')) + '\n{"id": "b", "question": \n' + JSON.stringify(row('c')) + '\n');
    const r = await parseImport([f]);
    expect(r.ok).toBe(false);
    expect(r.examples).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: f, line: 2 });
    expect(r.problems[0]!.reason).toMatch(/^malformed JSON/);
    const s = await parseImport([f], { skipInvalid: true });
    expect(s.ok).toBe(true);
    expect(s.examples.map((e) => e.externalId)).toEqual(['a', 'c']);
    expect(s.skipped).toEqual([{ file: f, line: 2 }]);
  });

  it('truncated JSONL and truncated JSON documents', async () => {
    const fx = fixtureDir();
    const f = fx.write('t.jsonl', JSON.stringify(row('a')) + '\n{"id": "b", "quest');
    const r = await parseImport([f]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ line: 2 });
    expect(r.problems[0]!.reason).toMatch(/truncated/);
    const j = fx.write('t.json', '[\n  {"id": "a", "question": "q", "answer": "1"},\n  {"id": "b", "question": "q');
    const rj = await parseImport([j]);
    expect(rj.ok).toBe(false);
    expect(rj.problems).toEqual([{ file: j, line: 3, reason: expect.stringMatching(/malformed JSON at column \d+: unterminated string/) }]);
    // A whole-file problem is never skipped away: that would be a half import.
    const rjs = await parseImport([j], { skipInvalid: true });
    expect(rjs.ok).toBe(false);
    expect(rjs.examples).toEqual([]);
    const ft = fx.write('ft.json', '{"metadata": {"dataset_key": "gsm8k"},\n "data": [\n  {"sample_index": 0, "question": "q", "answer": "1"},\n');
    const rf = await parseImport([ft], { format: 'finetune-cot' });
    expect(rf.problems).toEqual([{ file: ft, line: 4, reason: expect.stringMatching(/unexpected end of file.*truncated/) }]);
  });

  it('empty files in every format', async () => {
    const fx = fixtureDir();
    for (const [name, format] of [['e.jsonl', 'jsonl'], ['e.json', 'json'], ['e.csv', 'csv'], ['e.log', 'zero-shot-cot-log'], ['e2.json', 'finetune-cot']] as const) {
      const f = fx.write(name, name === 'e.jsonl' ? '\n\n' : '');
      const r = await parseImport([f], { format });
      expect(r.ok, name).toBe(false);
      expect(r.problems, name).toEqual([{ file: f, line: 1, reason: expect.stringMatching(/empty/) }]);
    }
  });

  it('wrongly typed and missing fields name the field', async () => {
    const fx = fixtureDir();
    const f = fx.write('w.jsonl', jsonl([{ id: 'a', question: 42, answer: '1' }, { id: 'b', answer: '1' }, { id: 'c', question: 'q', answer: { x: 1 } }, [1, 2]]));
    const r = await parseImport([f], { mapping: { question: 'question', answer: 'answer', id: 'id' } });
    expect(r.problems).toEqual([
      { file: f, line: 1, field: 'question', reason: 'expected a string, got number' },
      { file: f, line: 2, field: 'question', reason: 'missing required field' },
      { file: f, line: 3, field: 'answer', reason: 'expected a string, number or boolean, got object' },
      { file: f, line: 4, reason: 'record must be a JSON object, got array' },
    ]);
  });

  it('accepts BOM and CRLF in JSONL', async () => {
    const fx = fixtureDir();
    const f = fx.write('b.jsonl', '\uFEFF' + [row('a'), row('b')].map((r) => JSON.stringify(r)).join('\r\n') + '\r\n');
    const r = await parseImport([f]);
    expect(r.problems).toEqual([]);
    expect(r.examples.map((e) => [e.externalId, e.question, e.answer])).toEqual([
      ['a', 'qa?', '3'],
      ['b', 'qb?', '3'],
    ]);
  });

  it('invalid UTF-8 is located in JSONL, CSV, JSON and logs', async () => {
    const fx = fixtureDir();
    const bad = Buffer.from([0x22, 0x71, 0xc3, 0x28, 0x22]); // "q\xC3(" : broken 2-byte sequence
    const lineWith = (s: string): Buffer => Buffer.concat([Buffer.from(s.split('@')[0]!), bad, Buffer.from(s.split('@')[1]!)]);
    const f = fx.write('u.jsonl', Buffer.concat([Buffer.from(JSON.stringify(row('a')) + '\n'), lineWith('{"id":"b","question":@,"answer":"1"}\n')]));
    const r = await parseImport([f]);
    expect(r.problems).toEqual([{ file: f, line: 2, reason: 'invalid UTF-8 at byte column 24' }]);
    const c = fx.write('u.csv', Buffer.concat([Buffer.from('id,question,answer\na,q,1\n'), lineWith('b,@,2\n')]));
    const rc = await parseImport([c]);
    expect(rc.problems).toEqual([{ file: c, line: 3, reason: 'invalid UTF-8 at byte column 5' }]);
    const j = fx.write('u.json', Buffer.concat([Buffer.from('[\n'), lineWith('{"question":@,"answer":"1"}\n'), Buffer.from(']')]));
    const rj = await parseImport([j]);
    expect(rj.problems).toEqual([{ file: j, line: 2, reason: 'invalid UTF-8 at byte column 15' }]);
    const log = fx.write(
      'l.log',
      Buffer.concat([Buffer.from('*****\n1st data\n'), lineWith('Q: @\n'), Buffer.from("A: Let's think step by step. x\nGT : 1\n*****\naccuracy : 0\n")]),
    );
    const rl = await parseImport([log]);
    expect(rl.problems).toEqual([{ file: log, line: 3, reason: 'invalid UTF-8 at byte column 6 (in the block starting at line 2)' }]);
    expect(rl.skipped).toEqual([]);
    expect((await parseImport([log], { skipInvalid: true })).skipped).toEqual([{ file: log, line: 2 }]);
  });

  it('duplicate ids name the first occurrence', async () => {
    const fx = fixtureDir();
    const f = fx.write('d.jsonl', jsonl([row('a'), row('b'), row('a')]));
    const r = await parseImport([f]);
    expect(r.problems).toEqual([{ file: f, line: 3, field: 'id', reason: `duplicate id "a" (first occurrence at ${f}:1)` }]);
  });

  it('oversized records are refused against a configurable limit', async () => {
    const fx = fixtureDir();
    const big = { ...row('b'), rationale: 'x'.repeat(5000) };
    const f = fx.write('o.jsonl', jsonl([row('a'), big, row('c')]));
    const r = await parseImport([f], { maxRecordBytes: 1000 });
    expect(r.problems).toEqual([{ file: f, line: 2, reason: expect.stringMatching(/^record is 50\d\d bytes, over the limit of 1000 bytes/) }]);
    const ok = await parseImport([f]);
    expect(ok.problems).toEqual([]);
    const j = fx.write('o.json', JSON.stringify([row('a'), big], null, 2));
    const rj = await parseImport([j], { maxRecordBytes: 1000 });
    expect(rj.problems).toEqual([{ file: j, line: 7, reason: expect.stringMatching(/over the limit/) }]);
  });

  it('unknown answer types and answers that do not normalise', async () => {
    const fx = fixtureDir();
    const f = fx.write(
      'a.jsonl',
      jsonl([
        { ...row('a'), answer_type: 'number' },
        { ...row('b'), answer_type: 'fraction' },
        { ...row('c', 'twelve'), answer_type: 'number' },
        { ...row('d', 'F'), answer_type: 'choice', choices: ['x', 'y'] },
      ]),
    );
    const r = await parseImport([f]);
    expect(r.problems).toEqual([
      { file: f, line: 2, field: 'answer_type', reason: 'unknown answer type "fraction" (expected number, choice, yesno or text)' },
      { file: f, line: 3, field: 'answer', reason: 'answer "twelve" is not a valid number answer' },
      { file: f, line: 4, field: 'answer', reason: 'answer "F" is not a valid choice answer (options A-B)' },
    ]);
    const ft = fx.write('ft.json', JSON.stringify({ metadata: { dataset_key: 'gsm8k' }, data: [{ sample_index: 0, question: 'q', answer: 'many' }] }));
    const rf = await parseImport([ft]);
    expect(rf.problems).toEqual([{ file: ft, line: 1, field: 'answer', reason: 'answer "many" is not a valid number answer for dataset_key "gsm8k"' }]);
  });

  it('CSV: unclosed quote, wrong column count', async () => {
    const fx = fixtureDir();
    const c = fx.write('q.csv', 'question,answer\nq1,1\nq2,2,extra\n"q3,3\n');
    const r = await parseImport([c]);
    expect(r.problems).toEqual([
      { file: c, line: 3, reason: 'row has 3 columns, the header has 2' },
      { file: c, line: 4, reason: 'unclosed quote: the record starting here never ends (file truncated?)' },
    ]);
  });

  it('truncated Zero-shot-CoT log block and a log line with bad bytes', async () => {
    const fx = fixtureDir();
    const f = fx.write('gsm8k_zero_shot_cot.log', ['*****', '1st data', 'Q: q?', "A: Let's think step by step. 1+1=2", 'Therefore, the answer (arabic numerals) is 2.', 'pred_before : 2.', 'pred_after : 2', 'GT : 2', '*****', '*****', '2st data', 'Q: q2?', "A: Let's think step by step."].join('\n'));
    const r = await parseImport([f]);
    expect(r.problems).toEqual([{ file: f, line: 11, field: 'GT', reason: 'block ends before its "GT :" line (file truncated?)' }]);
    const s = await parseImport([f], { skipInvalid: true });
    expect(s.examples).toHaveLength(1);
    expect(s.warnings[0]!.reason).toMatch(/accuracy/);
  });

  it('fatal problems throw ImportError carrying the file', async () => {
    const fx = fixtureDir();
    await expect(parseImport([`${fx.dir}/missing.jsonl`])).rejects.toBeInstanceOf(ImportError);
    const weird = fx.write('weird.bin', 'just some words');
    await expect(parseImport([weird])).rejects.toMatchObject({ file: weird });
    const f = fx.write('x.jsonl', jsonl([row('a')]));
    await expect(parseImport([f], { format: 'yaml' as never })).rejects.toThrow(/unknown format/);
  });
});
