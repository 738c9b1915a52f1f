// The one crash-safe file writer of the lab (exports, reports, annotation exports, checkpoints):
// the content goes to a fresh temporary sibling, is fsynced, renamed over the target, and the
// folder is fsynced so the rename itself survives a power cut. A reader — or a crash halfway —
// sees the old file or the new one, never half of one; on failure the temporary file is removed.
// See docs/methods.md, "Crash safety".
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type AtomicContent = string | Uint8Array | Iterable<string | Uint8Array>;

/** Flushes a directory entry table (renames, new files) to disk; a no-op where unsupported. */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open directories; their renames are journaled by NTFS.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** A unique temporary name beside `file` (same folder, so the rename stays on one file system). */
export function tempSibling(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes all of `content` to an open descriptor, buffering small string chunks. */
function writeAll(fd: number, content: AtomicContent): void {
  if (typeof content === 'string' || content instanceof Uint8Array) {
    fs.writeFileSync(fd, content);
    return;
  }
  let buffer = '';
  for (const c of content) {
    if (typeof c === 'string') {
      buffer += c;
      if (buffer.length < 1 << 20) continue;
    } else {
      if (buffer) fs.writeFileSync(fd, buffer);
      buffer = '';
      fs.writeFileSync(fd, c);
      continue;
    }
    fs.writeFileSync(fd, buffer);
    buffer = '';
  }
  if (buffer) fs.writeFileSync(fd, buffer);
}

/** Replaces `file` with `content` atomically and durably (parent folders are created). */
export function writeFileAtomic(file: string, content: AtomicContent): void {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = tempSibling(target);
  try {
    const fd = fs.openSync(tmp, 'wx');
    try {
      writeAll(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}
