// A form drop-down's choices (renderer lib/forms/choices.ts).
import { describe, expect, it } from 'vitest';
import { choicesOf } from '../../../src/renderer/src/lib/forms/choices';

describe('choicesOf', () => {
  it('shows a value by its label when it has one, else as itself', () => {
    expect(choicesOf(['mse', 'cosine', 'nce'] as const, { mse: 'MSE', nce: 'InfoNCE' })).toEqual([
      { value: 'mse', label: 'MSE' },
      { value: 'cosine', label: 'cosine' },
      { value: 'nce', label: 'InfoNCE' },
    ]);
    expect(choicesOf([1, 2])).toEqual([
      { value: 1, label: '1' },
      { value: 2, label: '2' },
    ]);
  });
});
