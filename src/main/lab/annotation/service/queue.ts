// The labelling queue: a version's rationales (example x completion) in table order with each
// one's annotation status for the calling annotator, filtered and paged. One SQL query joins the
// per-rationale status expression (store/status.ts) so a 100k-rationale dataset pages without loading labels.
import type { Db } from '../../db/database';
import { resolveVersion } from '../../datasets/store/versions';
import { annotationStatusSql } from '../store/status';
import { AUTO_ANNOTATOR, type AnnotationStatus, type QueueFilter, type QueuePage, type Verdict } from '../../../../shared/types/annotations';
import type { Split } from '../../../../shared/types/dataset';
import type { VersionRef } from '../../../../shared/types/datasets';

export interface QueueQuery {
  dataset: number;
  version?: VersionRef;
  annotator: string;
  filter?: QueueFilter;
  split?: Split | 'none';
  tag?: string;
  includeExcluded?: boolean;
  offset?: number;
  limit?: number;
}

const FILTERS: Record<QueueFilter, string> = {
  all: '1',
  unlabelled: 'labelled_by_me = 0',
  labelled: 'labelled_by_me = 1',
  'auto-flagged': 'auto_flagged = 1 AND labelled_by_me = 0',
  disagreement: "status = 'disagreement'",
  'no-gold': 'annotators > 0 AND has_gold = 0',
};

interface QueueRow {
  example: number;
  external_id: string;
  completion: number;
  position: number;
  split: Split | null;
  tags: string;
  status: AnnotationStatus | null;
  mine: Verdict | null;
  labelled_by_me: number;
  annotators: number;
  auto_flagged: number;
  has_gold: number;
}

export function queryQueue(db: Db, q: QueueQuery): QueuePage {
  const v = resolveVersion(db, q.dataset, q.version ?? 'head');
  const where = ['ve.version_id = @version'];
  const params: Record<string, unknown> = { version: v.id, dataset: q.dataset, annotator: q.annotator, auto: AUTO_ANNOTATOR };
  if (!q.includeExcluded) where.push('ve.excluded = 0');
  if (q.split === 'none') where.push('ve.split IS NULL');
  else if (q.split) {
    where.push('ve.split = @split');
    params.split = q.split;
  }
  if (q.tag) {
    where.push('EXISTS (SELECT 1 FROM json_each(ve.tags) WHERE value = @tag)');
    params.tag = q.tag;
  }
  const match = 'a.dataset_id = @dataset AND a.external_id = e.external_id AND a.completion_idx = c.idx';
  const inner = `SELECT e.id AS example, e.external_id, c.idx AS completion, ve.position, ve.split, ve.tags,
      ${annotationStatusSql('@dataset', 'e.external_id', 'c.idx')} AS status,
      (SELECT a.verdict FROM annotations a WHERE ${match} AND a.annotator = @annotator) AS mine,
      EXISTS (SELECT 1 FROM annotations a WHERE ${match} AND a.annotator = @annotator AND a.labelled = 1) AS labelled_by_me,
      (SELECT COUNT(*) FROM annotations a WHERE ${match} AND a.annotator <> @auto AND a.labelled = 1) AS annotators,
      EXISTS (SELECT 1 FROM annotations a WHERE ${match} AND a.annotator = @auto AND a.has_error = 1) AS auto_flagged,
      EXISTS (SELECT 1 FROM annotation_gold g WHERE g.dataset_id = @dataset AND g.external_id = e.external_id AND g.completion_idx = c.idx) AS has_gold
    FROM version_examples ve JOIN examples e ON e.id = ve.example_id JOIN completions c ON c.example_id = e.id
    WHERE ${where.join(' AND ')}`;
  const filtered = `SELECT * FROM (${inner}) WHERE ${FILTERS[q.filter ?? 'all']}`;
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM (${filtered})`).get(params) as { n: number }).n;
  // Progress over the split/tag scope, whatever the status filter shows.
  const progress = db.prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(labelled_by_me), 0) AS mine FROM (${inner})`).get(params) as { n: number; mine: number };
  const rows = db
    .prepare(`${filtered} ORDER BY position, completion LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: q.limit ?? 200, offset: q.offset ?? 0 }) as QueueRow[];
  return {
    versionId: v.id,
    total,
    progress: { labelledByMe: progress.mine, rationales: progress.n },
    items: rows.map((r) => ({
      example: r.example,
      externalId: r.external_id,
      completion: r.completion,
      position: r.position,
      split: r.split,
      tags: JSON.parse(r.tags) as string[],
      status: r.status ?? 'unlabelled',
      mine: r.mine,
      labelledByMe: r.labelled_by_me === 1,
      annotators: r.annotators,
      autoFlagged: r.auto_flagged === 1,
      hasGold: r.has_gold === 1,
    })),
  };
}
