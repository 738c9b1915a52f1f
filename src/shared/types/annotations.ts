// Annotation shapes shared by every process (docs/methods.md, "Lossless export and annotation keys"): the label model (one annotator's labels for
// one teacher rationale at three levels: verdict, steps, spans, kept consistent), and what the
// annotation channels return. Plain data only: the same objects go to SQLite, over IPC, into
// JSONL exports and into the renderer. The pure logic in src/main/lab/annotation/logic works on
// these types (its types.ts re-exports the model from here).
import type { StepSpan } from '../steps';
import type { AnswerType, Split } from './dataset';

export type Verdict = 'faithful' | 'hallucinated' | 'unsure';
export const VERDICTS = ['faithful', 'hallucinated', 'unsure'] as const satisfies readonly Verdict[];

/** "Is the final answer supported by the rationale?" */
export type AnswerSupport = 'yes' | 'no' | 'unsure';
export const ANSWER_SUPPORTS = ['yes', 'no', 'unsure'] as const satisfies readonly AnswerSupport[];

/** Why labelling of this rationale ended (PRM800K's finish reasons). */
export type EndReason = 'done' | 'found_error' | 'bad_question' | 'gave_up';
export const END_REASONS = ['done', 'found_error', 'bad_question', 'gave_up'] as const satisfies readonly EndReason[];

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
export const ERROR_TYPES = [
  'arithmetic',
  'quantity_misread',
  'logical_leap',
  'factual_error',
  'unsupported_irrelevant',
  'answer_mismatch',
  'other',
] as const satisfies readonly ErrorType[];

/**
 * Where a label came from. `auto`: a checker suggested it and nobody has reviewed it;
 * `accepted` / `edited` / `rejected`: a human reviewed a suggestion (rejected labels are kept so
 * the checker's suggestion is not re-proposed and its precision can be measured); `human`: a
 * human created it.
 */
export type Provenance = 'auto' | 'accepted' | 'edited' | 'rejected' | 'human';
export const PROVENANCES = ['auto', 'accepted', 'edited', 'rejected', 'human'] as const satisfies readonly Provenance[];

/** Which checker produced a machine suggestion and how sure it is. */
export interface Suggestion {
  checker: CheckerName;
  confidence: number;
  message: string;
}

export type CheckerName = 'arithmetic' | 'numbers_not_in_question' | 'answer_mismatch';
export const CHECKER_NAMES = [
  'arithmetic',
  'numbers_not_in_question',
  'answer_mismatch',
] as const satisfies readonly CheckerName[];

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

// ---------------------------------------------------------------------------------------------
// Derived results of the pure logic, as they travel over the contract.

export type ConsistencyCode =
  | 'faithful_with_incorrect_step'
  | 'faithful_with_error_span'
  | 'hallucinated_without_evidence'
  | 'span_out_of_bounds'
  | 'span_outside_step'
  | 'span_crosses_steps'
  | 'span_step_mismatch'
  | 'span_in_correct_step'
  | 'step_out_of_bounds'
  | 'steps_overlap'
  | 'text_not_covered'
  | 'step_error_type_without_incorrect'
  | 'found_error_without_error'
  | 'answer_supported_but_answer_mismatch'
  | 'fingerprint_mismatch';

export interface ConsistencyWarning {
  code: ConsistencyCode;
  message: string;
  /** Step index the warning is about, when there is one. */
  step?: number;
  /** Span id the warning is about, when there is one. */
  spanId?: string;
}

export interface Prf {
  tp: number;
  fp: number;
  fn: number;
  /** null when undefined (no predictions / no gold errors), never NaN. */
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export type ScoreLevel = 'rationale' | 'span' | 'step';

export interface LevelScore {
  level: ScoreLevel;
  perType: Record<ErrorType, Prf>;
  overall: Prf;
  anyType: Prf;
}

export interface ScoreReport {
  examples: number;
  examplesWithInjected: number;
  minConfidence: number;
  rationale: LevelScore;
  span: LevelScore;
  step: LevelScore;
}

export interface KappaResult {
  /** null when undefined: no paired items, or both annotators used one identical label only. */
  kappa: number | null;
  observed: number | null;
  expected: number | null;
  /** Items labelled by both. */
  n: number;
}

export interface AlphaResult {
  /** null when undefined: fewer than two pairable values, or every pairable value is the same. */
  alpha: number | null;
  /** Number of pairable values (n in Krippendorff's notation). */
  pairable: number;
  /** Units with at least two values. */
  units: number;
  observedDisagreement: number | null;
  expectedDisagreement: number | null;
}

export interface SpanAgreement {
  exact: Prf;
  overlap: Prf;
  character: Prf;
  items: number;
}

export interface LocatedError {
  source: string;
  /** 1-based line number. */
  line: number;
  /** Field path inside the line, e.g. "spans[2].start"; "" for the whole line. */
  field: string;
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Channel shapes.

/**
 * Annotation status of an example (dataset table column and filter; training subsets use the
 * same rule per completion, see src/main/lab/annotation/store/status.ts):
 * - faithful / hallucinated: the gold (adjudicated) verdict if there is one, else every human
 *   annotator who gave a verdict gave this one;
 * - disagreement: human annotators gave different verdicts (and there is no gold verdict);
 * - labelled: a human labelled it, but the resolved verdict is unsure or missing;
 * - auto-flagged: nobody labelled it yet, and a checker found a possible error;
 * - unlabelled: none of the above.
 * With several completions, the example takes the first of disagreement, hallucinated, faithful,
 * labelled, auto-flagged, unlabelled that any of its completions has.
 */
export type AnnotationStatus =
  'unlabelled' | 'labelled' | 'faithful' | 'hallucinated' | 'disagreement' | 'auto-flagged';
export const ANNOTATION_STATUSES = [
  'unlabelled',
  'labelled',
  'faithful',
  'hallucinated',
  'disagreement',
  'auto-flagged',
] as const satisfies readonly AnnotationStatus[];

/**
 * Queue filters: `unlabelled` / `labelled` are relative to the calling annotator; `auto-flagged`:
 * a checker found a possible error and the annotator has not labelled it; `disagreement`: human
 * verdicts differ; `no-gold`: labelled by a human but not adjudicated yet.
 */
export type QueueFilter = 'all' | 'unlabelled' | 'labelled' | 'auto-flagged' | 'disagreement' | 'no-gold';
export const QUEUE_FILTERS = [
  'all',
  'unlabelled',
  'labelled',
  'auto-flagged',
  'disagreement',
  'no-gold',
] as const satisfies readonly QueueFilter[];

/** One rationale (example completion) in the labelling queue. */
export interface QueueItem {
  /** Example revision id in the queried version (pass it to annotations.get). */
  example: number;
  externalId: string;
  completion: number;
  position: number;
  split: Split | null;
  tags: string[];
  status: AnnotationStatus;
  /** The calling annotator's verdict, null when none. */
  mine: Verdict | null;
  labelledByMe: boolean;
  /** Human annotators (not counting the machine) who labelled this rationale. */
  annotators: number;
  autoFlagged: boolean;
  hasGold: boolean;
}

export interface QueuePage {
  versionId: number;
  /** Rationales the filters select. */
  total: number;
  /** The caller's progress over the rationales of the split and tag asked for (the status filter
   *  aside): how many of them the caller has labelled. */
  progress: { labelledByMe: number; rationales: number };
  items: QueueItem[];
}

/** The rationale being labelled, with what the annotator needs to judge it. */
export interface AnnotationItem {
  datasetId: number;
  /** Example revision id. */
  example: number;
  externalId: string;
  completion: number;
  question: string;
  /** Gold answer. */
  answer: string;
  answerType: AnswerType;
  choices: string[] | null;
  rationale: string;
  teacherAnswer: string | null;
  teacherCorrect: boolean | null;
  /** Fingerprint of `rationale`; labels with another fingerprint were made on other text. */
  fingerprint: string;
  /** The default split into steps (sentences/lines). */
  defaultSteps: StepSpan[];
}

/** Adjudicated labels: a RationaleAnnotation whose `annotator` is the adjudicator. */
export interface GoldAnnotation extends RationaleAnnotation {
  /** Annotators whose labels the adjudicator looked at. */
  sources: string[];
}

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
}

/** Everything the workbench shows for one rationale and one annotator. */
export interface AnnotationView extends UndoState {
  item: AnnotationItem;
  annotator: string;
  /** The annotator's own labels, null before the first save. */
  mine: RationaleAnnotation | null;
  /** The annotator's labels hold a verdict, a step rating or a span (the queue's "labelled by me"). */
  labelled: boolean;
  /** Steps to show: the annotator's layout, else the default split (unrated). */
  layout: StepLabel[];
  /** Other human annotators' labels (for adjudication or review; the UI may hide them). */
  others: RationaleAnnotation[];
  /** The machine pre-annotation (annotator "auto"), null if the checkers never ran here. */
  suggestions: RationaleAnnotation | null;
  /** Machine span suggestions this annotator has neither accepted, edited nor rejected. */
  pendingSuggestions: SpanLabel[];
  gold: GoldAnnotation | null;
  /** Consistency warnings of the annotator's labels (empty before the first save). */
  warnings: ConsistencyWarning[];
  /** First step rated incorrect or holding an error span (stop-at-first-error mode stops here). */
  firstErrorStep: number | null;
  /** The annotator's labels were made on a different text of this rationale. */
  stale: boolean;
}

export interface UndoResult extends UndoState {
  /** The rationale the undo/redo changed, null when there was nothing to undo/redo. */
  changed: { externalId: string; completion: number } | null;
  /** The changed rationale as it is now, when it is still in the dataset's head version. */
  view: AnnotationView | null;
}

export interface CheckerRunReport {
  versionId: number;
  rationales: number;
  /** Rationales with at least one finding. */
  flagged: number;
  findings: number;
  perChecker: Record<CheckerName, number>;
  perErrorType: Record<ErrorType, number>;
  elapsedMs: number;
}

export interface PairAgreement {
  a: string;
  b: string;
  /** Rationales both labelled (on the same text). */
  items: number;
  verdictKappa: KappaResult;
  stepKappa: KappaResult;
  /** Typed: spans match only when they also carry the same error type. A is the reference, B the
   *  prediction; F1 is symmetric. */
  spans: SpanAgreement;
  /** The same measures by location alone (error types ignored): do the annotators mark the same text? */
  spanLocations: SpanAgreement;
}

export interface AgreementReport {
  versionId: number;
  /** Human annotators with labels in this version. */
  annotators: string[];
  /** Rationales labelled by at least two annotators. */
  sharedItems: number;
  /** Labels left out because they were made on an older text of the rationale. */
  staleSkipped: number;
  /** Nominal. */
  verdictAlpha: AlphaResult;
  /** Nominal: yes / no / unsure are categories ("unsure" is not halfway between no and yes). */
  answerSupportAlpha: AlphaResult;
  /** Step ratings -1 < 0 < +1 as ordinal data; steps pair only where ranges agree. */
  stepRatingAlpha: AlphaResult;
  pairs: PairAgreement[];
}

export interface AdjudicationView {
  item: AnnotationItem;
  /** Every human annotator's labels on this rationale, by name. */
  annotations: RationaleAnnotation[];
  warnings: Record<string, ConsistencyWarning[]>;
  firstErrorStep: Record<string, number | null>;
  verdictCounts: Record<Verdict, number>;
  disagreement: boolean;
  suggestions: RationaleAnnotation | null;
  gold: GoldAnnotation | null;
  goldWarnings: ConsistencyWarning[];
}

export interface ScoreEntry {
  /** "checkers", "checker:<name>", an annotator's name, or "gold". */
  who: string;
  kind: 'checkers' | 'checker' | 'annotator' | 'gold';
  /** Rationales scored (an annotator is scored on the rationales they labelled). */
  items: number;
  report: ScoreReport;
}

export interface ScoreSummary {
  datasetId: number;
  versionId: number;
  /** Rationales in the version and how many carry injected errors. */
  rationales: number;
  withInjected: number;
  entries: ScoreEntry[];
}

export interface AnnotationExportReport {
  file: string;
  lines: number;
  annotators: string[];
  gold: number;
}

export interface ImportConflict {
  exampleId: string;
  completionIndex: number;
  annotator: string;
  reason: string;
}

export interface AnnotationImportReport {
  file: string;
  records: number;
  added: number;
  updated: number;
  unchanged: number;
  conflicts: ImportConflict[];
  /** Lines skipped because no completion of the dataset holds the annotated rationale (named one missing or with another text). */
  skipped: LocatedError[];
  /** Labels whose named example holds another text, written to the one completion holding the annotated rationale. */
  moved?: LocatedError[];
}

export interface AnnotatorSummary {
  annotator: string;
  /** 'machine' for the checkers' pseudo-annotator (AUTO_ANNOTATOR), 'human' for people. */
  kind: 'human' | 'machine';
  rationales: number;
  timeSpentMs: number;
  lastUpdated: string;
}

/** Pseudo-annotator prefix under which gold labels are exported: "@gold:<adjudicator>". */
export const GOLD_EXPORT_PREFIX = '@gold:';

// ---------------------------------------------------------------------------------------------
// What annotations.save takes: the label content only. The lab derives provenance (human /
// accepted / edited...), timestamps and each span's step from what was stored before, so a
// client cannot forge "accepted" or lose a creation time.

export interface VerdictInput {
  verdict: Verdict | null;
  answerSupported: AnswerSupport | null;
  endReason: EndReason | null;
}

export interface StepInput {
  start: number;
  end: number;
  rating: StepRating | null;
  errorType: ErrorType | null;
}

export interface SpanInput {
  /** Keep the id of an existing span or of the machine suggestion it came from; omit for a new span. */
  id?: string;
  start: number;
  end: number;
  errorType: ErrorType;
  comment?: string | null;
  correction?: string | null;
  /** Deleting a span = leaving it out, or sending it with deleted: true. */
  deleted?: boolean;
}

export interface LabelState {
  verdict: VerdictInput | null;
  /** The whole step layout in order (split points = where each step starts). */
  steps: StepInput[];
  spans: SpanInput[];
}
