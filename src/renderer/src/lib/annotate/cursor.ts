// Where the annotator is inside one rationale: the focused step, the caret, the selection anchor
// and the selected span. Pure transitions (each returns the next cursor, or the same object when
// nothing changes) so the workbench component only wires keys and clicks to them.
import { stepIndexOf, wordEndAfter, wordStartBefore } from './labels';

export interface Cursor {
  /** Index of the focused step. */
  step: number;
  /** Character offset of the caret in the rationale text (inside the focused step). */
  caret: number;
  /** Other end of a character selection (null: no selection). */
  anchor: number | null;
  /** Key of the selected span (LocalSpan.key), null when none. */
  selectedKey: string | null;
}

type Range = { start: number; end: number };
type Steps = readonly Range[];
type Spans = readonly (Range & { key: string })[];

export const START_CURSOR: Cursor = { step: 0, caret: 0, anchor: null, selectedKey: null };

/** The selected characters [start, end), null when the selection is empty. */
export function selectionOf(c: Cursor): Range | null {
  return c.anchor !== null && c.anchor !== c.caret
    ? { start: Math.min(c.anchor, c.caret), end: Math.max(c.anchor, c.caret) }
    : null;
}

/** New labels loaded (or reloaded): keep the focused step where it still exists, caret at its start. */
export function reset(c: Cursor, steps: Steps): Cursor {
  const step = Math.min(c.step, Math.max(0, steps.length - 1));
  return { step, caret: steps[step]?.start ?? 0, anchor: null, selectedKey: null };
}

/** Focus step i (caret to its start, selection dropped); out of range or already focused: unchanged. */
export function focusStep(c: Cursor, steps: Steps, i: number): Cursor {
  if (i < 0 || i >= steps.length || i === c.step) return c;
  return { ...c, step: i, caret: steps[i]!.start, anchor: null };
}

export interface CaretMove {
  /** Whole words (Ctrl / Alt held) rather than one character. */
  byWord: boolean;
  /** Extend the selection (Shift held) rather than dropping it. */
  extend: boolean;
}

/** ← / →: the caret moves inside the focused step; extending starts a selection and drops the selected span. */
export function moveCaret(c: Cursor, steps: Steps, text: string, dir: -1 | 1, how: CaretMove): Cursor {
  const s = steps[c.step];
  if (!s) return c;
  let to = how.byWord
    ? dir < 0
      ? wordStartBefore(text, c.caret, s.start)
      : wordEndAfter(text, c.caret, s.end)
    : c.caret + dir;
  to = Math.min(s.end, Math.max(s.start, to));
  if (how.extend) return { ...c, caret: to, anchor: c.anchor ?? c.caret, selectedKey: null };
  return { ...c, caret: to, anchor: null };
}

/** Home / End: caret to the focused step's start or end (extending the selection when asked). */
export function caretToEdge(c: Cursor, steps: Steps, edge: 'start' | 'end', extend: boolean): Cursor {
  const s = steps[c.step];
  if (!s) return c;
  return { ...c, caret: edge === 'start' ? s.start : s.end, anchor: extend ? (c.anchor ?? c.caret) : null };
}

/** A click (collapsed range: caret) or a mouse selection inside step `i`. */
export function pick(c: Cursor, steps: Steps, i: number, range: Range): Cursor {
  const f = focusStep(c, steps, i);
  if (range.start === range.end) return { ...f, caret: range.start, anchor: null };
  return { ...f, anchor: range.start, caret: range.end, selectedKey: null };
}

/** Selects a span (by click or `s`) and focuses the step it starts in. */
export function selectSpan(c: Cursor, steps: Steps, spans: Spans, key: string): Cursor {
  const selected = { ...c, selectedKey: key, anchor: null };
  const s = spans.find((x) => x.key === key);
  return s ? focusStep(selected, steps, Math.max(0, stepIndexOf(steps, s.start, s.end))) : selected;
}

/** `s` / Shift+S: the next / previous span in order, wrapping; from no selection the first / last. */
export function cycleSpan(c: Cursor, steps: Steps, spans: Spans, dir: 1 | -1): Cursor {
  if (spans.length === 0) return c;
  const i = spans.findIndex((s) => s.key === c.selectedKey);
  const n = spans.length;
  const next = spans[i < 0 ? (dir > 0 ? 0 : n - 1) : (i + dir + n) % n]!;
  return selectSpan(c, steps, spans, next.key);
}

/** The selection became the span `key` (null: nothing was marked): select it, drop the character selection. */
export function marked(c: Cursor, key: string | null): Cursor {
  return { ...c, selectedKey: key, anchor: null };
}

/** The selected span was deleted. */
export function unselectSpan(c: Cursor): Cursor {
  return c.selectedKey === null ? c : { ...c, selectedKey: null };
}

/** Esc: no character selection, no selected span. */
export function clearSelection(c: Cursor): Cursor {
  return c.anchor === null && c.selectedKey === null ? c : { ...c, anchor: null, selectedKey: null };
}

/** A step was split at the caret: the character selection is dropped (the caret stays where the cut was). */
export function dropCharSelection(c: Cursor): Cursor {
  return c.anchor === null ? c : { ...c, anchor: null };
}

/** A split point moved: the caret is kept inside the focused step. */
export function clampCaret(c: Cursor, steps: Steps): Cursor {
  const s = steps[c.step];
  if (!s) return c;
  const caret = Math.min(Math.max(c.caret, s.start), s.end);
  return caret === c.caret ? c : { ...c, caret };
}
