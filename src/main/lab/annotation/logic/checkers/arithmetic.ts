// Arithmetic checker: recomputes every expression with a stated result in each step and flags
// results that no plausible reading of the expression produces (rules in arithmeticRules.ts).
// An expression that is wrong only because an operand was misread from the question ("16 - 3 =
// 12" when the question says 15) is left to the numbers checker: the arithmetic was right.
//
// Confidence: 0.9 for symbolic arithmetic ("3 + 5 = 8"), 0.75 when words carry the operator or
// equality ("2 times 3 is 6"), 0.6 when the stated integer is the floor/ceiling of the true value
// (the writer may mean whole units: "10 / 3 = 3 full boxes").
import { splitSteps } from '../../../../../shared/steps';
import { candidateValues, formatValue, type Expression } from './expressions';
import { analyzeQuantities } from './quantityAnalysis';
import type { CheckerInput, Finding } from './types';

export { expressionHolds } from './arithmeticRules';

function confidenceFor(expr: Expression, computed: number): number {
  const stated = expr.result!.value;
  if (expr.result!.decimals === 0 && (Math.floor(computed) === stated || Math.ceil(computed) === stated)) return 0.6;
  return expr.usesWords ? 0.75 : 0.9;
}

export function checkArithmetic(input: CheckerInput): Finding[] {
  const steps = input.steps ?? splitSteps(input.rationale);
  const { expressions } = analyzeQuantities(input.rationale, steps, input.question, input.choices);
  const findings: Finding[] = [];
  for (const a of expressions) {
    if (a.holds || a.explainedByMisread || !a.expr.result) continue;
    const computed = candidateValues(a.expr)[0]!;
    const written = input.rationale.slice(a.start, a.end);
    findings.push({
      checker: 'arithmetic',
      errorType: 'arithmetic',
      step: a.step,
      start: a.start,
      end: a.end,
      message: `"${written}": the expression evaluates to ${formatValue(computed)}, not ${formatValue(a.expr.result.value)}`,
      confidence: confidenceFor(a.expr, computed),
    });
  }
  return findings;
}
