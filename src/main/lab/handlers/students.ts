import fs from 'node:fs';
import path from 'node:path';
import type { studentChannels } from '../../../shared/contract/students';
import type { Handlers } from '../dispatch';
import type { LabContext } from '../lab';
import { addStudent, listStudents, removeStudent, studentDetail } from '../students/registry';
import { exportRunStudent } from '../students/export';

export function studentHandlers(ctx: LabContext): Pick<Handlers, keyof typeof studentChannels> {
  const { db } = ctx;
  return {
    'students.list': () => listStudents(db),
    'students.get': ({ student, verify }) => studentDetail(db, student, verify ?? false),
    'students.add': ({ dir, name }) => addStudent(db, ctx.files.check(dir, 'read'), name),
    'students.remove': ({ student }) => removeStudent(db, student),
    'students.export': ({ run, out }) =>
      exportRunStudent(db, run, ctx.files.check(out ?? defaultExportDir(ctx.dataDir, run), 'write')),
  };
}

/** The first of exports/students/run-<id>, run-<id>-2, ... in the data directory that does not exist yet. */
function defaultExportDir(dataDir: string, run: number): string {
  const base = path.join(dataDir, 'exports', 'students', `run-${run}`);
  for (let n = 1; ; n++) {
    const dir = n === 1 ? base : `${base}-${n}`;
    if (!fs.existsSync(dir)) return dir;
  }
}
