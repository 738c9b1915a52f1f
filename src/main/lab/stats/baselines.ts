// What a test split gives away for free (docs/methods.md, "Statistics"): the majority-class
// baseline (always answer the commonest gold answer) and chance (a uniform guess among the
// possible answers). An accuracy means little until it is read against these two.
import { normalizeAnswer } from '../../../shared/answers';
import type { AnswerType } from '../../../shared/types/dataset';
import type { TestBaselines } from '../../../shared/types/experiments';

export interface GoldAnswer {
  answer: string;
  answerType: AnswerType;
  choices: readonly string[] | null;
}

/** Chance of one example: 1/#choices, 1/2 for yes/no, null for an open answer. */
function exampleChance(g: GoldAnswer): number | null {
  switch (g.answerType) {
    case 'yesno':
      return 0.5;
    case 'choice':
      return g.choices && g.choices.length > 0 ? 1 / g.choices.length : null;
    case 'number':
    case 'text':
      return null;
  }
}

/** Null for no examples. Gold answers are compared after the lab's answer normalisation. */
export function testBaselines(golds: readonly GoldAnswer[]): TestBaselines | null {
  if (golds.length === 0) return null;
  const counts = new Map<string, number>();
  let chanceSum = 0;
  let open = false;
  for (const g of golds) {
    const key = normalizeAnswer(g.answerType, g.answer, g.choices) ?? g.answer.trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const c = exampleChance(g);
    if (c === null) open = true;
    else chanceSum += c;
  }
  // Commonest answer; ties go to the alphabetically first so the label is stable.
  let best: [string, number] | null = null;
  for (const entry of [...counts].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
    if (!best || entry[1] > best[1]) best = entry;
  }
  return {
    examples: golds.length,
    answerTypes: [...new Set(golds.map((g) => g.answerType))].sort(),
    majority: { answer: best![0], accuracy: best![1] / golds.length },
    chance: open ? null : chanceSum / golds.length,
  };
}
