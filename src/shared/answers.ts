// Answer normalisation and comparison (docs/methods.md, "Evaluation").
// Used at import (gold and teacher answers), by the synthetic generators, by the annotation
// answer-mismatch checker and by evaluation, so every part of the lab agrees on "correct".
import type { AnswerType } from './types/dataset';

const NUMBER_TOLERANCE = 1e-6;
const CHOICE_LETTERS = 'ABCDEFGHIJ';

/** Canonical numeric text: "$1,234.50." -> "1234.5"; null when it is not a number. */
export function normalizeNumber(raw: string): string | null {
  let s = raw.trim().replace(/[,$]/g, '').replace(/\s+/g, '');
  while (s.endsWith('.')) s = s.slice(0, -1);
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s)) return null;
  const n = Number(s);
  if (!Number.isFinite(n)) return null;
  return String(n);
}

/** Option letter for a choice answer: "(b)", "B)", "b" or the option's text -> "B". */
export function normalizeChoice(raw: string, choices: readonly string[] | null): string | null {
  const s = raw.trim();
  const letter = /^\(?([A-Ja-j])\)?[.:)]?$/.exec(s);
  if (letter) {
    const up = letter[1]!.toUpperCase();
    if (!choices || CHOICE_LETTERS.indexOf(up) < choices.length) return up;
    return null;
  }
  if (choices) {
    const want = s.toLowerCase();
    const idx = choices.findIndex((c) => c.trim().toLowerCase() === want);
    if (idx >= 0 && idx < CHOICE_LETTERS.length) return CHOICE_LETTERS[idx]!;
  }
  return null;
}

export function normalizeYesNo(raw: string): string | null {
  const s = raw.trim().toLowerCase().replace(/[.!]+$/, '');
  if (s === 'yes' || s === 'true') return 'yes';
  if (s === 'no' || s === 'false') return 'no';
  return null;
}

/** Free text (e.g. last-letter concatenation): trimmed and lower-cased. */
export function normalizeText(raw: string): string | null {
  const s = raw.trim().toLowerCase();
  return s.length > 0 ? s : null;
}

/** Normalises an answer for its type; null when the text is not a valid answer of that type. */
export function normalizeAnswer(type: AnswerType, raw: string, choices: readonly string[] | null = null): string | null {
  switch (type) {
    case 'number':
      return normalizeNumber(raw);
    case 'choice':
      return normalizeChoice(raw, choices);
    case 'yesno':
      return normalizeYesNo(raw);
    case 'text':
      return normalizeText(raw);
  }
}

/** True when two raw answers mean the same thing under the type's rules. */
export function answersMatch(
  type: AnswerType,
  a: string,
  b: string,
  choices: readonly string[] | null = null,
): boolean {
  const na = normalizeAnswer(type, a, choices);
  const nb = normalizeAnswer(type, b, choices);
  if (na === null || nb === null) return false;
  if (type === 'number') return Math.abs(Number(na) - Number(nb)) <= NUMBER_TOLERANCE;
  return na === nb;
}

/**
 * Pulls an answer out of generated or teacher text, e.g. "So the answer is $1,200." -> "1200".
 * Numbers: the last number in the text. Choices: the last standalone option letter, else an
 * option text that occurs. Yes/no: the last yes/no word. Text: the whole text. Null if none.
 */
export function extractAnswer(type: AnswerType, text: string, choices: readonly string[] | null = null): string | null {
  switch (type) {
    case 'number': {
      const nums = text.match(/-?\$?\d[\d,]*(\.\d+)?/g);
      return nums ? normalizeNumber(nums[nums.length - 1]!) : null;
    }
    case 'choice': {
      const direct = normalizeChoice(text, choices);
      if (direct) return direct;
      const letters = [...text.matchAll(/\(([A-J])\)|\b([A-J])\b(?=[).:]|\s*$)/g)];
      for (let i = letters.length - 1; i >= 0; i--) {
        const got = normalizeChoice(letters[i]![1] ?? letters[i]![2]!, choices);
        if (got) return got;
      }
      if (choices) {
        const lower = text.toLowerCase();
        let best: { idx: number; at: number } | null = null;
        choices.forEach((c, idx) => {
          const at = lower.lastIndexOf(c.trim().toLowerCase());
          if (c.trim() && at >= 0 && (!best || at > best.at)) best = { idx, at };
        });
        if (best) return CHOICE_LETTERS[(best as { idx: number }).idx] ?? null;
      }
      return null;
    }
    case 'yesno': {
      const words = text.toLowerCase().match(/\b(yes|no)\b/g);
      return words ? words[words.length - 1]! : null;
    }
    case 'text':
      return normalizeText(text);
  }
}
