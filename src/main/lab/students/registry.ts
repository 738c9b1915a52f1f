// The students registry: Hugging Face folders validated once (students/folder.ts) and recorded
// with the size and SHA-256 of every file. The folder is not copied; every use checks it is still
// there and unchanged (sizes for listings, full hashes before weights are used).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {
  StudentDetail,
  StudentFileRecord,
  StudentFolderStatus,
  StudentSummaryRow,
} from '../../../shared/types/students';
import type { Db } from '../db/database';
import { LabError } from '../errors';
import { kindOfFamily, type FamilyKind } from './families';
import { inspectStudentFolder, sha256File, type StudentFolder } from './folder';

interface StudentRow {
  id: number;
  name: string;
  dir: string;
  family: string;
  architecture: string;
  model_type: string;
  parameter_count: number;
  vocab_size: number;
  context: number;
  hidden: number;
  layers: number;
  heads: number;
  tied_embeddings: number;
  tokenizer: string;
  tokenizer_size: number;
  dtypes: string;
  files: string;
  config: string;
  fingerprint: string;
  created_at: string;
}

/** One hash for the whole student: sha256 over its sorted "file sha256" lines. */
export function studentFingerprint(files: readonly StudentFileRecord[]): string {
  const lines = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `${f.name} ${f.sha256}\n`);
  return crypto.createHash('sha256').update(lines.join('')).digest('hex');
}

const NAME = /^[A-Za-z0-9][\w.+-]{0,99}$/;

function checkName(name: string): void {
  if (!NAME.test(name) || /^\d+$/.test(name)) {
    throw new LabError(
      'INVALID_INPUT',
      `student name ${JSON.stringify(name)}: use 1-100 letters, digits, '.', '_', '+' or '-', starting with a letter or digit, not only digits`,
      { field: 'name' },
    );
  }
}

/** Where the folder stands against what was registered; `verify` rehashes every file. */
function folderStatus(row: StudentRow, verify: boolean): { status: StudentFolderStatus; reason: string | null } {
  if (!fs.existsSync(row.dir) || !fs.statSync(row.dir).isDirectory())
    return { status: 'missing', reason: `${row.dir} is not there any more (moved or deleted?)` };
  for (const f of JSON.parse(row.files) as StudentFileRecord[]) {
    const p = path.join(row.dir, f.name);
    if (!fs.existsSync(p)) return { status: 'missing', reason: `${p} is missing` };
    const bytes = fs.statSync(p).size;
    if (bytes !== f.bytes) return { status: 'changed', reason: `${p} has ${bytes} bytes, ${f.bytes} when registered` };
    if (verify && sha256File(p) !== f.sha256)
      return { status: 'changed', reason: `${p} has a different SHA-256 than when registered` };
  }
  return { status: 'ok', reason: null };
}

function summaryOf(row: StudentRow, verify: boolean): StudentSummaryRow {
  const { status, reason } = folderStatus(row, verify);
  return {
    id: row.id,
    name: row.name,
    dir: row.dir,
    family: row.family,
    kind: kindOfFamily(row.family) ?? 'causal',
    architecture: row.architecture,
    modelType: row.model_type,
    parameterCount: row.parameter_count,
    vocabSize: row.vocab_size,
    context: row.context,
    hidden: row.hidden,
    layers: row.layers,
    heads: row.heads,
    tiedEmbeddings: row.tied_embeddings === 1,
    tokenizer: row.tokenizer,
    tokenizerSize: row.tokenizer_size,
    dtypes: JSON.parse(row.dtypes) as string[],
    fingerprint: row.fingerprint,
    createdAt: row.created_at,
    status,
    statusReason: reason,
  };
}

function detailOf(row: StudentRow, verify: boolean): StudentDetail {
  return {
    ...summaryOf(row, verify),
    files: JSON.parse(row.files) as StudentFileRecord[],
    config: JSON.parse(row.config) as Record<string, unknown>,
  };
}

function rowByRef(db: Db, ref: string | number): StudentRow {
  const byId =
    typeof ref === 'number' || /^\d+$/.test(ref)
      ? (db.prepare('SELECT * FROM students WHERE id = ?').get(Number(ref)) as StudentRow | undefined)
      : undefined;
  const row = byId ?? (db.prepare('SELECT * FROM students WHERE name = ?').get(String(ref)) as StudentRow | undefined);
  if (!row)
    throw new LabError('NOT_FOUND', `no student with id or name ${JSON.stringify(ref)} (see pst-lab students list)`);
  return row;
}

/** Validates and registers a folder; nothing is written unless the whole folder is valid. */
export function addStudent(db: Db, dir: string, name?: string): StudentDetail {
  // A causal LM registers as a student, a BERT-family folder as a sentence encoder (PST's `external` e(r)).
  const folder = inspectStudentFolder(dir, { kind: 'auto' });
  const chosen = name ?? path.basename(folder.dir);
  checkName(chosen);
  if (db.prepare('SELECT 1 FROM students WHERE name = ?').get(chosen))
    throw new LabError('CONFLICT', `a student named ${JSON.stringify(chosen)} is already registered (give --name)`);
  const s = folder.summary;
  const config = JSON.parse(fs.readFileSync(path.join(folder.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  const info = db
    .prepare(
      `INSERT INTO students (name, dir, family, architecture, model_type, parameter_count, vocab_size, context, hidden, layers, heads,
         tied_embeddings, tokenizer, tokenizer_size, dtypes, files, config, fingerprint)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      chosen,
      folder.dir,
      folder.family.id,
      s.architecture,
      s.modelType,
      folder.parameterCount,
      s.vocabSize,
      s.context,
      s.hidden,
      s.layers,
      s.heads,
      s.tiedEmbeddings ? 1 : 0,
      folder.tokenizerSource,
      folder.tokenizer.size,
      JSON.stringify(folder.dtypes),
      JSON.stringify(folder.files),
      JSON.stringify(config),
      studentFingerprint(folder.files),
    );
  return detailOf(rowByRef(db, Number(info.lastInsertRowid)), false);
}

export function listStudents(db: Db): StudentSummaryRow[] {
  return (db.prepare('SELECT * FROM students ORDER BY name').all() as StudentRow[]).map((r) => summaryOf(r, false));
}

export function studentDetail(db: Db, ref: string | number, verify = false): StudentDetail {
  return detailOf(rowByRef(db, ref), verify);
}

export function removeStudent(db: Db, ref: string | number): { removed: string } {
  const row = rowByRef(db, ref);
  db.prepare('DELETE FROM students WHERE id = ?').run(row.id);
  return { removed: row.name };
}

/**
 * A student to use (forward, training): a registered name or id — whose folder must still hash
 * as registered — or a folder path, validated now. Returns the inspected folder and, when
 * registered, the registry row's name.
 */
export function resolveStudent(
  db: Db,
  ref: string,
  kind: FamilyKind = 'causal',
): { folder: StudentFolder; registered: string | null } {
  const known = db.prepare('SELECT * FROM students WHERE name = ? OR CAST(id AS TEXT) = ?').get(ref, ref) as
    StudentRow | undefined;
  const what = kind === 'encoder' ? 'sentence encoder' : 'student';
  if (!known) {
    if (fs.existsSync(ref)) return { folder: inspectStudentFolder(ref, { kind }), registered: null };
    throw new LabError('NOT_FOUND', `no ${what} with id or name ${JSON.stringify(ref)}, and no folder at that path`);
  }
  if (kindOfFamily(known.family) !== kind)
    throw new LabError('INVALID_INPUT', `${known.name} is a ${known.architecture}, not a ${what}`);
  // Hashes first: a changed folder is reported as changed, not as whatever it now fails on.
  const now = folderStatus(known, true);
  if (now.status !== 'ok')
    throw new LabError(
      'CONFLICT',
      `student ${known.name}: ${now.reason}; register it again (students remove, then students add)`,
    );
  const folder = {
    ...inspectStudentFolder(known.dir, { hash: false, kind }),
    files: JSON.parse(known.files) as StudentFileRecord[],
  };
  return { folder, registered: known.name };
}
