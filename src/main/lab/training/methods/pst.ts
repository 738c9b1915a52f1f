// pst (Post-Semantic-Thinking): `x SEP y SEM_1..SEM_k EOS`; loss NTP(y) + lambda * L_sem(P(h_SEM), e(r))
// [+ beta * NTP(r) with the residual layout `x SEP y SEM_1..SEM_k r EOS` when beta > 0].
// SEM_1 is the answer's last target ("answer complete"), so inference stops there; SEM_2..SEM_k
// and EOS are inputs only. h_SEM = last-layer hidden states at the k SEM positions, mean-pooled.
import { SPECIAL, semToken, type Tokenizer } from '../tokenizer';
import type { ExternalEncoderRef, PstEncoderName, ProjectionHead, SemanticLoss } from '../semantic';
import { ANSWER_MAX_TOKENS, answerText, assemble, fitRationale, piece, promptText, rationaleTokens } from './layout';
import type { AnswerTarget, Method } from './types';

export interface PstConfig {
  method: 'pst';
  answerTarget: AnswerTarget;
  encoder: PstEncoderName;
  /** encoder self: NTP(r) pre-training steps of the frozen encoder (docs/methods.md). */
  selfSteps: number;
  /** encoder self: a completed run whose checkpoint is the frozen encoder instead (null = pre-train). */
  selfFrom: number | null;
  /** That run's checkpoint directory, resolved by the lab when the run is created. */
  selfCheckpoint: string | null;
  /** encoder external: the sentence encoder as the user named it (registered name or id, or a folder). */
  encoderStudent: string | null;
  /** encoder external: its folder, files and target cache, resolved by the lab when the run is created. */
  external: ExternalEncoderRef | null;
  loss: SemanticLoss;
  /** InfoNCE temperature. */
  tau: number;
  head: ProjectionHead;
  /** Number of SEM tokens (k). */
  k: number;
  lambda: number;
  beta: number;
  /** Dimension of e(r) for 'hashed-tfidf' (the self encoders use their model's width). */
  embedDim: number;
}

export function pst(cfg: PstConfig): Method {
  if (!Number.isInteger(cfg.k) || cfg.k < 1 || cfg.k > 16) throw new Error(`pst: k must be an integer in 1..16, got ${cfg.k}`);
  if (!(cfg.lambda >= 0)) throw new Error(`pst: lambda must be >= 0, got ${cfg.lambda}`);
  if (!(cfg.beta >= 0)) throw new Error(`pst: beta must be >= 0, got ${cfg.beta}`);
  return {
    id: 'pst',
    termWeights: { answer: 1, rationale: cfg.beta },
    semTokens: cfg.k,
    encode(ex, index, tok: Tokenizer, context, stats) {
      const x = [...tok.encode(promptText(ex)), tok.id(SPECIAL.SEP)];
      const y = tok.encode(answerText(ex, cfg.answerTarget, stats));
      const sem = Array.from({ length: cfg.k }, (_, i) => tok.id(semToken(i + 1)));
      const eos = tok.id(SPECIAL.EOS);
      const rFull = rationaleTokens(ex, tok, stats);
      const fixed = x.length + y.length + sem.length + 1;
      if (fixed > context) {
        stats.droppedTooLong++;
        return null;
      }
      const pieces = [piece(x, null), piece([...y, sem[0]!], 'answer'), piece(sem.slice(1), null)];
      if (cfg.beta > 0 && rFull) {
        const r = fitRationale(rFull, fixed, context, stats) ?? [];
        pieces.push(piece([...r, eos], 'rationale'));
      } else {
        pieces.push(piece([eos], null));
      }
      const seq = assemble(pieces);
      const semStart = x.length + y.length;
      const semPositions = sem.map((_, i) => semStart + i);
      const out: ReturnType<Method['encode']> = { sequences: [{ exampleIndex: index, ...seq, semPositions }] };
      if (rFull && cfg.encoder === 'self-online') out.rationaleTokens = [tok.id(SPECIAL.RAT), ...rFull].slice(0, context);
      return out;
    },
    inference(ex, tok, context) {
      const prompt = [...tok.encode(promptText(ex)), tok.id(SPECIAL.SEP)];
      return {
        prompt,
        stopTokens: [tok.id(semToken(1)), tok.id(SPECIAL.EOS)],
        answerLocation: 'generated',
        maxNewTokens: Math.min(ANSWER_MAX_TOKENS, context - prompt.length),
      };
    },
  };
}
