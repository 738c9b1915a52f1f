import { describe, expect, it } from 'vitest';
import { parseImport, detectFormat } from '../../../../src/main/lab/datasets/import';
import { fixtureDir, jsonl } from './fixtures';

describe('Distilling step-by-step import', () => {
  it('imports cqa rows with choices and aligns llm batches to rows in order', async () => {
    const fx = fixtureDir();
    const choices = ['bank', 'library', 'park', 'school', 'zoo'];
    fx.write(
      'cqa/cqa_train.json',
      jsonl([
        { id: 'q1', question: 'Where is money kept?', choices, answer: 'bank', abstractive_explanation: 'banks hold money' },
        { id: 'q2', question: 'Where are books lent?', choices, answer: 'library', abstractive_explanation: '' },
        { id: 'q3', question: 'Where do kids learn?', choices, answer: 'school', abstractive_explanation: '' },
      ]),
    );
    fx.write('cqa/cqa_test.json', jsonl([{ id: 'q4', question: 'Where are animals shown?', choices, answer: 'zoo' }]));
    fx.write('cqa/llm/train_CoT_0.json', JSON.stringify(['Money is kept safe in banks. So the answer is (a) bank.\n\nQ: next few-shot', 'Books are lent by libraries. So the answer is (c) park.']));
    fx.write('cqa/llm/train_CoT_1.json', JSON.stringify(['Kids learn at school. So the answer is (d) school.']));
    fx.write('cqa/llm/test_CoT_0.json', JSON.stringify(['no trigger here']));

    const d = await detectFormat([`${fx.dir}/cqa`]);
    expect(d.format).toBe('step-by-step');
    expect(d.files.filter((f) => f.role === 'step-by-step-llm')).toHaveLength(3);

    const r = await parseImport([`${fx.dir}/cqa`]);
    expect(r.problems).toEqual([]);
    expect(r.datasetKey).toBe('cqa');
    const byId = new Map(r.examples.map((e) => [e.externalId, e]));
    expect(byId.get('q1')).toMatchObject({ answer: 'A', answerType: 'choice', choices, split: 'train' });
    expect(byId.get('q1')!.completions[0]).toMatchObject({ rationale: 'Money is kept safe in banks.', teacherAnswer: 'bank', correct: true, source: 'step-by-step:llm/train_CoT_0.json#0' });
    expect(byId.get('q2')!.completions[0]).toMatchObject({ teacherAnswer: 'park', correct: false });
    expect(byId.get('q3')!.completions[0]).toMatchObject({ correct: true, source: 'step-by-step:llm/train_CoT_1.json#0' });
    expect(byId.get('q4')).toMatchObject({ split: 'test' });
    expect(byId.get('q4')!.completions[0]).toMatchObject({ rationale: 'no trigger here', teacherAnswer: null, correct: null });
    expect(r.warnings).toHaveLength(1);
  });

  it('compares SVAMP equations by value ("The answer is")', async () => {
    const fx = fixtureDir();
    const data = fx.write('svamp/svamp_train.json', jsonl([{ input: 'Ann has 3 toys and gets 4.5 more. How many?', label: '( 3.0 + 4.5 )' }]));
    const llm = fx.write('svamp/llm/train_CoT_0.json', JSON.stringify(['She has 3 and gets 4.5. The answer is (3 + 4.5).']));
    const r = await parseImport([data, llm], { format: 'step-by-step' });
    expect(r.problems).toEqual([]);
    expect(r.examples[0]).toMatchObject({ externalId: 'train:0', answer: '7.5', answerType: 'number', metadata: { equation: '( 3.0 + 4.5 )' } });
    expect(r.examples[0]!.completions[0]).toMatchObject({ rationale: 'She has 3 and gets 4.5.', correct: true });
  });

  it('reports teacher outputs without a data row at their line', async () => {
    const fx = fixtureDir();
    const data = fx.write('x/x_train.json', jsonl([{ question: 'q', answer: '2' }]));
    const llm = fx.write('x/llm/train_CoT_0.json', JSON.stringify(['So the answer is 2.', 'So the answer is 3.'], null, 1));
    const r = await parseImport([data, llm]);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([{ file: llm, line: 3, reason: 'teacher output #1 of split "train" has no matching data row (the data file has 1 rows)' }]);
    const skip = await parseImport([data, llm], { skipInvalid: true });
    expect(skip.ok).toBe(true);
    expect(skip.examples[0]!.completions[0]).toMatchObject({ teacherAnswer: '2', correct: true });
    expect(skip.skipped).toEqual([{ file: llm, line: 3 }]);
  });
});
