// The workbench's keyboard map in one place: the key handler reads it and the `?` overlay lists
// it, so the overlay can never drift from what the keys do.
import type { AnswerSupport, EndReason, ErrorType } from '../../../../shared/types/annotations';

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

/**
 * Two-key choices: `y` (final answer supported?) or `e` (how labelling ended) opens the choice, and
 * the next key sets its value directly; Backspace clears it, any other key closes the choice.
 */
export const ANSWER_SUPPORT_KEYS: Record<string, AnswerSupport> = { y: 'yes', n: 'no', u: 'unsure' };
export const END_REASON_KEYS: Record<string, EndReason> = {
  d: 'done',
  f: 'found_error',
  b: 'bad_question',
  g: 'gave_up',
};

export type VerdictChoice = 'answerSupported' | 'endReason';

/** What the key after `y` / `e` does: set a value (null clears it), or nothing (`undefined`: close the choice). */
export function verdictChoiceKey(
  choice: VerdictChoice,
  key: string,
): { answerSupported: AnswerSupport | null } | { endReason: EndReason | null } | undefined {
  if (choice === 'answerSupported') {
    if (key === 'Backspace') return { answerSupported: null };
    const v = ANSWER_SUPPORT_KEYS[key];
    return v ? { answerSupported: v } : undefined;
  }
  if (key === 'Backspace') return { endReason: null };
  const v = END_REASON_KEYS[key];
  return v ? { endReason: v } : undefined;
}

/** The key that picks a value in one of these maps (for hints next to the choices). */
export function keyForChoice<T extends string>(map: Record<string, T>, value: T): string {
  return Object.entries(map).find(([, v]) => v === value)?.[0] ?? '';
}

/** The key that picks an error type (for hints next to the choices). */
export function keyForErrorType(t: ErrorType): string {
  return keyForChoice(ERROR_TYPE_KEYS, t);
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
      { keys: ['y'], does: 'Final answer supported? Then y yes, n no, u unsure, Backspace unset' },
      {
        keys: ['e'],
        does: 'How labelling ended? Then d done, f found first error, b bad question, g gave up, Backspace unset',
      },
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

/** Keys typed into a field belong to the field, never to the workbench. (Read by shape, without
 *  DOM types, so the key map also loads in unit tests.) */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as { isContentEditable?: boolean; tagName?: unknown; type?: string } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = el.type ?? 'text';
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type);
}
