// prefix (Distilling step-by-step, Hsieh et al. 2023): two sequences per example,
// `[predict] x SEP y EOS` and `[explain] x SEP r EOS`, loss a*NTP(y) + (1-a)*NTP(r).
// Inference uses only the [predict] task, so no rationale is generated.
import { SPECIAL, type Tokenizer } from '../tokenizer';
import { ANSWER_MAX_TOKENS, answerText, assemble, fitRationale, piece, promptText, rationaleTokens } from './layout';
import type { AnswerTarget, EncodedSequence, Method } from './types';

export interface PrefixConfig {
  method: 'prefix';
  answerTarget: AnswerTarget;
  /** Weight of the answer task; the explain task gets 1 - alpha. */
  alpha: number;
}

export function prefix(cfg: PrefixConfig): Method {
  if (!(cfg.alpha >= 0 && cfg.alpha <= 1)) throw new Error(`prefix: alpha must be in [0, 1], got ${cfg.alpha}`);
  return {
    id: 'prefix',
    termWeights: { answer: cfg.alpha, rationale: 1 - cfg.alpha },
    semTokens: 0,
    encode(ex, index, tok: Tokenizer, context, stats) {
      const x = [...tok.encode(promptText(ex)), tok.id(SPECIAL.SEP)];
      const y = [...tok.encode(answerText(ex, cfg.answerTarget, stats)), tok.id(SPECIAL.EOS)];
      const predict = assemble([piece([tok.id(SPECIAL.PREDICT), ...x], null), piece(y, 'answer')]);
      if (predict.tokens.length > context) {
        stats.droppedTooLong++;
        return null;
      }
      const sequences: EncodedSequence[] = [{ exampleIndex: index, ...predict }];
      const rFull = rationaleTokens(ex, tok, stats);
      if (rFull) {
        const r = fitRationale(rFull, 1 + x.length + 1, context, stats);
        if (r && r.length > 0) {
          const explain = assemble([piece([tok.id(SPECIAL.EXPLAIN), ...x], null), piece([...r, tok.id(SPECIAL.EOS)], 'rationale')]);
          sequences.push({ exampleIndex: index, ...explain });
        }
      }
      return { sequences };
    },
    inference(ex, tok, context) {
      const prompt = [tok.id(SPECIAL.PREDICT), ...tok.encode(promptText(ex)), tok.id(SPECIAL.SEP)];
      return {
        prompt,
        stopTokens: [tok.id(SPECIAL.EOS)],
        answerLocation: 'generated',
        maxNewTokens: Math.min(ANSWER_MAX_TOKENS, context - prompt.length),
      };
    },
  };
}
