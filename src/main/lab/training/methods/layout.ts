// Helpers shared by the method modules: prompt text, answer target, context fitting.
import type { Tokenizer } from '../tokenizer';
import type { AnswerTarget, EncodeStats, LossTerm, TrainExample } from './types';

const LETTERS = 'ABCDEFGHIJ';

/** The question as the student reads it; choices are appended unless the text already lists them. */
export function promptText(ex: TrainExample): string {
  if (!ex.choices || ex.choices.length === 0 || /\(A\)/.test(ex.question)) return ex.question;
  const opts = ex.choices.map((c, i) => `(${LETTERS[i] ?? '?'}) ${c}`).join(' ');
  return `${ex.question} Answer choices: ${opts}`;
}

export function answerText(ex: TrainExample, target: AnswerTarget, stats: EncodeStats): string {
  if (target === 'teacher') {
    if (ex.teacherAnswer != null && ex.teacherAnswer.trim() !== '') return ex.teacherAnswer.trim();
    stats.teacherAnswerFallbacks++;
  }
  return ex.answer;
}

/** A run of tokens and the loss term each carries as a target. */
export interface Piece {
  tokens: number[];
  term: LossTerm | null;
}

export function piece(tokens: number[], term: LossTerm | null): Piece {
  return { tokens, term };
}

/** Concatenates pieces into tokens + per-token terms. */
export function assemble(pieces: Piece[]): { tokens: number[]; terms: (LossTerm | null)[] } {
  const tokens: number[] = [];
  const terms: (LossTerm | null)[] = [];
  for (const p of pieces) {
    for (const t of p.tokens) {
      tokens.push(t);
      terms.push(p.term);
    }
  }
  if (terms.length > 0) terms[0] = null; // the first token is never predicted
  return { tokens, terms };
}

/**
 * Rationale tokens cut so that `fixedLength` + rationale fits `context`; null when even the
 * fixed part does not fit. Cutting the tail keeps the start of the reasoning, which is what a
 * reader (and the answer after it, for pre-thinking) depends on most.
 */
export function fitRationale(rationale: number[], fixedLength: number, context: number, stats: EncodeStats): number[] | null {
  const room = context - fixedLength;
  if (room < 0) return null;
  if (rationale.length <= room) return rationale;
  stats.truncatedRationales++;
  return rationale.slice(0, room);
}

export function rationaleTokens(ex: TrainExample, tok: Tokenizer, stats: EncodeStats): number[] | null {
  if (ex.rationale == null || ex.rationale.trim() === '') {
    stats.missingRationale++;
    return null;
  }
  return tok.encode(ex.rationale.trim());
}

export function emptyStats(): EncodeStats {
  return { truncatedRationales: 0, droppedTooLong: 0, missingRationale: 0, teacherAnswerFallbacks: 0 };
}

/**
 * Longest answer an answer-first method may generate before decoding gives up. A constant (not
 * derived from the gold answer, which must not leak into inference); long enough for numbers,
 * letters, yes/no and short free-text answers.
 */
export const ANSWER_MAX_TOKENS = 48;
