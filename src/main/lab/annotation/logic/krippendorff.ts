// Krippendorff's alpha for any number of coders with missing data, following "Computing
// Krippendorff's Alpha-Reliability" (Krippendorff 2011): build the coincidence matrix from all
// pairable values (units with at least two values; each unit's pairs weighted 1/(m_u - 1)), then
// alpha = 1 - (n - 1) * sum_ck o_ck d_ck / sum_ck n_c n_k d_ck.
//
// Metrics: nominal (verdicts, error types), ordinal (step ratings -1 < 0 < +1: only the order of
// values matters, distances come from how many values lie between), interval, ratio.
import type { AlphaResult } from './types';

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export interface AlphaOptions<T> {
  level?: AlphaLevel;
  /** Order of values for `ordinal` when they are not numbers (e.g. ['no', 'unsure', 'yes']). */
  order?: readonly T[];
}

/**
 * `data[u][c]` is coder c's value for unit u, or null when missing (units x coders; rows may have
 * different lengths).
 */
export function krippendorffAlpha<T extends string | number>(data: readonly (readonly (T | null)[])[], opts: AlphaOptions<T> = {}): AlphaResult {
  const level = opts.level ?? 'nominal';
  // Distinct values, in order for ordinal/interval metrics.
  const valueSet = new Set<T>();
  for (const row of data) for (const v of row) if (v !== null) valueSet.add(v);
  let values = [...valueSet];
  if (opts.order) {
    const missing = values.filter((v) => !opts.order!.includes(v));
    if (missing.length > 0) throw new Error(`krippendorffAlpha: values ${missing.map(String).join(', ')} are not in the given order`);
    values = opts.order.filter((v) => valueSet.has(v));
  } else if (level !== 'nominal') {
    if (values.some((v) => typeof v !== 'number')) throw new Error(`krippendorffAlpha: ${level} alpha needs numeric values or an explicit order`);
    values.sort((x, y) => (x as number) - (y as number));
  }
  if ((level === 'interval' || level === 'ratio') && values.some((v) => typeof v !== 'number')) {
    throw new Error(`krippendorffAlpha: ${level} alpha needs numeric values`);
  }
  const index = new Map<T, number>(values.map((v, i) => [v, i]));
  const V = values.length;
  const o: number[][] = Array.from({ length: V }, () => new Array<number>(V).fill(0));
  let units = 0;
  for (const row of data) {
    const present = row.filter((v): v is T => v !== null).map((v) => index.get(v)!);
    const m = present.length;
    if (m < 2) continue;
    units++;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) o[present[i]!]![present[j]!]! += 1 / (m - 1);
  }
  const nc = o.map((r) => r.reduce((s, x) => s + x, 0));
  const n = nc.reduce((s, x) => s + x, 0);
  const empty: AlphaResult = { alpha: null, pairable: n, units, observedDisagreement: null, expectedDisagreement: null };
  if (n < 2) return empty;

  const delta = (c: number, k: number): number => {
    if (c === k) return 0;
    switch (level) {
      case 'nominal':
        return 1;
      case 'ordinal': {
        const [lo, hi] = c < k ? [c, k] : [k, c];
        let s = 0;
        for (let g = lo; g <= hi; g++) s += nc[g]!;
        const d = s - (nc[c]! + nc[k]!) / 2;
        return d * d;
      }
      case 'interval': {
        const d = (values[c] as number) - (values[k] as number);
        return d * d;
      }
      case 'ratio': {
        const x = values[c] as number;
        const y = values[k] as number;
        const d = (x - y) / (x + y);
        return x + y === 0 ? 0 : d * d;
      }
    }
  };
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      const d = delta(c, k);
      observed += o[c]![k]! * d;
      expected += nc[c]! * nc[k]! * d;
    }
  }
  const Do = observed / n;
  const De = expected / (n * (n - 1));
  if (De === 0) return { ...empty, observedDisagreement: Do, expectedDisagreement: De };
  return { alpha: 1 - Do / De, pairable: n, units, observedDisagreement: Do, expectedDisagreement: De };
}
