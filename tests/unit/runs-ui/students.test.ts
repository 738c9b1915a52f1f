// What the New-run form and the experiment designer offer from the student registry
// (renderer lib/forms/students.ts): causal students as the student, sentence encoders only as
// PST's external encoder, and neither when its folder moved or changed; and the LoRA fields.
import { describe, expect, it } from 'vitest';
import { loraFromForm, studentChoices } from '../../../src/renderer/src/lib/forms/students';
import { defaultForm, specFromForm } from '../../../src/renderer/src/lib/runs/form';
import { defaultDesigner, specFromDesigner } from '../../../src/renderer/src/lib/experiments/designer';
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

describe('loraFromForm', () => {
  it('sends rank and dropout with a student only; a dropout without a rank leaves the rank for the lab to name', () => {
    expect(loraFromForm('', 8, 0.1)).toEqual({});
    expect(loraFromForm('gpt2', null, null)).toEqual({});
    expect(loraFromForm('gpt2', 8, null)).toEqual({ lora: { rank: 8 } });
    expect(loraFromForm('gpt2', 8, 0.05)).toEqual({ lora: { rank: 8, dropout: 0.05 } });
    expect(loraFromForm('gpt2', undefined, 0.05)).toEqual({ lora: { rank: null, dropout: 0.05 } });
  });

  it('the New-run form and the designer both send it', () => {
    const form = { ...defaultForm(), student: 'gpt2', loraRank: 4, loraDropout: 0.1 };
    expect(specFromForm(form).lora).toEqual({ rank: 4, dropout: 0.1 });
    const designer = { ...defaultDesigner(2), student: 'gpt2', loraRank: 4, loraDropout: 0.1 };
    expect(specFromDesigner(designer).lora).toEqual({ rank: 4, dropout: 0.1 });
  });
});
