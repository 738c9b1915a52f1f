// Dataset shapes shared by every process. Plain data only: no Node, Electron or DOM imports.

/** How an example's answer is normalised and compared (docs/methods.md, "Evaluation"). */
export type AnswerType = 'number' | 'choice' | 'yesno' | 'text';
export const ANSWER_TYPES = ['number', 'choice', 'yesno', 'text'] as const satisfies readonly AnswerType[];

export type Split = 'train' | 'val' | 'test';
export const SPLITS = ['train', 'val', 'test'] as const satisfies readonly Split[];

/** Kinds of error the synthetic teacher can inject and annotators can label (docs/methods.md, "Generated tasks: splits, patterns and reference rationales"). */
export type HallucinationType =
  | 'arithmetic_slip'
  | 'quantity_misread'
  | 'skipped_step'
  | 'irrelevant_statement'
  | 'contradictory_statement'
  | 'answer_mismatch';
export const HALLUCINATION_TYPES = [
  'arithmetic_slip',
  'quantity_misread',
  'skipped_step',
  'irrelevant_statement',
  'contradictory_statement',
  'answer_mismatch',
] as const satisfies readonly HallucinationType[];

/**
 * Ground truth for one injected error. `start`/`end` are character offsets into the rationale
 * string (end exclusive); `step` is the index of the step (see src/shared/steps.ts splitSteps)
 * that contains the span. For a skipped step the span is the step where the missing work shows
 * (the step that uses a value never derived).
 */
export interface InjectedError {
  type: HallucinationType;
  step: number;
  start: number;
  end: number;
  /** What the correct teacher would have written at that span (empty for pure insertions). */
  original: string;
  /** Human-readable description, e.g. "14 / 4 = 3 (should be 3.5)". */
  note: string;
}

export interface TeacherCompletion {
  rationale: string;
  /** Raw teacher answer text as found in the source (null when the source has none). */
  teacherAnswer: string | null;
  /** Where the completion came from, e.g. "finetune-cot#2", "step-by-step:llm/train_CoT_0.json", "synthetic". */
  source: string;
  /** Teacher answer equals gold after normalisation; null when there is no teacher answer. */
  correct: boolean | null;
  /** Synthetic datasets only: the errors deliberately injected into this rationale. */
  injected?: InjectedError[];
}

/** One example as produced by importers and generators, before it is stored. */
export interface ExampleInput {
  /** Stable id from the source (sample_index, id field, line number...). Unique within a dataset. */
  externalId: string;
  question: string;
  /** Gold answer, already normalised for its answer type (see normalizeAnswer). */
  answer: string;
  answerType: AnswerType;
  /** Multiple-choice options in order (A, B, C...), or null. */
  choices: string[] | null;
  completions: TeacherCompletion[];
  /** Predefined split from the source, if any. */
  split: Split | null;
  tags: string[];
  /** Re-imported PST Lab exports only: the example was excluded in the exported version. */
  excluded?: boolean;
  metadata: Record<string, unknown>;
}
