// Reading examples of a version: the filtered, sorted, paged table (with full-text search) and
// one example's full detail.
import type { Db } from '../../db/database';
import { LabError } from '../../errors';
import type { InjectedError, TeacherCompletion } from '../../../../shared/types/dataset';
import type { ExampleColumns, MemberColumns } from './columns';
import type { ExampleDetail, ExamplePage, ExampleQuery, ExampleRow } from '../../../../shared/types/datasets';
import { resolveVersion } from './versions';
import { exampleAnnotationStatusSql } from '../../annotation/store/status';
import type { AnnotationStatus } from '../../../../shared/types/annotations';

/** Turns what a user typed into a safe FTS5 query: every word must occur; the last may be a prefix. */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}_]+/gu);
  if (!words || words.length === 0) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

const ROW_COLUMNS = `
  e.id, e.external_id, ve.position, e.question, e.answer, e.answer_type, ve.split, ve.excluded, ve.tags,
  (SELECT COUNT(*) FROM completions c WHERE c.example_id = e.id) AS completion_count,
  (SELECT COUNT(c.correct) FROM completions c WHERE c.example_id = e.id) AS judged,
  (SELECT COALESCE(SUM(c.correct), 0) FROM completions c WHERE c.example_id = e.id) AS correct,
  length(e.question) + COALESCE((SELECT length(c.rationale) FROM completions c WHERE c.example_id = e.id AND c.idx = 0), 0) AS len,
  EXISTS (SELECT 1 FROM completions c WHERE c.example_id = e.id AND c.injected IS NOT NULL) AS hallucinated,
  ${exampleAnnotationStatusSql('e')} AS annotation_status`;

interface RawRow extends Pick<ExampleColumns, 'id' | 'external_id' | 'question' | 'answer' | 'answer_type'>, MemberColumns {
  completion_count: number;
  judged: number;
  correct: number;
  len: number;
  hallucinated: number;
  annotation_status: AnnotationStatus;
}

function toRow(r: RawRow): ExampleRow {
  return {
    id: r.id,
    externalId: r.external_id,
    position: r.position,
    question: r.question,
    answer: r.answer,
    answerType: r.answer_type,
    split: r.split,
    excluded: r.excluded === 1,
    tags: JSON.parse(r.tags) as string[],
    completionCount: r.completion_count,
    teacherCorrect: r.judged > 0 ? r.correct : null,
    teacherJudged: r.judged,
    length: r.len,
    hallucinated: r.hallucinated === 1,
    annotationStatus: r.annotation_status,
  };
}

const SORTS: Record<NonNullable<ExampleQuery['sort']>, string> = {
  position: 'position',
  question: 'question COLLATE NOCASE',
  answer: 'answer COLLATE NOCASE',
  length: 'len',
  teacher: 'CASE WHEN judged = 0 THEN -1 ELSE CAST(correct AS REAL) / judged END',
};

/** The SQL selecting a query's matching rows (unsorted, unpaged), with its parameters. */
function filteredRows(db: Db, q: ExampleQuery): { versionId: number; sql: string; params: Record<string, unknown> } | { versionId: number; sql: null; params: null } {
  const version = resolveVersion(db, q.dataset, q.version ?? 'head');
  const where: string[] = ['ve.version_id = @version'];
  const params: Record<string, unknown> = { version: version.id };
  if (q.search?.trim()) {
    const match = ftsQuery(q.search);
    if (match === null) return { versionId: version.id, sql: null, params: null };
    where.push('e.id IN (SELECT rowid FROM examples_fts WHERE examples_fts MATCH @match)');
    params.match = match;
  }
  if (q.split === 'none') where.push('ve.split IS NULL');
  else if (q.split) {
    where.push('ve.split = @split');
    params.split = q.split;
  }
  if (q.excluded !== undefined) where.push(`ve.excluded = ${q.excluded ? 1 : 0}`);
  if (q.tag) {
    where.push('EXISTS (SELECT 1 FROM json_each(ve.tags) WHERE value = @tag)');
    params.tag = q.tag;
  }
  // Filters on derived columns go in an outer query over the selected rows.
  const outer: string[] = [];
  if (q.teacherCorrect !== undefined) outer.push(q.teacherCorrect ? 'correct > 0' : 'judged > 0 AND correct = 0');
  if (q.hallucinated !== undefined) outer.push(`hallucinated = ${q.hallucinated ? 1 : 0}`);
  if (q.annotationStatus !== undefined) {
    outer.push('annotation_status = @annotationStatus');
    params.annotationStatus = q.annotationStatus;
  }
  if (q.minLength !== undefined) {
    outer.push('len >= @minLength');
    params.minLength = q.minLength;
  }
  if (q.maxLength !== undefined) {
    outer.push('len <= @maxLength');
    params.maxLength = q.maxLength;
  }
  const inner = `SELECT ${ROW_COLUMNS} FROM version_examples ve JOIN examples e ON e.id = ve.example_id WHERE ${where.join(' AND ')}`;
  return { versionId: version.id, sql: `SELECT * FROM (${inner})${outer.length ? ' WHERE ' + outer.join(' AND ') : ''}`, params };
}

export function queryExamples(db: Db, q: ExampleQuery): ExamplePage {
  const f = filteredRows(db, q);
  if (f.sql === null) return { versionId: f.versionId, total: 0, rows: [] };
  const { versionId, sql: filtered, params } = f;
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM (${filtered})`).get(params) as { n: number }).n;
  const order = `${SORTS[q.sort ?? 'position']} ${q.desc ? 'DESC' : 'ASC'}, position ASC`;
  const rows = db
    .prepare(`${filtered} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: q.limit ?? 100, offset: q.offset ?? 0 }) as RawRow[];
  return { versionId, total, rows: rows.map(toRow) };
}

/** Ids of every row a query matches, in table order (for "select all matching"). */
export function matchingIds(db: Db, q: ExampleQuery): number[] {
  const f = filteredRows(db, q);
  if (f.sql === null) return [];
  return (db.prepare(`SELECT id FROM (${f.sql}) ORDER BY position`).all(f.params) as { id: number }[]).map((r) => r.id);
}

export function readCompletions(db: Db, exampleId: number): TeacherCompletion[] {
  const rows = db
    .prepare('SELECT rationale, teacher_answer, source, correct, injected FROM completions WHERE example_id = ? ORDER BY idx')
    .all(exampleId) as { rationale: string; teacher_answer: string | null; source: string; correct: number | null; injected: string | null }[];
  return rows.map((c) => {
    const out: TeacherCompletion = {
      rationale: c.rationale,
      teacherAnswer: c.teacher_answer,
      source: c.source,
      correct: c.correct === null ? null : c.correct === 1,
    };
    if (c.injected) out.injected = JSON.parse(c.injected) as InjectedError[];
    return out;
  });
}

/** One example as a member of a version (split, tags... are per version). */
export function getExample(db: Db, versionId: number, exampleId: number): ExampleDetail {
  const r = db
    .prepare(`SELECT ${ROW_COLUMNS}, e.choices, e.metadata FROM version_examples ve JOIN examples e ON e.id = ve.example_id
              WHERE ve.version_id = ? AND e.id = ?`)
    .get(versionId, exampleId) as (RawRow & { choices: string | null; metadata: string }) | undefined;
  if (!r) throw new LabError('NOT_FOUND', `example ${exampleId} is not in version ${versionId}`);
  const history: number[] = [];
  let prev = (db.prepare('SELECT prev_id FROM examples WHERE id = ?').get(exampleId) as { prev_id: number | null }).prev_id;
  while (prev !== null) {
    history.push(prev);
    prev = (db.prepare('SELECT prev_id FROM examples WHERE id = ?').get(prev) as { prev_id: number | null }).prev_id;
  }
  return {
    ...toRow(r),
    choices: r.choices ? (JSON.parse(r.choices) as string[]) : null,
    metadata: JSON.parse(r.metadata) as Record<string, unknown>,
    completions: readCompletions(db, exampleId),
    history,
  };
}
