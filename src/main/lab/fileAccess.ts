// Which files the lab's file channels (dataset import/detect/export, reports, annotation
// import/export) may read or write. The desktop app and the CLI use paths the user chose in a
// dialog or typed: any path. Serve mode is driven from a browser (possibly from another machine
// with --allow-remote): there every path must lie inside the data folder or a folder the user
// allowed when starting the server (`pst-lab serve --allow-folder DIR`). Real paths are compared,
// so a symbolic link cannot lead out.
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from './errors';

export interface FileAccess {
  /** Whether paths are confined (serve mode). */
  readonly confined: boolean;
  /** Folders paths may lie in when confined (real paths). */
  readonly roots: readonly string[];
  /** The absolute path to use, or a FORBIDDEN LabError naming the path and the allowed folders. */
  check(p: string, use: 'read' | 'write'): string;
}

/** The real path of `p`, resolving links of its nearest existing ancestor (for files not yet written). */
function realPathOf(p: string): string {
  const abs = path.resolve(p);
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...tail);
    } catch {
      const up = path.dirname(head);
      if (up === head) return abs;
      tail.unshift(path.basename(head));
      head = up;
    }
  }
}

export function fileAccess(confined: boolean, folders: readonly string[]): FileAccess {
  const roots = confined ? folders.map((f) => realPathOf(f)) : [];
  return {
    confined,
    roots,
    check(p, use) {
      const abs = path.resolve(p);
      if (!confined) return abs;
      if (p.includes('\0')) throw new LabError('FORBIDDEN', `${JSON.stringify(p.slice(0, 200))}: not a valid path`);
      const real = realPathOf(abs);
      if (roots.some((r) => real === r || real.startsWith(r + path.sep))) return abs;
      throw new LabError(
        'FORBIDDEN',
        `${abs}: cannot ${use} outside the lab's folders in serve mode (allowed: ${roots.join(', ')}; start serve with --allow-folder DIR to add one)`,
      );
    },
  };
}
