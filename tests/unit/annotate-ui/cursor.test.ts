// The workbench's cursor and selection transitions (renderer lib/annotate/cursor.ts): focused
// step, caret moves by character and word, selection extend / clear, span selection and cycling.
import { describe, expect, it } from 'vitest';
import * as cursor from '../../../src/renderer/src/lib/annotate/cursor';
import { splitSteps } from '../../../src/shared/steps';

const TEXT = 'Tom has 3 apples. He buys 4 more. So 3 + 4 = 8.';
const STEPS = splitSteps(TEXT);
const at = (step: number, caret = STEPS[step]!.start): cursor.Cursor => ({
  step,
  caret,
  anchor: null,
  selectedKey: null,
});
const plain = { byWord: false, extend: false };
const shift = { byWord: false, extend: true };

describe('cursor', () => {
  it('has three steps to work on', () => {
    expect(STEPS.map((s) => TEXT.slice(s.start, s.end))).toEqual([
      'Tom has 3 apples.',
      'He buys 4 more.',
      'So 3 + 4 = 8.',
    ]);
  });

  it('focuses the next / previous step at its start and ignores moves past either end', () => {
    const c = { ...at(0, 4), anchor: 1 };
    const next = cursor.focusStep(c, STEPS, 1);
    expect(next).toEqual({ step: 1, caret: STEPS[1]!.start, anchor: null, selectedKey: null });
    expect(cursor.focusStep(next, STEPS, 3)).toBe(next);
    expect(cursor.focusStep(c, STEPS, -1)).toBe(c);
    expect(cursor.focusStep(c, STEPS, 0)).toBe(c); // already focused: caret and selection stay
  });

  it('moves the caret by characters and words, never out of the focused step', () => {
    const s1 = STEPS[1]!;
    let c = at(1);
    c = cursor.moveCaret(c, STEPS, TEXT, -1, plain);
    expect(c.caret).toBe(s1.start);
    c = cursor.moveCaret(c, STEPS, TEXT, 1, plain);
    expect(c.caret).toBe(s1.start + 1);
    c = cursor.moveCaret(c, STEPS, TEXT, 1, { byWord: true, extend: false });
    expect(TEXT.slice(s1.start, c.caret)).toBe('He');
    c = cursor.moveCaret(c, STEPS, TEXT, 1, { byWord: true, extend: false });
    expect(TEXT.slice(s1.start, c.caret)).toBe('He buys');
    c = cursor.moveCaret(c, STEPS, TEXT, -1, { byWord: true, extend: false });
    expect(TEXT.slice(s1.start, c.caret)).toBe('He ');
    c = cursor.caretToEdge(c, STEPS, 'end', false);
    expect(c.caret).toBe(s1.end);
    expect(cursor.moveCaret(c, STEPS, TEXT, 1, plain).caret).toBe(s1.end);
    expect(cursor.caretToEdge(c, STEPS, 'start', false).caret).toBe(s1.start);
  });

  it('extends a selection with Shift from where the caret was, and a plain move clears it', () => {
    const s0 = STEPS[0]!;
    let c = cursor.caretToEdge(at(0), STEPS, 'end', false);
    c = { ...c, selectedKey: 'k1' };
    for (let i = 0; i < 7; i++) c = cursor.moveCaret(c, STEPS, TEXT, -1, shift);
    expect(c.anchor).toBe(s0.end);
    expect(c.selectedKey).toBeNull(); // a character selection replaces the selected span
    const sel = cursor.selectionOf(c)!;
    expect(TEXT.slice(sel.start, sel.end)).toBe('apples.');
    // Word-wise extension keeps the same anchor.
    c = cursor.moveCaret(c, STEPS, TEXT, -1, { byWord: true, extend: true });
    expect(TEXT.slice(cursor.selectionOf(c)!.start, s0.end)).toBe('3 apples.');
    // Shift+Home extends to the step start.
    c = cursor.caretToEdge(c, STEPS, 'start', true);
    expect(cursor.selectionOf(c)).toEqual({ start: s0.start, end: s0.end });
    // Back to the anchor: an empty selection is none.
    expect(cursor.selectionOf({ ...c, caret: s0.end })).toBeNull();
    const moved = cursor.moveCaret(c, STEPS, TEXT, 1, plain);
    expect(moved.anchor).toBeNull();
    expect(cursor.selectionOf(moved)).toBeNull();
    expect(cursor.clearSelection(c)).toMatchObject({ anchor: null, selectedKey: null, caret: c.caret });
    const none = at(0);
    expect(cursor.clearSelection(none)).toBe(none);
  });

  it('picks with the mouse: a click places the caret, a drag selects (and focuses that step)', () => {
    const s2 = STEPS[2]!;
    const c = { ...at(0), selectedKey: 'k1' };
    const click = cursor.pick(c, STEPS, 2, { start: s2.start + 3, end: s2.start + 3 });
    expect(click).toEqual({ step: 2, caret: s2.start + 3, anchor: null, selectedKey: 'k1' });
    const drag = cursor.pick(c, STEPS, 2, { start: s2.start + 3, end: s2.start + 8 });
    expect(drag).toEqual({ step: 2, caret: s2.start + 8, anchor: s2.start + 3, selectedKey: null });
  });

  it('selects spans by key, focusing their step, and cycles through them both ways with wrap-around', () => {
    const spans = [
      { key: 'a', start: STEPS[0]!.start + 8, end: STEPS[0]!.start + 9 },
      { key: 'b', start: STEPS[2]!.start + 3, end: STEPS[2]!.start + 8 },
    ];
    const c = { ...at(1), anchor: STEPS[1]!.start + 2 };
    const sel = cursor.selectSpan(c, STEPS, spans, 'b');
    expect(sel).toEqual({ step: 2, caret: STEPS[2]!.start, anchor: null, selectedKey: 'b' });
    let n = cursor.cycleSpan(at(1), STEPS, spans, 1);
    expect([n.selectedKey, n.step]).toEqual(['a', 0]);
    n = cursor.cycleSpan(n, STEPS, spans, 1);
    expect([n.selectedKey, n.step]).toEqual(['b', 2]);
    n = cursor.cycleSpan(n, STEPS, spans, 1);
    expect(n.selectedKey).toBe('a');
    n = cursor.cycleSpan(n, STEPS, spans, -1);
    expect(n.selectedKey).toBe('b');
    expect(cursor.cycleSpan(at(1), STEPS, spans, -1).selectedKey).toBe('b');
    const none = at(1);
    expect(cursor.cycleSpan(none, STEPS, [], 1)).toBe(none);
    expect(cursor.unselectSpan(sel).selectedKey).toBeNull();
    // Marking a selection selects the new span and drops the character selection.
    expect(cursor.marked(c, 'new:1')).toMatchObject({ selectedKey: 'new:1', anchor: null, caret: c.caret });
  });

  it('keeps the focused step on reload where it still exists, and the caret inside it after re-segmenting', () => {
    const c = { step: 2, caret: STEPS[2]!.start + 4, anchor: 3, selectedKey: 'x' };
    expect(cursor.reset(c, STEPS)).toEqual({ step: 2, caret: STEPS[2]!.start, anchor: null, selectedKey: null });
    expect(cursor.reset(c, STEPS.slice(0, 1))).toEqual({ step: 0, caret: 0, anchor: null, selectedKey: null });
    expect(cursor.reset(c, [])).toEqual({ step: 0, caret: 0, anchor: null, selectedKey: null });
    const shorter = [STEPS[0]!, STEPS[1]!, { start: STEPS[2]!.start + 6, end: STEPS[2]!.end }];
    expect(cursor.clampCaret(c, shorter).caret).toBe(STEPS[2]!.start + 6);
    expect(cursor.clampCaret(c, STEPS)).toBe(c);
    expect(cursor.dropCharSelection(c)).toMatchObject({ anchor: null, caret: c.caret, selectedKey: 'x' });
  });
});
