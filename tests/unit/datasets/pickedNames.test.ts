// Import errors name the files the user picked, never the lab's upload folder (renderer
// lib/datasets/format.ts).
import { describe, expect, it } from 'vitest';
import { withPickedNames } from '../../../src/renderer/src/lib/datasets/format';

describe('withPickedNames', () => {
  it('replaces every upload path by the picked file name', () => {
    const paths = ['/data/uploads/3f9a/teacher.jsonl', '/data/uploads/77b1/split.json'];
    const msg =
      'cannot read /data/uploads/3f9a/teacher.jsonl: line 2; see also /data/uploads/77b1/split.json and /data/uploads/3f9a/teacher.jsonl';
    expect(withPickedNames(msg, paths, ['teacher.jsonl', 'my split.json'])).toBe(
      'cannot read teacher.jsonl: line 2; see also my split.json and teacher.jsonl',
    );
  });
  it('leaves other text alone', () => {
    expect(withPickedNames('nothing to import', ['/x/a.jsonl'], ['a.jsonl'])).toBe('nothing to import');
  });
});
