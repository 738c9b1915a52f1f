// post-thinking: `x SEP y RAT r EOS`, loss w_y*NTP(y) + w_r*NTP(r). RAT is the answer's last
// target (it marks "answer complete"), so decoding can stop there: the answer never depends on
// a generated rationale token. Continuing after RAT yields the rationale (optional at eval).
import { SPECIAL, type Tokenizer } from '../tokenizer';
import { ANSWER_MAX_TOKENS, answerText, assemble, fitRationale, piece, promptText, rationaleTokens } from './layout';
import type { AnswerTarget, Method } from './types';

export interface PostThinkingConfig {
  method: 'post-thinking';
  answerTarget: AnswerTarget;
  /** w_y. */
  answerWeight: number;
  /** w_r. */
  rationaleWeight: number;
}

export function postThinking(cfg: PostThinkingConfig): Method {
  return {
    id: 'post-thinking',
    termWeights: { answer: cfg.answerWeight, rationale: cfg.rationaleWeight },
    semTokens: 0,
    encode(ex, index, tok: Tokenizer, context, stats) {
      const x = [...tok.encode(promptText(ex)), tok.id(SPECIAL.SEP)];
      const y = [...tok.encode(answerText(ex, cfg.answerTarget, stats)), tok.id(SPECIAL.RAT)];
      const rFull = rationaleTokens(ex, tok, stats) ?? [];
      const r = fitRationale(rFull, x.length + y.length + 1, context, stats);
      if (r === null) {
        stats.droppedTooLong++;
        return null;
      }
      const seq = assemble([piece(x, null), piece(y, 'answer'), piece([...r, tok.id(SPECIAL.EOS)], 'rationale')]);
      return { sequences: [{ exampleIndex: index, ...seq }] };
    },
    inference(ex, tok, context) {
      const prompt = [...tok.encode(promptText(ex)), tok.id(SPECIAL.SEP)];
      return {
        prompt,
        stopTokens: [tok.id(SPECIAL.RAT), tok.id(SPECIAL.EOS)],
        answerLocation: 'generated',
        rationaleAfter: tok.id(SPECIAL.RAT),
        maxNewTokens: Math.min(ANSWER_MAX_TOKENS, context - prompt.length),
      };
    },
  };
}
