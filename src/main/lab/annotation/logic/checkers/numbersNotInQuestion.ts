// Numbers-not-in-the-question checker: every operand of a computation must come from the
// question or an earlier result (see quantityAnalysis.ts for the classification).
//  - misread operand -> quantity_misread at the number's first mention in the rationale (where
//    "She has 12 apples" misread the question's 15), confidence 0.7; 0.35 for common unit
//    constants (7 days, 12 months, 24 hours, 60 minutes...) a teacher may legitimately bring in.
//  - underived operand (a combination of known values never written before) -> logical_leap at
//    the operand, confidence 0.5: a step that derived it is missing.
//  - implicit (written earlier in prose) -> nothing.
import { splitSteps } from '../../../../../shared/steps';
import { analyzeQuantities } from './quantityAnalysis';
import type { CheckerInput, Finding } from './types';

const UNIT_CONSTANTS = new Set([7, 12, 24, 30, 31, 52, 60, 365, 1000, 3600]);

export function checkNumbersNotInQuestion(input: CheckerInput): Finding[] {
  const steps = input.steps ?? splitSteps(input.rationale);
  const stepOf = (pos: number): number => steps.findIndex((s) => pos >= s.start && pos < s.end);
  const { expressions } = analyzeQuantities(input.rationale, steps, input.question, input.choices);
  const findings: Finding[] = [];
  for (const a of expressions) {
    for (const op of a.operands) {
      if (op.repeated) continue;
      const written = input.rationale.slice(op.start, op.end);
      if (op.origin === 'misread') {
        const at = op.firstMention!;
        const firstStep = stepOf(at.start);
        findings.push({
          checker: 'numbers_not_in_question',
          errorType: 'quantity_misread',
          step: firstStep,
          start: at.start,
          end: at.end,
          message:
            firstStep === a.step
              ? `${written} is used in a computation but appears neither in the question nor as an earlier result`
              : `${written} (used in a computation in step ${a.step + 1}) appears neither in the question nor as an earlier result`,
          confidence: UNIT_CONSTANTS.has(Math.abs(op.value)) ? 0.35 : 0.7,
        });
      } else if (op.origin === 'underived') {
        findings.push({
          checker: 'numbers_not_in_question',
          errorType: 'logical_leap',
          step: a.step,
          start: op.start,
          end: op.end,
          message: `${written} is used but no step derives it (it would be ${op.derivation}): a step seems to be missing`,
          confidence: 0.5,
        });
      }
    }
  }
  return findings;
}
