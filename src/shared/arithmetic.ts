// The four operations of a written calculation, one evaluation for the arithmetic task's templates,
// the arithmetic checker and the equation labels of imported datasets.
export type Op = '+' | '-' | '*' | '/';

/** x op y in float64; x / 0 is Infinity or NaN, as in JavaScript (callers that must refuse it check y). */
export function applyOp(op: Op, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
  }
}
