// Rows of the examples, completions and version_examples tables as SQLite returns them (snake_case
// names, JSON as text, booleans as 0/1; migrations/002_datasets.ts), for the stores that read them:
// a query's row type picks the columns it selects.
import type { AnswerType, Split } from '../../../../shared/types/dataset';

export interface ExampleColumns {
  id: number;
  dataset_id: number;
  external_id: string;
  question: string;
  answer: string;
  answer_type: AnswerType;
  /** JSON array of the options of a choice question, or null. */
  choices: string | null;
  /** JSON object. */
  metadata: string;
}

export interface CompletionColumns {
  idx: number;
  rationale: string;
  teacher_answer: string | null;
  /** 1 right, 0 wrong, null not judged. */
  correct: number | null;
  /** JSON array of the injected errors of a generated rationale, or null. */
  injected: string | null;
}

/** An example's membership of a version. */
export interface MemberColumns {
  position: number;
  split: Split | null;
  excluded: number;
  /** JSON array of strings. */
  tags: string;
}
