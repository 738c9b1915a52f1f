// A refused form shown where the user can act (renderer lib/forms/issues.ts): issues next to the
// nearest field the form has, the rest apart, one line above the button.
import { describe, expect, it } from 'vitest';
import { LabCallError } from '../../../src/renderer/src/lib/labError';
import { fieldErrors, formFailure, idleForm, issuesOf, submitForm } from '../../../src/renderer/src/lib/forms/issues';

const FIELDS = new Set(['steps', 'lora', 'synthetic.hallucinationRates']);
const refusal = (details: unknown): LabCallError =>
  new LabCallError({ code: 'INVALID_INPUT', message: 'invalid input', details });

describe('issuesOf', () => {
  it('keeps only {path, message} entries of the details', () => {
    const ok = { path: ['steps'], message: 'Too small' };
    expect(issuesOf([ok, { path: 'steps' }, null, 3])).toEqual([ok]);
    expect(issuesOf({ field: 'x' })).toEqual([]);
  });
});

describe('fieldErrors', () => {
  it('puts an issue on the nearest field, numbers list items from 1 and joins two on one field', () => {
    const { byField, other } = fieldErrors(
      [
        { path: ['steps'], message: 'too small' },
        { path: ['steps'], message: 'not whole' },
        { path: ['lora', 'alpha'], message: 'too big' },
        { path: ['spec', 'synthetic', 'hallucinationRates', '1'], message: 'above 1' },
      ],
      FIELDS,
    );
    expect(byField).toEqual({
      steps: 'too small; not whole',
      lora: 'too big',
      'synthetic.hallucinationRates': 'item 2: above 1',
    });
    expect(other).toEqual([]);
  });
  it('returns issues no field takes apart, with their path', () => {
    expect(
      fieldErrors(
        [
          { path: ['name'], message: 'too long' },
          { path: [], message: 'empty' },
        ],
        FIELDS,
      ),
    ).toEqual({
      byField: {},
      other: ['name: too long', 'empty'],
    });
  });
});

describe('formFailure and submitForm', () => {
  it('words a validation refusal as field errors, anything else as its message', () => {
    expect(formFailure(refusal([{ path: ['steps'], message: 'too small' }]), FIELDS)).toEqual({
      byField: { steps: 'too small' },
      other: [],
      message: 'Some fields need attention.',
    });
    expect(formFailure(new Error('the lab is gone'), FIELDS)).toEqual({
      byField: {},
      other: [],
      message: 'the lab is gone',
    });
  });
  it('clears the last refusal when submitting again and keeps the new one', async () => {
    const state = idleForm();
    expect(await submitForm(state, FIELDS, () => Promise.reject(refusal([{ path: ['x'], message: 'bad' }])))).toBe(
      false,
    );
    expect(state).toEqual({ busy: false, error: 'Some fields need attention.', errors: {}, other: ['x: bad'] });
    expect(await submitForm(state, FIELDS, async () => undefined)).toBe(true);
    expect(state).toEqual(idleForm());
  });
});
