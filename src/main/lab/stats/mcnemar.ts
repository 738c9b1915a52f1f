// Exact McNemar test for two classifiers judged on the same examples: only discordant pairs
// carry information, and under H0 each discordant pair is a fair coin flip, so the p-value is a
// two-sided binomial tail with p = 1/2. Exact (not chi-square) because discordant counts from
// a few hundred test examples are often small.

export interface McNemarResult {
  /** A correct, B wrong. */
  b: number;
  /** A wrong, B correct. */
  c: number;
  /** Examples both got right / both got wrong (reported for context, unused by the test). */
  bothCorrect: number;
  bothWrong: number;
  pValue: number;
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** Two-sided exact binomial p-value for discordant counts b and c: min(1, 2 P(X <= min(b,c))). */
export function mcnemarExactFromCounts(b: number, c: number): number {
  for (const [name, v] of [['b', b], ['c', c]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`mcnemar: ${name} must be a non-negative integer, got ${v}`);
  }
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Sum in log space relative to the largest term so large n neither overflows nor underflows.
  const logTerms: number[] = [];
  for (let i = 0; i <= k; i++) logTerms.push(logChoose(n, i) - n * Math.LN2);
  const max = Math.max(...logTerms);
  let s = 0;
  for (const t of logTerms) s += Math.exp(t - max);
  return Math.min(1, 2 * Math.exp(max) * s);
}

export function mcnemarExact(aCorrect: readonly boolean[], bCorrect: readonly boolean[]): McNemarResult {
  if (aCorrect.length !== bCorrect.length) {
    throw new Error(`mcnemar: method A has ${aCorrect.length} results, method B has ${bCorrect.length}; they must be paired`);
  }
  let b = 0;
  let c = 0;
  let bothCorrect = 0;
  let bothWrong = 0;
  for (let i = 0; i < aCorrect.length; i++) {
    const x = aCorrect[i]!;
    const y = bCorrect[i]!;
    if (x && !y) b++;
    else if (!x && y) c++;
    else if (x) bothCorrect++;
    else bothWrong++;
  }
  return { b, c, bothCorrect, bothWrong, pValue: mcnemarExactFromCounts(b, c) };
}
