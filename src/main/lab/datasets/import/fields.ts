// Typed field readers shared by the record parsers: each returns the value or a reason, so every
// wrongly typed field becomes a located problem naming the field, never an exception.
import type { AnswerType, Split } from '../../../../shared/types/dataset';
import { ANSWER_TYPES } from '../../../../shared/types/dataset';

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const absent = (v: unknown): boolean => v === undefined || v === null || v === '';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A required, non-empty string. */
export function readRequiredString(v: unknown): Read<string> {
  if (absent(v)) return { ok: false, reason: 'missing required field' };
  if (typeof v !== 'string') return { ok: false, reason: `expected a string, got ${typeName(v)}` };
  if (v.trim() === '') return { ok: false, reason: 'missing required field (empty string)' };
  return { ok: true, value: v };
}

/** An answer given as text, number or boolean (JSON sources write 39 or true as often as "39"). */
export function readAnswerText(v: unknown, required: boolean): Read<string | null> {
  if (absent(v) || (typeof v === 'string' && v.trim() === '')) {
    return required ? { ok: false, reason: 'missing required field' } : { ok: true, value: null };
  }
  if (typeof v === 'string') return { ok: true, value: v };
  if (typeof v === 'number' && Number.isFinite(v)) return { ok: true, value: String(v) };
  if (typeof v === 'boolean') return { ok: true, value: v ? 'yes' : 'no' };
  return { ok: false, reason: `expected a string, number or boolean, got ${typeName(v)}` };
}

export function readOptionalString(v: unknown): Read<string | null> {
  if (absent(v)) return { ok: true, value: null };
  if (typeof v !== 'string') return { ok: false, reason: `expected a string, got ${typeName(v)}` };
  return { ok: true, value: v };
}

export function readId(v: unknown): Read<string | null> {
  if (absent(v)) return { ok: true, value: null };
  if (typeof v === 'string') return { ok: true, value: v.trim() };
  if (typeof v === 'number' && Number.isFinite(v)) return { ok: true, value: String(v) };
  return { ok: false, reason: `expected a string or number id, got ${typeName(v)}` };
}

/** Choices as a JSON array, or in text columns as a JSON array literal or "a | b | c". */
export function readChoices(v: unknown): Read<string[] | null> {
  if (absent(v)) return { ok: true, value: null };
  let arr: unknown = v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s.startsWith('[')) {
      try {
        arr = JSON.parse(s);
      } catch {
        return { ok: false, reason: 'choices text starts with "[" but is not a JSON array' };
      }
    } else arr = s.split('|').map((x) => x.trim());
  }
  if (!Array.isArray(arr)) return { ok: false, reason: `expected an array of strings, got ${typeName(v)}` };
  if (arr.length < 2) return { ok: false, reason: 'expected at least 2 choices' };
  if (arr.length > 10) return { ok: false, reason: 'at most 10 choices (A-J) are supported' };
  const out: string[] = [];
  for (const c of arr) {
    if (typeof c === 'string' && c.trim() !== '') out.push(c.trim());
    else if (typeof c === 'number') out.push(String(c));
    else return { ok: false, reason: `every choice must be a non-empty string, got ${typeName(c)}` };
  }
  return { ok: true, value: out };
}

export function readAnswerType(v: unknown): Read<AnswerType | null> {
  if (absent(v)) return { ok: true, value: null };
  const s = typeof v === 'string' ? v.trim().toLowerCase().replace(/[-_/ ]/g, '') : null;
  const alias: Record<string, AnswerType> = { numeric: 'number', multiplechoice: 'choice', mc: 'choice', bool: 'yesno', boolean: 'yesno' };
  const t = s === null ? null : ((ANSWER_TYPES as readonly string[]).includes(s) ? (s as AnswerType) : (alias[s] ?? null));
  if (!t) return { ok: false, reason: `unknown answer type ${JSON.stringify(v)} (expected number, choice, yesno or text)` };
  return { ok: true, value: t };
}

export function splitFromName(v: string): Split | null {
  const s = v.trim().toLowerCase();
  if (s === 'train' || s === 'training') return 'train';
  if (s === 'val' || s === 'valid' || s === 'validation' || s === 'dev') return 'val';
  if (s === 'test' || s === 'testing') return 'test';
  return null;
}

export function readSplit(v: unknown): Read<Split | null> {
  if (absent(v)) return { ok: true, value: null };
  if (typeof v !== 'string') return { ok: false, reason: `expected a split name, got ${typeName(v)}` };
  const s = splitFromName(v);
  if (!s) return { ok: false, reason: `unknown split ${JSON.stringify(v)} (expected train, val/valid/dev or test)` };
  return { ok: true, value: s };
}
