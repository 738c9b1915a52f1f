// Finds arithmetic written in rationale text and evaluates it: "14 / 4 = 3", "3 + 5 = 8 apples",
// "2 times 3 is 6", "$20 x 3 = $60", "(3 + 5) * 2 = 16", "20% of 50 = 10". A small lexer turns
// the text into tokens; chains of operands and operators followed by an equality and a number
// become expressions. Anything else (dates "3/4/2020" with no result, prose) is skipped, because a
// checker that flags prose as wrong arithmetic is worse than one that misses some arithmetic.
import { applyOp, type Op } from '../../../../../shared/arithmetic';
import { lexNumberAt, type NumberToken } from './numberTokens';

export type Operator = Op;

type Token =
  | { kind: 'num'; num: NumberToken; start: number; end: number }
  | { kind: 'op'; op: Operator; word: boolean; start: number; end: number }
  | { kind: 'lparen' | 'rparen'; start: number; end: number }
  | { kind: 'eq'; word: boolean; approx: boolean; start: number; end: number }
  | { kind: 'word'; text: string; start: number; end: number }
  | { kind: 'punct'; start: number; end: number };

const WORD_OPERATORS: ReadonlyArray<[RegExp, Operator]> = [
  [/multiplied\s+by\b/iy, '*'],
  [/divided\s+by\b/iy, '/'],
  [/times\b/iy, '*'],
  [/plus\b/iy, '+'],
  [/minus\b/iy, '-'],
];
const WORD_EQUALS: ReadonlyArray<[RegExp, boolean]> = [
  [/is\s+(?:about|approximately|roughly|around|nearly)\b/iy, true],
  [/is\s+equal\s+to\b/iy, false],
  [/equals?\b/iy, false],
  [/is\b/iy, false],
  [/are\b/iy, false],
  [/makes?\b/iy, false],
  [/gives?\b/iy, false],
];
const APPROX_WORDS = /^(about|approximately|roughly|around|nearly|almost)$/i;

function lastSignificant(tokens: readonly Token[]): Token | undefined {
  return tokens[tokens.length - 1];
}

/** Lexes text into tokens; offsets are relative to `text`. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const matchAt = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = i;
    return re.exec(text);
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const prev = lastSignificant(tokens);
    const afterOperand = prev !== undefined && (prev.kind === 'num' || prev.kind === 'rparen');
    if (/[\d$.\-\u2212]/.test(ch)) {
      const num = lexNumberAt(text, i, !afterOperand);
      if (num) {
        tokens.push({ kind: 'num', num, start: num.start, end: num.end });
        i = num.end;
        continue;
      }
    }
    if ('+-\u2212*\u00d7\u00b7\u2217/\u00f7'.includes(ch)) {
      const op: Operator = ch === '+' ? '+' : ch === '-' || ch === '\u2212' ? '-' : ch === '/' || ch === '\u00f7' ? '/' : '*';
      tokens.push({ kind: 'op', op, word: false, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (ch === '(' || ch === '[') {
      tokens.push({ kind: 'lparen', start: i, end: i + 1 });
      i++;
      continue;
    }
    if (ch === ')' || ch === ']') {
      tokens.push({ kind: 'rparen', start: i, end: i + 1 });
      i++;
      continue;
    }
    if (ch === '=' || ch === '\u2248' || (ch === '~' && text[i + 1] === '=')) {
      const len = ch === '~' ? 2 : 1;
      tokens.push({ kind: 'eq', word: false, approx: ch !== '=', start: i, end: i + len });
      i += len;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      // "x" between operands is multiplication ("3 x 4", "3x4"); elsewhere it is a letter.
      if ((ch === 'x' || ch === 'X') && afterOperand && !/[A-Za-z]/.test(text[i + 1] ?? '') && /^\s*[\d($.]/.test(text.slice(i + 1))) {
        tokens.push({ kind: 'op', op: '*', word: false, start: i, end: i + 1 });
        i++;
        continue;
      }
      let matched = false;
      for (const [re, op] of WORD_OPERATORS) {
        const m = matchAt(re);
        if (m) {
          tokens.push({ kind: 'op', op, word: true, start: i, end: i + m[0].length });
          i += m[0].length;
          matched = true;
          break;
        }
      }
      if (matched) continue;
      for (const [re, approx] of WORD_EQUALS) {
        const m = matchAt(re);
        if (m) {
          tokens.push({ kind: 'eq', word: true, approx, start: i, end: i + m[0].length });
          i += m[0].length;
          matched = true;
          break;
        }
      }
      if (matched) continue;
      const w = matchAt(/[A-Za-z]+(?:'[a-z]+)?/y)!;
      tokens.push({ kind: 'word', text: w[0], start: i, end: i + w[0].length });
      i += w[0].length;
      continue;
    }
    tokens.push({ kind: 'punct', start: i, end: i + 1 });
    i++;
  }
  return tokens;
}

/** Operand or operator in an expression's infix sequence. */
export type ExprItem = { kind: 'num'; num: NumberToken } | { kind: 'op'; op: Operator } | { kind: 'lparen' } | { kind: 'rparen' };

export interface Expression {
  /** Offsets relative to the scanned text: from the first operand to the result (or last operand). */
  start: number;
  end: number;
  items: ExprItem[];
  operands: NumberToken[];
  /** The stated result, when the expression has "= r" / "is r". */
  result: NumberToken | null;
  /** The equality was approximate ("≈", "about", "approximately"). */
  approx: boolean;
  /** Some operator or the equality was a word ("times", "is"): slightly less certain to be arithmetic. */
  usesWords: boolean;
  /** Chained equality ("a*b+c*d = 24+40 = 64"): the numbers of the right-hand expression ("24", "40"). */
  rhsOperands?: NumberToken[];
  /** ...and that expression's value ("64"), accepted as the stated result as well. */
  rhsValue?: number;
}

const UNIT_WORD_BLOCKLIST = /^(and|or|but|so|then|which|that|of|per|each|to|for|in|on|at|by|with|from|than|more|less|left)$/i;

/**
 * Parses the chain starting at token k. Grammar (units are single words after an operand):
 *   chain  := operand (op operand)+ [eq ['about'...] num]
 *   operand:= num [unit] | '(' chain-without-eq ')' [unit]
 * "of" counts as multiplication after a percentage or a fraction ("20% of 50", "1/2 of 12").
 */
function parseChainAt(tokens: readonly Token[], k: number): { expr: Expression; resultIndex: number | null; next: number } | null {
  const items: ExprItem[] = [];
  const operands: NumberToken[] = [];
  let depth = 0;
  let expectOperand = true;
  let opCount = 0;
  let usesWords = false;
  let j = k;
  let lastEnd = -1;
  const first = tokens[k];
  if (!first || (first.kind !== 'num' && first.kind !== 'lparen')) return null;
  for (; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (expectOperand) {
      if (t.kind === 'num') {
        items.push({ kind: 'num', num: t.num });
        operands.push(t.num);
        lastEnd = t.end;
        expectOperand = false;
        // Optional unit word directly after an operand, only if an operator/eq/paren follows.
        const u = tokens[j + 1];
        const after = tokens[j + 2];
        if (u?.kind === 'word' && !UNIT_WORD_BLOCKLIST.test(u.text) && after && (after.kind === 'op' || after.kind === 'rparen' || (after.kind === 'eq' && opCount > 0))) j++;
      } else if (t.kind === 'lparen') {
        items.push({ kind: 'lparen' });
        depth++;
      } else break;
    } else {
      if (t.kind === 'op') {
        items.push({ kind: 'op', op: t.op });
        usesWords ||= t.word;
        opCount++;
        expectOperand = true;
      } else if (t.kind === 'word' && /^of$/i.test(t.text) && isFractionOrPercentBefore(items)) {
        items.push({ kind: 'op', op: '*' });
        usesWords = true;
        opCount++;
        expectOperand = true;
      } else if (t.kind === 'rparen' && depth > 0) {
        items.push({ kind: 'rparen' });
        depth--;
        lastEnd = t.end;
      } else break;
    }
  }
  // Drop a dangling operator ("3 + 5 + ") so the chain ends on an operand.
  while (items.length > 0 && items[items.length - 1]!.kind === 'op') {
    items.pop();
    opCount--;
    j--;
  }
  const lastItem = items[items.length - 1];
  if (opCount < 1 || depth !== 0 || !lastItem || (lastItem.kind !== 'num' && lastItem.kind !== 'rparen')) return null;
  let result: NumberToken | null = null;
  let rhsOperands: NumberToken[] | undefined;
  let rhsValue: number | undefined;
  let resultIndex: number | null = null;
  let approx = false;
  const eq = tokens[j];
  if (eq?.kind === 'eq') {
    let r = j + 1;
    approx = eq.approx;
    const maybeApprox = tokens[r];
    if (maybeApprox?.kind === 'word' && APPROX_WORDS.test(maybeApprox.text)) {
      approx = true;
      r++;
    }
    const res = tokens[r];
    if (res?.kind === 'num') {
      result = res.num;
      resultIndex = r;
      usesWords ||= eq.word;
      // A chained equality: "3*8+5*8 = 24+40 = 64" (the right side is an expression the left
      // side equals) or a running total "3 + 5 = 8 + 2 = 10" (the left side equals the first
      // number). Both are read; the right side's value is an accepted result too.
      const next = tokens[r + 1];
      if (next?.kind === 'op' && !eq.word) {
        const rhs = parseChainAt(tokens, r);
        const value = rhs ? evaluate(rhs.expr.items, true) : null;
        if (rhs && value !== null) {
          rhsValue = value;
          rhsOperands = rhs.expr.operands;
        }
      }
    }
  }
  const start = tokens[k]!.start;
  const end = result ? result.end : lastEnd;
  return { expr: { start, end, items, operands, result, approx, usesWords, ...(rhsOperands ? { rhsOperands, rhsValue } : {}) }, resultIndex, next: j };
}

function isFractionOrPercentBefore(items: readonly ExprItem[]): boolean {
  const last = items[items.length - 1];
  if (last?.kind === 'num' && last.num.percent) return true;
  const op = items[items.length - 2];
  return last?.kind === 'num' && op?.kind === 'op' && op.op === '/' && items.length === 3;
}

/** All arithmetic expressions in `text` (offsets relative to it), left to right. */
export function findExpressions(text: string): Expression[] {
  const tokens = tokenize(text);
  const out: Expression[] = [];
  let k = 0;
  while (k < tokens.length) {
    const parsed = parseChainAt(tokens, k);
    if (!parsed) {
      k++;
      continue;
    }
    out.push(parsed.expr);
    // "3 + 5 = 8 + 2 = 10": the result starts the next chain.
    k = parsed.resultIndex ?? Math.max(parsed.next, k + 1);
  }
  return out;
}

/** How percentages are read: as fractions ("20%" = 0.2) or as the written number. */
type PercentMode = 'fraction' | 'raw';

function operandValue(n: NumberToken, mode: PercentMode): number {
  return mode === 'fraction' ? n.value : n.raw;
}

/** Evaluates with usual precedence (precedence = true) or strictly left to right. Null on x/0. */
export function evaluate(items: readonly ExprItem[], precedence: boolean, mode: PercentMode = 'fraction'): number | null {
  let pos = 0;
  const prec = (op: Operator): number => (precedence && (op === '*' || op === '/') ? 2 : 1);
  const apply = (a: number, op: Operator, b: number): number | null => (op === '/' && b === 0 ? null : applyOp(op, a, b));
  const primary = (): number | null => {
    const it = items[pos++];
    if (!it) return null;
    if (it.kind === 'num') return operandValue(it.num, mode);
    if (it.kind === 'lparen') {
      const v = expr(0);
      if (items[pos]?.kind !== 'rparen') return null;
      pos++;
      return v;
    }
    return null;
  };
  // Precedence climbing; with precedence = false every operator has the same level (left to right).
  const expr = (minPrec: number): number | null => {
    let lhs = primary();
    if (lhs === null) return null;
    for (;;) {
      const it = items[pos];
      if (!it || it.kind !== 'op' || prec(it.op) < minPrec) break;
      pos++;
      const rhs = expr(prec(it.op) + 1);
      if (rhs === null) return null;
      lhs = apply(lhs, it.op, rhs);
      if (lhs === null) return null;
    }
    return lhs;
  };
  const v = expr(0);
  return v !== null && pos === items.length && Number.isFinite(v) ? v : null;
}

/**
 * Plausible readings of an expression: with and without operator precedence (teachers often
 * compute left to right), percentages as fractions or as written, and "a - p%" meaning
 * "a minus p% of a". A stated result matching any reading is not an error.
 */
export function candidateValues(expr: Expression): number[] {
  const values = new Set<number>();
  for (const precedence of [true, false]) {
    for (const mode of ['fraction', 'raw'] as const) {
      const v = evaluate(expr.items, precedence, mode);
      if (v !== null) values.add(v);
    }
  }
  const it = expr.items;
  if (it.length === 3 && it[0]?.kind === 'num' && it[1]?.kind === 'op' && it[2]?.kind === 'num' && it[2].num.percent) {
    const a = it[0].num.value;
    const p = it[2].num.value;
    if (it[1].op === '+') values.add(a * (1 + p));
    if (it[1].op === '-') values.add(a * (1 - p));
  }
  return [...values];
}

/** Human-friendly rendering of a computed value (at most 6 decimals). */
export function formatValue(v: number): string {
  return String(Number(v.toFixed(6)));
}
