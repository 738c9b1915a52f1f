// Cohen's kappa for two annotators on nominal labels (Cohen 1960): chance-corrected agreement
// kappa = (p_o - p_e) / (1 - p_e), with p_e from each annotator's own label distribution.
// Items either annotator left unlabelled (null) are skipped.
import type { KappaResult } from './types';

export function cohenKappa<T extends string | number | boolean>(a: readonly (T | null)[], b: readonly (T | null)[]): KappaResult {
  if (a.length !== b.length) throw new Error(`cohenKappa: annotator A has ${a.length} items, annotator B has ${b.length}; they must be aligned`);
  const countA = new Map<T, number>();
  const countB = new Map<T, number>();
  let n = 0;
  let agree = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === null || y === null) continue;
    n++;
    if (x === y) agree++;
    countA.set(x, (countA.get(x) ?? 0) + 1);
    countB.set(y, (countB.get(y) ?? 0) + 1);
  }
  if (n === 0) return { kappa: null, observed: null, expected: null, n };
  const observed = agree / n;
  let expected = 0;
  for (const [label, ca] of countA) expected += (ca / n) * ((countB.get(label) ?? 0) / n);
  const kappa = expected === 1 ? null : (observed - expected) / (1 - expected);
  return { kappa, observed, expected, n };
}
