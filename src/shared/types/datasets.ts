// Shapes of dataset channels: summaries, versions, example rows and queries.
import type { AnswerType, Split, TeacherCompletion } from './dataset';
import type { AnnotationStatus } from './annotations';

export interface SplitCounts {
  train: number;
  val: number;
  test: number;
  none: number;
}

export interface VersionStats {
  examples: number;
  excluded: number;
  splits: SplitCounts;
  completions: number;
  /** Completions whose teacher answer was compared with gold, and how many matched. */
  teacherJudged: number;
  teacherCorrect: number;
  /**
   * Completions without a teacher answer (counted wrong: teacher accuracy = correct / (judged +
   * no answer)) and completions with an answer but no independent gold to judge it by (left out).
   * Absent in versions committed before these were counted.
   */
  teacherNoAnswer?: number;
  teacherUnjudged?: number;
  /** Examples with at least one synthetic injected error. */
  hallucinated: number;
  /** Whether hallucinations were measured at all (synthetic ground truth); false: "unknown". */
  hallucinationKnown?: boolean;
  answerTypes: Partial<Record<AnswerType, number>>;
}

/** What a version changed relative to its parent. */
export interface VersionChanges {
  added: number;
  removed: number;
  edited: number;
  splitChanged: number;
  excludedChanged: number;
  tagsChanged: number;
}

export interface VersionSummary {
  id: number;
  datasetId: number;
  /** 1, 2, 3...; null for the open draft. */
  number: number | null;
  contentHash: string | null;
  message: string;
  changes: VersionChanges;
  stats: VersionStats;
  createdAt: string;
  committedAt: string | null;
  parentNumber: number | null;
  /** A draft whose content equals its parent version's (its edits cancel out): nothing to commit.
   *  Always false for committed versions. */
  unchanged: boolean;
}

export interface DatasetSummary {
  id: number;
  name: string;
  description: string;
  /** Import format or "synthetic:<task>". */
  source: string;
  createdAt: string;
  headVersion: VersionSummary | null;
  versionCount: number;
  hasDraft: boolean;
}

/** Which version to read: a committed number, the open draft, or 'head' (draft if open, else latest). */
export type VersionRef = number | 'draft' | 'head';

export type ExampleSort = 'position' | 'question' | 'answer' | 'length' | 'teacher';

export interface ExampleQuery {
  dataset: number;
  version?: VersionRef;
  search?: string;
  split?: Split | 'none';
  teacherCorrect?: boolean;
  excluded?: boolean;
  tag?: string;
  hallucinated?: boolean;
  /** Annotation status (the rule is documented at AnnotationStatus). */
  annotationStatus?: AnnotationStatus;
  minLength?: number;
  maxLength?: number;
  sort?: ExampleSort;
  desc?: boolean;
  offset?: number;
  limit?: number;
}

export interface ExampleRow {
  /** Revision id: changes when the example is edited. */
  id: number;
  externalId: string;
  position: number;
  question: string;
  answer: string;
  answerType: AnswerType;
  split: Split | null;
  excluded: boolean;
  tags: string[];
  completionCount: number;
  /** Completions with a correct teacher answer / judged completions; null when none judged. */
  teacherCorrect: number | null;
  teacherJudged: number;
  /** Length in characters of question + first rationale (the length filter and sort use it). */
  length: number;
  hallucinated: boolean;
  /** Human/machine annotation status of the example's rationales (see AnnotationStatus). */
  annotationStatus: AnnotationStatus;
}

export interface ExamplePage {
  versionId: number;
  total: number;
  rows: ExampleRow[];
}

export interface ExampleDetail extends ExampleRow {
  choices: string[] | null;
  metadata: Record<string, unknown>;
  completions: TeacherCompletion[];
  /** Earlier revisions of this example, newest first (ids). */
  history: number[];
}

export interface DuplicateGroup {
  kind: 'exact' | 'normalised';
  /** Example revision ids in dataset order; the first is the one kept by "keep first". */
  exampleIds: number[];
  question: string;
  /** Each member's split (null: unassigned), in the order of exampleIds. */
  splits: (Split | null)[];
  /** Members sit in more than one of train / val / test: the same question is trained on and
   *  evaluated (leakage). */
  crossSplit: boolean;
}
