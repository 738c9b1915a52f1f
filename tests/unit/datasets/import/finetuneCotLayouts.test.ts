// Fine-tune-CoT layouts that carry everything needed but were refused: a completion file alone and
// the OpenAI fine-tune (prompt/completion) files; a damaged file inside a Fine-tune-CoT folder.
import { describe, expect, it } from 'vitest';
import { detectFormat, parseImport } from '../../../../src/main/lab/datasets/import';
import { fixtureDir, jsonl } from './fixtures';

describe('Fine-tune-CoT layouts', () => {
  it('imports a completion file without its dataset file (records carry question and answer)', async () => {
    const fx = fixtureDir();
    const comp = fx.write(
      'multiarith_zs_cot.json',
      JSON.stringify(
        {
          metadata: { dataset_key: 'multiarith', completion_key: 'zs_cot' },
          data: {
            '4': [
              {
                sample_index: 4,
                completion_index: 0,
                question: 'Tom has 3 apples and buys 4 more. How many?',
                answer: '7',
                reasoning_completion: ' 3 + 4 = 7.',
                completion: ' 7',
              },
              {
                sample_index: 4,
                completion_index: 1,
                question: 'Tom has 3 apples and buys 4 more. How many?',
                answer: '7',
                reasoning_completion: ' 3 + 4 = 8.',
                completion: ' 8',
              },
            ],
            '9': [
              {
                sample_index: 9,
                completion_index: 0,
                question: 'Sue has 5 pens and loses 2. How many?',
                answer: '3',
                reasoning_completion: '5 - 2 = 3',
                completion: ' 3',
              },
            ],
          },
        },
        null,
        1,
      ),
    );
    expect((await detectFormat([comp])).format).toBe('finetune-cot');
    const r = await parseImport([comp]);
    expect(r.problems).toEqual([]);
    expect(r.datasetKey).toBe('multiarith');
    expect(
      r.examples.map((e) => [e.externalId, e.question, e.answer, e.answerType, e.completions.map((c) => c.correct)]),
    ).toEqual([
      ['4', 'Tom has 3 apples and buys 4 more. How many?', '7', 'number', [true, false]],
      ['9', 'Sue has 5 pens and loses 2. How many?', '3', 'number', [true]],
    ]);
    expect(r.warnings).toEqual([
      {
        file: comp,
        line: 1,
        reason: 'no dataset file: questions and gold answers are read from the completion records',
      },
    ]);
  });

  it('imports OpenAI fine-tune files: prompt "...\\n\\n###\\n\\n", completion " rationale --> answer END"; correctness unknown', async () => {
    const fx = fixtureDir();
    const q1 = 'Tom has 3 apples and buys 4 more. How many?';
    const file = fx.write(
      'ft_cot_train.jsonl',
      jsonl([
        { prompt: `${q1}\n\n###\n\n`, completion: ' Tom starts with 3. He buys 4 more. 3 + 4 = 7.\n\n-->\n\n7 END' },
        { prompt: 'Sue has 5 pens and loses 2. How many?\n\n###\n\n', completion: ' 5 - 2 = 3. --> 3 END' },
        { prompt: `${q1}\n\n###\n\n`, completion: ' 4 + 3 = 7 apples. --> 7 END' },
      ]),
    );
    const d = await detectFormat([file]);
    expect(d.format).toBe('finetune-cot');
    expect(d.files[0]!.role).toBe('finetune-cot-prompts');
    const r = await parseImport([file]);
    expect(r.problems).toEqual([]);
    expect(
      r.examples.map((e) => [
        e.externalId,
        e.question,
        e.answer,
        e.completions.map((c) => [c.rationale, c.teacherAnswer, c.correct]),
      ]),
    ).toEqual([
      [
        '0',
        q1,
        '7',
        [
          ['Tom starts with 3. He buys 4 more. 3 + 4 = 7.', '7', null],
          ['4 + 3 = 7 apples.', '7', null],
        ],
      ],
      ['1', 'Sue has 5 pens and loses 2. How many?', '3', [['5 - 2 = 3.', '3', null]]],
    ]);
    expect(r.stats).toMatchObject({ examples: 2, completions: 3, teacherAnswered: 0 });
    expect(r.warnings.map((w) => w.reason)).toEqual([
      expect.stringMatching(/keep no separate gold answer.*correctness is unknown/),
    ]);
  });

  /** ft/multiarith.json: a Fine-tune-CoT dataset file with one question. */
  const writeOneQuestionDataset = (fx: ReturnType<typeof fixtureDir>): void =>
    void fx.write(
      'ft/multiarith.json',
      JSON.stringify({
        metadata: { dataset_key: 'multiarith' },
        data: [{ sample_index: 0, question: 'q?', answer: '1' }],
      }),
    );

  it('locates a damaged file inside a Fine-tune-CoT folder instead of a format conflict', async () => {
    const fx = fixtureDir();
    writeOneQuestionDataset(fx);
    fx.write('ft/split.json', JSON.stringify({ train: [0], test: [] }));
    const bad = fx.write('ft/completions.json', 'x{"metadata": {}, "data": {"0": [\n');
    const d = await detectFormat([`${fx.dir}/ft`]);
    expect(d.format).toBe('finetune-cot');
    const r = await parseImport([`${fx.dir}/ft`]);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      { file: bad, line: 1, reason: "malformed JSON at column 1: unexpected character 'x'" },
    ]);
  });

  it('locates a split file damaged into something that reads as one JSON Lines record (found by the import fuzz)', async () => {
    const fx = fixtureDir();
    writeOneQuestionDataset(fx);
    fx.write(
      'ft/completions.json',
      JSON.stringify({
        metadata: { dataset_key: 'multiarith', completion_key: 'zs_cot' },
        data: { '0': [{ sample_index: 0, completion_index: 0, reasoning_completion: 'so 1', completion: ' 1' }] },
      }),
    );
    // "train" renamed: no longer a split file, but still one JSON object on one line
    const bad = fx.write('ft/split.json', '{"trian": [0], "test": []}');
    expect((await detectFormat([`${fx.dir}/ft`])).format).toBe('finetune-cot');
    const r = await parseImport([`${fx.dir}/ft`]);
    expect(r.ok).toBe(false);
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]).toMatchObject({ file: bad, line: 1 });
  });
});

describe('values kept or refused exactly (__proto__, lone surrogates, nesting)', () => {
  it('keeps a "__proto__" key or CSV column as data', async () => {
    const fx = fixtureDir();
    const j = await parseImport([
      fx.write('a.jsonl', '{"question":"q?","answer":"1","__proto__":{"x":1},"note":"n"}\n'),
    ]);
    expect(j.problems).toEqual([]);
    expect(Object.keys(j.examples[0]!.metadata)).toEqual(['__proto__', 'note']);
    expect(JSON.stringify(j.examples[0]!.metadata)).toBe('{"__proto__":{"x":1},"note":"n"}');
    const c = await parseImport([fx.write('b.csv', 'question,answer,__proto__\nq?,1,kept\n')]);
    expect(c.problems).toEqual([]);
    expect(JSON.stringify(c.examples[0]!.metadata)).toBe('{"__proto__":"kept"}');
    const f = await parseImport([
      fx.write(
        'c.json',
        JSON.stringify({
          metadata: { dataset_key: 'x' },
          data: [JSON.parse('{"sample_index":0,"question":"q?","answer":"1","__proto__":"p"}')],
        }),
      ),
    ]);
    expect(JSON.stringify(f.examples[0]!.metadata)).toBe('{"source":"finetune-cot","datasetKey":"x","__proto__":"p"}');
  });

  it('refuses lone surrogates with file:line (JSONL line, whole-JSON line and column)', async () => {
    const fx = fixtureDir();
    const a = fx.write(
      'a.jsonl',
      '{"question":"ok?","answer":"1"}\n{"question":"bad \\ud800 here","answer":"1"}\n{"question":"pair \\ud83d\\ude00 ok","answer":"1"}\n',
    );
    const r = await parseImport([a]);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      { file: a, line: 2, field: 'question', reason: expect.stringMatching(/^lone UTF-16 surrogate/) },
    ]);
    const skip = await parseImport([a], { skipInvalid: true });
    expect(skip.examples.map((e) => e.question)).toEqual(['ok?', 'pair \u{1F600} ok']);
    const b = fx.write(
      'b.json',
      '{"metadata": {},\n "data": [{"sample_index": 0, "question": "x\\udc00", "answer": "1"}]}',
    );
    const rb = await parseImport([b], { format: 'finetune-cot' });
    expect(rb.problems).toEqual([
      { file: b, line: 2, reason: expect.stringMatching(/^refused JSON at column 45: lone UTF-16 surrogate/) },
    ]);
  });

  it('gives a located "nesting too deep" error for metadata nested ~4,000 deep', async () => {
    const fx = fixtureDir();
    const deep = '['.repeat(4000) + ']'.repeat(4000);
    const a = fx.write('a.jsonl', `{"question":"ok?","answer":"1"}\n{"question":"q?","answer":"1","meta":${deep}}\n`);
    const r = await parseImport([a]);
    expect(r.problems).toEqual([
      {
        file: a,
        line: 2,
        field: expect.stringMatching(/^meta(\[0\])+$/),
        reason: 'nesting too deep (more than 100 levels of arrays/objects)',
      },
    ]);
    const b = fx.write(
      'b.json',
      `{"metadata": {},\n"data": [{"sample_index": 0, "question": "q?", "answer": "1", "m": ${deep}}]}`,
    );
    const rb = await parseImport([b], { format: 'finetune-cot' });
    expect(rb.problems).toEqual([
      { file: b, line: 2, reason: expect.stringMatching(/^refused JSON at column \d+: nesting too deep/) },
    ]);
  });
});
