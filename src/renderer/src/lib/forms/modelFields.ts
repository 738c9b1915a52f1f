// The student-architecture overrides both the run dialog and the experiment designer offer, in the
// order the spec lists them; dropout is a rate, so it steps in hundredths.
import type { ModelOverrides } from '../../../../shared/types/runs';

export const MODEL_FIELDS: readonly { key: keyof ModelOverrides; label: string; step: string }[] = [
  { key: 'layers', label: 'Layers', step: '1' },
  { key: 'width', label: 'Width', step: '1' },
  { key: 'heads', label: 'Heads', step: '1' },
  { key: 'context', label: 'Context', step: '1' },
  { key: 'dropout', label: 'Dropout', step: '0.01' },
];
