// Adjudication: every annotator's labels on one rationale side by side, and the gold label set an
// adjudicator records (either their own LabelState or one annotator's labels taken as they are).
import type { Db } from '../../db/database';
import { LabError } from '../../errors';
import { consistencyWarnings, firstErrorStep } from '../logic/consistency';
import { isActive } from '../logic/provenance';
import { durableTransaction } from '../store/durable';
import { loadItem, type LoadedItem } from '../store/items';
import { readAnnotation, readGold, readItemAnnotations, writeGold } from '../store/rows';
import { applyLabelState } from './applyLabels';
import { checkAnnotatorName, type ItemRef } from './labels';
import { AUTO_ANNOTATOR, VERDICTS, type AdjudicationView, type ConsistencyWarning, type GoldAnnotation, type LabelState, type Verdict } from '../../../../shared/types/annotations';

function buildAdjudication(db: Db, loaded: LoadedItem): AdjudicationView {
  const { key, item } = loaded;
  const all = readItemAnnotations(db, key);
  const humans = all.filter((a) => a.annotator !== AUTO_ANNOTATOR);
  const warnings: Record<string, ConsistencyWarning[]> = {};
  const first: Record<string, number | null> = {};
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const a of humans) {
    warnings[a.annotator] = consistencyWarnings(item.rationale, a, item.fingerprint);
    first[a.annotator] = firstErrorStep(a);
    if (a.verdict && isActive(a.verdict) && a.verdict.verdict) counts[a.verdict.verdict]++;
  }
  const gold = readGold(db, key);
  return {
    item,
    annotations: humans,
    warnings,
    firstErrorStep: first,
    verdictCounts: counts,
    disagreement: VERDICTS.filter((v) => counts[v] > 0).length > 1,
    suggestions: all.find((a) => a.annotator === AUTO_ANNOTATOR) ?? null,
    gold,
    goldWarnings: gold ? consistencyWarnings(item.rationale, gold, item.fingerprint) : [],
  };
}

export function getAdjudication(db: Db, dataset: number, example: number, completion: number): AdjudicationView {
  return buildAdjudication(db, loadItem(db, dataset, example, completion));
}

export interface GoldInput {
  /** The adjudicator's own label state... */
  labels?: LabelState;
  /** ...or the name of the annotator whose labels become gold unchanged. */
  fromAnnotator?: string;
  sources?: string[];
}

export function saveGold(db: Db, ref: ItemRef, input: GoldInput): AdjudicationView {
  const adjudicator = checkAnnotatorName(ref.annotator);
  if ((input.labels === undefined) === (input.fromAnnotator === undefined)) {
    throw new LabError('INVALID_INPUT', 'give either labels or fromAnnotator for the gold label set');
  }
  const loaded = loadItem(db, ref.dataset, ref.example, ref.completion);
  const { key, item } = loaded;
  const prev = readGold(db, key);
  const now = new Date().toISOString();
  let base;
  if (input.fromAnnotator !== undefined) {
    const from = readAnnotation(db, key, input.fromAnnotator);
    if (!from) throw new LabError('NOT_FOUND', `annotator ${JSON.stringify(input.fromAnnotator)} has no labels on this rationale`);
    if (from.rationaleFingerprint !== item.fingerprint) throw new LabError('CONFLICT', `${input.fromAnnotator}'s labels were made on another text of this rationale`);
    base = { ...from, annotator: adjudicator, createdAt: prev?.createdAt ?? now, updatedAt: now };
  } else {
    base = applyLabelState(prev, input.labels!, 0, {
      exampleId: key.externalId,
      completion: key.completion,
      annotator: adjudicator,
      rationale: item.rationale,
      fingerprint: item.fingerprint,
      defaultSteps: item.defaultSteps,
      suggestions: readAnnotation(db, key, AUTO_ANNOTATOR),
      now,
    });
  }
  const sources = input.sources ?? readItemAnnotations(db, key).filter((a) => a.annotator !== AUTO_ANNOTATOR).map((a) => a.annotator);
  const gold: GoldAnnotation = { ...base, sources: [...new Set(sources)].sort() };
  durableTransaction(db, () => writeGold(db, key, gold));
  return buildAdjudication(db, loaded);
}
