// The annotation model: one annotator's labels for one teacher rationale, at three levels
// (verdict, steps, spans) that the consistency checks keep in agreement. Plain data only so the
// same objects go to SQLite, over IPC, into JSONL exports and into the renderer.

export type Verdict = 'faithful' | 'hallucinated' | 'unsure';
export const VERDICTS: readonly Verdict[] = ['faithful', 'hallucinated', 'unsure'];

/** "Is the final answer supported by the rationale?" */
export type AnswerSupport = 'yes' | 'no' | 'unsure';
export const ANSWER_SUPPORTS: readonly AnswerSupport[] = ['yes', 'no', 'unsure'];

/** Why labelling of this rationale ended (PRM800K's finish reasons). */
export type EndReason = 'done' | 'found_error' | 'bad_question' | 'gave_up';
export const END_REASONS: readonly EndReason[] = ['done', 'found_error', 'bad_question', 'gave_up'];

/** PRM800K step rating: +1 correct, 0 neutral (true but unhelpful), -1 incorrect. */
export type StepRating = 1 | 0 | -1;
export const STEP_RATINGS: readonly StepRating[] = [1, 0, -1];

export type ErrorType =
  | 'arithmetic'
  | 'quantity_misread'
  | 'logical_leap'
  | 'factual_error'
  | 'unsupported_irrelevant'
  | 'answer_mismatch'
  | 'other';
export const ERROR_TYPES: readonly ErrorType[] = [
  'arithmetic',
  'quantity_misread',
  'logical_leap',
  'factual_error',
  'unsupported_irrelevant',
  'answer_mismatch',
  'other',
];

/**
 * Where a label came from. `auto`: a checker suggested it and nobody has reviewed it;
 * `accepted` / `edited` / `rejected`: a human reviewed a suggestion (rejected labels are kept so
 * the checker's suggestion is not re-proposed and its precision can be measured); `human`: a
 * human created it.
 */
export type Provenance = 'auto' | 'accepted' | 'edited' | 'rejected' | 'human';
export const PROVENANCES: readonly Provenance[] = ['auto', 'accepted', 'edited', 'rejected', 'human'];

/** Which checker produced a machine suggestion and how sure it is. */
export interface Suggestion {
  checker: CheckerName;
  confidence: number;
  message: string;
}

export type CheckerName = 'arithmetic' | 'numbers_not_in_question' | 'answer_mismatch';
export const CHECKER_NAMES: readonly CheckerName[] = ['arithmetic', 'numbers_not_in_question', 'answer_mismatch'];

/** Fields every label carries. Timestamps are ISO-8601 strings (Date.toISOString()). */
export interface LabelMeta {
  provenance: Provenance;
  createdAt: string;
  updatedAt: string;
  /** Present when the label started as a machine suggestion (kept through accept/edit/reject). */
  suggestion?: Suggestion;
}

export interface VerdictLabel extends LabelMeta {
  verdict: Verdict | null;
  answerSupported: AnswerSupport | null;
  endReason: EndReason | null;
}

/**
 * One step: a character range of the rationale (end exclusive, trimmed of surrounding
 * whitespace like src/shared/steps.ts) plus its rating. The ordered list of steps IS the split
 * layout; moving a split point changes two neighbouring ranges (see stepLayout.ts).
 */
export interface StepLabel extends LabelMeta {
  start: number;
  end: number;
  /** null = not rated yet. */
  rating: StepRating | null;
  errorType: ErrorType | null;
}

export interface SpanLabel extends LabelMeta {
  /** Stable identity for merge (see makeSpanId); survives edits of type, comment and range. */
  id: string;
  start: number;
  end: number;
  /** Index into the annotation's steps of the step containing the span. */
  step: number;
  errorType: ErrorType;
  comment: string | null;
  /** "What it should say." */
  correction: string | null;
  /** Tombstone: a deleted span is kept so a re-import of an older export cannot resurrect it. */
  deleted: boolean;
}

/** Identifies the rationale being labelled: an example of a dataset and one of its completions. */
export interface RationaleRef {
  exampleId: string;
  completionIndex: number;
}

/** All labels one annotator gave one rationale. Identity: (exampleId, completionIndex, annotator). */
export interface RationaleAnnotation extends RationaleRef {
  annotator: string;
  /** rationaleFingerprint(text) when labelled: offsets are only meaningful for that exact text. */
  rationaleFingerprint: string;
  verdict: VerdictLabel | null;
  steps: StepLabel[];
  spans: SpanLabel[];
  /** Total active labelling time on this item. */
  timeSpentMs: number;
  createdAt: string;
  updatedAt: string;
}

/** Pseudo-annotator under which machine suggestions are stored before anyone reviews them. */
export const AUTO_ANNOTATOR = 'auto';
