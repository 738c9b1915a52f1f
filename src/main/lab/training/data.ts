// Turning examples into what the trainer consumes: the vocabulary and encoded sequences (PST's
// targets are built in semantic/run.ts).
import { createMethod, type MethodConfig } from './methods';
import { emptyStats, promptText } from './methods/layout';
import type { EncodeStats, EncodedSequence, Method, TrainExample } from './methods/types';
import { namedSeed, Rng } from './rng';
import { CharTokenizer, type Tokenizer } from './tokenizer';

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

export function encodeExamples(examples: readonly TrainExample[], method: Method, tok: Tokenizer, context: number): EncodedSet {
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

export function methodFromConfig(cfg: MethodConfig): Method {
  return createMethod(cfg);
}

/** Largest share of training rationales or questions a run may cut without the user opting in. */
export const MAX_CUT_SHARE = 0.01;

/** How a method's training sequences fit a context, in the student's own tokens. */
export interface ContextFit {
  context: number;
  /** Training examples, and those whose question and answer do not fit (dropped). */
  examples: number;
  questionsCut: number;
  /** Training examples with a rationale, and those whose rationale the method reads but would cut. */
  rationales: number;
  rationalesCut: number;
  /** The longest sequence of the method's layout (and PST's `RAT r`): the context that cuts nothing. */
  neededContext: number;
}

/** Longest sequence (or `RAT r` input) of one encoded example. */
function encodedLength(enc: ReturnType<Method['encode']>): number {
  if (!enc) return 0;
  return Math.max(enc.rationaleTokens?.length ?? 0, ...enc.sequences.map((s) => s.tokens.length));
}

export function contextFit(train: readonly TrainExample[], method: Method, tok: Tokenizer, context: number): ContextFit {
  const unlimited = emptyStats();
  const cut = emptyStats();
  let neededContext = 0;
  let overLong = 0;
  train.forEach((ex, i) => {
    const need = encodedLength(method.encode(ex, i, tok, Number.MAX_SAFE_INTEGER, unlimited));
    neededContext = Math.max(neededContext, need);
    if (need > context) overLong++;
    method.encode(ex, i, tok, context, cut);
  });
  return {
    context,
    examples: train.length,
    questionsCut: cut.droppedTooLong,
    rationales: train.filter((ex) => ex.rationale != null && ex.rationale.trim() !== '').length,
    // Every over-long example that is not dropped has its rationale (or PST's `RAT r`) cut.
    rationalesCut: overLong - cut.droppedTooLong,
    neededContext,
  };
}

/** Shares of training rationales and questions cut (0 when there are none). */
export function cutShares(fit: ContextFit): { rationales: number; questions: number } {
  return {
    rationales: fit.rationales ? fit.rationalesCut / fit.rationales : 0,
    questions: fit.examples ? fit.questionsCut / fit.examples : 0,
  };
}

/**
 * The validation examples greedy-decoded for checkpoint selection (docs/methods.md, "Student and
 * trainer"): the whole split when it has at most `max` examples, else a sample stratified by gold
 * answer (each answer keeps its share, largest remainders first) drawn from one fixed stream, so
 * every run on the same data is selected on the same examples. Storage order is never used.
 */
export function validationSample(val: readonly TrainExample[], max: number): TrainExample[] {
  if (val.length <= max) return [...val];
  const groups = new Map<string, number[]>();
  val.forEach((ex, i) => groups.set(ex.answer, [...(groups.get(ex.answer) ?? []), i]));
  const keys = [...groups.keys()].sort();
  const exact = keys.map((k) => (max * groups.get(k)!.length) / val.length);
  const quota = exact.map(Math.floor);
  const byRemainder = keys.map((_, i) => i).sort((a, b) => exact[b]! - quota[b]! - (exact[a]! - quota[a]!) || a - b);
  for (let left = max - quota.reduce((a, b) => a + b, 0), j = 0; left > 0; left--, j++) quota[byRemainder[j]!]!++;
  const rng = new Rng(namedSeed(0, 'validation-sample'));
  const chosen = keys.flatMap((k, i) => rng.shuffle([...groups.get(k)!]).slice(0, quota[i]));
  return chosen.sort((a, b) => a - b).map((i) => val[i]!);
}
