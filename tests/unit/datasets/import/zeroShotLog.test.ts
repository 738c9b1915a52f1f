import { describe, expect, it } from 'vitest';
import { parseImport, detectFormat } from '../../../../src/main/lab/datasets/import';
import { fixtureDir } from './fixtures';

const STARS = '*************************';
const header = (dataset: string, trigger: string): string[] => [
  '*****************************',
  `Namespace(api_log_file_name=None, cot_trigger="Let's think step by step.", dataset='${dataset}', direct_answer_trigger='\\n${trigger}', method='zero_shot_cot', model='gpt3-xl')`,
  '*****************************',
  'setup data loader ...',
  `dataset : ${dataset}`,
  'data size : 2',
];

describe('Zero-shot-CoT log import', () => {
  it('imports multiple-choice blocks with multi-line rationales and the last answer trigger', async () => {
    const fx = fixtureDir();
    const lines = [
      ...header('aqua', 'Therefore, among A through E, the answer is'),
      STARS,
      '1st data',
      '1_th_sampling',
      'Q: The sum of k consecutive integers is 51. Answer Choices: (A) 40 (B) 62 (C) 82 (D) 92 (E) 102',
      "A: Let's think step by step. We know the sum is 51.",
      '',
      'k = 102',
      'Therefore, the answer is (E). ',
      'Therefore, among A through E, the answer is E.',
      'pred_before :  E.',
      'pred_after : E',
      "pred_list : ['E']",
      'pred_mode : E',
      'GT : E',
      STARS,
      STARS,
      '2st data',
      '1_th_sampling',
      'Q: Pick one. Answer Choices: (A) 1 (B) 2 (C) 3 (D) 4 (E) 5',
      "A: Let's think step by step. It is 4.",
      'Therefore, among A through E, the answer is D. ',
      '',
      'pred_before :  D. ',
      '',
      'pred_after : D',
      "pred_list : ['D']",
      'pred_mode : D',
      'GT : C',
      STARS,
      'accuracy : 50.0',
    ];
    const log = fx.write('aqua_zero_shot_cot.log', lines.join('\n') + '\n');
    expect((await detectFormat([log])).format).toBe('zero-shot-cot-log');
    const r = await parseImport([log]);
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.datasetKey).toBe('aqua');
    expect(r.examples).toHaveLength(2);
    const [a, b] = r.examples;
    expect(a).toMatchObject({ externalId: '1', answer: 'E', answerType: 'choice', choices: ['40', '62', '82', '92', '102'] });
    expect(a!.question).toBe('The sum of k consecutive integers is 51. Answer Choices: (A) 40 (B) 62 (C) 82 (D) 92 (E) 102');
    expect(a!.completions[0]).toMatchObject({ rationale: 'We know the sum is 51.\n\nk = 102\nTherefore, the answer is (E).', teacherAnswer: 'E', correct: true });
    expect(b!.completions[0]).toMatchObject({ teacherAnswer: 'D', correct: false });
    expect(r.stats).toMatchObject({ teacherCorrect: 1, teacherAnswered: 2 });
  });

  it('handles number and yes/no tasks and CRLF logs', async () => {
    const fx = fixtureDir();
    const block = (n: number, q: string, rat: string, trig: string, pred: string, gt: string): string[] => [
      STARS, `${n}st data`, '1_th_sampling', `Q: ${q}`, `A: Let's think step by step. ${rat}`, `${trig} ${pred}`, `pred_before : ${pred}`, `pred_after : ${pred.replace(/\.$/, '')}`, 'GT : ' + gt, STARS,
    ];
    const t = 'Therefore, the answer (arabic numerals) is';
    const log = fx.write(
      'multiarith_zero_shot_cot.log',
      [...header('multiarith', t), ...block(1, 'How many?', '2 + 2 = 4.', t, '4.', '4'), ...block(2, 'And now?', '$1,200 total.', t, '1200.', '1200.0'), 'accuracy : 100.0'].join('\r\n') + '\r\n',
    );
    const r = await parseImport([log]);
    expect(r.problems).toEqual([]);
    expect(r.examples.map((e) => [e.answerType, e.answer, e.completions[0]!.correct, e.completions[0]!.rationale])).toEqual([
      ['number', '4', true, '2 + 2 = 4.'],
      ['number', '1200', true, '$1,200 total.'],
    ]);
    const y = 'Therefore, the answer (Yes or No) is';
    const coin = fx.write('coin_flip_zero_shot_cot.log', [...header('coin_flip', y), ...block(1, 'Is it heads?', 'Flipped twice.', y, 'Yes.', 'yes'), 'accuracy : 100.0'].join('\n'));
    const r2 = await parseImport([coin]);
    expect(r2.examples[0]).toMatchObject({ answerType: 'yesno', answer: 'yes' });
    expect(r2.examples[0]!.completions[0]!.correct).toBe(true);
  });
});
