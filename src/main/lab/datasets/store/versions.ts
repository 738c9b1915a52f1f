// Versions: computing stats, hashes and change summaries, opening a draft from the head and
// committing it. A committed version never changes again.
import type { Db } from '../../db/database';
import { LabError } from '../../errors';
import type { Split } from '../../../../shared/types/dataset';
import type { VersionChanges, VersionRef, VersionStats, VersionSummary } from '../../../../shared/types/datasets';
import { memberLine } from './canonical';
import crypto from 'node:crypto';

interface VersionRow {
  id: number;
  dataset_id: number;
  number: number | null;
  parent_id: number | null;
  content_hash: string | null;
  message: string;
  changes: string;
  stats: string;
  created_at: string;
  committed_at: string | null;
}

const EMPTY_CHANGES: VersionChanges = { added: 0, removed: 0, edited: 0, splitChanged: 0, excludedChanged: 0, tagsChanged: 0 };

export function toVersionSummary(db: Db, r: VersionRow): VersionSummary {
  const parent = r.parent_id
    ? (db.prepare('SELECT number, content_hash FROM dataset_versions WHERE id = ?').get(r.parent_id) as
        | { number: number | null; content_hash: string | null }
        | undefined)
    : undefined;
  return {
    id: r.id,
    datasetId: r.dataset_id,
    number: r.number,
    contentHash: r.content_hash,
    message: r.message,
    // A draft's changes are live: computed against its parent every time it is read.
    changes: r.number === null ? computeChanges(db, r.id, r.parent_id) : { ...EMPTY_CHANGES, ...(JSON.parse(r.changes) as Partial<VersionChanges>) },
    stats: r.number === null ? computeStats(db, r.id) : (JSON.parse(r.stats) as VersionStats),
    createdAt: r.created_at,
    committedAt: r.committed_at,
    parentNumber: parent?.number ?? null,
    // The same test commitVersion applies: a draft whose edits cancel out has nothing to commit.
    unchanged: r.number === null && parent !== undefined && parent.content_hash === computeContentHash(db, r.id),
  };
}

export function listVersions(db: Db, datasetId: number): VersionSummary[] {
  const rows = db
    .prepare('SELECT * FROM dataset_versions WHERE dataset_id = ? ORDER BY number IS NULL, number')
    .all(datasetId) as VersionRow[];
  return rows.map((r) => toVersionSummary(db, r));
}

/** Resolves a version reference to its row; throws NOT_FOUND with a helpful message. */
export function resolveVersion(db: Db, datasetId: number, ref: VersionRef = 'head'): VersionRow {
  let row: VersionRow | undefined;
  if (ref === 'draft') {
    row = db.prepare('SELECT * FROM dataset_versions WHERE dataset_id = ? AND number IS NULL').get(datasetId) as VersionRow | undefined;
    if (!row) throw new LabError('NOT_FOUND', `dataset ${datasetId} has no open draft`);
  } else if (ref === 'head') {
    row = db
      .prepare('SELECT * FROM dataset_versions WHERE dataset_id = ? ORDER BY number IS NULL DESC, number DESC LIMIT 1')
      .get(datasetId) as VersionRow | undefined;
    if (!row) throw new LabError('NOT_FOUND', `dataset ${datasetId} does not exist or has no versions`);
  } else {
    row = db.prepare('SELECT * FROM dataset_versions WHERE dataset_id = ? AND number = ?').get(datasetId, ref) as VersionRow | undefined;
    if (!row) throw new LabError('NOT_FOUND', `dataset ${datasetId} has no version ${ref}`);
  }
  return row;
}

export function latestCommitted(db: Db, datasetId: number): VersionRow | undefined {
  return db
    .prepare('SELECT * FROM dataset_versions WHERE dataset_id = ? AND number IS NOT NULL ORDER BY number DESC LIMIT 1')
    .get(datasetId) as VersionRow | undefined;
}

export function computeStats(db: Db, versionId: number): VersionStats {
  const base = db
    .prepare(
      `SELECT COUNT(*) AS examples, COALESCE(SUM(excluded), 0) AS excluded,
              COALESCE(SUM(split = 'train'), 0) AS train, COALESCE(SUM(split = 'val'), 0) AS val,
              COALESCE(SUM(split = 'test'), 0) AS test, COALESCE(SUM(split IS NULL), 0) AS none
       FROM version_examples WHERE version_id = ?`,
    )
    .get(versionId) as Record<string, number>;
  const comp = db
    .prepare(
      `SELECT COUNT(*) AS completions, COUNT(c.correct) AS judged, COALESCE(SUM(c.correct), 0) AS correct,
              COALESCE(SUM(c.teacher_answer IS NULL), 0) AS no_answer,
              COALESCE(SUM(c.teacher_answer IS NOT NULL AND c.correct IS NULL), 0) AS unjudged,
              COALESCE(MAX(c.source LIKE 'synthetic%' OR c.injected IS NOT NULL), 0) AS known,
              COUNT(DISTINCT CASE WHEN c.injected IS NOT NULL THEN c.example_id END) AS hallucinated
       FROM version_examples ve JOIN completions c ON c.example_id = ve.example_id WHERE ve.version_id = ?`,
    )
    .get(versionId) as Record<string, number>;
  const types = db
    .prepare(
      `SELECT e.answer_type AS t, COUNT(*) AS n FROM version_examples ve JOIN examples e ON e.id = ve.example_id
       WHERE ve.version_id = ? GROUP BY e.answer_type`,
    )
    .all(versionId) as { t: string; n: number }[];
  return {
    examples: base.examples!,
    excluded: base.excluded!,
    splits: { train: base.train!, val: base.val!, test: base.test!, none: base.none! },
    completions: comp.completions!,
    teacherJudged: comp.judged!,
    teacherCorrect: comp.correct!,
    teacherNoAnswer: comp.no_answer!,
    teacherUnjudged: comp.unjudged!,
    hallucinated: comp.hallucinated!,
    hallucinationKnown: comp.known === 1,
    answerTypes: Object.fromEntries(types.map((t) => [t.t, t.n])),
  };
}

export function computeContentHash(db: Db, versionId: number): string {
  const hash = crypto.createHash('sha256');
  const rows = db
    .prepare(
      `SELECT e.content_hash AS h, ve.split AS split, ve.excluded AS excluded, ve.tags AS tags
       FROM version_examples ve JOIN examples e ON e.id = ve.example_id WHERE ve.version_id = ? ORDER BY ve.position`,
    )
    .iterate(versionId) as IterableIterator<{ h: string; split: Split | null; excluded: number; tags: string }>;
  for (const r of rows) hash.update(memberLine(r.h, r.split, r.excluded === 1, JSON.parse(r.tags) as string[]));
  return hash.digest('hex');
}

/** What `versionId` changed relative to `parentId` (matching examples by lineage: external id). */
export function computeChanges(db: Db, versionId: number, parentId: number | null): VersionChanges {
  if (parentId === null) {
    const n = (db.prepare('SELECT COUNT(*) AS n FROM version_examples WHERE version_id = ?').get(versionId) as { n: number }).n;
    return { ...EMPTY_CHANGES, added: n };
  }
  // One pass over each side in a hash map: linear, so a draft of 100,000 examples is summarised
  // in milliseconds every time it is shown.
  const members = db.prepare(
    `SELECT e.external_id AS x, e.content_hash AS h, ve.split AS split, ve.excluded AS excluded, ve.tags AS tags
     FROM version_examples ve JOIN examples e ON e.id = ve.example_id WHERE ve.version_id = ?`,
  );
  type Member = { x: string; h: string; split: string | null; excluded: number; tags: string };
  const parent = new Map<string, Member>();
  for (const m of members.iterate(parentId) as IterableIterator<Member>) parent.set(m.x, m);
  const changes: VersionChanges = { ...EMPTY_CHANGES };
  let matched = 0;
  for (const c of members.iterate(versionId) as IterableIterator<Member>) {
    const p = parent.get(c.x);
    if (!p) {
      changes.added++;
      continue;
    }
    matched++;
    if (c.h !== p.h) changes.edited++;
    if (c.split !== p.split) changes.splitChanged++;
    if (c.excluded !== p.excluded) changes.excludedChanged++;
    if (c.tags !== p.tags) changes.tagsChanged++;
  }
  changes.removed = parent.size - matched;
  return changes;
}

/** The dataset's open draft, created from the latest committed version when there is none. */
export function ensureDraft(db: Db, datasetId: number): number {
  const existing = db.prepare('SELECT id FROM dataset_versions WHERE dataset_id = ? AND number IS NULL').get(datasetId) as
    | { id: number }
    | undefined;
  if (existing) return existing.id;
  const head = latestCommitted(db, datasetId);
  if (!head) throw new LabError('NOT_FOUND', `dataset ${datasetId} does not exist`);
  return db.transaction(() => {
    const id = Number(
      db.prepare('INSERT INTO dataset_versions (dataset_id, parent_id) VALUES (?, ?)').run(datasetId, head.id).lastInsertRowid,
    );
    db.prepare(
      `INSERT INTO version_examples (version_id, example_id, position, split, excluded, tags)
       SELECT ?, example_id, position, split, excluded, tags FROM version_examples WHERE version_id = ?`,
    ).run(id, head.id);
    return id;
  })();
}

/** Freezes a version: number, hash, stats and change summary. Refuses an unchanged draft. */
export function commitVersion(db: Db, versionId: number, message: string, opts: { allowUnchanged?: boolean } = {}): VersionSummary {
  return db.transaction(() => {
    const v = db.prepare('SELECT * FROM dataset_versions WHERE id = ?').get(versionId) as VersionRow | undefined;
    if (!v) throw new LabError('NOT_FOUND', `version ${versionId} does not exist`);
    if (v.number !== null) throw new LabError('CONFLICT', `version ${v.number} is already committed`);
    const hash = computeContentHash(db, versionId);
    if (v.parent_id !== null && !opts.allowUnchanged) {
      const parentHash = (db.prepare('SELECT content_hash FROM dataset_versions WHERE id = ?').get(v.parent_id) as { content_hash: string })
        .content_hash;
      if (parentHash === hash) throw new LabError('CONFLICT', 'nothing changed since the last version: there is nothing to commit');
    }
    const next =
      ((db.prepare('SELECT MAX(number) AS n FROM dataset_versions WHERE dataset_id = ?').get(v.dataset_id) as { n: number | null }).n ?? 0) + 1;
    db.prepare(
      `UPDATE dataset_versions SET number = ?, content_hash = ?, message = ?, changes = ?, stats = ?,
              committed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`,
    ).run(
      next,
      hash,
      message,
      JSON.stringify(computeChanges(db, versionId, v.parent_id)),
      JSON.stringify(computeStats(db, versionId)),
      versionId,
    );
    return toVersionSummary(db, db.prepare('SELECT * FROM dataset_versions WHERE id = ?').get(versionId) as VersionRow);
  }).immediate();
}

/** Throws unless the version is an open draft (committed versions are immutable). */
export function assertDraft(db: Db, versionId: number): void {
  const v = db.prepare('SELECT number FROM dataset_versions WHERE id = ?').get(versionId) as { number: number | null } | undefined;
  if (!v) throw new LabError('NOT_FOUND', `version ${versionId} does not exist`);
  if (v.number !== null) throw new LabError('CONFLICT', `version ${v.number} is committed and cannot change; edit the draft`);
}
