import { describe, expect, it } from 'vitest';
import {
  checkAnswerMismatch,
  checkArithmetic,
  checkNumbersNotInQuestion,
  findConclusion,
  findExpressions,
  findNumberWords,
  findNumbers,
  runCheckers,
  type CheckerInput,
} from '../../../src/main/lab/annotation/logic';

function input(question: string, rationale: string, goldAnswer: string, teacherAnswer: string | null = goldAnswer): CheckerInput {
  return { question, rationale, answerType: 'number', choices: null, goldAnswer, teacherAnswer };
}

function spanText(rationale: string, f: { start: number; end: number }): string {
  return rationale.slice(f.start, f.end);
}

describe('number and expression lexing', () => {
  it('reads money, thousands separators, decimals, percentages and signs', () => {
    const nums = findNumbers('She paid $1,200.50 for 3.5 kg, a 20% discount, then -4 and 21st place.');
    expect(nums.map((n) => n.value)).toEqual([1200.5, 3.5, 0.2, -4]);
    expect(nums[2]!.raw).toBe(20);
    expect(nums[0]!.decimals).toBe(2);
  });
  it('reads number words from questions', () => {
    expect(findNumberWords('Twenty-five kids and three hundred two apples, a dozen eggs, twice')).toEqual([25, 302, 12, 2]);
  });
  it('finds symbolic and worded expressions with their results', () => {
    const text = '2 times 3 is 6, and 6 plus 4 is 10. (3 + 5) * 2 = 16. 5 apples + 3 apples = 8 apples. 3 + 5 = 8 + 2 = 10. 20% of 50 = 10. 4 x 6 = 24';
    const found = findExpressions(text).map((e) => `${text.slice(e.start, e.end)} -> ${e.result?.value ?? '?'}`);
    expect(found).toEqual([
      '2 times 3 is 6 -> 6',
      '6 plus 4 is 10 -> 10',
      '(3 + 5) * 2 = 16 -> 16',
      '5 apples + 3 apples = 8 -> 8',
      '3 + 5 = 8 -> 8',
      '8 + 2 = 10 -> 10',
      '20% of 50 = 10 -> 10',
      '4 x 6 = 24 -> 24',
    ]);
  });
  it('ignores prose that only looks like arithmetic', () => {
    expect(findExpressions('On 3/4/2020 the score was 3-2. Page 12 is blank.').filter((e) => e.result)).toEqual([]);
  });
});

describe('arithmetic checker', () => {
  it('flags the canonical slips with the span of the wrong expression', () => {
    const r = 'Mary has 14 cookies for 4 friends. 14 / 4 = 3 cookies each. Then 3 + 5 = 9.';
    const f = checkArithmetic(input('q', r, '8'));
    expect(f.map((x) => spanText(r, x))).toEqual(['14 / 4 = 3', '3 + 5 = 9']);
    expect(f[0]).toMatchObject({ checker: 'arithmetic', errorType: 'arithmetic', step: 1 });
    expect(f[0]!.message).toContain('3.5');
    // A floor of the true value is flagged but less confidently (could be whole units).
    expect(f[0]!.confidence).toBeLessThan(f[1]!.confidence);
  });
  it('accepts correct arithmetic in real teacher styles', () => {
    const good = [
      // Fine-tune-CoT / Zero-shot-CoT style (text-davinci-002)
      "Roger started with 5 balls. 2 cans of 3 tennis balls each is 6 tennis balls. 5 + 6 = 11. The answer is 11.",
      'Three shirts cost $20 x 3 = $60. Her change is $100 - $60 = $40.',
      'She works 8 hours a day for 5 days, so 8 * 5 = 40 hours. At $12.50 per hour she earns 40 * 12.50 = $500.',
      '10 / 3 = 3.33, so each gets 3.33 pounds. 2 + 3 * 4 = 14. 2 + 3 * 4 = 20 if you go left to right.',
      'The price after a 20% discount is 50 - 20% = 40. 1,200 + 800 = 2,000.',
      '7 / 2 is about 4. 22 / 7 ≈ 3.14.',
    ];
    for (const r of good) expect(checkArithmetic(input('q', r, '0')), r).toEqual([]);
  });
  it('flags worded arithmetic and wrong decimals', () => {
    const r = '2 times 3 is 7. 12 - 5 = 6 apples. 10 / 4 = 2.4.';
    const q = 'Two times three; 12 apples, 5 eaten; 10 cakes for 4 people.';
    expect(checkArithmetic(input(q, r, '0')).map((x) => spanText(r, x))).toEqual(['2 times 3 is 7', '12 - 5 = 6', '10 / 4 = 2.4']);
  });
  it('attributes findings to the given step layout', () => {
    const r = 'First, 3 + 5 = 9 and then we continue';
    const f = checkArithmetic({ ...input('q', r, '0'), steps: [{ start: 0, end: 6 }, { start: 7, end: r.length }] });
    expect(f).toHaveLength(1);
    expect(f[0]!.step).toBe(1);
  });
});

describe('numbers-not-in-the-question checker', () => {
  const q = 'Tom had 15 apples. He gave 5 apples to his sister. How many apples does Tom have now?';
  it('flags a misread quantity at its first mention', () => {
    const r = 'Tom had 12 apples.\nHe gave 5 to his sister, so 12 - 5 = 7 apples are left.';
    const f = checkNumbersNotInQuestion(input(q, r, '10'));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ checker: 'numbers_not_in_question', errorType: 'quantity_misread', step: 0 });
    expect(spanText(r, f[0]!)).toBe('12');
    expect(f[0]!.message).toContain('step 2');
  });
  it('accepts question numbers, number words, earlier results and products of known values', () => {
    const q2 = 'A farmer has three fields with twelve rows each. Each row has 4 plants. Half of the plants die. How many survive?';
    const r2 = 'There are 3 * 12 = 36 rows. 36 * 4 = 144 plants. Half die, so 144 / 2 = 72 survive. 72 + 0 = 72.';
    expect(checkNumbersNotInQuestion(input(q2, r2, '72'))).toEqual([]);
    const r3 = 'He buys 3 packs of 4 pens, which is 12 pens. 12 - 2 = 10.';
    expect(checkNumbersNotInQuestion(input('He buys 3 packs of 4 pens and loses 2.', r3, '10'))).toEqual([]);
  });
  it('knows a unit conversion when both units are named, and is unsure about a bare constant', () => {
    const r = 'There are 7 days in a week, so 2 * 7 = 14 days.';
    expect(checkNumbersNotInQuestion(input('How many days are in 2 weeks?', r, '14'))).toEqual([]);
    const f = checkNumbersNotInQuestion(input('Each trip takes an hour. How long do 2 trips take?', 'Each trip is 60. 2 * 60 = 120.', '120'));
    expect(f).toHaveLength(1);
    expect(f[0]!.confidence).toBeLessThan(0.5);
  });
  it('reads chained equalities both ways and conclusions in words; claims no conclusion for a cut-off text', () => {
    expect(runCheckers(input('Amy buys 3 shirts for $8 each and 5 pants for $8 each. How much?', '3*8+5*8=24+40=64. The answer is 64.', '64'))).toEqual([]);
    expect(runCheckers(input('Al has 3, gets 5, then 2 more. How many?', '3 + 5 = 8 + 2 = 10.', '10'))).toEqual([]);
    const words = runCheckers(input('Sam has 4 apples and gets 3 more. How many?', '4 + 3 = 7. So he has eight apples.', '7'));
    expect(words.map((f) => [f.checker, f.errorType])).toEqual([['answer_mismatch', 'answer_mismatch']]);
    expect(findConclusion('One third of 9 is 3. So there are three boys.', 'number', null)?.answer).toBe('3');
    expect(findConclusion('Half of it goes. That leaves one-third.', 'number', null)?.answer).toBe(String(1 / 3).slice(0, 8));
    expect(runCheckers(input('Mia has 5 boxes of 6 pens and gives away 4. How many?', 'So 5 * 6 = 30 pens. She gives away 4, so she has', '26'))).toEqual([]);
  });
  it('does not count a result derived from a wrong computation as misread', () => {
    const r = '14 / 4 = 3. Then 3 * 2 = 6.';
    expect(checkNumbersNotInQuestion(input('14 cookies, 4 friends, 2 rounds', r, '7'))).toEqual([]);
  });
});

describe('quantity provenance: misread vs skipped step vs wrong arithmetic', () => {
  const q = 'A class has 9 boys and 29 girls. 6 are absent and the rest form teams of 4. How many teams are there?';
  it('reports a value no step derives as a logical leap (skipped step), not a misread', () => {
    const r = 'There are 9 + 29 = 38 students.\nThey form 32 / 4 = 8 teams.\nSo the answer is 8.';
    const f = runCheckers(input(q, r, '8'));
    expect(f.map((x) => [x.errorType, x.step, spanText(r, x)])).toEqual([['logical_leap', 1, '32']]);
    expect(f[0]!.message).toContain('38 - 6');
  });
  it('blames a misread operand, not the arithmetic, when the result fits the question number', () => {
    const r = 'There are 9 + 29 = 38 students.\nThen 38 - 7 = 32 students are present.\nThey form 32 / 4 = 8 teams.';
    const f = runCheckers(input(q, r, '8'));
    expect(f.map((x) => [x.errorType, spanText(r, x)])).toEqual([['quantity_misread', '7']]);
  });
  it('treats a restated question quantity with another number as misread even if derivable', () => {
    const q2 = 'Anna has 15 marbles. She buys 3 bags with 4 marbles each. How many marbles does she have?';
    const r = 'Anna has 16 marbles.\nShe buys 3 bags, so 3 * 4 = 12 marbles.\nIn total 16 + 12 = 28 marbles.';
    expect(checkNumbersNotInQuestion(input(q2, r, '27')).map((x) => [x.errorType, x.step, spanText(r, x)])).toEqual([['quantity_misread', 0, '16']]);
  });
  it('flags a conclusion that is not what the rationale derived', () => {
    const r = 'There are 9 + 29 = 38 students.\nThen 38 - 6 = 32 students are present.\nThey form 32 / 4 = 8 teams.\nSo the answer is 57.';
    expect(checkAnswerMismatch(input(q, r, '8', '57'))[0]).toMatchObject({ errorType: 'answer_mismatch', step: 3 });
    const skipped = 'There are 9 + 29 = 38 students.\nThen 38 - 6 = 32 students are present.\nSo the answer is 8.';
    expect(checkAnswerMismatch(input(q, skipped, '8', '8'))[0]).toMatchObject({ errorType: 'logical_leap', step: 2 });
  });
});

describe('answer-mismatch checker', () => {
  it('flags a conclusion that differs from the teacher answer', () => {
    const r = 'There are 3 boxes with 5 pens each. 3 x 5 = 15 pens.';
    const f = checkAnswerMismatch(input('q', r, '15', '16'));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ errorType: 'answer_mismatch', step: 1 });
    expect(spanText(r, f[0]!)).toBe('15');
  });
  it('marks a wrong conclusion shared with the teacher answer as "other", and is quiet when all agree', () => {
    const r = 'Tom had 12 apples. 12 - 5 = 7.';
    expect(checkAnswerMismatch(input('q', r, '10', '7'))[0]).toMatchObject({ errorType: 'other', confidence: 0.5 });
    expect(checkAnswerMismatch(input('q', r, '10', null))[0]).toMatchObject({ errorType: 'other' });
    expect(checkAnswerMismatch(input('q', r, '7', '7'))).toEqual([]);
    expect(checkAnswerMismatch(input('q', 'No numbers here at all.', '7', '7'))).toEqual([]);
  });
  it('reads the conclusion from "the answer is", the last computation, or the last number', () => {
    expect(findConclusion('So the answer is 42 apples after 3 days.', 'number', null)?.answer).toBe('42');
    expect(findConclusion('5 + 6 = 11 balls in 2 cans', 'number', null)?.answer).toBe('2');
    expect(findConclusion('He has 5 + 6 = 11 balls.', 'number', null)?.answer).toBe('11');
    expect(findConclusion('He has 11 balls.\nNothing else.', 'number', null)).toMatchObject({ answer: '11', step: 0 });
  });
  it('handles yes/no, multiple choice and free-text answers', () => {
    const yes = { question: 'q', rationale: 'Birds can fly. So the answer is yes.', answerType: 'yesno' as const, choices: null, goldAnswer: 'yes', teacherAnswer: 'no' };
    expect(checkAnswerMismatch(yes)[0]).toMatchObject({ errorType: 'answer_mismatch' });
    const choices = ['12', '14', '16'];
    const mc = { question: 'q', rationale: '7 * 2 = 14, which is option (B).', answerType: 'choice' as const, choices, goldAnswer: 'B', teacherAnswer: 'B' };
    expect(checkAnswerMismatch(mc)).toEqual([]);
    const text = { question: 'q', rationale: 'The last letters are n and y. So the answer is "ny".', answerType: 'text' as const, choices: null, goldAnswer: 'ny', teacherAnswer: 'nd' };
    const tf = checkAnswerMismatch(text);
    expect(tf[0]).toMatchObject({ errorType: 'answer_mismatch' });
    expect(spanText(text.rationale, tf[0]!)).toBe('ny');
  });
});

describe('runCheckers', () => {
  it('combines every checker in position order on a synthetic-style rationale', () => {
    const q = 'Anna has 15 marbles. She buys 3 bags with 4 marbles each. How many marbles does she have?';
    const r = 'Anna has 15 marbles.\nShe buys 3 bags with 4 marbles each, so 3 * 4 = 13 marbles.\nIn total 15 + 13 = 28 marbles.';
    const f = runCheckers(input(q, r, '27', '27'));
    expect(f.map((x) => [x.checker, x.step, spanText(r, x)])).toEqual([
      ['arithmetic', 1, '3 * 4 = 13'],
      ['answer_mismatch', 2, '28'],
    ]);
  });
});
