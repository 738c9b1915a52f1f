// Inter-annotator agreement over a version: Krippendorff's alpha (any number of annotators) on
// verdicts and answer support (nominal) and step ratings (ordinal), and per annotator pair Cohen's
// kappa on verdicts and step ratings plus span F1, typed (same error type required) and by location
// alone (see docs/methods.md, "Inter-annotator agreement"). Only labels made on the version's current rationale
// text count (others would compare offsets into different texts); the machine is not an annotator.
import type { Db } from '../../db/database';
import { rationaleFingerprint } from '../logic/fingerprint';
import { cohenKappa } from '../logic/kappa';
import { krippendorffAlpha } from '../logic/krippendorff';
import { isActive } from '../logic/provenance';
import { answerSupportReliability, coderColumn, stepRatingReliability, verdictReliability, type ReliabilityData } from '../logic/reliabilityData';
import { spanAgreement } from '../logic/spanAgreement';
import { itemKeyString, versionRationales } from '../store/items';
import { readDatasetAnnotations } from '../store/rows';
import { AUTO_ANNOTATOR, type AgreementReport, type PairAgreement, type RationaleAnnotation } from '../../../../shared/types/annotations';
import type { VersionRef } from '../../../../shared/types/datasets';

/** Human labels on the version's current texts, and how many were left out as stale. */
export function currentHumanAnnotations(db: Db, dataset: number, version: VersionRef): { versionId: number; annotations: RationaleAnnotation[]; stale: number } {
  const { versionId, items } = versionRationales(db, dataset, version);
  const fingerprints = new Map(items.map((it) => [itemKeyString(it.key), rationaleFingerprint(it.rationale)]));
  let stale = 0;
  const annotations = readDatasetAnnotations(db, dataset).filter((a) => {
    if (a.annotator === AUTO_ANNOTATOR) return false;
    const fp = fingerprints.get(itemKeyString({ externalId: a.exampleId, completion: a.completionIndex }));
    if (fp === undefined) return false;
    if (fp !== a.rationaleFingerprint) {
      stale++;
      return false;
    }
    return true;
  });
  return { versionId, annotations, stale };
}

function pairAgreement(annotations: readonly RationaleAnnotation[], a: string, b: string): PairAgreement {
  const two = annotations.filter((x) => x.annotator === a || x.annotator === b);
  const verdicts = verdictReliability(two);
  const steps = stepRatingReliability(two);
  const byItem = new Map<string, { a?: RationaleAnnotation; b?: RationaleAnnotation }>();
  for (const x of two) {
    const k = itemKeyString({ externalId: x.exampleId, completion: x.completionIndex });
    const e = byItem.get(k) ?? {};
    e[x.annotator === a ? 'a' : 'b'] = x;
    byItem.set(k, e);
  }
  const both = [...byItem.values()].filter((e): e is { a: RationaleAnnotation; b: RationaleAnnotation } => e.a !== undefined && e.b !== undefined);
  const spanItems = both.map((e) => ({ a: e.a.spans.filter(isActive), b: e.b.spans.filter(isActive) }));
  const column = <T>(data: ReliabilityData<T>, coder: string): (T | null)[] =>
    data.coders.includes(coder) ? coderColumn(data, coder) : data.values.map(() => null);
  return {
    a,
    b,
    items: both.length,
    verdictKappa: cohenKappa(column(verdicts, a), column(verdicts, b)),
    stepKappa: cohenKappa(column(steps, a), column(steps, b)),
    spans: spanAgreement(spanItems),
    spanLocations: spanAgreement(spanItems, { requireSameType: false }),
  };
}

export function computeAgreement(db: Db, dataset: number, version: VersionRef, only?: readonly string[]): AgreementReport {
  const cur = currentHumanAnnotations(db, dataset, version);
  const annotations = only ? cur.annotations.filter((a) => only.includes(a.annotator)) : cur.annotations;
  const annotators = [...new Set(annotations.map((a) => a.annotator))].sort();
  const perItem = new Map<string, number>();
  for (const a of annotations) {
    const k = itemKeyString({ externalId: a.exampleId, completion: a.completionIndex });
    perItem.set(k, (perItem.get(k) ?? 0) + 1);
  }
  const pairs: PairAgreement[] = [];
  for (let i = 0; i < annotators.length; i++) for (let j = i + 1; j < annotators.length; j++) pairs.push(pairAgreement(annotations, annotators[i]!, annotators[j]!));
  return {
    versionId: cur.versionId,
    annotators,
    sharedItems: [...perItem.values()].filter((n) => n >= 2).length,
    staleSkipped: cur.stale,
    verdictAlpha: krippendorffAlpha(verdictReliability(annotations).values),
    answerSupportAlpha: krippendorffAlpha(answerSupportReliability(annotations).values, { level: 'nominal' }),
    stepRatingAlpha: krippendorffAlpha(stepRatingReliability(annotations).values, { level: 'ordinal' }),
    pairs,
  };
}
