// Evaluates the arithmetic equations some sources use as labels (SVAMP "( 3.0 + 4.0 )", teacher
// labels "(3 + 4)"), so gold and teacher answers can be compared as numbers. A tiny recursive
// descent parser over + - * / and parentheses: no eval, nothing else accepted.
import { applyOp, type Op } from '../../../../shared/arithmetic';

export function evaluateEquation(src: string): number | null {
  const tokens = src.match(/\d+(?:\.\d+)?|\.\d+|[-+*/()]|\S/g);
  if (!tokens || tokens.length === 0) return null;
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  // One precedence level: operands joined by its operators, evaluated left to right.
  const level = (operand: () => number | null, ops: readonly Op[]) => (): number | null => {
    let left = operand();
    while (left !== null && (ops as readonly (string | undefined)[]).includes(peek())) {
      const op = tokens[pos++] as Op;
      const right = operand();
      if (right === null) return null;
      left = applyOp(op, left, right);
    }
    return left;
  };
  const term = level(() => factor(), ['*', '/']);
  const expr = level(term, ['+', '-']);
  const factor = (): number | null => {
    const t = tokens[pos++];
    if (t === undefined) return null;
    if (t === '-') {
      const v = factor();
      return v === null ? null : -v;
    }
    if (t === '(') {
      const v = expr();
      if (tokens[pos++] !== ')') return null;
      return v;
    }
    return /^(\d+(\.\d+)?|\.\d+)$/.test(t) ? Number(t) : null;
  };
  const value = expr();
  if (value === null || pos !== tokens.length || !Number.isFinite(value)) return null;
  // Round away binary noise such as 0.1 + 0.2 so "0.3" compares cleanly.
  return Number(value.toPrecision(12));
}
