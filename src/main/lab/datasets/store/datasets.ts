// Creating, listing, renaming and deleting datasets. A new dataset is written in one transaction
// together with its first committed version, so a failed import leaves nothing behind.
import type { Db } from '../../db/database';
import { LabError } from '../../errors';
import type { ExampleInput } from '../../../../shared/types/dataset';
import type { DatasetSummary, VersionSummary } from '../../../../shared/types/datasets';
import type { SyntheticPatternReport } from '../../../../shared/types/importing';
import { revisionWriter } from './revisions';
import { commitVersion, latestCommitted, listVersions, toVersionSummary } from './versions';

export interface NewDataset {
  name: string;
  description?: string;
  source: string;
  sourceDetail?: Record<string, unknown>;
  message: string;
  examples: Iterable<ExampleInput>;
}

export function datasetIdByName(db: Db, nameOrId: string | number): number {
  if (typeof nameOrId === 'number' || /^\d+$/.test(nameOrId)) {
    const id = Number(nameOrId);
    const hit = db.prepare('SELECT id FROM datasets WHERE id = ?').get(id) as { id: number } | undefined;
    if (hit) return hit.id;
    if (typeof nameOrId === 'number') throw new LabError('NOT_FOUND', `dataset ${id} does not exist`);
  }
  const byName = db.prepare('SELECT id FROM datasets WHERE name = ?').get(String(nameOrId)) as
    { id: number } | undefined;
  if (!byName) throw new LabError('NOT_FOUND', `no dataset named ${JSON.stringify(nameOrId)}`);
  return byName.id;
}

/** A name not yet taken: "name", else "name (2)", "name (3)"... */
export function uniqueDatasetName(db: Db, wanted: string): string {
  const exists = db.prepare('SELECT 1 FROM datasets WHERE name = ?');
  if (!exists.get(wanted)) return wanted;
  for (let i = 2; ; i++) if (!exists.get(`${wanted} (${i})`)) return `${wanted} (${i})`;
}

export function createDataset(db: Db, d: NewDataset): { datasetId: number; version: VersionSummary } {
  return db
    .transaction(() => {
      if (db.prepare('SELECT 1 FROM datasets WHERE name = ?').get(d.name)) {
        throw new LabError('CONFLICT', `a dataset named ${JSON.stringify(d.name)} already exists`);
      }
      const datasetId = Number(
        db
          .prepare('INSERT INTO datasets (name, description, source, source_detail) VALUES (?, ?, ?, ?)')
          .run(d.name, d.description ?? '', d.source, JSON.stringify(d.sourceDetail ?? {})).lastInsertRowid,
      );
      const versionId = Number(
        db.prepare('INSERT INTO dataset_versions (dataset_id) VALUES (?)').run(datasetId).lastInsertRowid,
      );
      const write = revisionWriter(db);
      const member = db.prepare(
        'INSERT INTO version_examples (version_id, example_id, position, split, excluded, tags) VALUES (?, ?, ?, ?, ?, ?)',
      );
      const seen = new Map<string, number>();
      let position = 0;
      for (const e of d.examples) {
        if (seen.has(e.externalId)) {
          throw new LabError(
            'CONFLICT',
            `duplicate example id ${JSON.stringify(e.externalId)} (examples ${seen.get(e.externalId)! + 1} and ${position + 1})`,
          );
        }
        seen.set(e.externalId, position);
        const { id } = write(datasetId, e, null);
        member.run(versionId, id, position++, e.split, e.excluded ? 1 : 0, JSON.stringify([...new Set(e.tags)].sort()));
      }
      if (position === 0) throw new LabError('INVALID_INPUT', 'a dataset needs at least one example');
      const version = commitVersion(db, versionId, d.message);
      return { datasetId, version };
    })
    .immediate();
}

interface DatasetRow {
  id: number;
  name: string;
  description: string;
  source: string;
  created_at: string;
}

function summarise(db: Db, r: DatasetRow): DatasetSummary {
  const draft = db.prepare('SELECT * FROM dataset_versions WHERE dataset_id = ? AND number IS NULL').get(r.id);
  const head = draft ?? latestCommitted(db, r.id);
  const count = db
    .prepare('SELECT COUNT(*) AS n FROM dataset_versions WHERE dataset_id = ? AND number IS NOT NULL')
    .get(r.id) as { n: number };
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    source: r.source,
    createdAt: r.created_at,
    headVersion: head ? toVersionSummary(db, head as Parameters<typeof toVersionSummary>[1]) : null,
    versionCount: count.n,
    hasDraft: draft !== undefined,
  };
}

export function listDatasets(db: Db): DatasetSummary[] {
  return (db.prepare('SELECT * FROM datasets ORDER BY created_at DESC, id DESC').all() as DatasetRow[]).map((r) =>
    summarise(db, r),
  );
}

/**
 * One dataset with its versions and, for a generated one, the pattern report of version 1 as
 * generated (docs/methods.md, "Generated tasks"); null for imported datasets.
 */
export function getDataset(
  db: Db,
  id: number,
): DatasetSummary & { versions: VersionSummary[]; patterns: SyntheticPatternReport | null } {
  const r = db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as
    (DatasetRow & { source_detail: string }) | undefined;
  if (!r) throw new LabError('NOT_FOUND', `dataset ${id} does not exist`);
  const detail = JSON.parse(r.source_detail) as { patterns?: SyntheticPatternReport };
  return { ...summarise(db, r), versions: listVersions(db, id), patterns: detail.patterns ?? null };
}

export function renameDataset(db: Db, id: number, name: string, description?: string): void {
  const taken = db.prepare('SELECT id FROM datasets WHERE name = ? AND id <> ?').get(name, id);
  if (taken) throw new LabError('CONFLICT', `a dataset named ${JSON.stringify(name)} already exists`);
  const res = db
    .prepare('UPDATE datasets SET name = ?, description = COALESCE(?, description) WHERE id = ?')
    .run(name, description ?? null, id);
  if (res.changes === 0) throw new LabError('NOT_FOUND', `dataset ${id} does not exist`);
}

export function deleteDataset(db: Db, id: number): void {
  db.transaction(() => {
    const ids = db.prepare('SELECT id FROM examples WHERE dataset_id = ?').all(id) as { id: number }[];
    const delFts = db.prepare('DELETE FROM examples_fts WHERE rowid = ?');
    for (const e of ids) delFts.run(e.id);
    // version_examples -> examples has no cascade: drop the versions (and their members) first.
    db.prepare('DELETE FROM dataset_versions WHERE dataset_id = ?').run(id);
    const res = db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
    if (res.changes === 0) throw new LabError('NOT_FOUND', `dataset ${id} does not exist`);
  }).immediate();
}
