// Internal shapes shared by the synthetic task modules and the generator engine.
// A rationale is built as structured steps made of segments, never as one string, so an injected
// error can be located exactly: the engine renders the steps and measures where the marked
// segments land in the final text (no searching for substrings after the fact).
import type { AnswerType, HallucinationType } from '../../../shared/types/dataset';
import type { Rng } from './prng';

export type SyntheticTaskName = 'coin_flip' | 'last_letters' | 'arithmetic' | 'shuffled_objects';

export interface Segment {
  text: string;
  /** Part of the injected error's span (the engine unions marked segments into start/end). */
  marked?: boolean;
  /** The conclusion's answer text, which the answer-mismatch fault replaces. */
  role?: 'answer';
}

export interface DraftStep {
  /** Rendered on its own line; must be exactly one sentence for splitSteps (no inner ". "). */
  segments: Segment[];
  /** Name of the value this step derives (e.g. "s1"), for the generic skipped-step fault. */
  produces?: string;
  /** Values this step relies on that an earlier step produced. */
  uses?: readonly string[];
  /** Whether removing this step makes a later step use an underived value (task decides). */
  skippable?: boolean;
  conclusion?: boolean;
}

export interface Draft {
  steps: DraftStep[];
  /** The teacher's final answer in normalised form (may differ from gold after a fault). */
  teacherAnswer: string;
}

/** A draft with one injected error: its marked segments are the span, `original` what they replaced. */
export interface FaultedDraft {
  draft: Draft;
  original: string;
  note: string;
}

/** The task-independent part of a generated problem. */
export interface Problem {
  question: string;
  /** Gold answer, already normalised with normalizeAnswer for the task's answer type. */
  answer: string;
  choices: string[] | null;
  /** Task-specific facts stored in the example metadata (e.g. who flips, the program). */
  facts: Record<string, unknown>;
}

/** Fault types a task implements itself; the rest are generic (see faults.ts). */
export type TaskSpecificFault = 'arithmetic_slip' | 'quantity_misread' | 'contradictory_statement';

export interface SizeSpec {
  /** What the size counts, e.g. "people", "words", "steps", "swaps". */
  unit: string;
  defaultMin: number;
  defaultMax: number;
  /** Hard limits: beyond them questions get too long or the templates do not exist. */
  allowedMin: number;
  allowedMax: number;
}

export interface SyntheticTask<P extends Problem = Problem> {
  name: SyntheticTaskName;
  description: string;
  answerType: AnswerType;
  size: SizeSpec;
  /** Hallucination types that make sense for this task, with what each one means here. */
  applicableTypes: Partial<Record<HallucinationType, string>>;
  /**
   * A problem of `size` (in `size.unit`). `heldOut` asks for the held-out structure of the
   * compositional test split beyond its size, where a task has one (arithmetic: operands from
   * ranges training never uses); tasks whose only held-out dimension is the size ignore it.
   * With heldOut = false the draws are exactly those of the random split.
   */
  sample(rng: Rng, size: number, heldOut: boolean): P;
  /** What `pattern` captures, in one sentence (shown in reports; docs/methods.md). */
  patternDefinition: string;
  /**
   * The problem's structure: two problems with the same pattern have the same answer and differ
   * only in surface (names, colours, words with the same last letters), so a test item whose
   * pattern occurs in training can be answered from memory.
   */
  pattern(problem: P): string;
  /** How many distinct patterns `sample(rng, size, heldOut)` can produce. */
  patternCount(size: number, heldOut: boolean): number;
  /** The clean, correct step-by-step rationale. */
  render(problem: P): Draft;
  /** How the conclusion shows an answer, e.g. "(B)" for choices. */
  formatAnswer(answer: string): string;
  /** A plausible wrong answer (normalised), different from gold. */
  wrongAnswer(problem: P, rng: Rng): string;
  /** A true-but-irrelevant sentence about this problem (one sentence, no inner ". "). */
  irrelevantSentence(problem: P, rng: Rng): string;
  /**
   * Builds a draft with one task-specific fault, or null when this problem offers no valid place
   * for it. With `propagate` the teacher keeps reasoning from the wrong value, so the conclusion
   * and teacher answer follow the error (and must then differ from gold).
   */
  inject(problem: P, type: TaskSpecificFault, propagate: boolean, rng: Rng): FaultedDraft | null;
}
