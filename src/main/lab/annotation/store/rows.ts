// Reading and writing annotation rows: one RationaleAnnotation per (dataset, external id,
// completion, annotator), stored whole as JSON next to the columns the queue and status filter on.
import type { Db } from '../../db/database';
import { firstErrorStep } from '../logic/consistency';
import { isActive } from '../logic/provenance';
import type { GoldAnnotation, RationaleAnnotation } from '../../../../shared/types/annotations';

export interface ItemKey {
  datasetId: number;
  externalId: string;
  completion: number;
}

interface AnnotationRow {
  data: string;
}

/** Whether the annotation holds any label, and any error (the denormalised columns). */
export function summarise(a: RationaleAnnotation): { labelled: boolean; hasError: boolean; firstError: number | null } {
  const activeSpans = a.spans.filter(isActive);
  const hasError = activeSpans.length > 0 || a.steps.some((s) => s.rating === -1 && isActive(s));
  const labelled = (a.verdict !== null && isActive(a.verdict) && a.verdict.verdict !== null) || a.steps.some((s) => s.rating !== null && isActive(s)) || activeSpans.length > 0;
  return { labelled, hasError, firstError: firstErrorStep(a) };
}

export function readAnnotation(db: Db, key: ItemKey, annotator: string): RationaleAnnotation | null {
  const row = db
    .prepare('SELECT data FROM annotations WHERE dataset_id = ? AND external_id = ? AND completion_idx = ? AND annotator = ?')
    .get(key.datasetId, key.externalId, key.completion, annotator) as AnnotationRow | undefined;
  return row ? (JSON.parse(row.data) as RationaleAnnotation) : null;
}

/** Every annotator's labels on one rationale, by annotator name. */
export function readItemAnnotations(db: Db, key: ItemKey): RationaleAnnotation[] {
  const rows = db
    .prepare('SELECT data FROM annotations WHERE dataset_id = ? AND external_id = ? AND completion_idx = ? ORDER BY annotator')
    .all(key.datasetId, key.externalId, key.completion) as AnnotationRow[];
  return rows.map((r) => JSON.parse(r.data) as RationaleAnnotation);
}

/** Every annotation of a dataset (optionally one annotator's). */
export function readDatasetAnnotations(db: Db, datasetId: number, annotator?: string): RationaleAnnotation[] {
  const rows = (
    annotator === undefined
      ? db.prepare('SELECT data FROM annotations WHERE dataset_id = ? ORDER BY external_id, completion_idx, annotator').all(datasetId)
      : db.prepare('SELECT data FROM annotations WHERE dataset_id = ? AND annotator = ? ORDER BY external_id, completion_idx').all(datasetId, annotator)
  ) as AnnotationRow[];
  return rows.map((r) => JSON.parse(r.data) as RationaleAnnotation);
}

/** Writes (or, with null, deletes) one annotator's labels. Call inside a transaction. */
export function writeAnnotation(db: Db, key: ItemKey, annotator: string, a: RationaleAnnotation | null): void {
  if (a === null) {
    db.prepare('DELETE FROM annotations WHERE dataset_id = ? AND external_id = ? AND completion_idx = ? AND annotator = ?').run(key.datasetId, key.externalId, key.completion, annotator);
    return;
  }
  const s = summarise(a);
  db.prepare(
    `INSERT INTO annotations (dataset_id, external_id, completion_idx, annotator, fingerprint, verdict, labelled, has_error, first_error_step, time_spent_ms, data, created_at, updated_at)
     VALUES (@datasetId, @externalId, @completion, @annotator, @fingerprint, @verdict, @labelled, @hasError, @firstError, @timeSpentMs, @data, @createdAt, @updatedAt)
     ON CONFLICT (dataset_id, external_id, completion_idx, annotator) DO UPDATE SET
       fingerprint = excluded.fingerprint, verdict = excluded.verdict, labelled = excluded.labelled, has_error = excluded.has_error,
       first_error_step = excluded.first_error_step, time_spent_ms = excluded.time_spent_ms, data = excluded.data,
       created_at = excluded.created_at, updated_at = excluded.updated_at`,
  ).run({
    ...key,
    annotator,
    fingerprint: a.rationaleFingerprint,
    verdict: a.verdict && isActive(a.verdict) ? a.verdict.verdict : null,
    labelled: s.labelled ? 1 : 0,
    hasError: s.hasError ? 1 : 0,
    firstError: s.firstError,
    timeSpentMs: a.timeSpentMs,
    data: JSON.stringify(a),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  });
}

export function readGold(db: Db, key: ItemKey): GoldAnnotation | null {
  const row = db
    .prepare('SELECT data FROM annotation_gold WHERE dataset_id = ? AND external_id = ? AND completion_idx = ?')
    .get(key.datasetId, key.externalId, key.completion) as AnnotationRow | undefined;
  return row ? (JSON.parse(row.data) as GoldAnnotation) : null;
}

export function readDatasetGold(db: Db, datasetId: number): GoldAnnotation[] {
  const rows = db.prepare('SELECT data FROM annotation_gold WHERE dataset_id = ? ORDER BY external_id, completion_idx').all(datasetId) as AnnotationRow[];
  return rows.map((r) => JSON.parse(r.data) as GoldAnnotation);
}

export function writeGold(db: Db, key: ItemKey, g: GoldAnnotation): void {
  db.prepare(
    `INSERT INTO annotation_gold (dataset_id, external_id, completion_idx, adjudicator, fingerprint, verdict, sources, data, created_at, updated_at)
     VALUES (@datasetId, @externalId, @completion, @adjudicator, @fingerprint, @verdict, @sources, @data, @createdAt, @updatedAt)
     ON CONFLICT (dataset_id, external_id, completion_idx) DO UPDATE SET
       adjudicator = excluded.adjudicator, fingerprint = excluded.fingerprint, verdict = excluded.verdict, sources = excluded.sources,
       data = excluded.data, created_at = excluded.created_at, updated_at = excluded.updated_at`,
  ).run({
    ...key,
    adjudicator: g.annotator,
    fingerprint: g.rationaleFingerprint,
    verdict: g.verdict && isActive(g.verdict) ? g.verdict.verdict : null,
    sources: JSON.stringify(g.sources),
    data: JSON.stringify(g),
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
  });
}
