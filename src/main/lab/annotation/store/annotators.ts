// Who labelled a dataset: one row per annotator (the machine's "auto" included, so the UI can
// show whether the checkers ran), with counts and time spent.
import type { Db } from '../../db/database';
import { AUTO_ANNOTATOR, type AnnotatorSummary } from '../../../../shared/types/annotations';

export function listAnnotators(db: Db, datasetId: number): AnnotatorSummary[] {
  const rows = db
    .prepare(
      `SELECT annotator, COUNT(*) AS rationales, SUM(time_spent_ms) AS time, MAX(updated_at) AS last
       FROM annotations WHERE dataset_id = ? AND labelled = 1 GROUP BY annotator ORDER BY annotator`,
    )
    .all(datasetId) as { annotator: string; rationales: number; time: number; last: string }[];
  return rows.map((r) => ({
    annotator: r.annotator,
    kind: r.annotator === AUTO_ANNOTATOR ? 'machine' : 'human',
    rationales: r.rationales,
    timeSpentMs: r.time,
    lastUpdated: r.last,
  }));
}
