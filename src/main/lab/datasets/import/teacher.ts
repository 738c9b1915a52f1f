// Builds a TeacherCompletion and decides teacher correctness at import, with the same rules as
// evaluation (src/shared/answers.ts), so "teacher correct" means the same everywhere.
import type { AnswerType, TeacherCompletion } from '../../../../shared/types/dataset';
import { answersMatch, extractAnswer, normalizeAnswer } from '../../../../shared/answers';

/** Teacher answer text as the sources write it: " 39", "nkae.", "(A).", "\"yes\"". */
function tidyTeacherAnswer(raw: string): string {
  return raw
    .trim()
    .replace(/^["'“]+|["'”]+$/g, '')
    .replace(/\.+$/, '')
    .trim();
}

/**
 * `teacherAnswerRaw` is the answer text the source gives (null/empty: none). The answer is
 * normalised directly, else extracted from the text (e.g. "D. C joined 24 months after B").
 */
export function buildCompletion(args: {
  rationale: string;
  teacherAnswerRaw: string | null;
  source: string;
  answerType: AnswerType;
  gold: string;
  choices: string[] | null;
}): TeacherCompletion {
  const raw = args.teacherAnswerRaw === null ? '' : tidyTeacherAnswer(args.teacherAnswerRaw);
  if (raw === '') return { rationale: args.rationale, teacherAnswer: null, source: args.source, correct: null };
  const t = args.answerType;
  const got = normalizeAnswer(t, raw, args.choices) ?? (t === 'text' ? null : extractAnswer(t, raw, args.choices));
  // A hedged answer ("either (c) cinema or (e) theatre") commits to nothing: counted wrong.
  const correct = got !== null && !isHedgedAnswer(t, raw, args.choices) && answersMatch(t, got, args.gold, args.choices);
  return { rationale: args.rationale, teacherAnswer: raw, source: args.source, correct };
}

/**
 * The teacher names more than one candidate: two option letters or choice texts ("either (c)
 * cinema or (e) theatre"), two different numbers joined by "or", or both yes and no
 * (docs/methods.md, "Teacher statistics").
 */
export function isHedgedAnswer(type: AnswerType, raw: string, choices: readonly string[] | null): boolean {
  const text = raw.toLowerCase();
  if (type === 'choice') {
    const letters = new Set([...raw.matchAll(/\(([A-Ja-j])\)/g)].map((m) => m[1]!.toUpperCase()));
    if (letters.size >= 2) return true;
    if (choices && /\b(or|either)\b/.test(text)) {
      const named = choices.filter((c) => c.trim() !== '' && new RegExp(`\\b${c.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text));
      return named.length >= 2;
    }
    return false;
  }
  if (type === 'number') {
    if (!/\bor\b/.test(text)) return false;
    const nums = new Set([...raw.matchAll(/-?\d[\d,]*(?:\.\d+)?/g)].map((m) => Number(m[0].replace(/,/g, ''))));
    return nums.size >= 2;
  }
  if (type === 'yesno') return /\byes\b/.test(text) && /\bno\b/.test(text);
  return false;
}
