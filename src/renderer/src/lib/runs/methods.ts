// What the New run form offers per method. The defaults repeat the trainer's own
// (src/main/lab/training/methods/index.ts, from PST-METHODS.md) so the form shows the values a run
// will actually use; the renderer cannot import the lab core, which is Node-only.
import type { MethodId, MethodOptions } from '../../../../shared/types/runs';

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
  pst: ['answerTarget', 'encoder', 'loss', 'tau', 'head', 'k', 'lambda', 'beta', 'embedDim'],
};

export type FullMethodOptions = Required<MethodOptions>;

export const DEFAULT_METHOD_OPTIONS: FullMethodOptions = {
  answerTarget: 'gold',
  alpha: 0.5,
  answerWeight: 1,
  rationaleWeight: 1,
  encoder: 'self',
  loss: 'cosine',
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
  return true;
}

/** The options of `opts` that the chosen method reads. */
export function optionsFor(method: MethodId, opts: FullMethodOptions): MethodOptions {
  const out: Record<string, unknown> = {};
  for (const key of METHOD_OPTION_KEYS[method]) {
    if (optionShown(method, key, opts)) out[key] = opts[key];
  }
  return out as MethodOptions;
}
