// Default rationale step splitter, shared by the synthetic generator (ground-truth step indices),
// the annotation workbench (initial split points) and the checkers, so "step 3" means the same
// thing everywhere. Pure string code: runs in every process.

export interface StepSpan {
  /** Offset of the first non-space character of the step in the rationale. */
  start: number;
  /** Offset one past the last non-space character. */
  end: number;
}

/**
 * Splits a rationale into steps: every line is a boundary, and inside a line a sentence ends at
 * `.`, `!` or `?` followed by whitespace. A period between digits ("3.5") or directly followed by
 * a non-space character never splits. Leading/trailing whitespace is excluded from each step and
 * empty steps are dropped, so spans never overlap and are in order.
 */
export function splitSteps(rationale: string): StepSpan[] {
  const steps: StepSpan[] = [];
  const push = (from: number, to: number): void => {
    let s = from;
    let e = to;
    while (s < e && /\s/.test(rationale[s]!)) s++;
    while (e > s && /\s/.test(rationale[e - 1]!)) e--;
    if (e > s) steps.push({ start: s, end: e });
  };
  let segStart = 0;
  for (let i = 0; i < rationale.length; i++) {
    const ch = rationale[i]!;
    if (ch === '\n') {
      push(segStart, i);
      segStart = i + 1;
    } else if ((ch === '.' || ch === '!' || ch === '?') && i + 1 < rationale.length && /[ \t]/.test(rationale[i + 1]!)) {
      push(segStart, i + 1);
      segStart = i + 1;
    }
  }
  push(segStart, rationale.length);
  return steps;
}

/** Index of the step containing character offset `pos`, or -1 when it falls between steps. */
export function stepIndexAt(steps: readonly StepSpan[], pos: number): number {
  for (let i = 0; i < steps.length; i++) {
    if (pos >= steps[i]!.start && pos < steps[i]!.end) return i;
  }
  return -1;
}
