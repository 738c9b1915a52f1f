// The experiment designer's form -> spec mapping for the answer-target factor, checked against the
// lab's own spec schema (what the designer sends is what the CLI would read from a file).
import { describe, expect, it } from 'vitest';
import { defaultDesigner, specFromDesigner } from '../../../src/renderer/src/lib/experiments/designer';
import { experimentSpecSchema } from '../../../src/shared/contract/experiments';
import { expandGrid } from '../../../src/main/lab/experiments/grid';

describe('designer: answer targets', () => {
  it('leaves the factor out when nothing is ticked', () => {
    const spec = specFromDesigner(defaultDesigner(2));
    expect('answerTargets' in spec).toBe(false);
    expect(experimentSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('sends the ticked targets in canonical order, and the grid doubles', () => {
    const form = { ...defaultDesigner(2), answerTargets: ['teacher', 'gold'] as ('gold' | 'teacher')[] };
    const spec = specFromDesigner(form);
    expect(spec.answerTargets).toEqual(['gold', 'teacher']);
    const parsed = experimentSpecSchema.safeParse(spec);
    expect(parsed.success).toBe(true);
    expect(expandGrid(spec)).toHaveLength(2 * expandGrid(specFromDesigner(defaultDesigner(2))).length);
  });
});
