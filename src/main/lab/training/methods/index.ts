// Method registry: config type, defaults, validation and construction.
import { answerOnly, type AnswerOnlyConfig } from './answerOnly';
import { postThinking, type PostThinkingConfig } from './postThinking';
import { prefix, type PrefixConfig } from './prefix';
import { preThinking, type PreThinkingConfig } from './preThinking';
import { pst, type PstConfig } from './pst';
import { METHOD_IDS, type Method, type MethodId } from './types';
import { PST_ENCODERS, PST_LOSSES, type PstEncoderName } from '../../../../shared/types/runs';
import type { SemanticLoss } from '../semantic';

/** PST's default semantic target: encoder and loss (docs/methods.md, "Choosing the default"). */
export const DEFAULT_PST_ENCODER: PstEncoderName = 'self';
export const DEFAULT_PST_LOSS: SemanticLoss = 'infonce';
/** NTP(r) pre-training steps of the frozen 'self' encoder. */
export const DEFAULT_SELF_STEPS = 300;

export type MethodConfig = AnswerOnlyConfig | PreThinkingConfig | PrefixConfig | PostThinkingConfig | PstConfig;
export type { AnswerOnlyConfig, PreThinkingConfig, PrefixConfig, PostThinkingConfig, PstConfig };
export * from './types';

/**
 * Defaults from PST-METHODS.md (alpha 0.5, w_y = w_r = 1, PST k 1, lambda 1, beta 0, linear head);
 * PST's encoder and loss were chosen by measurement (docs/methods.md, "PST semantic targets").
 */
export function defaultMethodConfig(id: MethodId): MethodConfig {
  switch (id) {
    case 'answer-only':
      return { method: id, answerTarget: 'gold' };
    case 'pre-thinking':
      return { method: id, answerTarget: 'gold' };
    case 'prefix':
      return { method: id, answerTarget: 'gold', alpha: 0.5 };
    case 'post-thinking':
      return { method: id, answerTarget: 'gold', answerWeight: 1, rationaleWeight: 1 };
    case 'pst':
      return {
        method: id,
        answerTarget: 'gold',
        encoder: DEFAULT_PST_ENCODER,
        selfSteps: DEFAULT_SELF_STEPS,
        selfFrom: null,
        selfCheckpoint: null,
        encoderStudent: null,
        external: null,
        loss: DEFAULT_PST_LOSS,
        tau: 0.1,
        head: 'linear',
        k: 1,
        lambda: 1,
        beta: 0,
        embedDim: 256,
      };
  }
}

/** Fills unspecified options with defaults and checks the method id. */
export function resolveMethodConfig(partial: { method: MethodId } & Record<string, unknown>): MethodConfig {
  if (!METHOD_IDS.includes(partial.method)) {
    throw new Error(`unknown method '${String(partial.method)}'; expected one of ${METHOD_IDS.join(', ')}`);
  }
  const merged = { ...defaultMethodConfig(partial.method), ...partial } as MethodConfig;
  if (merged.answerTarget !== 'gold' && merged.answerTarget !== 'teacher') {
    throw new Error(`answerTarget must be 'gold' or 'teacher', got '${String(merged.answerTarget)}'`);
  }
  if (merged.method === 'pst') {
    if (!PST_ENCODERS.includes(merged.encoder)) throw new Error(`pst: encoder must be one of ${PST_ENCODERS.join(', ')}, got '${merged.encoder}'`);
    if (!PST_LOSSES.includes(merged.loss)) throw new Error(`pst: loss must be one of ${PST_LOSSES.join(', ')}, got '${merged.loss}'`);
    if (!Number.isInteger(merged.selfSteps) || merged.selfSteps < 1) throw new Error(`pst: selfSteps must be a positive integer, got ${merged.selfSteps}`);
    if (merged.selfFrom !== null && merged.encoder !== 'self') throw new Error(`pst: selfFrom needs encoder 'self', got '${merged.encoder}'`);
    if (merged.encoder === 'external' && !merged.encoderStudent)
      throw new Error("pst: encoder 'external' needs encoderStudent (a registered sentence encoder's name, see students list, or its folder)");
    if (merged.encoderStudent && merged.encoder !== 'external') throw new Error(`pst: encoderStudent needs encoder 'external', got '${merged.encoder}'`);
    if (!['linear', 'mlp'].includes(merged.head)) throw new Error(`pst: head must be linear or mlp, got '${merged.head}'`);
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
