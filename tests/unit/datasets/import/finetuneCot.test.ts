import { describe, expect, it } from 'vitest';
import { parseImport, detectFormat } from '../../../../src/main/lab/datasets/import';
import { fixtureDir } from './fixtures';

const aquaQ = (stem: string): string => `${stem} Answer choices: (A) 550, (B) 570, (C) 600, (D) 700, (E) none of these.`;

describe('Fine-tune-CoT import', () => {
  it('imports a number dataset with several teacher samples per question and a split file', async () => {
    const fx = fixtureDir();
    const ds = fx.write(
      'multiarith.json',
      JSON.stringify(
        {
          metadata: { dataset_key: 'multiarith' },
          data: [
            { sample_index: 0, question: 'Tom has 3 apples and buys 4 more. How many?', answer: '7' },
            { sample_index: 1, question: 'A box holds 1,200 pens; 200 are sold. How many remain?', answer: '1,000' },
          ],
        },
        null,
        2,
      ),
    );
    const comp = fx.write(
      'completions.json',
      JSON.stringify({
        metadata: { dataset_key: 'multiarith', completion_key: 'zs_cot' },
        data: {
          '0': [
            { sample_index: 0, completion_index: 0, reasoning_completion: ' 3 + 4 = 7.', completion: ' 7' },
            { sample_index: 0, completion_index: 1, reasoning_completion: ' 3 + 4 = 8.', completion: ' 8' },
          ],
          '1': [{ sample_index: 1, completion_index: 0, reasoning_completion: '1200 - 200 = 1000', completion: ' $1,000.' }],
        },
      }),
    );
    const split = fx.write('split.json', JSON.stringify({ train: [0], test: [1] }));

    const detected = await detectFormat([ds, comp, split]);
    expect(detected.format).toBe('finetune-cot');
    expect(detected.files.map((f) => f.role).sort()).toEqual(['finetune-cot-completions', 'finetune-cot-dataset', 'finetune-cot-split']);

    const r = await parseImport([ds, comp, split]);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.format).toBe('finetune-cot');
    expect(r.datasetKey).toBe('multiarith');
    expect(r.examples).toHaveLength(2);
    const [a, b] = r.examples;
    expect(a).toMatchObject({ externalId: '0', answer: '7', answerType: 'number', choices: null, split: 'train' });
    expect(b).toMatchObject({ externalId: '1', answer: '1000', split: 'test' });
    expect(a!.completions.map((c) => [c.rationale, c.teacherAnswer, c.correct, c.source])).toEqual([
      ['3 + 4 = 7.', '7', true, 'finetune-cot:completions.json#0'],
      ['3 + 4 = 8.', '8', false, 'finetune-cot:completions.json#1'],
    ]);
    expect(b!.completions[0]!.correct).toBe(true);
    expect(r.stats).toMatchObject({ examples: 2, completions: 3, teacherCorrect: 2, teacherAnswered: 3 });
  });

  it('parses verbalised multiple choice and yes/no tasks', async () => {
    const fx = fixtureDir();
    const ds = fx.write(
      'aqua.json',
      JSON.stringify({
        metadata: { dataset_key: 'aqua' },
        data: [{ sample_index: 5, question: aquaQ('What is the least number of students?'), answer: 'E' }],
      }),
    );
    const comp = fx.write(
      'aqua_completions.json',
      JSON.stringify({ metadata: {}, data: { '5': [{ sample_index: 5, completion_index: 0, reasoning_completion: 'So 241.', completion: ' (E).' }] } }),
    );
    const r = await parseImport([ds, comp]);
    expect(r.problems).toEqual([]);
    const ex = r.examples[0]!;
    expect(ex.answerType).toBe('choice');
    expect(ex.choices).toEqual(['550', '570', '600', '700', 'none of these']);
    expect(ex.answer).toBe('E');
    expect(ex.completions[0]).toMatchObject({ teacherAnswer: '(E)', correct: true });

    const sq = fx.write(
      'strategyqa.json',
      JSON.stringify({ metadata: { dataset_key: 'strategy_qa' }, data: [{ sample_index: 0, question: 'Can a fish fly?', answer: 'No' }] }),
    );
    const r2 = await parseImport([sq]);
    expect(r2.examples[0]).toMatchObject({ answerType: 'yesno', answer: 'no' });
  });

  it('infers the answer type from the data for unknown dataset keys', async () => {
    const fx = fixtureDir();
    const ds = fx.write(
      'mine.json',
      JSON.stringify({ metadata: { dataset_key: 'my_task' }, data: [{ sample_index: 0, question: 'q?', answer: 'Yes' }, { sample_index: 1, question: 'q2?', answer: 'no' }] }),
    );
    const r = await parseImport([ds], { format: 'finetune-cot' });
    expect(r.examples.map((e) => [e.answerType, e.answer])).toEqual([
      ['yesno', 'yes'],
      ['yesno', 'no'],
    ]);
  });

  it('locates completions and split entries for unknown sample indices', async () => {
    const fx = fixtureDir();
    const ds = fx.write('gsm8k.json', JSON.stringify({ metadata: { dataset_key: 'gsm8k' }, data: [{ sample_index: 0, question: 'q', answer: '1' }] }, null, 2));
    const comp = fx.write('c.json', JSON.stringify({ metadata: {}, data: { '0': [], '9': [{ completion: '1' }] } }, null, 2));
    const split = fx.write('s.json', JSON.stringify({ train: [0, 3] }, null, 2));
    const r = await parseImport([ds, comp, split]);
    expect(r.ok).toBe(false);
    expect(r.examples).toEqual([]);
    expect(r.problems).toEqual([
      { file: split, line: 4, reason: 'split lists sample_index 3, which is not in the dataset file' },
      { file: comp, line: 5, field: 'sample_index', reason: 'completions for sample_index 9, which is not in the dataset file' },
    ]);
  });
});
