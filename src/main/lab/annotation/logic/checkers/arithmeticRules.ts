// When is a stated result right? Tolerance follows the precision the writer claims: a result
// written with d decimals may be rounded or truncated, so it passes within 10^-d ("10 / 3 = 3.33"
// is fine); an integer result must be exact ("14 / 4 = 3" is wrong) unless the equality is
// approximate ("≈", "about"), which allows 0.5. A result matching any plausible reading of the
// expression (see candidateValues) is accepted.
import { candidateValues, type Expression } from './expressions';

function tolerance(expr: Expression): number {
  const r = expr.result!;
  if (expr.approx) return r.decimals === 0 ? 0.5 : 10 ** -r.decimals;
  return r.decimals === 0 ? 0 : 10 ** -r.decimals;
}

/** True when the stated result is acceptable for some reading of the expression (or there is none). */
export function expressionHolds(expr: Expression): boolean {
  return resultMatches(expr) !== false;
}

/** Whether the stated result matches; null when there is no result or nothing to compute (x / 0). */
export function resultMatches(expr: Expression): boolean | null {
  if (!expr.result) return null;
  const tol = tolerance(expr);
  const candidates = candidateValues(expr);
  if (candidates.length === 0) return null;
  const stated = expr.result.percent ? [expr.result.value, expr.result.raw] : [expr.result.value];
  // Chained equality "a*b+c*d = 24+40 = 64": the right-hand expression's value is stated too.
  if (expr.rhsValue !== undefined) stated.push(expr.rhsValue);
  return candidates.some((c) => stated.some((s) => Math.abs(c - s) <= Math.max(tol, 1e-9 * Math.max(1, Math.abs(c)))));
}
