// What the New run form offers per method. The defaults repeat the trainer's own
// (src/main/lab/training/methods/index.ts, from PST-METHODS.md) so the form shows the values a run
// will actually use; the renderer cannot import the lab core, which is Node-only.
import type { MethodId, MethodOptions, PstEncoderName } from '../../../../shared/types/runs';

export type MethodOptionKey = keyof MethodOptions;

export const METHOD_DESCRIPTIONS: Record<MethodId, string> = {
  'answer-only': 'question → answer; no rationale',
  'pre-thinking': 'rationale, then answer (classic CoT distillation)',
  prefix: 'multi-task: [predict] answer and [explain] rationale',
  'post-thinking': 'answer first, then the rationale',
  pst: 'answer first, then semantic tokens matched to the rationale',
};

/** The options each method reads; anything else is not sent. */
export const METHOD_OPTION_KEYS: Record<MethodId, readonly MethodOptionKey[]> = {
  'answer-only': ['answerTarget'],
  'pre-thinking': ['answerTarget'],
  prefix: ['answerTarget', 'alpha'],
  'post-thinking': ['answerTarget', 'answerWeight', 'rationaleWeight'],
  pst: [
    'answerTarget',
    'encoder',
    'selfSteps',
    'selfFrom',
    'encoderStudent',
    'loss',
    'tau',
    'head',
    'k',
    'lambda',
    'beta',
    'embedDim',
  ],
};

/** One line per PST semantic encoder (docs/methods.md, "PST semantic targets"). */
export const ENCODER_HINTS: Record<PstEncoderName, string> = {
  self: 'a frozen copy of the student pre-trained on the rationales (or a finished run you pick); targets centred',
  'hashed-tfidf': 'fixed hashed TF-IDF vectors; targets centred',
  external: 'a pretrained sentence encoder from a local folder (registered in Students); targets centred, cached',
  'self-online': "the training student's own states, uncentred: no information, kept to reproduce old runs",
};

/**
 * Every option with a value. `selfFrom` (a completed run whose checkpoint is the self encoder) and
 * `encoderStudent` (the external encoder) have no default: null / '' are not sent.
 */
export type FullMethodOptions = Required<Omit<MethodOptions, 'selfFrom' | 'encoderStudent'>> & {
  selfFrom: number | null;
  encoderStudent: string;
};

export const DEFAULT_METHOD_OPTIONS: FullMethodOptions = {
  answerTarget: 'gold',
  alpha: 0.5,
  answerWeight: 1,
  rationaleWeight: 1,
  encoder: 'self',
  selfSteps: 300,
  selfFrom: null,
  encoderStudent: '',
  loss: 'infonce',
  tau: 0.1,
  head: 'linear',
  k: 1,
  lambda: 1,
  beta: 0,
  embedDim: 256,
};

/** Whether an option applies given the method and the other PST choices (tau needs InfoNCE...). */
export function optionShown(method: MethodId, key: MethodOptionKey, opts: FullMethodOptions): boolean {
  if (!METHOD_OPTION_KEYS[method].includes(key)) return false;
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
  for (const key of METHOD_OPTION_KEYS[method]) {
    const v = opts[key];
    if (v === null || v === '') continue;
    if (optionShown(method, key, opts)) out[key] = v;
  }
  return out as MethodOptions;
}
