// Answer-mismatch checker: what does the rationale conclude, and does that agree with the
// teacher's final answer and with the gold answer?
//
//  conclusion != teacher answer              -> answer_mismatch (confidence 0.8): the rationale
//                                               argues for one answer, the teacher states another.
//  conclusion == teacher answer != gold, or  -> other (confidence 0.5): the reasoning itself went
//  no teacher answer and conclusion != gold     wrong somewhere; the finding marks the conclusion
//                                               so the annotator looks for the earlier error.
//  number answers, conclusion is not the     -> logical_leap (0.5) when it is a combination of
//  result of any computation (the rationale     known values (the deriving step was skipped), else
//  computes something, then concludes          answer_mismatch (0.7): the rationale derives one
//  something else)                              value and concludes another.
//  no recognisable conclusion                -> nothing (we do not guess).
//
// The conclusion is taken from the last step that contains an answer of the example's type:
// for numbers, the value after "answer is", else the result of the step's last computation,
// else the step's last number. Free-text answers need an explicit "answer is" phrase.
import { answersMatch, extractAnswer, normalizeAnswer } from '../../../../../shared/answers';
import { splitSteps, type StepSpan } from '../../../../../shared/steps';
import type { AnswerType } from '../../../../../shared/types/dataset';
import { findExpressions, formatValue } from './expressions';
import { findNumberWordTokens, findNumbers } from './numberTokens';
import { analyzeQuantities } from './quantityAnalysis';
import type { CheckerInput, Finding } from './types';

export interface Conclusion {
  /** Normalised answer (normalizeAnswer of the type). */
  answer: string;
  step: number;
  /** Offsets in the rationale of the text that states it. */
  start: number;
  end: number;
}

const ANSWER_PHRASE = /\banswer\s+(?:is|would be|will be|=|:)\s*:?\s*/gi;

function numberConclusion(text: string): { answer: string; start: number; end: number } | null {
  const nums = findNumbers(text);
  if (nums.length === 0) {
    // "So he has seven apples." / "The answer is six." / "one-third of them": a conclusion in words.
    const words = findNumberWordTokens(text);
    const last = words[words.length - 1];
    return last ? { answer: formatValue(last.value), start: last.start, end: last.end } : null;
  }
  let chosen = null as (typeof nums)[number] | null;
  for (const m of text.matchAll(ANSWER_PHRASE)) {
    const after = m.index + m[0].length;
    chosen = nums.find((n) => n.start >= after && n.start <= after + 2) ?? chosen;
  }
  if (!chosen) {
    const exprs = findExpressions(text).filter((e) => e.result);
    const last = exprs[exprs.length - 1];
    const lastNum = nums[nums.length - 1]!;
    chosen = last && last.result!.end >= lastNum.start ? last.result! : lastNum;
  }
  return { answer: formatValue(chosen.value), start: chosen.start, end: chosen.end };
}

function locateWord(text: string, word: string): { start: number; end: number } | null {
  const lower = text.toLowerCase();
  const at = lower.lastIndexOf(word.toLowerCase());
  return at < 0 ? null : { start: at, end: at + word.length };
}

function conclusionInStep(type: AnswerType, text: string, choices: readonly string[] | null): { answer: string; start: number; end: number } | null {
  switch (type) {
    case 'number':
      return numberConclusion(text);
    case 'yesno': {
      const a = extractAnswer('yesno', text);
      if (!a) return null;
      const at = [...text.matchAll(/\b(yes|no)\b/gi)].pop()!;
      return { answer: a, start: at.index, end: at.index + at[0].length };
    }
    case 'choice': {
      const a = extractAnswer('choice', text, choices);
      if (!a) return null;
      const loc = locateWord(text, `(${a})`) ?? (choices ? locateWord(text, choices['ABCDEFGHIJ'.indexOf(a)] ?? '') : null);
      return { answer: a, start: loc?.start ?? 0, end: loc?.end ?? text.length };
    }
    case 'text': {
      const m = [...text.matchAll(ANSWER_PHRASE)].pop();
      if (!m) return null;
      const startRaw = m.index + m[0].length;
      const rest = text.slice(startRaw).replace(/[."'\s]+$/, '');
      const lead = rest.length - rest.replace(/^["'\s]+/, '').length;
      const value = normalizeAnswer('text', rest.slice(lead));
      if (!value) return null;
      return { answer: value, start: startRaw + lead, end: startRaw + rest.length };
    }
  }
}

/** The rationale's conclusion: from the last step that states an answer of the right type. */
export function findConclusion(
  rationale: string,
  type: AnswerType,
  choices: readonly string[] | null,
  steps: readonly StepSpan[] = splitSteps(rationale),
): Conclusion | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    const got = conclusionInStep(type, rationale.slice(s.start, s.end), choices);
    if (got) return { answer: got.answer, step: i, start: s.start + got.start, end: s.start + got.end };
  }
  return null;
}

/** Words a sentence does not end on: a rationale ending on one was cut off ("... so she has"). */
const DANGLING = /\b(a|an|the|of|to|and|or|so|is|are|was|were|be|has|have|had|will|would|can|get|gets|got|with|for|from|by|then|that|which|there|left|total|each|per|than|into|at|in|on|remaining|equals?|makes?|gives?)$/i;

/**
 * The text was cut off mid-sentence (a length limit): it ends on an operator, "=", a comma or
 * colon, or on a word no sentence ends on. A truncated rationale claims no conclusion
 * (docs/methods.md, "Checkers on real-style rationales").
 */
export function isTruncated(rationale: string): boolean {
  const t = rationale.trimEnd();
  if (t === '') return false;
  if (/[=+\-*/×÷,:(]$/.test(t)) return true;
  return /[A-Za-z]$/.test(t) && DANGLING.test(t);
}

export function checkAnswerMismatch(input: CheckerInput): Finding[] {
  const steps = input.steps ?? splitSteps(input.rationale);
  if (isTruncated(input.rationale)) return [];
  const c = findConclusion(input.rationale, input.answerType, input.choices, steps);
  if (!c) return [];
  const matches = (other: string): boolean => answersMatch(input.answerType, c.answer, other, input.choices);
  const base = { checker: 'answer_mismatch' as const, step: c.step, start: c.start, end: c.end };
  const teacher = input.teacherAnswer;
  if (teacher !== null && normalizeAnswer(input.answerType, teacher, input.choices) !== null && !matches(teacher)) {
    return [
      {
        ...base,
        errorType: 'answer_mismatch',
        message: `the rationale concludes ${c.answer} but the teacher answers ${teacher.trim()}`,
        confidence: 0.8,
      },
    ];
  }
  if (input.answerType === 'number') {
    const q = analyzeQuantities(input.rationale, steps, input.question, input.choices);
    const value = Number(c.answer);
    const isResult = q.expressions.some((e) => e.start <= c.start && c.end <= e.end);
    if (q.expressions.length > 0 && !isResult && !q.results.has(value)) {
      const last = q.expressions[q.expressions.length - 1]!.expr.result!;
      const derivation = q.available.combination(value);
      if (derivation !== null) {
        return [{ ...base, errorType: 'logical_leap', confidence: 0.5, message: `the conclusion ${c.answer} is never derived (it would be ${derivation}): a step seems to be missing` }];
      }
      return [{ ...base, errorType: 'answer_mismatch', confidence: 0.7, message: `the rationale last derives ${formatValue(last.value)} but concludes ${c.answer}` }];
    }
  }
  if (!matches(input.goldAnswer)) {
    const who = teacher === null ? 'the rationale concludes' : 'the rationale and the teacher answer conclude';
    return [
      {
        ...base,
        errorType: 'other',
        message: `${who} ${c.answer} but the gold answer is ${input.goldAnswer.trim()}: an earlier step is probably wrong`,
        confidence: 0.5,
      },
    ];
  }
  return [];
}
