// One annotator working on one rationale: the view the workbench shows, saving the whole label
// state, accepting or rejecting machine suggestions, and undo/redo. Every change is one durable
// transaction (store/durable.ts) that also records the state before it for undo.
import type { Db } from '../../db/database';
import { LabError } from '../../errors';
import { resolveVersion } from '../../datasets/store/versions';
import { consistencyWarnings, firstErrorStep } from '../logic/consistency';
import { acceptLabel, isActive, rejectLabel } from '../logic/provenance';
import { defaultSteps, reassignSpanSteps, stepIndexForRange } from '../logic/stepLayout';
import { durableTransaction } from '../store/durable';
import { recordChange, stepHistory, undoState, type HistoryAction } from '../store/history';
import { loadItem, revisionInVersion, type LoadedItem } from '../store/items';
import { readAnnotation, readGold, readItemAnnotations, summarise, writeAnnotation, type ItemKey } from '../store/rows';
import { applyLabelState, sameLabels } from './applyLabels';
import { AUTO_ANNOTATOR, type AnnotationView, type LabelState, type RationaleAnnotation, type SpanLabel, type UndoResult } from '../../../../shared/types/annotations';

export interface ItemRef {
  dataset: number;
  example: number;
  completion: number;
  annotator: string;
}

/** Names that mean something else: the machine's labels and exported gold lines. */
export function checkAnnotatorName(name: string): string {
  const n = name.trim();
  if (n === '') throw new LabError('INVALID_INPUT', 'the annotator name is empty: set your name in Settings (Annotator name) before labelling');
  if (n === AUTO_ANNOTATOR || n.startsWith('@')) throw new LabError('INVALID_INPUT', `"${n}" is reserved for machine and gold labels; choose another annotator name`);
  return n;
}

function answerMismatchFlagged(auto: RationaleAnnotation | null): boolean {
  return auto !== null && auto.spans.some((s) => isActive(s) && s.suggestion?.checker === 'answer_mismatch');
}

function pending(auto: RationaleAnnotation | null, mine: RationaleAnnotation | null, fingerprint: string): SpanLabel[] {
  if (!auto || auto.rationaleFingerprint !== fingerprint) return [];
  const seen = new Set((mine?.spans ?? []).map((s) => s.id));
  return auto.spans.filter((s) => isActive(s) && !seen.has(s.id));
}

export function buildView(db: Db, loaded: LoadedItem, annotator: string): AnnotationView {
  const { key, item } = loaded;
  const all = readItemAnnotations(db, key);
  const mine = all.find((a) => a.annotator === annotator) ?? null;
  const auto = all.find((a) => a.annotator === AUTO_ANNOTATOR) ?? null;
  const stale = mine !== null && mine.rationaleFingerprint !== item.fingerprint;
  return {
    item,
    annotator,
    mine,
    labelled: mine !== null && summarise(mine).labelled,
    layout: mine?.steps ?? defaultSteps(item.rationale, new Date(0).toISOString()),
    others: all.filter((a) => a.annotator !== annotator && a.annotator !== AUTO_ANNOTATOR),
    suggestions: auto,
    pendingSuggestions: pending(auto, mine, item.fingerprint),
    gold: readGold(db, key),
    warnings: mine ? consistencyWarnings(item.rationale, mine, item.fingerprint, { answerMismatch: answerMismatchFlagged(auto) }) : [],
    firstErrorStep: mine ? firstErrorStep(mine) : null,
    stale,
    ...undoState(db, key.datasetId, annotator),
  };
}

export function getView(db: Db, ref: ItemRef): AnnotationView {
  const annotator = checkAnnotatorName(ref.annotator);
  return buildView(db, loadItem(db, ref.dataset, ref.example, ref.completion), annotator);
}

/** Writes one change durably with its undo entry; a change that alters no label only updates time spent. */
function commitChange(db: Db, key: ItemKey, annotator: string, action: HistoryAction, before: RationaleAnnotation | null, after: RationaleAnnotation): void {
  durableTransaction(db, () => {
    writeAnnotation(db, key, annotator, after);
    if (!sameLabels(before, after)) recordChange(db, key, annotator, action, before, after);
  });
}

export function saveLabels(db: Db, ref: ItemRef, state: LabelState, timeSpentDeltaMs: number): AnnotationView {
  const annotator = checkAnnotatorName(ref.annotator);
  const loaded = loadItem(db, ref.dataset, ref.example, ref.completion);
  const { key, item } = loaded;
  const prev = readAnnotation(db, key, annotator);
  const next = applyLabelState(prev, state, timeSpentDeltaMs, {
    exampleId: key.externalId,
    completion: key.completion,
    annotator,
    rationale: item.rationale,
    fingerprint: item.fingerprint,
    defaultSteps: item.defaultSteps,
    suggestions: readAnnotation(db, key, AUTO_ANNOTATOR),
    now: new Date().toISOString(),
  });
  commitChange(db, key, annotator, 'save', prev, next);
  return buildView(db, loaded, annotator);
}

/**
 * Accepts (or rejects) machine span suggestions: one by id, or every pending one. An accepted
 * span also marks its step incorrect with the span's error type when the annotator has not rated
 * that step yet; a rejected one is kept with provenance `rejected` so it is not proposed again.
 */
export function reviewSuggestions(db: Db, ref: ItemRef, decision: 'accept' | 'reject', spanId: string | undefined): AnnotationView {
  const annotator = checkAnnotatorName(ref.annotator);
  const loaded = loadItem(db, ref.dataset, ref.example, ref.completion);
  const { key, item } = loaded;
  const prev = readAnnotation(db, key, annotator);
  const auto = readAnnotation(db, key, AUTO_ANNOTATOR);
  const open = pending(auto, prev, item.fingerprint);
  const chosen = spanId === undefined ? open : open.filter((s) => s.id === spanId);
  if (spanId !== undefined && chosen.length === 0) throw new LabError('NOT_FOUND', `no pending suggestion ${JSON.stringify(spanId)} on this rationale`);
  if (chosen.length === 0) return buildView(db, loaded, annotator);
  const now = new Date().toISOString();
  const base: RationaleAnnotation = prev ?? {
    exampleId: key.externalId,
    completionIndex: key.completion,
    annotator,
    rationaleFingerprint: item.fingerprint,
    verdict: null,
    steps: defaultSteps(item.rationale, now),
    spans: [],
    timeSpentMs: 0,
    createdAt: now,
    updatedAt: now,
  };
  const steps = base.steps.slice();
  const added = chosen.map((s) => {
    const copy: SpanLabel = { ...s, createdAt: now, updatedAt: now };
    if (decision === 'reject') return rejectLabel(copy, now);
    const i = stepIndexForRange(steps, s.start, s.end);
    const step = steps[i];
    if (step && step.rating === null) {
      steps[i] = { ...step, rating: -1, errorType: s.errorType, provenance: 'accepted', updatedAt: now, ...(s.suggestion ? { suggestion: s.suggestion } : {}) };
    }
    return acceptLabel(copy, now);
  });
  const spans = [...base.spans, ...added].sort((a, b) => a.start - b.start || a.end - b.end || a.id.localeCompare(b.id));
  const next: RationaleAnnotation = { ...base, steps, spans: reassignSpanSteps(steps, spans), updatedAt: now };
  commitChange(db, key, annotator, decision, prev, next);
  return buildView(db, loaded, annotator);
}

/** Undo or redo the annotator's latest change in the dataset. */
export function moveHistory(db: Db, dataset: number, annotatorName: string, direction: 'undo' | 'redo'): UndoResult {
  const annotator = checkAnnotatorName(annotatorName);
  const changed = durableTransaction(db, () => stepHistory(db, dataset, annotator, direction));
  const state = undoState(db, dataset, annotator);
  if (!changed) return { ...state, changed: null, view: null };
  const head = resolveVersion(db, dataset, 'head');
  const revision = revisionInVersion(db, head.id, changed.externalId);
  let view: AnnotationView | null = null;
  if (revision !== null) {
    try {
      view = buildView(db, loadItem(db, dataset, revision, changed.completion), annotator);
    } catch (err) {
      // The completion may no longer exist in the head revision: the undo happened; no view.
      if (!(err instanceof LabError && err.code === 'NOT_FOUND')) throw err;
    }
  }
  return { ...state, changed: { externalId: changed.externalId, completion: changed.completion }, view };
}
