// The workbench's keyboard map in one place, as data (KEY_MAP: keys, modifiers, action,
// description): the key handler asks `bindingFor` which action a press runs, the `?` overlay and
// the button titles read the same rows, so the help can never drift from what the keys do.
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

/** What a key does in the workbench; the component runs the action, this map decides which. */
export type KeyAction =
  | 'queue.next'
  | 'queue.prev'
  | 'mode.stopAtFirstError'
  | 'verdict.faithful'
  | 'verdict.hallucinated'
  | 'verdict.unsure'
  | 'choose.answerSupported'
  | 'choose.endReason'
  | 'step.next'
  | 'step.prev'
  | 'step.rateCorrect'
  | 'step.rateNeutral'
  | 'step.rateIncorrect'
  | 'step.split'
  | 'step.merge'
  | 'step.splitPointLeft'
  | 'step.splitPointRight'
  | 'caret.left'
  | 'caret.right'
  | 'caret.home'
  | 'caret.end'
  | 'errorType'
  | 'span.next'
  | 'span.prev'
  | 'span.comment'
  | 'span.delete'
  | 'span.deleteOrClearRating'
  | 'suggestion.accept'
  | 'suggestion.reject'
  | 'history.undo'
  | 'history.redo'
  | 'help'
  | 'escape';

/**
 * One row of the key map. A row matches a key press when `KeyboardEvent.key` is one of `keys` and
 * the modifiers agree:
 * - `ctrl`: Ctrl (or ⌘) must be held (true) or not (default). With Ctrl a letter matches in
 *   either case.
 * - Alt never matches (Alt+digit switches pages), except for rows with `anyModifiers`, which match
 *   whatever is held (the action reads the modifiers itself, e.g. Shift extends a selection).
 * - `shift`: must be held (true) or not (false); unset, Shift is not checked. A printable key needs
 *   no `shift`: the character already says it (`J` is Shift+j, `?` is Shift+/).
 */
export interface KeyBinding {
  group: string;
  keys: readonly string[];
  ctrl?: boolean;
  shift?: boolean;
  anyModifiers?: boolean;
  action: KeyAction;
  does: string;
}

export const KEY_MAP: readonly KeyBinding[] = [
  { group: 'Queue', keys: ['j', 'n'], action: 'queue.next', does: 'Next rationale' },
  { group: 'Queue', keys: ['k', 'p'], action: 'queue.prev', does: 'Previous rationale' },
  { group: 'Queue', keys: ['t'], action: 'mode.stopAtFirstError', does: 'Toggle stop-at-first-error mode' },
  { group: 'Verdict', keys: ['f'], action: 'verdict.faithful', does: 'Faithful' },
  { group: 'Verdict', keys: ['h'], action: 'verdict.hallucinated', does: 'Hallucinated' },
  { group: 'Verdict', keys: ['u'], action: 'verdict.unsure', does: 'Unsure' },
  {
    group: 'Verdict',
    keys: ['y'],
    action: 'choose.answerSupported',
    does: 'Final answer supported? Then y yes, n no, u unsure, Backspace unset',
  },
  {
    group: 'Verdict',
    keys: ['e'],
    action: 'choose.endReason',
    does: 'How labelling ended? Then d done, f found first error, b bad question, g gave up, Backspace unset',
  },
  { group: 'Steps', keys: ['ArrowDown', ']'], action: 'step.next', does: 'Focus the next step' },
  { group: 'Steps', keys: ['ArrowUp', '['], action: 'step.prev', does: 'Focus the previous step' },
  { group: 'Steps', keys: ['1', '+'], action: 'step.rateCorrect', does: 'Rate the focused step correct (+1)' },
  { group: 'Steps', keys: ['2', '0'], action: 'step.rateNeutral', does: 'Rate the focused step neutral (0)' },
  { group: 'Steps', keys: ['3', '-'], action: 'step.rateIncorrect', does: 'Rate the focused step incorrect (−1)' },
  { group: 'Steps', keys: ['/'], action: 'step.split', does: 'Split the focused step at the caret' },
  { group: 'Steps', keys: ['J'], action: 'step.merge', does: 'Merge the focused step with the next one' },
  {
    group: 'Steps',
    keys: ['<'],
    action: 'step.splitPointLeft',
    does: 'Move the split point after the focused step one word left',
  },
  {
    group: 'Steps',
    keys: ['>'],
    action: 'step.splitPointRight',
    does: 'Move the split point after the focused step one word right',
  },
  {
    group: 'Spans',
    keys: ['ArrowLeft'],
    anyModifiers: true,
    action: 'caret.left',
    does: 'Caret one character left inside the focused step; with Shift extend the selection, with Ctrl (or Alt) a word at a time',
  },
  {
    group: 'Spans',
    keys: ['ArrowRight'],
    anyModifiers: true,
    action: 'caret.right',
    does: 'Caret one character right; with Shift extend the selection, with Ctrl (or Alt) a word at a time',
  },
  { group: 'Spans', keys: ['Home'], action: 'caret.home', does: 'Caret to the start of the step (Shift selects)' },
  { group: 'Spans', keys: ['End'], action: 'caret.end', does: 'Caret to the end of the step (Shift selects)' },
  {
    group: 'Spans',
    keys: Object.keys(ERROR_TYPE_KEYS),
    action: 'errorType',
    does: `With a selection: mark it as a span of that error type (${Object.values(ERROR_TYPE_KEYS)
      .map((t) => ERROR_TYPE_LABELS[t].toLowerCase())
      .join(', ')}). With a span selected: change its type. Otherwise: rate the focused step incorrect with that type`,
  },
  { group: 'Spans', keys: ['s'], action: 'span.next', does: 'Select the next span' },
  { group: 'Spans', keys: ['S'], action: 'span.prev', does: 'Select the previous span' },
  { group: 'Spans', keys: ['c'], action: 'span.comment', does: 'Edit the selected span’s comment and correction' },
  { group: 'Spans', keys: ['Delete'], action: 'span.delete', does: 'Delete the selected span' },
  {
    group: 'Spans',
    keys: ['Backspace'],
    action: 'span.deleteOrClearRating',
    does: 'Delete the selected span; with no span selected, clear the focused step’s rating',
  },
  {
    group: 'Machine suggestions',
    keys: ['A'],
    action: 'suggestion.accept',
    does: 'Accept the first pending suggestion',
  },
  {
    group: 'Machine suggestions',
    keys: ['R'],
    action: 'suggestion.reject',
    does: 'Reject the first pending suggestion',
  },
  { group: 'General', keys: ['z'], ctrl: true, shift: false, action: 'history.undo', does: 'Undo your last change' },
  { group: 'General', keys: ['z'], ctrl: true, shift: true, action: 'history.redo', does: 'Redo' },
  { group: 'General', keys: ['y'], ctrl: true, action: 'history.redo', does: 'Redo' },
  { group: 'General', keys: ['?'], action: 'help', does: 'Show this list' },
  { group: 'General', keys: ['Escape'], action: 'escape', does: 'Close overlays, clear the selection' },
];

/** The modifier state of a key press (a KeyboardEvent, read by shape so unit tests need no DOM). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

function matches(b: KeyBinding, e: KeyPress): boolean {
  if (b.anyModifiers) return b.keys.includes(e.key);
  const ctrl = e.ctrlKey || e.metaKey;
  if (e.altKey || (b.ctrl ?? false) !== ctrl) return false;
  if (!b.keys.includes(ctrl ? e.key.toLowerCase() : e.key)) return false;
  return b.shift === undefined || b.shift === e.shiftKey;
}

/** The row a key press triggers, null when the workbench does not use it. */
export function bindingFor(e: KeyPress, map: readonly KeyBinding[] = KEY_MAP): KeyBinding | null {
  return map.find((b) => matches(b, e)) ?? null;
}

const KEY_NAMES: Record<string, string> = {
  ArrowDown: '↓',
  ArrowUp: '↑',
  ArrowLeft: '←',
  ArrowRight: '→',
  Escape: 'Esc',
};

/** How the help writes one key of a row: `Ctrl+Shift+Z`, `Shift+J`, `↓`. */
export function keyLabel(b: KeyBinding, key: string): string {
  const name = KEY_NAMES[key] ?? (b.ctrl ? key.toUpperCase() : key);
  const upper = key.length === 1 && key !== key.toLowerCase();
  const shift = b.shift === true || (!b.ctrl && upper);
  return `${b.ctrl ? 'Ctrl+' : ''}${shift ? 'Shift+' : ''}${name}`;
}

/** The keys that run an action, as the help writes them (for button titles): "k / p". */
export function keysFor(action: KeyAction, map: readonly KeyBinding[] = KEY_MAP): string {
  return map
    .filter((b) => b.action === action)
    .flatMap((b) => b.keys.map((k) => keyLabel(b, k)))
    .join(' / ');
}

export interface Shortcut {
  keys: string[];
  does: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

/** The `?` overlay's list, read from the key map (rows of one action and text are one line). */
export function shortcutGroups(map: readonly KeyBinding[] = KEY_MAP): ShortcutGroup[] {
  const groups: ShortcutGroup[] = [];
  let lastAction: KeyAction | null = null;
  for (const b of map) {
    let g = groups.find((x) => x.title === b.group);
    if (!g) groups.push((g = { title: b.group, shortcuts: [] }));
    const keys = b.keys.map((k) => keyLabel(b, k));
    const last = g.shortcuts.at(-1);
    if (last && lastAction === b.action && last.does === b.does) last.keys.push(...keys);
    else g.shortcuts.push({ keys, does: b.does });
    lastAction = b.action;
  }
  return groups;
}

export const SHORTCUTS: ShortcutGroup[] = shortcutGroups();

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
