import { describe, expect, it } from 'vitest';
import { parseImport, detectFormat } from '../../../../src/main/lab/datasets/import';
import { fixtureDir, jsonl } from './fixtures';

describe('generic JSONL / JSON / CSV import', () => {
  it('auto-maps JSONL columns and computes teacher correctness', async () => {
    const fx = fixtureDir();
    const f = fx.write(
      'data.jsonl',
      jsonl([
        { id: 'a', question: 'Is water wet?', answer: 'Yes', rationale: 'Water wets things.', teacher_answer: 'yes', split: 'train', extra: 1 },
        { id: 'b', question: 'Is fire cold?', answer: false, rationale: 'Fire is hot.', teacher_answer: 'yes', split: 'valid' },
      ]),
    );
    const d = await detectFormat([f]);
    expect(d).toMatchObject({ format: 'jsonl', suggestedMapping: { question: 'question', answer: 'answer', rationale: 'rationale', teacher_answer: 'teacher_answer', id: 'id', split: 'split' } });
    const r = await parseImport([f]);
    expect(r.problems).toEqual([]);
    expect(r.examples.map((e) => [e.externalId, e.answerType, e.answer, e.split, e.completions[0]!.correct])).toEqual([
      ['a', 'yesno', 'yes', 'train', true],
      ['b', 'yesno', 'no', 'val', false],
    ]);
    expect(r.examples[0]!.metadata).toEqual({ extra: 1 });
  });

  it('imports a JSON array with choices and an edited mapping', async () => {
    const fx = fixtureDir();
    const f = fx.write(
      'data.json',
      JSON.stringify([{ prompt: 'Color of sky?', gold_letter: 'blue', opts: ['red', 'blue'], why: 'Rayleigh.', said: '(B)' }], null, 2),
    );
    const r = await parseImport([f], { mapping: { question: 'prompt', answer: 'gold_letter', choices: 'opts', rationale: 'why', teacher_answer: 'said' } });
    expect(r.problems).toEqual([]);
    expect(r.examples[0]).toMatchObject({ externalId: '2', answerType: 'choice', answer: 'B', choices: ['red', 'blue'] });
    expect(r.examples[0]!.completions[0]).toMatchObject({ teacherAnswer: '(B)', correct: true });
  });

  it('imports CSV with quoted multi-line fields, BOM and CRLF, and progress reports', async () => {
    const fx = fixtureDir();
    const csv = '\uFEFFid,question,answer,rationale,teacher_answer,answer_type\r\n' + '1,"How many, in total?",12,"6 + 6 = 12.\r\nSo 12.",12,number\r\n' + '2,Say the letters,ab,Last letters.,AB,text\r\n';
    const f = fx.write('data.csv', csv);
    const d = await detectFormat([f]);
    expect(d.format).toBe('csv');
    expect(d.columns).toEqual(['id', 'question', 'answer', 'rationale', 'teacher_answer', 'answer_type']);
    const seen: number[] = [];
    const r = await parseImport([f], { onProgress: (p) => seen.push(p.bytesRead / p.totalBytes) });
    expect(r.problems).toEqual([]);
    expect(r.examples.map((e) => [e.externalId, e.question, e.answerType, e.answer, e.completions[0]!.rationale, e.completions[0]!.correct])).toEqual([
      ['1', 'How many, in total?', 'number', '12', '6 + 6 = 12.\nSo 12.', true],
      ['2', 'Say the letters', 'text', 'ab', 'Last letters.', true],
    ]);
    expect(seen[seen.length - 1]).toBe(1);
  });

  it('refuses an import without a question/answer mapping with a typed error', async () => {
    const fx = fixtureDir();
    const f = fx.write('x.jsonl', jsonl([{ foo: 1, bar: 2 }]));
    await expect(parseImport([f])).rejects.toMatchObject({ name: 'ImportError', file: f });
  });
});
