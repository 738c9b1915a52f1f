// answer-only: `x SEP y EOS`, loss NTP(y); inference decodes y and stops at EOS.
import { SPECIAL, type Tokenizer } from '../tokenizer';
import { ANSWER_MAX_TOKENS, answerText, assemble, piece, promptText } from './layout';
import type { AnswerTarget, Method } from './types';

export interface AnswerOnlyConfig {
  method: 'answer-only';
  answerTarget: AnswerTarget;
}

export function answerOnly(cfg: AnswerOnlyConfig): Method {
  return {
    id: 'answer-only',
    termWeights: { answer: 1, rationale: 0 },
    semTokens: 0,
    encode(ex, index, tok: Tokenizer, context, stats) {
      const x = tok.encode(promptText(ex));
      const y = tok.encode(answerText(ex, cfg.answerTarget, stats));
      const seq = assemble([piece([...x, tok.id(SPECIAL.SEP)], null), piece([...y, tok.id(SPECIAL.EOS)], 'answer')]);
      if (seq.tokens.length > context) {
        stats.droppedTooLong++;
        return null;
      }
      return { sequences: [{ exampleIndex: index, ...seq }] };
    },
    inference(ex, tok, context) {
      const prompt = [...tok.encode(promptText(ex)), tok.id(SPECIAL.SEP)];
      return {
        prompt,
        stopTokens: [tok.id(SPECIAL.EOS)],
        answerLocation: 'generated',
        maxNewTokens: Math.min(ANSWER_MAX_TOKENS, context - prompt.length),
      };
    },
  };
}
