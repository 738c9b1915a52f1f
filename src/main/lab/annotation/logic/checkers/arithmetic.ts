// Arithmetic checker: recomputes every expression with a stated result in each step and flags
// results that no plausible reading of the expression produces.
//
// Tolerance follows the precision the writer claims: a result written with d decimals may be
// rounded or truncated, so it passes within 10^-d ("10 / 3 = 3.33" is fine); an integer result
// must be exact ("14 / 4 = 3" is wrong) unless the equality is approximate ("≈", "about").
//
// Confidence: 0.9 for symbolic arithmetic ("3 + 5 = 8"), 0.75 when words carry the operator or
// equality ("2 times 3 is 6"), 0.6 when the stated integer is the floor/ceiling of the true value
// (the writer may mean whole units: "10 / 3 = 3 full boxes").
import { splitSteps } from '../../../../../shared/steps';
import { candidateValues, findExpressions, formatValue, type Expression } from './expressions';
import type { CheckerInput, Finding } from './types';

function tolerance(expr: Expression): number {
  const r = expr.result!;
  if (expr.approx) return r.decimals === 0 ? 0.5 : 10 ** -r.decimals;
  return r.decimals === 0 ? 1e-9 : 10 ** -r.decimals;
}

function statedValues(expr: Expression): number[] {
  const r = expr.result!;
  return r.percent ? [r.value, r.raw] : [r.value];
}

/** True when the stated result is acceptable for some reading of the expression. */
export function expressionHolds(expr: Expression): boolean {
  if (!expr.result) return true;
  const tol = tolerance(expr);
  const candidates = candidateValues(expr);
  if (candidates.length === 0) return true; // e.g. division by zero: nothing to compare against
  return candidates.some((c) => statedValues(expr).some((s) => Math.abs(c - s) <= Math.max(tol, 1e-9 * Math.abs(c))));
}

function confidenceFor(expr: Expression, computed: number): number {
  const stated = expr.result!.value;
  if (expr.result!.decimals === 0 && (Math.floor(computed) === stated || Math.ceil(computed) === stated)) return 0.6;
  return expr.usesWords ? 0.75 : 0.9;
}

export function checkArithmetic(input: CheckerInput): Finding[] {
  const steps = input.steps ?? splitSteps(input.rationale);
  const findings: Finding[] = [];
  steps.forEach((step, index) => {
    const text = input.rationale.slice(step.start, step.end);
    for (const expr of findExpressions(text)) {
      if (!expr.result || expressionHolds(expr)) continue;
      const computed = candidateValues(expr)[0]!;
      const start = step.start + expr.start;
      const end = step.start + expr.end;
      const written = input.rationale.slice(start, end);
      findings.push({
        checker: 'arithmetic',
        errorType: 'arithmetic',
        step: index,
        start,
        end,
        message: `"${written}": the expression evaluates to ${formatValue(computed)}, not ${formatValue(expr.result.value)}`,
        confidence: confidenceFor(expr, computed),
      });
    }
  });
  return findings;
}
