// What every distillation method provides (docs/methods.md, "Sequences and loss masks"): how an example
// becomes training sequences with per-token loss terms, and how inference prompts and stops.
import type { AnswerType } from '../../../../shared/types/dataset';
import type { AnswerTarget, MethodId } from '../../../../shared/catalogue';
import type { Tokenizer } from '../tokenizer';

export { METHOD_IDS, type MethodId } from '../../../../shared/catalogue';

/** One training example as the trainer sees it (the lead selects the subset and the completion). */
export interface TrainExample {
  id: string;
  question: string;
  /** Gold answer, normalised for its type. */
  answer: string;
  answerType: AnswerType;
  choices: string[] | null;
  /** Teacher rationale (null when the example has no completion). */
  rationale: string | null;
  /** Teacher's final answer, used when answerTarget = 'teacher'. */
  teacherAnswer?: string | null;
}

/** Which answer the student is trained to produce. */
export type { AnswerTarget };

/** Token-level loss terms. 'answer' = NTP(y), 'rationale' = NTP(r). */
export type LossTerm = 'answer' | 'rationale';

export interface EncodedSequence {
  exampleIndex: number;
  tokens: number[];
  /**
   * terms[i] is the loss term of tokens[i] as a prediction target (predicted at position i-1);
   * null = not a target (prompt, special markers that are inputs only, padding).
   */
  terms: (LossTerm | null)[];
  /** PST: positions whose last-layer hidden states are pooled into h_SEM. */
  semPositions?: number[];
}

export interface EncodedExample {
  sequences: EncodedSequence[];
  /** PST with the 'self-online' encoder: `RAT r` tokens whose pooled hidden states give e(r). */
  rationaleTokens?: number[];
}

export interface InferenceSpec {
  prompt: number[];
  /** Decoding stops when one of these is generated (or at the length limit). */
  stopTokens: number[];
  /**
   * Where the answer is: 'generated' = the whole generated text before the stop token
   * (answer-first methods); 'after-ans' = the text after the ANS token (pre-thinking).
   */
  answerLocation: 'generated' | 'after-ans';
  /** Post-thinking can keep decoding after RAT to obtain its rationale. */
  rationaleAfter?: number;
  maxNewTokens: number;
}

export interface EncodeStats {
  /** Examples whose rationale was cut to fit the context. */
  truncatedRationales: number;
  /** Examples dropped because even question + answer do not fit. */
  droppedTooLong: number;
  /** Examples without a rationale (rationale terms simply absent for them). */
  missingRationale: number;
  /** answerTarget 'teacher' but the example had no teacher answer: the gold answer was used. */
  teacherAnswerFallbacks: number;
}

export interface Method {
  id: MethodId;
  /** Coefficient of each token loss term in the total loss. */
  termWeights: Record<LossTerm, number>;
  /** Number of SEM tokens the tokenizer must contain (0 for non-PST methods). */
  semTokens: number;
  /** Returns null when the example cannot fit the context at all. */
  encode(ex: TrainExample, index: number, tok: Tokenizer, context: number, stats: EncodeStats): EncodedExample | null;
  inference(ex: TrainExample, tok: Tokenizer, context: number): InferenceSpec;
}
