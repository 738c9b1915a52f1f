// Runs the machine pre-annotation checkers on one rationale.
import { splitSteps } from '../../../../../shared/steps';
import type { CheckerName } from '../types';
import { checkAnswerMismatch } from './answerMismatch';
import { checkArithmetic } from './arithmetic';
import { checkNumbersNotInQuestion } from './numbersNotInQuestion';
import type { CheckerInput, Finding } from './types';

export type { CheckerInput, Finding } from './types';
export { checkArithmetic, expressionHolds } from './arithmetic';
export { checkNumbersNotInQuestion } from './numbersNotInQuestion';
export { checkAnswerMismatch, findConclusion, type Conclusion } from './answerMismatch';
export { findExpressions, evaluate, candidateValues, type Expression } from './expressions';
export { findNumbers, findNumberWords, type NumberToken } from './numberTokens';

const CHECKERS: Record<CheckerName, (input: CheckerInput) => Finding[]> = {
  arithmetic: checkArithmetic,
  numbers_not_in_question: checkNumbersNotInQuestion,
  answer_mismatch: checkAnswerMismatch,
};

/** Runs the chosen checkers (default: all) and returns their findings ordered by position. */
export function runCheckers(input: CheckerInput, which: readonly CheckerName[] = Object.keys(CHECKERS) as CheckerName[]): Finding[] {
  const steps = input.steps ?? splitSteps(input.rationale);
  const all = which.flatMap((name) => CHECKERS[name]({ ...input, steps }));
  return all.sort((a, b) => a.start - b.start || a.end - b.end || a.checker.localeCompare(b.checker));
}
