// The human verdict of a rationale, resolved the way AnnotationStatus documents it (the SQL view
// annotation_item_status in migration 004 applies the same rule for the dataset table):
// the gold (adjudicated) verdict if there is one, else the verdict every human annotator gave,
// else null (no verdict, or annotators disagree). Only labels made on the given rationale text
// count here, because training subsets must not trust a verdict about text that has changed.
import type { Db } from '../../db/database';
import { AUTO_ANNOTATOR, type Verdict } from '../../../../shared/types/annotations';

interface VerdictRow {
  external_id: string;
  completion_idx: number;
  fingerprint: string;
  verdict: Verdict | null;
}

export interface HumanVerdicts {
  gold: { verdict: Verdict | null; fingerprint: string } | null;
  humans: { verdict: Verdict; fingerprint: string }[];
}

export function resolveHumanVerdict(v: HumanVerdicts | undefined, fingerprint: string): Verdict | null {
  if (!v) return null;
  if (v.gold && v.gold.fingerprint === fingerprint && v.gold.verdict !== null) return v.gold.verdict;
  const verdicts = new Set(v.humans.filter((h) => h.fingerprint === fingerprint).map((h) => h.verdict));
  return verdicts.size === 1 ? [...verdicts][0]! : null;
}

/** Verdicts of every labelled rationale of a dataset, keyed by itemKeyString. */
export function loadHumanVerdicts(db: Db, datasetId: number): Map<string, HumanVerdicts> {
  const out = new Map<string, HumanVerdicts>();
  const entry = (r: VerdictRow): HumanVerdicts => {
    const k = JSON.stringify([r.external_id, r.completion_idx]);
    let e = out.get(k);
    if (!e) out.set(k, (e = { gold: null, humans: [] }));
    return e;
  };
  const humans = db
    .prepare('SELECT external_id, completion_idx, fingerprint, verdict FROM annotations WHERE dataset_id = ? AND annotator <> ? AND verdict IS NOT NULL')
    .all(datasetId, AUTO_ANNOTATOR) as VerdictRow[];
  for (const r of humans) entry(r).humans.push({ verdict: r.verdict!, fingerprint: r.fingerprint });
  const gold = db.prepare('SELECT external_id, completion_idx, fingerprint, verdict FROM annotation_gold WHERE dataset_id = ?').all(datasetId) as VerdictRow[];
  for (const r of gold) entry(r).gold = { verdict: r.verdict, fingerprint: r.fingerprint };
  return out;
}

/**
 * SQL expression for one rationale's AnnotationStatus (the rule at AnnotationStatus in
 * src/shared/types/annotations.ts, the same as resolveHumanVerdict but ignoring fingerprints:
 * the table shows that someone labelled the item even if its text changed since). The arguments
 * are SQL expressions for the dataset id, external id and completion index; every subquery is a
 * primary-key lookup, so it stays cheap per row.
 */
export function annotationStatusSql(dataset: string, externalId: string, completion: string): string {
  const item = `dataset_id = ${dataset} AND external_id = ${externalId} AND completion_idx = ${completion}`;
  const gold = `(SELECT verdict FROM annotation_gold WHERE ${item})`;
  const hasGold = `EXISTS (SELECT 1 FROM annotation_gold WHERE ${item})`;
  const human = `${item} AND annotator <> '${AUTO_ANNOTATOR}'`;
  const distinct = `(SELECT COUNT(DISTINCT verdict) FROM annotations WHERE ${human} AND verdict IS NOT NULL)`;
  const only = `(SELECT MIN(verdict) FROM annotations WHERE ${human} AND verdict IS NOT NULL)`;
  return `(CASE
    WHEN ${gold} IN ('faithful','hallucinated') THEN ${gold}
    WHEN ${hasGold} THEN 'labelled'
    WHEN ${distinct} > 1 THEN 'disagreement'
    WHEN ${only} IN ('faithful','hallucinated') THEN ${only}
    WHEN EXISTS (SELECT 1 FROM annotations WHERE ${human} AND labelled = 1) THEN 'labelled'
    WHEN EXISTS (SELECT 1 FROM annotations WHERE ${item} AND annotator = '${AUTO_ANNOTATOR}' AND has_error = 1) THEN 'auto-flagged'
    ELSE 'unlabelled' END)`;
}

/** Example-level status over its completions: the first of this order that any completion has. */
export const EXAMPLE_STATUS_ORDER = ['disagreement', 'hallucinated', 'faithful', 'labelled', 'auto-flagged', 'unlabelled'] as const;

/** SQL expression for an example's status; `e` is the examples row alias. */
export function exampleAnnotationStatusSql(e: string): string {
  const per = annotationStatusSql(`${e}.dataset_id`, `${e}.external_id`, 'c.idx');
  const rank = `CASE ${per} ${EXAMPLE_STATUS_ORDER.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;
  const best = `(SELECT MIN(${rank}) FROM completions c WHERE c.example_id = ${e}.id)`;
  return `(CASE COALESCE(${best}, ${EXAMPLE_STATUS_ORDER.length - 1}) ${EXAMPLE_STATUS_ORDER.map((s, i) => `WHEN ${i} THEN '${s}'`).join(' ')} END)`;
}
