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
  const correct = got !== null && answersMatch(t, got, args.gold, args.choices);
  return { rationale: args.rationale, teacherAnswer: raw, source: args.source, correct };
}
