// Task-independent faults: an inserted irrelevant sentence, a skipped step and a conclusion that
// mismatches the answer. They only need the draft's structure (which step produces and uses which
// value, where the conclusion's answer is), so every task gets them for free.
import { cloneDraft, stepText, textStep } from './draft';
import type { Rng } from './prng';
import type { Draft, FaultedDraft, Problem, SyntheticTask } from './types';

function conclusionIndex(draft: Draft): number {
  const idx = draft.steps.findIndex((s) => s.conclusion);
  if (idx < 0) throw new Error('synthetic: draft has no conclusion step');
  return idx;
}

/** Inserts a fully marked sentence before step `at` (original text is empty: a pure insertion). */
export function insertSentence(draft: Draft, at: number, sentence: string, note: string): FaultedDraft {
  const out = cloneDraft(draft);
  out.steps.splice(at, 0, textStep(sentence, true));
  return { draft: out, original: '', note };
}

/** An irrelevant sentence anywhere before the conclusion; never changes the answer. */
export function injectIrrelevant<P extends Problem>(task: SyntheticTask<P>, problem: P, draft: Draft, rng: Rng): FaultedDraft {
  const sentence = task.irrelevantSentence(problem, rng);
  const at = rng.int(0, conclusionIndex(draft));
  return insertSentence(draft, at, sentence, `irrelevant sentence inserted: "${sentence}"`);
}

/**
 * Removes one derivation step whose result the very next step uses. The span is that next step
 * (its value now appears without derivation) and `original` is the removed step plus that step, so
 * putting `original` back at the span restores the clean rationale. The answer is unaffected.
 * Only adjacent producer/user pairs qualify, which keeps that restore rule exact; tasks lay out
 * their steps as chains (each step builds on the previous one) so every derivation qualifies.
 */
export function injectSkippedStep(draft: Draft, rng: Rng): FaultedDraft | null {
  const candidates: number[] = [];
  draft.steps.forEach((step, i) => {
    const next = draft.steps[i + 1];
    if (step.skippable && step.produces && next && (next.uses ?? []).includes(step.produces)) candidates.push(i);
  });
  if (candidates.length === 0) return null;
  const removed = rng.pick(candidates);
  const out = cloneDraft(draft);
  const removedText = stepText(out.steps[removed]!);
  const userStep = out.steps[removed + 1]!;
  const userText = stepText(userStep);
  userStep.segments = userStep.segments.map((s) => ({ ...s, marked: true }));
  out.steps.splice(removed, 1);
  return {
    draft: out,
    original: `${removedText}\n${userText}`,
    note: `skipped step "${removedText}"; this step uses its result without derivation`,
  };
}

/**
 * The conclusion states a wrong answer. The teacher's answer is what the rationale concludes
 * (as a real teacher's parsed answer would be), with or without propagation: the error is the
 * conclusion itself, so there is nothing downstream for `propagate` to change.
 */
export function injectAnswerMismatch<P extends Problem>(task: SyntheticTask<P>, problem: P, draft: Draft, rng: Rng): FaultedDraft {
  const out = cloneDraft(draft);
  const conclusion = out.steps[conclusionIndex(out)]!;
  const answerSeg = conclusion.segments.find((s) => s.role === 'answer');
  if (!answerSeg) throw new Error('synthetic: conclusion has no answer segment');
  const original = answerSeg.text;
  const wrong = task.wrongAnswer(problem, rng);
  answerSeg.text = task.formatAnswer(wrong);
  answerSeg.marked = true;
  out.teacherAnswer = wrong;
  return {
    draft: out,
    original,
    note: `conclusion says ${answerSeg.text} but the reasoning gives ${original}`,
  };
}
