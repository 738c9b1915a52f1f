// Validation messages in words people use (src/main/lab/issueText.ts), also through the dispatch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Lab } from '../../../src/main/lab/lab';
import { issueField, issueText } from '../../../src/main/lab/issueText';
import { openTempLab } from '../../helpers/tempLab';

let lab: Lab;
let cleanup: () => void;
beforeAll(() => {
  ({ lab, cleanup } = openTempLab());
});
afterAll(() => cleanup());

const schema = z
  .object({
    a: z.number().int().min(1),
    b: z.string().min(1),
    c: z.enum(['x', 'y']),
    d: z.array(z.number()).min(2),
    e: z.number().max(1),
    f: z.number().gt(0),
    g: z.string().min(3, 'say more'),
    h: z.boolean(),
  })
  .strict();

function texts(input: unknown): Record<string, string> {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a failure');
  return Object.fromEntries(r.error.issues.map((i) => [issueField(i.path) || '(input)', issueText(i)]));
}

describe('validation messages for people', () => {
  it('rewrites zod defaults and keeps messages a schema author wrote', () => {
    expect(texts({ a: 0, b: '', c: 'z', d: [1], e: 3, f: 0, g: 'ab', h: true, zz: 1 })).toEqual({
      a: 'must be at least 1',
      b: 'must not be empty',
      c: 'must be one of x, y',
      d: 'needs at least 2 items',
      e: 'must be at most 1',
      f: 'must be greater than 0',
      g: 'say more',
      '(input)': 'unknown field zz',
    });
    expect(texts({ a: 1.5, b: 'b', c: 'x', d: [1, 2], e: 0, f: 1, g: 'abc' })).toEqual({
      a: 'must be a whole number',
      h: 'is required',
    });
  });

  it('names nested fields as they read in JSON', () => {
    expect(issueField(['completions', 0, 'rationale'])).toBe('completions[0].rationale');
  });

  it('answers a bad channel input with the rewritten text', async () => {
    const r = await lab.dispatch('datasets.split', { dataset: 1, train: 2, val: 0, test: 0, seed: 1 });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'invalid input for datasets.split: train must be at most 1',
        details: [{ path: ['train'], message: 'must be at most 1' }],
      },
    });
  });
});
