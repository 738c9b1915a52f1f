// Gold answers recomputed independently, by parsing the generated question text.
import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../src/main/lab/synthetic';
import { answersMatch, normalizeAnswer } from '../../../src/shared/answers';
import type { ExampleInput } from '../../../src/shared/types/dataset';

const N = 400;

function solveArithmetic(q: string): number {
  const n = (m: RegExpMatchArray, i: number): number => Number(m[i]);
  let m = q.match(/had (\d+) \w+\. (?:She|He) gave away (\d+) and then got (\d+) more\./);
  if (m) return n(m, 1) - n(m, 2) + n(m, 3);
  m = q.match(/has (\d+) boxes of (\d+) \w+ each and buys (\d+) more/);
  if (m) return n(m, 1) * n(m, 2) + n(m, 3);
  m = q.match(/picked (\d+) \w+ but (\d+) were bad\. .* for (\d+) dollars/);
  if (m) return (n(m, 1) - n(m, 2)) * n(m, 3);
  m = q.match(/baked (\d+) cookies and ate (\d+)\. .* bags of (\d+)\./);
  if (m) return (n(m, 1) - n(m, 2)) / n(m, 3);
  m = q.match(/had (\d+) \w+\. (?:She|He) bought (\d+) packs of (\d+) \w+ and gave away (\d+)\./);
  if (m) return n(m, 1) + n(m, 2) * n(m, 3) - n(m, 4);
  m = q.match(/has (\d+) boys and (\d+) girls\. (\d+) are absent and the rest form teams of (\d+)\./);
  if (m) return (n(m, 1) + n(m, 2) - n(m, 3)) / n(m, 4);
  throw new Error(`no solver for: ${q}`);
}

function solveShuffled(ex: ExampleInput): string {
  const q = ex.question;
  const start = q.match(/^(\w+) has an? (\w+) \w+, (\w+) an? (\w+) one, and (\w+) an? (\w+) one\./);
  if (!start) throw new Error(`unparsed: ${q}`);
  const holding = new Map([
    [start[1]!, start[2]!],
    [start[3]!, start[4]!],
    [start[5]!, start[6]!],
  ]);
  for (const m of q.matchAll(/(\w+) and (\w+) swap\./g)) {
    const a = holding.get(m[1]!)!;
    holding.set(m[1]!, holding.get(m[2]!)!);
    holding.set(m[2]!, a);
  }
  const asked = q.match(/What color is (\w+)'s/)![1]!;
  return 'ABC'[ex.choices!.indexOf(holding.get(asked)!)]!;
}

describe('gold answers are correct', () => {
  it('coin_flip: yes exactly when an even number of people flip', () => {
    for (const ex of generateSynthetic({ task: 'coin_flip', n: N, seed: 11 })) {
      const flips = ex.question.match(/\w+ flips the coin\./g)?.length ?? 0;
      expect(ex.answer).toBe(flips % 2 === 0 ? 'yes' : 'no');
      expect(ex.answerType).toBe('yesno');
    }
  });

  it('last_letters: the last letters of the quoted words, lower-cased', () => {
    for (const ex of generateSynthetic({ task: 'last_letters', n: N, seed: 12 })) {
      const words = ex.question.match(/"([^"]+)"/)![1]!.split(' ');
      expect(ex.answer).toBe(words.map((w) => w.slice(-1).toLowerCase()).join(''));
      expect(ex.answerType).toBe('text');
    }
  });

  it('arithmetic: the value of the word problem, a whole non-negative number', () => {
    for (const ex of generateSynthetic({ task: 'arithmetic', n: N, seed: 13 })) {
      const value = solveArithmetic(ex.question);
      expect(Number.isInteger(value) && value >= 0).toBe(true);
      expect(ex.answer).toBe(normalizeAnswer('number', String(value)));
      expect(ex.answerType).toBe('number');
    }
  });

  it('shuffled_objects: the option letter of what the asked person holds after all swaps', () => {
    for (const ex of generateSynthetic({ task: 'shuffled_objects', n: N, seed: 14 })) {
      expect(ex.choices).toHaveLength(3);
      expect(ex.answer).toBe(solveShuffled(ex));
      expect(ex.answerType).toBe('choice');
      // The options are spelled out in the question for the student to choose from.
      expect(ex.question).toContain(`(A) ${ex.choices![0]} (B) ${ex.choices![1]} (C) ${ex.choices![2]}`);
    }
  });

  it('clean teacher answers equal gold and their rationales conclude with it', () => {
    for (const task of ['coin_flip', 'last_letters', 'arithmetic', 'shuffled_objects'] as const) {
      for (const ex of generateSynthetic({ task, n: 100, seed: 15 })) {
        const c = ex.completions[0]!;
        expect(c.correct).toBe(true);
        expect(answersMatch(ex.answerType, c.teacherAnswer!, ex.answer, ex.choices)).toBe(true);
        expect(c.rationale.endsWith(`the answer is ${ex.answerType === 'choice' ? `(${ex.answer})` : ex.answer}.`)).toBe(true);
      }
    }
  });
});
