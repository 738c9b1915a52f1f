// What the New run form offers per method. The options, their defaults and the methods that read
// them come from the catalogue (src/shared/catalogue.ts), which the trainer reads too, so the form
// shows the values a run will actually use.
import {
  METHOD_OPTIONS,
  METHOD_OPTION_DEFAULTS,
  methodOptionKeys,
  type AnswerTarget,
  type MethodOptionDefaults,
  type MethodOptionKey,
  type OptionSpec,
  type PstHead,
  type PstLossName,
  type TrainingSubset,
} from '../../../../shared/catalogue';
import type { MethodId, MethodOptions, PstEncoderName } from '../../../../shared/types/runs';

export type { MethodOptionKey };

export const METHOD_DESCRIPTIONS: Record<MethodId, string> = {
  'answer-only': 'question → answer; no rationale',
  'pre-thinking': 'rationale, then answer (classic CoT distillation)',
  prefix: 'multi-task: [predict] answer and [explain] rationale',
  'post-thinking': 'answer first, then the rationale',
  pst: 'answer first, then semantic tokens matched to the rationale',
};

/** One line per PST semantic encoder (docs/methods.md, "PST semantic targets"). */
export const ENCODER_HINTS: Record<PstEncoderName, string> = {
  self: 'a frozen copy of the student pre-trained on the rationales (or a finished run you pick); targets centred',
  'hashed-tfidf': 'fixed hashed TF-IDF vectors; targets centred',
  external: 'a pretrained sentence encoder from a local folder (registered in Students); targets centred, cached',
  'self-online': "the training student's own states, uncentred: no information, kept to reproduce old runs",
};

/** How the form names each value of the choice options (their values are the catalogue's). */
export const CHOICE_LABELS: {
  answerTarget: Record<AnswerTarget, string>;
  encoder: Record<PstEncoderName, string>;
  loss: Record<PstLossName, string>;
  head: Record<PstHead, string>;
} = {
  answerTarget: { gold: 'gold answer', teacher: "teacher's answer" },
  encoder: {
    self: 'self (frozen, trained on rationales)',
    'self-online': 'self-online (old, degenerate)',
    'hashed-tfidf': 'hashed TF-IDF',
    external: 'external (pretrained sentence encoder)',
  },
  loss: { cosine: 'cosine', mse: 'MSE', infonce: 'InfoNCE' },
  head: { linear: 'linear', mlp: 'MLP' },
};

/** Each training subset's label and what it keeps (docs/methods.md, "Training subsets"). */
export const SUBSET_LABELS: Record<TrainingSubset, { label: string; hint: string }> = {
  all: { label: 'all', hint: 'every teacher completion' },
  'teacher-correct': { label: 'teacher-correct only', hint: 'completions whose answer matches gold' },
  'verified-faithful': {
    label: 'human-verified faithful',
    hint: 'rationales annotated faithful (gold label, else all annotators agree)',
  },
  'hallucinated-only': {
    label: 'hallucinated only (annotated)',
    hint: 'rationales annotated hallucinated (gold label, else all annotators agree)',
  },
};

/** A numeric option's input bounds (the catalogue's range). */
export function optionBounds(key: MethodOptionKey): { min?: number; max?: number } {
  const o: OptionSpec = METHOD_OPTIONS[key];
  return o.kind === 'number' ? { min: o.min, max: o.max } : {};
}

/**
 * Every option with a value. `selfFrom` (a completed run whose checkpoint is the self encoder) and
 * `encoderStudent` (the external encoder) have no default: null / '' are not sent.
 */
export type FullMethodOptions = MethodOptionDefaults & { selfFrom: number | null; encoderStudent: string };
export const DEFAULT_METHOD_OPTIONS: FullMethodOptions = {
  ...METHOD_OPTION_DEFAULTS,
  selfFrom: null,
  encoderStudent: '',
};

/** Whether an option applies given the method and the other PST choices (tau needs InfoNCE...). */
export function optionShown(method: MethodId, key: MethodOptionKey, opts: FullMethodOptions): boolean {
  if (!methodOptionKeys(method).includes(key)) return false;
  if (key === 'tau') return opts.loss === 'infonce';
  if (key === 'embedDim') return opts.encoder === 'hashed-tfidf';
  if (key === 'selfFrom') return opts.encoder === 'self';
  // A picked checkpoint replaces the pre-training, so its step count does not apply.
  if (key === 'selfSteps') return opts.encoder === 'self' && opts.selfFrom === null;
  if (key === 'encoderStudent') return opts.encoder === 'external';
  return true;
}

/** The options of `opts` that the chosen method reads. */
export function optionsFor(method: MethodId, opts: FullMethodOptions): MethodOptions {
  const out: Record<string, unknown> = {};
  for (const key of methodOptionKeys(method)) {
    const v = opts[key];
    if (v === null || v === '') continue;
    if (optionShown(method, key, opts)) out[key] = v;
  }
  return out as MethodOptions;
}
