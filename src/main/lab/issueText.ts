// Validation problems in words people use: zod's defaults ("Too small: expected number to be
// >=1") become "must be at least 1". Messages a schema author wrote (refinements, custom texts)
// are kept as they are.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** zod's own default messages start like this; anything else was written for people already. */
const ZOD_DEFAULT = /^(Too small|Too big|Invalid input|Invalid option|Invalid number|Unrecognized key)/;

const KINDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

function bound(origin: string, n: number | bigint, inclusive: boolean | undefined, side: 'min' | 'max'): string {
  if (origin === 'string') {
    if (side === 'min' && Number(n) === 1) return 'must not be empty';
    return `must be ${side === 'min' ? 'at least' : 'at most'} ${n} character${Number(n) === 1 ? '' : 's'} long`;
  }
  if (origin === 'array' || origin === 'set') {
    return side === 'min'
      ? `needs at least ${n} item${Number(n) === 1 ? '' : 's'}`
      : `takes at most ${n} item${Number(n) === 1 ? '' : 's'}`;
  }
  if (inclusive === false) return `must be ${side === 'min' ? 'greater' : 'less'} than ${n}`;
  return `must be ${side === 'min' ? 'at least' : 'at most'} ${n}`;
}

/** "must be at least 1", "is required", "must be one of train, val, test"... (without the field). */
export function issueText(i: Issue): string {
  if (!ZOD_DEFAULT.test(i.message)) return i.message;
  switch (i.code) {
    case 'too_small':
      return bound(i.origin, i.minimum, i.inclusive, 'min');
    case 'too_big':
      return bound(i.origin, i.maximum, i.inclusive, 'max');
    case 'invalid_type':
      if (/received undefined$/.test(i.message)) return 'is required';
      return `must be ${KINDS[i.expected] ?? i.expected}`;
    case 'invalid_value':
      return i.values.length === 1
        ? `must be ${String(i.values[0])}`
        : `must be one of ${i.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${i.keys.length === 1 ? '' : 's'} ${i.keys.join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${i.divisor}`;
    default:
      return i.message;
  }
}

/** The field an issue is about, as it reads in a form or JSON: "completions[0].rationale". */
export function issueField(path: readonly PropertyKey[]): string {
  return path.map((p, k) => (typeof p === 'number' ? `[${p}]` : `${k > 0 ? '.' : ''}${String(p)}`)).join('');
}
