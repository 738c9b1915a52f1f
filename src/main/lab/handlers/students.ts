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
    'students.export': ({ run, out }) => exportRunStudent(db, run, ctx.files.check(out, 'write')),
  };
}
