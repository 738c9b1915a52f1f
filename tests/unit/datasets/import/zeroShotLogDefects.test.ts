// Zero-shot-CoT logs with the defects real teacher logs have: run-on continuations, a repeated
// answer-extraction prompt, plain zero-shot logs without chain of thought, a missing separator.
import { describe, expect, it } from 'vitest';
import { parseImport } from '../../../../src/main/lab/datasets/import';
import { fixtureDir } from './fixtures';

const STARS = '*************************';
const T = 'Therefore, the answer (arabic numerals) is';
const header = (method = 'zero_shot_cot', trigger = T): string[] => [
  '*****************************',
  `Namespace(cot_trigger="Let's think step by step.", dataset='multiarith', direct_answer_trigger_for_zeroshot_cot='\\n${trigger}', method='${method}', model='gpt3-xl')`,
  '*****************************',
  'data size : 2',
];
const block = (n: number, lines: string[]): string[] => [STARS, `${n}st data`, '1_th_sampling', ...lines, STARS];
/** Writes a log: the header, one block per sample (numbered from 1), the closing accuracy. */
const writeLog = (fx: ReturnType<typeof fixtureDir>, ...samples: string[][]): string =>
  fx.write(
    'multiarith_zero_shot_cot.log',
    [...header(), ...samples.flatMap((lines, i) => block(i + 1, lines)), 'accuracy : 100.0'].join('\n') + '\n',
  );
/** A well-formed sample: question, rationale, the extraction prompt with the answer, predictions and gold. */
const sample = (question: string, rationale: string, answer: string): string[] => [
  `Q: ${question}`,
  `A: Let's think step by step. ${rationale}`,
  `${T} ${answer}.`,
  `pred_before : ${answer}.`,
  `pred_after : ${answer}`,
  `GT : ${answer}`,
];
const ANN = sample('Ann had 2 candies and got 3 more. How many?', '2 + 3 = 5.', '5');
const BO = sample('Bo has 4 pens and loses 1. How many?', '4 - 1 = 3.', '3');

describe('Zero-shot-CoT log defects', () => {
  it('cuts a rationale that runs on into an invented follow-up question and never makes it a completion', async () => {
    const fx = fixtureDir();
    const log = writeLog(
      fx,
      [
        'Q: Ann had 2 candies and got 3 more. How many candies does she have?',
        "A: Let's think step by step. Ann had 2 candies. She got 3 more. 2 + 3 = 5 candies",
        '',
        '',
        '',
        'Q: If it took Luke 2 minutes to tie one shoe and 3 minutes for the other, how long did it take?',
        'A: 2 minutes + 3 minutes = 5 minutes',
        T + ' 5.',
        'pred_before : 5.',
        'pred_after : 5',
        'GT : 5',
      ],
      BO,
    );
    const r = await parseImport([log]);
    expect(r.problems).toEqual([]);
    expect(r.examples).toHaveLength(2);
    const first = r.examples[0]!;
    expect(first.completions).toHaveLength(1);
    expect(first.completions[0]).toMatchObject({
      rationale: 'Ann had 2 candies. She got 3 more. 2 + 3 = 5 candies',
      teacherAnswer: '5',
      correct: true,
    });
    expect(r.stats.completions).toBe(2);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ file: log, line: 6, field: 'A' });
    expect(r.warnings[0]!.reason).toMatch(
      /^sample 1: the answer runs on into an invented follow-up question \("Q:" at the rationale's line 5\)/,
    );
    expect(r.warnings.some((w) => /sampling 2/.test(w.reason))).toBe(false);
  });

  it('cuts a run-on after the extracted answer and a repeated extraction prompt (leakage)', async () => {
    const fx = fixtureDir();
    const log = writeLog(
      fx,
      [
        ...ANN.slice(0, 3),
        '',
        'Q: Tom has 1 cat. How many cats?',
        "A: Let's think step by step. 1.",
        'pred_before : 5.',
        '',
        'Q: Tom has 1 cat. How many cats?',
        "A: Let's think step by step. 1.",
        'pred_after : 5',
        'GT : 5',
      ],
      [...BO.slice(0, 3), `${T} 3.`, ...BO.slice(3)],
    );
    const r = await parseImport([log]);
    expect(r.problems).toEqual([]);
    expect(r.examples.map((e) => e.completions.map((c) => [c.rationale, c.teacherAnswer, c.correct]))).toEqual([
      [['2 + 3 = 5.', '5', true]],
      [['4 - 1 = 3.', '3', true]],
    ]);
    expect(r.warnings.map((w) => [w.line, w.reason.replace(/;.*/, '')])).toEqual([
      [6, 'sample 1: the answer extraction of the answer runs on into an invented follow-up question'],
      [22, 'sample 2: the answer-extraction prompt repeats inside the answer'],
    ]);
  });

  it('refuses a plain zero-shot log (no chain of thought), with or without its Namespace line', async () => {
    const fx = fixtureDir();
    const direct = 'The answer (arabic numerals) is';
    const body = (withHeader: boolean): string =>
      [
        ...(withHeader ? header('zero_shot', direct) : ['data size : 1']),
        ...block(1, [
          'Q: How many days in 3 days?',
          `A: ${direct} 3 days.`,
          'pred_before : 3 days.',
          'pred_after : 3',
          'GT : 3',
        ]),
        'accuracy : 100.0',
      ].join('\n') + '\n';
    const withNs = await parseImport([fx.write('a/multiarith_zero_shot.log', body(true))]);
    expect(withNs.ok).toBe(false);
    expect(withNs.examples).toEqual([]);
    expect(withNs.problems[0]!.reason).toMatch(/plain zero-shot log \(method=zero_shot\)/);
    const without = await parseImport([fx.write('b/multiarith_zero_shot.log', body(false))]);
    expect(without.ok).toBe(false);
    expect(without.problems[0]!.reason).toMatch(/no answer starts with the chain-of-thought trigger/);
    // skipInvalid never half-imports a log that is not Zero-shot-CoT
    expect((await parseImport([fx.write('c/multiarith_zero_shot.log', body(true))], { skipInvalid: true })).ok).toBe(
      false,
    );
  });

  it('refuses a block that swallowed the next sample (missing "*****" separator), at the line where it happens', async () => {
    const fx = fixtureDir();
    const lines = [
      ...header(),
      STARS,
      '1st data',
      '1_th_sampling',
      ...ANN,
      '2nd data',
      '1_th_sampling',
      ...BO,
      STARS,
      ...block(3, sample('Cy has 1 hat. How many?', '1.', '1')),
      'accuracy : 100.0',
    ];
    const log = fx.write('multiarith_zero_shot_cot.log', lines.join('\n') + '\n');
    const r = await parseImport([log]);
    expect(r.ok).toBe(false);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: log, line: 14 });
    expect(r.problems[0]!.reason).toMatch(
      /^block starting at line 6 runs into another sample at line 14 \("2nd data"\): a "\*\*\*\*\*" separator is missing/,
    );
    const skip = await parseImport([log], { skipInvalid: true });
    expect(skip.examples.map((e) => [e.externalId, e.question, e.answer])).toEqual([
      ['3', 'Cy has 1 hat. How many?', '1'],
    ]);
    // Without "<n>th data" lines the second "Q:" after "GT :" gives it away.
    const bare = fx.write(
      'b/multiarith_zero_shot_cot.log',
      lines.filter((l) => !/^\dst data$|^2nd data$/.test(l)).join('\n') + '\n',
    );
    const r2 = await parseImport([bare]);
    expect(r2.problems[0]!.reason).toMatch(/\("Q:" after "GT :"\)/);
  });
});
