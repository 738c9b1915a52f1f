// Guessing an answer type from the data when neither the user nor a known task key decides it.
// Order matters: yes/no before number before text; choice only when the options are known.
import type { AnswerType } from '../../../../shared/types/dataset';
import { normalizeChoice, normalizeNumber, normalizeYesNo } from '../../../../shared/answers';

export interface AnswerSample {
  answer: string;
  choices: string[] | null;
}

export function inferAnswerType(samples: readonly AnswerSample[]): AnswerType {
  const withAnswer = samples.filter((s) => s.answer.trim() !== '');
  if (withAnswer.length === 0) return 'text';
  if (withAnswer.every((s) => s.choices && normalizeChoice(s.answer, s.choices) !== null)) return 'choice';
  if (withAnswer.every((s) => normalizeYesNo(s.answer) !== null)) return 'yesno';
  if (withAnswer.every((s) => normalizeNumber(s.answer) !== null)) return 'number';
  return 'text';
}
