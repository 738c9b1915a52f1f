// The workbench's keyboard map in one place: the key handler reads it and the `?` overlay lists
// it, so the overlay can never drift from what the keys do.
import type { ErrorType } from '../../../../shared/types/annotations';

export const ERROR_TYPE_KEYS: Record<string, ErrorType> = {
  a: 'arithmetic',
  q: 'quantity_misread',
  l: 'logical_leap',
  x: 'factual_error',
  i: 'unsupported_irrelevant',
  m: 'answer_mismatch',
  o: 'other',
};

export const ERROR_TYPE_LABELS: Record<ErrorType, string> = {
  arithmetic: 'Arithmetic',
  quantity_misread: 'Quantity misread',
  logical_leap: 'Logical leap',
  factual_error: 'Factual error',
  unsupported_irrelevant: 'Unsupported / irrelevant',
  answer_mismatch: 'Answer mismatch',
  other: 'Other',
};

/** The key that picks an error type (for hints next to the choices). */
export function keyForErrorType(t: ErrorType): string {
  return Object.entries(ERROR_TYPE_KEYS).find(([, v]) => v === t)?.[0] ?? '';
}

export interface Shortcut {
  keys: string[];
  does: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

export const SHORTCUTS: ShortcutGroup[] = [
  {
    title: 'Queue',
    shortcuts: [
      { keys: ['j', 'n'], does: 'Next rationale' },
      { keys: ['k', 'p'], does: 'Previous rationale' },
      { keys: ['t'], does: 'Toggle stop-at-first-error mode' },
    ],
  },
  {
    title: 'Verdict',
    shortcuts: [
      { keys: ['f'], does: 'Faithful' },
      { keys: ['h'], does: 'Hallucinated' },
      { keys: ['u'], does: 'Unsure' },
      { keys: ['y'], does: 'Cycle "final answer supported?" (yes / no / unsure / unset)' },
      { keys: ['e'], does: 'Cycle how labelling ended (done / found first error / bad question / gave up / unset)' },
    ],
  },
  {
    title: 'Steps',
    shortcuts: [
      { keys: ['↓', ']'], does: 'Focus the next step' },
      { keys: ['↑', '['], does: 'Focus the previous step' },
      { keys: ['1', '+'], does: 'Rate the focused step correct (+1)' },
      { keys: ['2', '0'], does: 'Rate the focused step neutral (0)' },
      { keys: ['3', '-'], does: 'Rate the focused step incorrect (−1)' },
      { keys: ['Backspace'], does: 'Clear the focused step’s rating (when no span is selected)' },
      { keys: ['/'], does: 'Split the focused step at the caret' },
      { keys: ['Shift+J'], does: 'Merge the focused step with the next one' },
      { keys: ['<', '>'], does: 'Move the split point after the focused step one word left / right' },
    ],
  },
  {
    title: 'Spans',
    shortcuts: [
      { keys: ['←', '→'], does: 'Move the caret inside the focused step' },
      { keys: ['Home', 'End'], does: 'Caret to the start / end of the step' },
      { keys: ['Shift+←', 'Shift+→'], does: 'Select characters from the caret' },
      { keys: ['Ctrl+Shift+←', 'Ctrl+Shift+→'], does: 'Select a word at a time' },
      {
        keys: ['a', 'q', 'l', 'x', 'i', 'm', 'o'],
        does: 'With a selection: mark it as a span of that error type (arithmetic, quantity misread, logical leap, factual error, unsupported/irrelevant, answer mismatch, other). With a span selected: change its type. Otherwise: rate the focused step incorrect with that type',
      },
      { keys: ['s', 'Shift+S'], does: 'Select the next / previous span' },
      { keys: ['c'], does: 'Edit the selected span’s comment and correction' },
      { keys: ['Delete', 'Backspace'], does: 'Delete the selected span' },
    ],
  },
  {
    title: 'Machine suggestions',
    shortcuts: [
      { keys: ['Shift+A'], does: 'Accept the first pending suggestion' },
      { keys: ['Shift+R'], does: 'Reject the first pending suggestion' },
    ],
  },
  {
    title: 'General',
    shortcuts: [
      { keys: ['Ctrl+Z'], does: 'Undo your last change' },
      { keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], does: 'Redo' },
      { keys: ['?'], does: 'Show this list' },
      { keys: ['Esc'], does: 'Close overlays, clear the selection' },
    ],
  },
];

/** Keys typed into a field belong to the field, never to the workbench. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type);
}
