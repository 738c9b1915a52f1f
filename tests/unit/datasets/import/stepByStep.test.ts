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
        {
          id: 'q1',
          question: 'Where is money kept?',
          choices,
          answer: 'bank',
          abstractive_explanation: 'banks hold money',
        },
        { id: 'q2', question: 'Where are books lent?', choices, answer: 'library', abstractive_explanation: '' },
        { id: 'q3', question: 'Where do kids learn?', choices, answer: 'school', abstractive_explanation: '' },
      ]),
    );
    fx.write('cqa/cqa_test.json', jsonl([{ id: 'q4', question: 'Where are animals shown?', choices, answer: 'zoo' }]));
    fx.write(
      'cqa/llm/train_CoT_0.json',
      JSON.stringify([
        'Money is kept safe in banks. So the answer is (a) bank.\n\nQ: next few-shot',
        'Books are lent by libraries. So the answer is (c) park.',
      ]),
    );
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
    expect(byId.get('q1')!.completions[0]).toMatchObject({
      rationale: 'Money is kept safe in banks.',
      teacherAnswer: 'bank',
      correct: true,
      source: 'step-by-step:llm/train_CoT_0.json#0',
    });
    expect(byId.get('q2')!.completions[0]).toMatchObject({ teacherAnswer: 'park', correct: false });
    expect(byId.get('q3')!.completions[0]).toMatchObject({
      correct: true,
      source: 'step-by-step:llm/train_CoT_1.json#0',
    });
    expect(byId.get('q4')).toMatchObject({ split: 'test' });
    expect(byId.get('q4')!.completions[0]).toMatchObject({
      rationale: 'no trigger here',
      teacherAnswer: null,
      correct: null,
    });
    expect(r.warnings).toHaveLength(1);
  });

  it('compares SVAMP equations by value ("The answer is")', async () => {
    const fx = fixtureDir();
    const data = fx.write(
      'svamp/svamp_train.json',
      jsonl([{ input: 'Ann has 3 toys and gets 4.5 more. How many?', label: '( 3.0 + 4.5 )' }]),
    );
    const llm = fx.write(
      'svamp/llm/train_CoT_0.json',
      JSON.stringify(['She has 3 and gets 4.5. The answer is (3 + 4.5).']),
    );
    const r = await parseImport([data, llm], { format: 'step-by-step' });
    expect(r.problems).toEqual([]);
    expect(r.examples[0]).toMatchObject({
      externalId: 'train:0',
      answer: '7.5',
      answerType: 'number',
      metadata: { equation: '( 3.0 + 4.5 )' },
    });
    expect(r.examples[0]!.completions[0]).toMatchObject({ rationale: 'She has 3 and gets 4.5.', correct: true });
  });

  it('reports teacher outputs without a data row at their line', async () => {
    const fx = fixtureDir();
    const data = fx.write('x/x_train.json', jsonl([{ question: 'q', answer: '2' }]));
    const llm = fx.write(
      'x/llm/train_CoT_0.json',
      JSON.stringify(['So the answer is 2.', 'So the answer is 3.'], null, 1),
    );
    const r = await parseImport([data, llm]);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      {
        file: llm,
        line: 3,
        field: '[1]',
        reason: 'teacher output #1 of split "train" has no matching data row (the data file has 1 rows)',
      },
    ]);
    const skip = await parseImport([data, llm], { skipInvalid: true });
    expect(skip.ok).toBe(true);
    expect(skip.examples[0]!.completions[0]).toMatchObject({ teacherAnswer: '2', correct: true });
    expect(skip.skipped).toEqual([{ file: llm, line: 3 }]);
  });
});

describe('Distilling step-by-step: missing shards and precise warnings', () => {
  it('lists a split whose teacher shards stop early and counts examples without a rationale', async () => {
    const fx = fixtureDir();
    const rows = Array.from({ length: 5 }, (_, i) => ({
      input: `Ann has ${i} toys and gets 1 more. How many?`,
      label: `( ${i}.0 + 1.0 )`,
    }));
    fx.write('svamp/svamp_train.json', jsonl(rows));
    fx.write('svamp/svamp_test.json', jsonl([{ input: 'Bo has 2 and gets 2. How many?', label: '( 2.0 + 2.0 )' }]));
    // 1 of the shards: rows 0-1 only; test has none at all. One output lacks SVAMP's trigger.
    fx.write('svamp/llm/train_CoT_0.json', JSON.stringify(['0 + 1 = 1. The answer is (0 + 1).', 'I think it is 2.']));
    const r = await parseImport([`${fx.dir}/svamp`]);
    expect(r.problems).toEqual([]);
    expect(r.stats).toMatchObject({ examples: 6, completions: 2, withoutRationale: 4 });
    const train = `${fx.dir}/svamp/svamp_train.json`;
    const test = `${fx.dir}/svamp/svamp_test.json`;
    expect(r.warnings).toEqual([
      {
        file: `${fx.dir}/svamp/llm/train_CoT_0.json`,
        line: 1,
        field: '[1]',
        reason:
          'teacher output 1 (example train:1) has no answer trigger ("The answer is"); kept as a rationale without teacher answer',
      },
      {
        file: test,
        line: 1,
        reason: 'no teacher outputs for split "test" (no llm/test_CoT_<i>.json file): its 1 examples have no rationale',
      },
      {
        file: train,
        line: 1,
        reason:
          'the teacher outputs of split "train" stop after row 2 of 5: 3 examples have no rationale (llm/train_CoT_1.json and later missing?)',
      },
    ]);
  });

  it('refuses to align a shard that follows a missing one (it would land on the wrong rows)', async () => {
    const fx = fixtureDir();
    fx.write(
      'x/x_train.json',
      jsonl([
        { question: 'a', answer: '1' },
        { question: 'b', answer: '2' },
        { question: 'c', answer: '3' },
      ]),
    );
    fx.write('x/llm/train_CoT_0.json', JSON.stringify(['So the answer is 1.']));
    const late = fx.write('x/llm/train_CoT_2.json', JSON.stringify(['So the answer is 3.']));
    const r = await parseImport([`${fx.dir}/x`]);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      {
        file: late,
        line: 1,
        reason:
          'cannot align these teacher outputs to data rows: llm/train_CoT_1.json is missing (batch 2 starts after the rows of every earlier batch)',
      },
    ]);
  });
});
