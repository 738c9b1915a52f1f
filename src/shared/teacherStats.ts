// Teacher statistics, one definition for every place they are shown (docs/methods.md, "Teacher
// statistics"): teacher accuracy = correct / (judged + no answer). A completion without a teacher
// answer counts wrong (as the Zero-shot-CoT logs count it); a completion with an answer but no
// independent gold answer (Fine-tune-CoT fine-tune files) is "unjudged" and left out; hedged
// answers were already judged wrong at import. Plain data: runs in every process.
import type { VersionStats } from './types/datasets';

export interface TeacherAccuracy {
  correct: number;
  /** Denominator: judged + no answer. */
  counted: number;
  noAnswer: number;
  unjudged: number;
  /** correct / counted, null when nothing was counted. */
  accuracy: number | null;
}

export function teacherAccuracyOf(
  s: Pick<VersionStats, 'teacherCorrect' | 'teacherJudged' | 'teacherNoAnswer' | 'teacherUnjudged'>,
): TeacherAccuracy {
  const noAnswer = s.teacherNoAnswer ?? 0;
  const counted = s.teacherJudged + noAnswer;
  return {
    correct: s.teacherCorrect,
    counted,
    noAnswer,
    unjudged: s.teacherUnjudged ?? 0,
    accuracy: counted > 0 ? s.teacherCorrect / counted : null,
  };
}

/** "84.2% (421/500; 12 no answer, 3 unjudged)", or "unknown" when nothing was measured. */
export function describeTeacherAccuracy(s: Parameters<typeof teacherAccuracyOf>[0]): string {
  const t = teacherAccuracyOf(s);
  if (t.accuracy === null) return t.unjudged > 0 ? `unknown (${t.unjudged} unjudged)` : 'unknown';
  const extra = [t.noAnswer ? `${t.noAnswer} no answer` : '', t.unjudged ? `${t.unjudged} unjudged` : '']
    .filter(Boolean)
    .join(', ');
  return `${(100 * t.accuracy).toFixed(1)}% (${t.correct}/${t.counted}${extra ? `; ${extra}` : ''})`;
}

/** Injected-error count, or "unknown" when the data has no hallucination ground truth. */
export function describeHallucinated(
  s: Pick<VersionStats, 'hallucinated' | 'hallucinationKnown' | 'examples'>,
): string {
  const known = s.hallucinationKnown ?? s.hallucinated > 0;
  if (!known) return 'unknown';
  return `${s.hallucinated} (${s.examples > 0 ? ((100 * s.hallucinated) / s.examples).toFixed(1) : '0.0'}%)`;
}
