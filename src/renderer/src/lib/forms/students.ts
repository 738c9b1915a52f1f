// What the run and experiment forms offer from the student registry: `students.list` holds causal
// students and sentence encoders (PST's `external` e(r)). Only causal students can be trained; only
// encoders can give PST's targets. Folders that moved or changed since registration are left out.
import type { LoraSpec } from '../../../../shared/types/runs';
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

const filled = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * The spec's `lora` from the forms' LoRA fields (docs/methods.md, "Training a pretrained student"):
 * only with a student, when a rank or a dropout is filled in. A dropout without a rank sends the
 * rank as null, so the lab's validation names `lora.rank`.
 */
export function loraFromForm(
  student: string,
  rank: number | null | undefined,
  dropout: number | null | undefined,
): { lora?: LoraSpec } {
  if (!student || (!filled(rank) && !filled(dropout))) return {};
  return {
    lora: { rank: filled(rank) ? rank : (null as unknown as number), ...(filled(dropout) ? { dropout } : {}) },
  };
}
