// Scores predicted errors (checker findings or an annotator's labels) against the errors the
// synthetic generator injected, per annotation error type and overall, at three levels:
//
// - rationale: per example and type, "has an error of this type" (predicted vs injected).
// - span: a prediction matches an injected error of the same type when their character ranges
//   overlap (intersection > 0; an empty range counts as the single position it sits at). Matching
//   is one-to-one, greedy by largest overlap, so two predictions on one error give 1 TP + 1 FP.
// - step: a prediction matches an injected error of the same type in the same step index.
//
// `overall` sums TP/FP/FN over the types (micro average, types must match); `anyType` ignores
// types: it measures "found the error" regardless of what it was called. Injected types are
// mapped to annotation types with errorTypeMapping.ts.
import type { InjectedError } from '../../../../shared/types/dataset';
import { HALLUCINATION_TO_ERROR_TYPE } from './errorTypeMapping';
import { isActive } from './provenance';
import type { ErrorType, RationaleAnnotation } from './types';
import { ERROR_TYPES } from './types';
import type { LevelScore, Prf, ScoreLevel, ScoreReport } from './types';

export interface PredictedError {
  errorType: ErrorType;
  step: number;
  start: number;
  end: number;
  confidence?: number;
}

export interface ScoringExample {
  id: string;
  injected: readonly InjectedError[];
  predicted: readonly PredictedError[];
}

export function prf(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : precision === 0 || recall === 0 ? 0 : null;
  return { tp, fp, fn, precision, recall, f1 };
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

interface Gold {
  errorType: ErrorType;
  step: number;
  start: number;
  end: number;
}

/** Characters shared by two ranges; an empty range is treated as the one character at its position. */
export function overlapLength(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const [as, ae] = a.end > a.start ? [a.start, a.end] : [a.start, a.start + 1];
  const [bs, be] = b.end > b.start ? [b.start, b.end] : [b.start, b.start + 1];
  return Math.max(0, Math.min(ae, be) - Math.max(as, bs));
}

/** One-to-one greedy matching by descending score; returns the number of matched pairs. */
function greedyMatch<P, G>(preds: readonly P[], golds: readonly G[], score: (p: P, g: G) => number): number {
  const pairs: { p: number; g: number; s: number }[] = [];
  preds.forEach((p, i) => golds.forEach((g, j) => {
    const s = score(p, g);
    if (s > 0) pairs.push({ p: i, g: j, s });
  }));
  pairs.sort((x, y) => y.s - x.s || x.p - y.p || x.g - y.g);
  const usedP = new Set<number>();
  const usedG = new Set<number>();
  for (const { p, g } of pairs) {
    if (usedP.has(p) || usedG.has(g)) continue;
    usedP.add(p);
    usedG.add(g);
  }
  return usedP.size;
}

function emptyCounts(): Record<ErrorType, Counts> {
  const out = {} as Record<ErrorType, Counts>;
  for (const t of ERROR_TYPES) out[t] = { tp: 0, fp: 0, fn: 0 };
  return out;
}

function finish(level: ScoreLevel, perType: Record<ErrorType, Counts>, any: Counts): LevelScore {
  const typed = {} as Record<ErrorType, Prf>;
  const total: Counts = { tp: 0, fp: 0, fn: 0 };
  for (const t of ERROR_TYPES) {
    const c = perType[t];
    typed[t] = prf(c.tp, c.fp, c.fn);
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
  }
  return { level, perType: typed, overall: prf(total.tp, total.fp, total.fn), anyType: prf(any.tp, any.fp, any.fn) };
}

function add(c: Counts, matched: number, predicted: number, gold: number): void {
  c.tp += matched;
  c.fp += predicted - matched;
  c.fn += gold - matched;
}

/** Collapses predictions to one per (step, type) for step-level scoring. */
function uniqueBy<T>(xs: readonly T[], key: (x: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const x of xs) if (!seen.has(key(x))) seen.set(key(x), x);
  return [...seen.values()];
}

export interface ScoringOptions {
  /** Ignore predictions below this confidence (default 0: keep all). */
  minConfidence?: number;
}

export function scoreAgainstInjected(examples: readonly ScoringExample[], opts: ScoringOptions = {}): ScoreReport {
  const minConfidence = opts.minConfidence ?? 0;
  const rationale = { typed: emptyCounts(), any: { tp: 0, fp: 0, fn: 0 } };
  const span = { typed: emptyCounts(), any: { tp: 0, fp: 0, fn: 0 } };
  const step = { typed: emptyCounts(), any: { tp: 0, fp: 0, fn: 0 } };
  let withInjected = 0;
  const seenIds = new Set<string>();
  for (const ex of examples) {
    if (seenIds.has(ex.id)) throw new Error(`scoreAgainstInjected: example id ${JSON.stringify(ex.id)} appears twice`);
    seenIds.add(ex.id);
    const gold: Gold[] = ex.injected.map((e) => ({ errorType: HALLUCINATION_TO_ERROR_TYPE[e.type], step: e.step, start: e.start, end: e.end }));
    const pred = ex.predicted.filter((p) => (p.confidence ?? 1) >= minConfidence);
    if (gold.length > 0) withInjected++;

    // Rationale level.
    for (const t of ERROR_TYPES) {
      const g = gold.some((x) => x.errorType === t) ? 1 : 0;
      const p = pred.some((x) => x.errorType === t) ? 1 : 0;
      add(rationale.typed[t], Math.min(g, p), p, g);
    }
    const g = gold.length > 0 ? 1 : 0;
    const p = pred.length > 0 ? 1 : 0;
    add(rationale.any, Math.min(g, p), p, g);

    // Span level.
    for (const t of ERROR_TYPES) {
      const gt = gold.filter((x) => x.errorType === t);
      const pt = pred.filter((x) => x.errorType === t);
      add(span.typed[t], greedyMatch(pt, gt, overlapLength), pt.length, gt.length);
    }
    add(span.any, greedyMatch(pred, gold, overlapLength), pred.length, gold.length);

    // Step level.
    const stepKey = (x: { step: number; errorType: ErrorType }): string => `${x.step}:${x.errorType}`;
    const sameStep = (a: { step: number }, b: { step: number }): number => (a.step === b.step && a.step >= 0 ? 1 : 0);
    for (const t of ERROR_TYPES) {
      const gt = uniqueBy(gold.filter((x) => x.errorType === t), stepKey);
      const pt = uniqueBy(pred.filter((x) => x.errorType === t), stepKey);
      add(step.typed[t], greedyMatch(pt, gt, sameStep), pt.length, gt.length);
    }
    const ga = uniqueBy(gold, (x) => String(x.step));
    const pa = uniqueBy(pred, (x) => String(x.step));
    add(step.any, greedyMatch(pa, ga, sameStep), pa.length, ga.length);
  }
  return {
    examples: examples.length,
    examplesWithInjected: withInjected,
    minConfidence,
    rationale: finish('rationale', rationale.typed, rationale.any),
    span: finish('span', span.typed, span.any),
    step: finish('step', step.typed, step.any),
  };
}

/**
 * An annotator's labels as predicted errors: every active span, plus every incorrect step that
 * no active span of the same type already covers (an untyped incorrect step counts as `other`).
 * Rejected suggestions and deleted spans are not predictions.
 */
export function predictionsFromAnnotation(annotation: Pick<RationaleAnnotation, 'steps' | 'spans'>): PredictedError[] {
  const out: PredictedError[] = [];
  const spans = annotation.spans.filter(isActive);
  for (const s of spans) out.push({ errorType: s.errorType, step: s.step, start: s.start, end: s.end, confidence: s.provenance === 'auto' ? s.suggestion?.confidence ?? 1 : 1 });
  annotation.steps.forEach((st, i) => {
    if (st.rating !== -1 || !isActive(st)) return;
    const type = st.errorType ?? 'other';
    if (spans.some((s) => s.step === i && s.errorType === type)) return;
    out.push({ errorType: type, step: i, start: st.start, end: st.end, confidence: st.provenance === 'auto' ? st.suggestion?.confidence ?? 1 : 1 });
  });
  return out;
}
