// Span agreement between two annotators over a set of items, three ways:
// - exact: spans with identical [start, end) (and type, if required) match;
// - overlap: spans match one-to-one when they share at least one character (greedy by overlap);
// - character: every character is a decision (inside a span of type t or not): TP = characters
//   both marked, FP / FN = marked by only one. Robust to small boundary differences.
// Annotator A plays "reference" (recall), B "prediction" (precision); F1 is symmetric.
import { overlapLength, prf } from './scoring';
import type { ErrorType } from './types';
import type { SpanAgreement } from './types';

export interface SpanLike {
  start: number;
  end: number;
  errorType?: ErrorType;
}

export interface SpanPairItem {
  a: readonly SpanLike[];
  b: readonly SpanLike[];
}

export interface SpanAgreementOptions {
  /** Spans must carry the same error type to match (default true). */
  requireSameType?: boolean;
}

function charSets(spans: readonly SpanLike[], typed: boolean): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const s of spans) {
    const key = typed ? (s.errorType ?? '') : '';
    let set = out.get(key);
    if (!set) out.set(key, (set = new Set()));
    for (let i = s.start; i < s.end; i++) set.add(i);
  }
  return out;
}

function matchCount(a: readonly SpanLike[], b: readonly SpanLike[], score: (x: SpanLike, y: SpanLike) => number): number {
  const pairs: { i: number; j: number; s: number }[] = [];
  a.forEach((x, i) => b.forEach((y, j) => {
    const s = score(x, y);
    if (s > 0) pairs.push({ i, j, s });
  }));
  pairs.sort((p, q) => q.s - p.s || p.i - q.i || p.j - q.j);
  const ua = new Set<number>();
  const ub = new Set<number>();
  for (const p of pairs) {
    if (ua.has(p.i) || ub.has(p.j)) continue;
    ua.add(p.i);
    ub.add(p.j);
  }
  return ua.size;
}

export function spanAgreement(items: readonly SpanPairItem[], opts: SpanAgreementOptions = {}): SpanAgreement {
  const typed = opts.requireSameType ?? true;
  const sameType = (x: SpanLike, y: SpanLike): boolean => !typed || x.errorType === y.errorType;
  const exact = { tp: 0, na: 0, nb: 0 };
  const overlap = { tp: 0, na: 0, nb: 0 };
  const chars = { tp: 0, fp: 0, fn: 0 };
  for (const { a, b } of items) {
    const e = matchCount(a, b, (x, y) => (sameType(x, y) && x.start === y.start && x.end === y.end ? 1 : 0));
    exact.tp += e;
    const o = matchCount(a, b, (x, y) => (sameType(x, y) ? overlapLength(x, y) : 0));
    overlap.tp += o;
    exact.na += a.length;
    exact.nb += b.length;
    overlap.na += a.length;
    overlap.nb += b.length;
    const ca = charSets(a, typed);
    const cb = charSets(b, typed);
    for (const key of new Set([...ca.keys(), ...cb.keys()])) {
      const sa = ca.get(key) ?? new Set<number>();
      const sb = cb.get(key) ?? new Set<number>();
      let both = 0;
      for (const i of sa) if (sb.has(i)) both++;
      chars.tp += both;
      chars.fn += sa.size - both;
      chars.fp += sb.size - both;
    }
  }
  return {
    exact: prf(exact.tp, exact.nb - exact.tp, exact.na - exact.tp),
    overlap: prf(overlap.tp, overlap.nb - overlap.tp, overlap.na - overlap.tp),
    character: prf(chars.tp, chars.fp, chars.fn),
    items: items.length,
  };
}
