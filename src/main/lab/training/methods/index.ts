// Method registry: config type, defaults, validation and construction.
import { answerOnly, type AnswerOnlyConfig } from './answerOnly';
import { postThinking, type PostThinkingConfig } from './postThinking';
import { prefix, type PrefixConfig } from './prefix';
import { preThinking, type PreThinkingConfig } from './preThinking';
import { pst, type PstConfig } from './pst';
import { METHOD_IDS, type Method, type MethodId } from './types';
import { ANSWER_TARGETS, METHOD_OPTION_DEFAULTS, PST_ENCODERS, PST_HEADS, PST_LOSSES } from '../../../../shared/catalogue';

export type MethodConfig = AnswerOnlyConfig | PreThinkingConfig | PrefixConfig | PostThinkingConfig | PstConfig;
export type { AnswerOnlyConfig, PreThinkingConfig, PrefixConfig, PostThinkingConfig, PstConfig };
export * from './types';

/** The method's options at their defaults (src/shared/catalogue.ts, METHOD_OPTIONS). */
export function defaultMethodConfig(id: MethodId): MethodConfig {
  const d = METHOD_OPTION_DEFAULTS;
  switch (id) {
    case 'answer-only':
    case 'pre-thinking':
      return { method: id, answerTarget: d.answerTarget };
    case 'prefix':
      return { method: id, answerTarget: d.answerTarget, alpha: d.alpha };
    case 'post-thinking':
      return { method: id, answerTarget: d.answerTarget, answerWeight: d.answerWeight, rationaleWeight: d.rationaleWeight };
    case 'pst':
      return {
        method: id,
        answerTarget: d.answerTarget,
        encoder: d.encoder,
        selfSteps: d.selfSteps,
        selfFrom: null,
        selfCheckpoint: null,
        encoderStudent: null,
        external: null,
        loss: d.loss,
        tau: d.tau,
        head: d.head,
        k: d.k,
        lambda: d.lambda,
        beta: d.beta,
        embedDim: d.embedDim,
      };
  }
}

/** Fills unspecified options with defaults and checks the method id. */
export function resolveMethodConfig(partial: { method: MethodId } & Record<string, unknown>): MethodConfig {
  if (!METHOD_IDS.includes(partial.method)) {
    throw new Error(`unknown method '${String(partial.method)}'; expected one of ${METHOD_IDS.join(', ')}`);
  }
  const merged = { ...defaultMethodConfig(partial.method), ...partial } as MethodConfig;
  if (!ANSWER_TARGETS.includes(merged.answerTarget)) {
    throw new Error(`answerTarget must be one of ${ANSWER_TARGETS.join(', ')}, got '${String(merged.answerTarget)}'`);
  }
  if (merged.method === 'pst') {
    if (!PST_ENCODERS.includes(merged.encoder)) throw new Error(`pst: encoder must be one of ${PST_ENCODERS.join(', ')}, got '${merged.encoder}'`);
    if (!PST_LOSSES.includes(merged.loss)) throw new Error(`pst: loss must be one of ${PST_LOSSES.join(', ')}, got '${merged.loss}'`);
    if (!Number.isInteger(merged.selfSteps) || merged.selfSteps < 1) throw new Error(`pst: selfSteps must be a positive integer, got ${merged.selfSteps}`);
    if (merged.selfFrom !== null && merged.encoder !== 'self') throw new Error(`pst: selfFrom needs encoder 'self', got '${merged.encoder}'`);
    if (merged.encoder === 'external' && !merged.encoderStudent)
      throw new Error("pst: encoder 'external' needs encoderStudent (a registered sentence encoder's name, see students list, or its folder)");
    if (merged.encoderStudent && merged.encoder !== 'external') throw new Error(`pst: encoderStudent needs encoder 'external', got '${merged.encoder}'`);
    if (!PST_HEADS.includes(merged.head)) throw new Error(`pst: head must be one of ${PST_HEADS.join(', ')}, got '${merged.head}'`);
  }
  return merged;
}

export function createMethod(cfg: MethodConfig): Method {
  switch (cfg.method) {
    case 'answer-only':
      return answerOnly(cfg);
    case 'pre-thinking':
      return preThinking(cfg);
    case 'prefix':
      return prefix(cfg);
    case 'post-thinking':
      return postThinking(cfg);
    case 'pst':
      return pst(cfg);
  }
}
