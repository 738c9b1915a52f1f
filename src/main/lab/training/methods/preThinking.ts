// pre-thinking (Fine-tune-CoT, Ho et al. 2023): `x SEP r ANS y EOS`, loss NTP(r) + NTP(y).
// ANS is the last rationale target (the model must learn when its reasoning ends); y + EOS are
// the answer targets. Each term is averaged over its own tokens (see trainer), so the few answer
// tokens are not drowned by the long rationale; this matches post-thinking's w_y = w_r = 1, so
// the two differ only in order. Inference must generate the rationale, then the answer after ANS.
import { SPECIAL, type Tokenizer } from '../tokenizer';
import { answerText, assemble, fitRationale, piece, promptText, rationaleTokens } from './layout';
import type { AnswerTarget, Method } from './types';

export interface PreThinkingConfig {
  method: 'pre-thinking';
  answerTarget: AnswerTarget;
}

export function preThinking(cfg: PreThinkingConfig): Method {
  return {
    id: 'pre-thinking',
    termWeights: { answer: 1, rationale: 1 },
    semTokens: 0,
    encode(ex, index, tok: Tokenizer, context, stats) {
      const x = [...tok.encode(promptText(ex)), tok.id(SPECIAL.SEP)];
      const y = [...tok.encode(answerText(ex, cfg.answerTarget, stats)), tok.id(SPECIAL.EOS)];
      const rFull = rationaleTokens(ex, tok, stats) ?? [];
      const ansTok = tok.id(SPECIAL.ANS);
      const r = fitRationale(rFull, x.length + 1 + y.length, context, stats);
      if (r === null) {
        stats.droppedTooLong++;
        return null;
      }
      const seq = assemble([piece(x, null), piece([...r, ansTok], 'rationale'), piece(y, 'answer')]);
      return { sequences: [{ exampleIndex: index, ...seq }] };
    },
    inference(ex, tok, context) {
      const prompt = [...tok.encode(promptText(ex)), tok.id(SPECIAL.SEP)];
      return {
        prompt,
        stopTokens: [tok.id(SPECIAL.EOS)],
        answerLocation: 'after-ans',
        maxNewTokens: context - prompt.length,
      };
    },
  };
}
