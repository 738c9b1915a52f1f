// Building and rendering structured rationales. Every step becomes one line of the rationale, so
// src/shared/steps.ts splitSteps finds exactly the steps the generator built; the render measures
// where marked (injected) segments land, which is how ground-truth spans are exact by construction.
import type { Draft, DraftStep, Segment } from './types';

export function seg(text: string, marked = false): Segment {
  return marked ? { text, marked: true } : { text };
}

/** A one-sentence step from plain text (all of it marked when it is the injected text). */
export function textStep(text: string, marked = false, extra: Omit<DraftStep, 'segments'> = {}): DraftStep {
  return { segments: [seg(text, marked)], ...extra };
}

/**
 * The closing sentence every synthetic rationale ends with, "So the answer is X." by default;
 * `lead` lets a task restate its result first (e.g. "Cy ends with red, so the answer is ").
 */
export function conclusionStep(formattedAnswer: string, uses: readonly string[], lead = 'So the answer is '): DraftStep {
  return {
    segments: [{ text: lead }, { text: formattedAnswer, role: 'answer' }, { text: '.' }],
    uses,
    conclusion: true,
  };
}

export function stepText(step: DraftStep): string {
  let out = '';
  for (const s of step.segments) out += s.text;
  return out;
}

/** Deep enough copy to edit steps and segments without touching the clean draft. */
export function cloneDraft(draft: Draft): Draft {
  return {
    teacherAnswer: draft.teacherAnswer,
    steps: draft.steps.map((st) => ({ ...st, segments: st.segments.map((s) => ({ ...s })) })),
  };
}

export interface RenderedDraft {
  rationale: string;
  /** Character span of the marked segments, or null when nothing is marked. */
  span: { start: number; end: number } | null;
  /** Index (in the draft, which equals the splitSteps index) of the step holding the span. */
  markedStep: number;
}

/**
 * Joins the steps with newlines and locates the marked segments. Throws when a template broke
 * the one-sentence-per-line rule or marked segments span several steps: that is a generator bug,
 * and silently wrong ground truth would poison every detector score computed from it.
 */
export function renderDraft(draft: Draft): RenderedDraft {
  let rationale = '';
  let start = -1;
  let end = -1;
  let markedStep = -1;
  draft.steps.forEach((step, index) => {
    if (index > 0) rationale += '\n';
    const text = stepText(step);
    if (text.length === 0 || text.trim() !== text) {
      throw new Error(`synthetic: step ${index} is empty or has surrounding whitespace: ${JSON.stringify(text)}`);
    }
    for (const s of step.segments) {
      if (s.marked) {
        if (markedStep !== -1 && markedStep !== index) {
          throw new Error(`synthetic: marked segments span steps ${markedStep} and ${index}`);
        }
        markedStep = index;
        if (start === -1) start = rationale.length;
        end = rationale.length + s.text.length;
      }
      rationale += s.text;
    }
  });
  return { rationale, span: start === -1 ? null : { start, end }, markedStep };
}
