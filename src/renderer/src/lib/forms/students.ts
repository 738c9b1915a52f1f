// What the run and experiment forms offer from the student registry: `students.list` holds causal
// students and sentence encoders (PST's `external` e(r)). Only causal students can be trained; only
// encoders can give PST's targets. Folders that moved or changed since registration are left out.
import type { StudentSummaryRow } from '../../../../shared/types/students';

export interface StudentChoices {
  /** For the Student picker. */
  students: StudentSummaryRow[];
  /** For the PST sentence-encoder picker. */
  encoders: StudentSummaryRow[];
}

export function studentChoices(rows: readonly StudentSummaryRow[]): StudentChoices {
  const usable = rows.filter((r) => r.status === 'ok');
  return {
    students: usable.filter((r) => r.kind === 'causal'),
    encoders: usable.filter((r) => r.kind === 'encoder'),
  };
}
