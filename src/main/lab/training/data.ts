// Turning examples into what the trainer consumes: the vocabulary, encoded sequences and the
// frozen PST targets of the hashed-tfidf encoder.
import { createMethod, type MethodConfig } from './methods';
import { emptyStats, promptText } from './methods/layout';
import type { EncodeStats, EncodedSequence, Method, TrainExample } from './methods/types';
import { HashedTfidfEncoder } from './semantic';
import { CharTokenizer } from './tokenizer';

/** Every text of `examples` a student reads or writes (prompt with choices, answers, rationale). */
export function* exampleTexts(examples: Iterable<TrainExample>): Generator<string> {
  for (const ex of examples) {
    yield promptText(ex);
    yield ex.answer;
    if (ex.teacherAnswer) yield ex.teacherAnswer;
    if (ex.rationale) yield ex.rationale;
  }
}

/**
 * The run's fixed vocabulary (docs/methods.md, "Vocabulary"): the base character set, the other
 * characters of `examples` and of `characters` (the run's remaining splits, an experiment's
 * other dataset variants), and the method's SEM tokens.
 */
export function buildTokenizer(examples: readonly TrainExample[], method: Method, characters = ''): CharTokenizer {
  return CharTokenizer.withCharacters([...exampleTexts(examples), characters], method.semTokens);
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
