// Quantity-misread checker: an operand of a computation must come from somewhere. Allowed
// sources are the question (digits, number words, "twice", "a dozen", percentages as fractions),
// the answer choices, results computed earlier in the rationale (stated results and their true
// values), products of those (a teacher often writes "3 packs of 4 is 12" without an operator), and a few constants everybody uses (1, 2, 100). Anything else is likely a number
// read wrongly from the question.
//
// Numbers merely mentioned in prose do not count as sources: a misread usually first appears
// as "She has 12 apples" (the question says 15) and is then used in "12 - 5 = 7". The finding
// points at the first mention of the number in the rationale, where the misread happened.
//
// Confidence: 0.7; 0.35 for common unit constants (7 days, 12 months, 24 hours, 60 minutes...)
// that the teacher may legitimately bring in; 0.3 when the number is a sum or difference of two
// known values (possibly an unstated step). Products/quotients of known values are not flagged.
import { splitSteps } from '../../../../../shared/steps';
import { candidateValues, findExpressions } from './expressions';
import { findNumbers, findNumberWords } from './numberTokens';
import type { CheckerInput, Finding } from './types';

const ALWAYS_AVAILABLE = [0, 1, 2, 100];
const UNIT_CONSTANTS = new Set([7, 12, 24, 30, 31, 52, 60, 365, 1000, 3600]);

class ValueSet {
  private readonly values: number[] = [];
  add(v: number): void {
    if (Number.isFinite(v) && !this.has(v)) this.values.push(v);
  }
  has(v: number): boolean {
    return this.values.some((x) => Math.abs(x - v) <= 1e-9 * Math.max(1, Math.abs(v)));
  }
  /**
   * How v can be obtained from two known values other than the trivial constants (a pool with 1
   * and 2 would make every off-by-one misread "derivable"): 'product' for * and /, 'sum' for + and -.
   */
  combination(v: number): 'product' | 'sum' | null {
    const xs = this.values.filter((x) => !ALWAYS_AVAILABLE.includes(x));
    const near = (a: number): boolean => Math.abs(a - v) <= 1e-9 * Math.max(1, Math.abs(v));
    let sum = false;
    // Distinct pairs only: squares ("4 * 4") are rarely an unstated step and would hide misreads.
    for (let i = 0; i < xs.length; i++) {
      for (let j = 0; j < xs.length; j++) {
        if (i === j) continue;
        const a = xs[i]!;
        const b = xs[j]!;
        if (near(a * b) || (b !== 0 && near(a / b))) return 'product';
        if (near(a + b) || near(a - b)) sum = true;
      }
    }
    return sum ? 'sum' : null;
  }
}

function sourcesFromQuestion(question: string, choices: readonly string[] | null): ValueSet {
  const set = new ValueSet();
  for (const v of ALWAYS_AVAILABLE) set.add(v);
  const texts = [question, ...(choices ?? [])];
  for (const text of texts) {
    for (const n of findNumbers(text)) {
      set.add(n.raw);
      set.add(n.value);
      set.add(Math.abs(n.raw));
    }
    // "3/4 of the cake": the fraction's value is a source too.
    for (const m of text.matchAll(/(\d+)\s*\/\s*(\d+)/g)) {
      const d = Number(m[2]);
      if (d !== 0) set.add(Number(m[1]) / d);
    }
    for (const v of findNumberWords(text)) set.add(v);
  }
  return set;
}

export function checkNumbersNotInQuestion(input: CheckerInput): Finding[] {
  const steps = input.steps ?? splitSteps(input.rationale);
  const available = sourcesFromQuestion(input.question, input.choices);
  const mentions = findNumbers(input.rationale);
  const flagged = new ValueSet();
  const findings: Finding[] = [];
  steps.forEach((step, index) => {
    const text = input.rationale.slice(step.start, step.end);
    for (const expr of findExpressions(text)) {
      if (!expr.result) continue; // only real computations: prose with dashes or slashes is not
      for (const op of expr.operands) {
        const known = available.has(op.raw) || available.has(op.value) || available.has(Math.abs(op.raw));
        if (known || flagged.has(op.value)) continue;
        // "3 packs of 4 is 12 pencils" computes without an operator: products are not flagged,
        // sums and differences only weakly (a perturbed misread is often such a sum).
        const combination = available.combination(op.value);
        if (combination === 'product') continue;
        flagged.add(op.value);
        const usedAt = step.start + op.start;
        const first = mentions.find((m) => m.value === op.value && m.start <= usedAt) ?? { start: usedAt, end: step.start + op.end };
        const firstStep = steps.findIndex((s) => first.start >= s.start && first.start < s.end);
        const written = input.rationale.slice(first.start, first.end);
        findings.push({
          checker: 'numbers_not_in_question',
          errorType: 'quantity_misread',
          step: firstStep,
          start: first.start,
          end: first.end,
          message:
            firstStep === index
              ? `${written} is used in a computation but appears neither in the question nor as an earlier result`
              : `${written} (used in a computation in step ${index + 1}) appears neither in the question nor as an earlier result`,
          confidence: combination === 'sum' ? 0.3 : UNIT_CONSTANTS.has(Math.abs(op.value)) ? 0.35 : 0.7,
        });
      }
      // Results become sources for later computations, both as written and as truly computed.
      available.add(expr.result.value);
      available.add(expr.result.raw);
      for (const v of candidateValues(expr)) available.add(v);
    }
  });
  return findings;
}
