// The workbench's two-key choices (renderer lib/annotate/keys.ts): `y` / `e` then a key sets the
// value directly.
import { describe, expect, it } from 'vitest';
import {
  ANSWER_SUPPORT_KEYS,
  END_REASON_KEYS,
  keyForChoice,
  keyForErrorType,
  SHORTCUTS,
  verdictChoiceKey,
} from '../../../src/renderer/src/lib/annotate/keys';
import { ANSWER_SUPPORTS, END_REASONS } from '../../../src/shared/types/annotations';

describe('verdict choice keys', () => {
  it('sets "final answer supported" directly after y, Backspace clears, other keys set nothing', () => {
    expect(verdictChoiceKey('answerSupported', 'y')).toEqual({ answerSupported: 'yes' });
    expect(verdictChoiceKey('answerSupported', 'n')).toEqual({ answerSupported: 'no' });
    expect(verdictChoiceKey('answerSupported', 'u')).toEqual({ answerSupported: 'unsure' });
    expect(verdictChoiceKey('answerSupported', 'Backspace')).toEqual({ answerSupported: null });
    expect(verdictChoiceKey('answerSupported', 'j')).toBeUndefined();
  });
  it('sets how labelling ended directly after e', () => {
    expect(verdictChoiceKey('endReason', 'd')).toEqual({ endReason: 'done' });
    expect(verdictChoiceKey('endReason', 'f')).toEqual({ endReason: 'found_error' });
    expect(verdictChoiceKey('endReason', 'b')).toEqual({ endReason: 'bad_question' });
    expect(verdictChoiceKey('endReason', 'g')).toEqual({ endReason: 'gave_up' });
    expect(verdictChoiceKey('endReason', 'Backspace')).toEqual({ endReason: null });
    expect(verdictChoiceKey('endReason', 'y')).toBeUndefined();
  });
  it('reaches every value with one key, and the overlay documents the keys', () => {
    for (const v of ANSWER_SUPPORTS)
      expect(verdictChoiceKey('answerSupported', keyForChoice(ANSWER_SUPPORT_KEYS, v))).toEqual({ answerSupported: v });
    for (const v of END_REASONS)
      expect(verdictChoiceKey('endReason', keyForChoice(END_REASON_KEYS, v))).toEqual({ endReason: v });
    expect(keyForErrorType('arithmetic')).toBe('a');
    const verdictKeys = SHORTCUTS.find((g) => g.title === 'Verdict')!
      .shortcuts.map((s) => s.does)
      .join('\n');
    expect(verdictKeys).toContain('y yes, n no, u unsure');
    expect(verdictKeys).toContain('d done, f found first error, b bad question, g gave up');
  });
});
