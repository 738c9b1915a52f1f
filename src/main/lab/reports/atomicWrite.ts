// Reports are written to a temporary file in the target folder and renamed into place, so a reader
// (or a crash halfway) never sees a half-written report, and an older report stays intact on failure.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx');
    try {
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
