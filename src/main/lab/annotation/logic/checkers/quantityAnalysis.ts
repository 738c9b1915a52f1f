// Where does every operand come from? One left-to-right pass over the computations of a
// rationale, shared by the arithmetic, numbers and answer checkers so they classify each problem
// once:
//  - known: from the question (digits, number words, percentages, fractions), the choices, an
//    earlier result (as stated and as truly computed), or the constants 0, 1, 2, 100;
//  - underived: not known, but a +, -, *, / combination of two distinct known values (other than
//    those constants) and never written before this computation: a step that should have derived
//    it is missing (skipped step);
//  - implicit: the same, but the rationale wrote the number earlier in prose ("3 packs of 4 is 12
//    pens"): an unstated computation, not flagged;
//  - misread: anything else; most likely a number read wrongly from the question. Its first
//    mention in the rationale (where the misread happened) is recorded.
// An expression whose stated result is right once a misread operand is replaced by a known value
// is "explained by the misread": the arithmetic itself was done correctly.
import type { StepSpan } from '../../../../../shared/steps';
import { candidateValues, findExpressions, type Expression, type ExprItem } from './expressions';
import { expressionHolds, resultMatches } from './arithmeticRules';
import { findNumbers, findNumberWords, type NumberToken } from './numberTokens';

export const ALWAYS_AVAILABLE: readonly number[] = [0, 1, 2, 100];

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

export class ValueSet {
  readonly values: number[] = [];
  add(v: number): void {
    if (Number.isFinite(v) && !this.has(v)) this.values.push(v);
  }
  has(v: number): boolean {
    return this.values.some((x) => near(x, v));
  }
  /** A combination a op b of two distinct known non-trivial values that equals v, or null. */
  combination(v: number): string | null {
    const xs = this.values.filter((x) => !ALWAYS_AVAILABLE.includes(x));
    for (let i = 0; i < xs.length; i++) {
      for (let j = 0; j < xs.length; j++) {
        if (i === j) continue;
        const a = xs[i]!;
        const b = xs[j]!;
        if (near(a + b, v)) return `${a} + ${b}`;
        if (near(a - b, v)) return `${a} - ${b}`;
        if (near(a * b, v)) return `${a} * ${b}`;
        if (b !== 0 && near(a / b, v)) return `${a} / ${b}`;
      }
    }
    return null;
  }
}

export function sourcesFromQuestion(question: string, choices: readonly string[] | null): ValueSet {
  const set = new ValueSet();
  for (const v of ALWAYS_AVAILABLE) set.add(v);
  for (const text of [question, ...(choices ?? [])]) {
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

/** The words right before and after a number ("has 15 marbles" -> ["has", "marbles"]). */
function neighbourWords(text: string, start: number, end: number): [string, string] {
  const before = /([A-Za-z]+)[^A-Za-z\d]*$/.exec(text.slice(Math.max(0, start - 30), start).replace(/\$$/, ''));
  const after = /^[^A-Za-z\d]*([A-Za-z]+)/.exec(text.slice(end, end + 30));
  return [before?.[1]?.toLowerCase() ?? '', after?.[1]?.toLowerCase() ?? ''];
}

/**
 * A rationale mention that restates a question quantity with a different number ("Anna has 16
 * marbles" for "Anna has 15 marbles"): same word before and after. Such a mention is a misread
 * even when 16 happens to equal some combination of known values.
 */
function restatesQuestionQuantity(rationale: string, mention: { start: number; end: number }, question: string): boolean {
  const [b, a] = neighbourWords(rationale, mention.start, mention.end);
  if (!b || !a) return false;
  return findNumbers(question).some((n) => {
    const [qb, qa] = neighbourWords(question, n.start, n.end);
    return qb === b && qa === a;
  });
}

export type OperandOrigin = 'known' | 'implicit' | 'underived' | 'misread';

export interface OperandAnalysis {
  /** Offsets in the rationale. */
  start: number;
  end: number;
  value: number;
  origin: OperandOrigin;
  /** For implicit/underived: the combination that yields it, e.g. "38 - 6". */
  derivation: string | null;
  /** For misread: the first mention of the value in the rationale. */
  firstMention: { start: number; end: number } | null;
  /** The same unknown value already appeared as an operand earlier (report it once). */
  repeated: boolean;
}

export interface ExpressionAnalysis {
  expr: Expression;
  step: number;
  /** Offsets in the rationale. */
  start: number;
  end: number;
  operands: OperandAnalysis[];
  /** The stated result is acceptable (true when there is no result). */
  holds: boolean;
  /** The result is wrong as written but right with a misread operand replaced by a known value. */
  explainedByMisread: boolean;
}

export interface QuantityAnalysis {
  expressions: ExpressionAnalysis[];
  /** Everything known after the last computation (question values and all results). */
  available: ValueSet;
  /** Stated and true values of every computation's result. */
  results: ValueSet;
}

function withOperandReplaced(expr: Expression, index: number, value: number): Expression {
  let seen = -1;
  const items: ExprItem[] = expr.items.map((it) => {
    if (it.kind !== 'num') return it;
    seen++;
    if (seen !== index) return it;
    const num: NumberToken = { ...it.num, raw: value, value, percent: false };
    return { kind: 'num', num };
  });
  return { ...expr, items };
}

/**
 * Unit conversions a teacher brings in legitimately ("2 hours is 2 * 60 = 120 minutes", "a week
 * has 7 days"): the constant counts as known when the question and rationale name both units.
 */
const UNIT_CONVERSIONS: ReadonlyArray<[number, RegExp, RegExp]> = [
  [60, /\bhours?\b/i, /\bminutes?\b/i],
  [60, /\bminutes?\b/i, /\bseconds?\b/i],
  [3600, /\bhours?\b/i, /\bseconds?\b/i],
  [24, /\bdays?\b/i, /\bhours?\b/i],
  [7, /\bweeks?\b/i, /\bdays?\b/i],
  [52, /\byears?\b/i, /\bweeks?\b/i],
  [12, /\byears?\b/i, /\bmonths?\b/i],
  [365, /\byears?\b/i, /\bdays?\b/i],
  [12, /\b(feet|foot)\b/i, /\binch(es)?\b/i],
  [3, /\b(yards?)\b/i, /\b(feet|foot)\b/i],
  [12, /\bdozens?\b/i, /./],
  [1000, /\bkilo/i, /./],
  [100, /\b(dollars?|\$)/i, /\bcents?\b/i],
];

export function unitConstants(text: string): number[] {
  return UNIT_CONVERSIONS.filter(([, a, b]) => a.test(text) && b.test(text)).map(([v]) => v);
}

export function analyzeQuantities(
  rationale: string,
  steps: readonly StepSpan[],
  question: string,
  choices: readonly string[] | null,
): QuantityAnalysis {
  const available = sourcesFromQuestion(question, choices);
  for (const v of unitConstants(`${question}\n${rationale}`)) available.add(v);
  const results = new ValueSet();
  const mentions = findNumbers(rationale);
  const seenUnknown = new ValueSet();
  const expressions: ExpressionAnalysis[] = [];
  steps.forEach((step, stepIndex) => {
    const text = rationale.slice(step.start, step.end);
    for (const expr of findExpressions(text)) {
      // Only computations with a stated result: prose with dashes or slashes is not arithmetic.
      if (!expr.result) continue;
      const exprStart = step.start + expr.start;
      const operands = expr.operands.map((op): OperandAnalysis => {
        const start = step.start + op.start;
        const end = step.start + op.end;
        const base = { start, end, value: op.value, derivation: null, firstMention: null, repeated: false };
        if (available.has(op.raw) || available.has(op.value) || available.has(Math.abs(op.raw))) return { ...base, origin: 'known' };
        const repeated = seenUnknown.has(op.value);
        seenUnknown.add(op.value);
        const derivation = available.combination(op.value);
        const first = mentions.find((m) => near(m.value, op.value) && m.start < exprStart) ?? null;
        if (derivation !== null && !(first && restatesQuestionQuantity(rationale, first, question))) {
          return { ...base, origin: first ? 'implicit' : 'underived', derivation, repeated };
        }
        return { ...base, origin: 'misread', firstMention: first ? { start: first.start, end: first.end } : { start, end }, repeated };
      });
      const holds = expressionHolds(expr);
      let explainedByMisread = false;
      if (!holds) {
        operands.forEach((op, i) => {
          if (op.origin !== 'misread' || explainedByMisread) return;
          explainedByMisread = available.values.some((v) => resultMatches(withOperandReplaced(expr, i, v)) === true);
        });
      }
      expressions.push({ expr, step: stepIndex, start: exprStart, end: step.start + expr.end, operands, holds, explainedByMisread });
      // Results become sources for later computations, both as written and as truly computed.
      for (const v of [expr.result.value, expr.result.raw, ...candidateValues(expr)]) {
        available.add(v);
        results.add(v);
      }
      // "... = 24 + 40 = 64": the partial results written on the right are derived here.
      for (const o of expr.rhsOperands ?? []) {
        available.add(o.value);
        results.add(o.value);
      }
    }
  });
  return { expressions, available, results };
}
