// Input and output of the machine pre-annotation checkers.
import type { StepSpan } from '../../../../../shared/steps';
import type { AnswerType } from '../../../../../shared/types/dataset';
import type { CheckerName, ErrorType } from '../types';

export interface CheckerInput {
  question: string;
  rationale: string;
  answerType: AnswerType;
  choices: readonly string[] | null;
  /** Gold answer (normalised or raw; compared with answersMatch). */
  goldAnswer: string;
  /** The teacher's final answer, null when the source has none. */
  teacherAnswer: string | null;
  /** Step layout to attribute findings to; default splitSteps(rationale). */
  steps?: readonly StepSpan[];
}

/** One machine suggestion. Offsets are into the rationale, end exclusive. */
export interface Finding {
  checker: CheckerName;
  errorType: ErrorType;
  /** Step index (into the layout used), -1 if the span falls between steps. */
  step: number;
  start: number;
  end: number;
  message: string;
  /** 0..1: how likely the finding is a real error (see each checker for its scale). */
  confidence: number;
}
