// Turning examples into what the trainer consumes: the vocabulary, encoded sequences and the
// frozen PST targets of the hashed-tfidf encoder.
import { createMethod, type MethodConfig } from './methods';
import { emptyStats, promptText } from './methods/layout';
import type { EncodeStats, EncodedSequence, Method, TrainExample } from './methods/types';
import { HashedTfidfEncoder } from './semantic';
import { CharTokenizer } from './tokenizer';

/** Vocabulary from every text of the training split the student reads or writes. */
export function buildTokenizer(train: readonly TrainExample[], method: Method): CharTokenizer {
  function* texts(): Generator<string> {
    for (const ex of train) {
      yield promptText(ex);
      yield ex.answer;
      if (ex.teacherAnswer) yield ex.teacherAnswer;
      if (ex.rationale) yield ex.rationale;
    }
  }
  return CharTokenizer.fromTexts(texts(), method.semTokens);
}

export interface EncodedSet {
  sequences: EncodedSequence[];
  /** Per example index: `RAT r` tokens for PST's self encoder (undefined when absent). */
  rationaleTokens: (number[] | undefined)[];
  stats: EncodeStats;
}

export function encodeExamples(examples: readonly TrainExample[], method: Method, tok: CharTokenizer, context: number): EncodedSet {
  const stats = emptyStats();
  const sequences: EncodedSequence[] = [];
  const rationaleTokens: (number[] | undefined)[] = [];
  examples.forEach((ex, i) => {
    const enc = method.encode(ex, i, tok, context, stats);
    rationaleTokens.push(enc?.rationaleTokens);
    if (enc) sequences.push(...enc.sequences);
  });
  return { sequences, rationaleTokens, stats };
}

/** e(r) vectors per example for the hashed-tfidf encoder (null entries: no rationale). */
export function tfidfTargets(encoder: HashedTfidfEncoder, examples: readonly TrainExample[]): (Float32Array | null)[] {
  return examples.map((ex) => (ex.rationale && ex.rationale.trim() ? encoder.encode(ex.rationale) : null));
}

export function methodFromConfig(cfg: MethodConfig): Method {
  return createMethod(cfg);
}
