// What the New-run form and the experiment designer offer from the student registry
// (renderer lib/forms/students.ts): causal students as the student, sentence encoders only as
// PST's external encoder, and neither when its folder moved or changed.
import { describe, expect, it } from 'vitest';
import { studentChoices } from '../../../src/renderer/src/lib/forms/students';
import type { StudentSummaryRow } from '../../../src/shared/types/students';

function row(id: number, name: string, kind: StudentSummaryRow['kind'], status: StudentSummaryRow['status']) {
  return { id, name, kind, status } as StudentSummaryRow;
}

describe('studentChoices', () => {
  it('splits the registry into trainable students and sentence encoders, usable folders only', () => {
    const rows = [
      row(1, 'gpt2', 'causal', 'ok'),
      row(2, 'minilm', 'encoder', 'ok'),
      row(3, 'smollm', 'causal', 'changed'),
      row(4, 'bert-moved', 'encoder', 'missing'),
      row(5, 'qwen', 'causal', 'ok'),
    ];
    const c = studentChoices(rows);
    expect(c.students.map((s) => s.name)).toEqual(['gpt2', 'qwen']);
    expect(c.encoders.map((s) => s.name)).toEqual(['minilm']);
    expect(studentChoices([])).toEqual({ students: [], encoders: [] });
  });
});
