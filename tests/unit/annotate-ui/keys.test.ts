// The workbench's key map (renderer lib/annotate/keys.ts): which action a press runs, the help
// listing read from the same rows, and the two-key choices (`y` / `e` then a key sets the value).
import { describe, expect, it } from 'vitest';
import {
  ANSWER_SUPPORT_KEYS,
  bindingFor,
  END_REASON_KEYS,
  ERROR_TYPE_KEYS,
  KEY_MAP,
  keyForChoice,
  keyForErrorType,
  keysFor,
  SHORTCUTS,
  verdictChoiceKey,
  type KeyPress,
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

describe('the key map', () => {
  const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  });
  const action = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}) => bindingFor(press(key, mods))?.action;

  it('turns presses into actions, modifiers included', () => {
    expect(action('j')).toBe('queue.next');
    expect(action('n')).toBe('queue.next');
    expect(action('k')).toBe('queue.prev');
    expect(action('J', { shiftKey: true })).toBe('step.merge');
    expect(action('j', { ctrlKey: true })).toBeUndefined();
    expect(action('j', { altKey: true })).toBeUndefined(); // Alt+key belongs to the page switcher
    expect(action('z', { ctrlKey: true })).toBe('history.undo');
    expect(action('z', { metaKey: true })).toBe('history.undo');
    expect(action('Z', { ctrlKey: true, shiftKey: true })).toBe('history.redo');
    expect(action('y', { ctrlKey: true })).toBe('history.redo');
    expect(action('y')).toBe('choose.answerSupported');
    expect(action('z')).toBeUndefined();
    // Arrows left / right take every modifier (Shift selects, Ctrl or Alt moves by word).
    for (const mods of [{}, { shiftKey: true }, { ctrlKey: true, shiftKey: true }, { altKey: true }])
      expect(action('ArrowLeft', mods)).toBe('caret.left');
    expect(action('Home', { shiftKey: true })).toBe('caret.home');
    expect(action('ArrowDown', { ctrlKey: true })).toBeUndefined();
    expect(action('?', { shiftKey: true })).toBe('help');
    expect(action('Backspace')).toBe('span.deleteOrClearRating');
    for (const [k, t] of Object.entries(ERROR_TYPE_KEYS)) {
      expect(action(k)).toBe('errorType');
      expect(keyForErrorType(t)).toBe(k);
    }
    expect(action('c', { ctrlKey: true })).toBeUndefined();
  });

  it('gives every press at most one row', () => {
    const mods = [false, true].flatMap((ctrlKey) =>
      [false, true].flatMap((shiftKey) => [false, true].map((altKey) => ({ ctrlKey, shiftKey, altKey }))),
    );
    for (const b of KEY_MAP)
      for (const k of b.keys)
        for (const m of mods) {
          const e = press(m.ctrlKey ? k.toLowerCase() : k, m);
          const rows = KEY_MAP.filter((r) => bindingFor(e, [r]) !== null);
          expect(rows.length, `${k} ${JSON.stringify(m)}`).toBeLessThanOrEqual(1);
        }
  });

  it('lists every row in the help, with modifiers written out, and names keys for button titles', () => {
    const listed = SHORTCUTS.flatMap((g) => g.shortcuts.flatMap((s) => s.keys));
    expect(listed).toEqual(expect.arrayContaining(['j', 'Shift+J', 'Ctrl+Z', 'Ctrl+Shift+Z', 'Ctrl+Y', '↓', 'Esc']));
    expect(listed.length).toBe(KEY_MAP.reduce((n, b) => n + b.keys.length, 0));
    // Rows of one action and description are one line of the help.
    const redo = SHORTCUTS.flatMap((g) => g.shortcuts).filter((s) => s.does === 'Redo');
    expect(redo).toEqual([{ keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], does: 'Redo' }]);
    expect(keysFor('queue.prev')).toBe('k / p');
    expect(keysFor('step.merge')).toBe('Shift+J');
    expect(keysFor('history.undo')).toBe('Ctrl+Z');
    expect(SHORTCUTS.map((g) => g.title)).toEqual([
      'Queue',
      'Verdict',
      'Steps',
      'Spans',
      'Machine suggestions',
      'General',
    ]);
  });
});
