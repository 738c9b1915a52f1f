// A pretrained student on a worker: the job names it by its files' hashes (as the owner resolved
// them when the run was created); the worker trains only on a folder of its own whose files hash
// the same, found in its --students-dir folders (each folder itself and its immediate subfolders).
// PST's external sentence encoder is found the same way.
import fs from 'node:fs';
import path from 'node:path';
import type { StudentFileRecord } from '../../../shared/types/students';
import { sha256File } from '../students/folder';
import { studentFingerprint } from '../students/registry';
import type { PretrainedStudentSpec } from '../students/trainable';
import type { ExternalEncoderRef } from '../training/semantic/external';

export class StudentMissingError extends Error {}

/** File hashes by path, size and modification time: a folder is hashed once per change, not per job. */
const hashes = new Map<string, { bytes: number; mtimeMs: number; sha256: string }>();

function fileMatches(file: string, want: StudentFileRecord): boolean {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return false;
  }
  if (!st.isFile() || st.size !== want.bytes) return false;
  const known = hashes.get(file);
  if (known && known.bytes === st.size && known.mtimeMs === st.mtimeMs) return known.sha256 === want.sha256;
  const sha256 = sha256File(file);
  hashes.set(file, { bytes: st.size, mtimeMs: st.mtimeMs, sha256 });
  return sha256 === want.sha256;
}

function subfolders(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => path.join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/**
 * This worker's folder whose files hash as `files` records, for the job's `what` (a pretrained
 * student, PST's external sentence encoder). Throws StudentMissingError naming it and every folder
 * searched when none matches.
 */
function localFolder(
  what: string,
  files: StudentFileRecord[] | null | undefined,
  studentsDirs: readonly string[],
): string {
  if (!files)
    throw new StudentMissingError(`${what}: the job records no file hashes; not training on an unverified folder`);
  for (const root of studentsDirs) {
    for (const dir of [root, ...subfolders(root)]) {
      if (files.every((f) => fileMatches(path.join(dir, f.name), f))) return dir;
    }
  }
  const where = studentsDirs.length
    ? `looked in ${studentsDirs.map((d) => `${d} (and its subfolders)`).join(', ')}`
    : 'this worker has no --students-dir';
  throw new StudentMissingError(
    `${what} (fingerprint ${studentFingerprint(files).slice(0, 12)}, ${files.length} files) is not on this worker: ${where}; ` +
      `copy its folder there (files with the same SHA-256) and the job runs`,
  );
}

/** The job's student with `dir` replaced by this worker's folder whose files hash as recorded. */
export function localStudent(spec: PretrainedStudentSpec, studentsDirs: readonly string[]): PretrainedStudentSpec {
  const name = spec.name ?? path.basename(spec.dir);
  return { ...spec, dir: localFolder(`pretrained student ${name}`, spec.files, studentsDirs) };
}

/**
 * PST's external sentence encoder on this worker: its folder found by the recorded hashes (as a
 * student's), its targets cached under the worker's own data directory.
 */
export function localEncoder(
  ref: ExternalEncoderRef,
  studentsDirs: readonly string[],
  cacheDir: string,
): ExternalEncoderRef {
  return { ...ref, dir: localFolder(`external sentence encoder ${ref.name}`, ref.files, studentsDirs), cacheDir };
}
