// Import and generation shapes that cross the contract (the importers' own types build on these).
import type { HallucinationType } from './dataset';
import type { VersionSummary } from './datasets';

export type ImportFormat = 'finetune-cot' | 'step-by-step' | 'zero-shot-cot-log' | 'jsonl' | 'json' | 'csv';
export const IMPORT_FORMATS = [
  'finetune-cot',
  'step-by-step',
  'zero-shot-cot-log',
  'jsonl',
  'json',
  'csv',
] as const satisfies readonly ImportFormat[];

/** Generic formats: which column/key holds each field. Only question and answer are required. */
export interface ColumnMapping {
  question: string;
  answer: string;
  rationale?: string;
  teacher_answer?: string;
  choices?: string;
  id?: string;
  split?: string;
  answer_type?: string;
}
export const MAPPING_FIELDS: readonly (keyof ColumnMapping)[] = [
  'question',
  'answer',
  'rationale',
  'teacher_answer',
  'choices',
  'id',
  'split',
  'answer_type',
];

export interface LocatedProblem {
  file: string;
  line: number;
  field?: string;
  reason: string;
}

export interface DetectReport {
  format: ImportFormat;
  confidence: number;
  reason: string;
  files: { path: string; role: string }[];
  suggestedMapping?: Partial<ColumnMapping>;
  columns?: string[];
}

export interface ImportReport {
  datasetId: number;
  name: string;
  format: ImportFormat;
  version: VersionSummary;
  examples: number;
  /** skipInvalid: the records left out and why. */
  skipped: LocatedProblem[];
  warnings: LocatedProblem[];
  /** What the import summary shows besides the counts of the version (docs/methods.md, "Importing teacher files"). */
  summary?: { completions: number; withoutRationale: number; teacherNoAnswer: number; teacherHedged: number };
  parseMs: number;
  storeMs: number;
}

/**
 * How much of a generated dataset can be answered from memory (docs/methods.md, "Compositional
 * split"). A pattern is the structure that decides the answer (coin flip: the flip sequence).
 */
export interface SyntheticPatternReport {
  split: 'random' | 'compositional';
  /** What a pattern is for this task. */
  definition: string;
  /** Distinct patterns the settings can produce for train/val items and for test items. */
  possible: { trainVal: number; test: number };
  /** Items per split. */
  items: { train: number; val: number; test: number };
  /** Distinct patterns among the training items. */
  inTraining: number;
  /** Distinct patterns among the test items. */
  inTest: number;
  /** Validation / test items whose pattern also occurs among the training items. */
  valSeenInTraining: number;
  testSeenInTraining: number;
}

export interface GenerateReport {
  datasetId: number;
  name: string;
  version: VersionSummary;
  examples: number;
  hallucinated: number;
  settings: Record<string, unknown>;
  patterns: SyntheticPatternReport;
  elapsedMs: number;
}

export type ExportLayout = 'generic' | 'finetune-cot';

/**
 * Key under which PST Lab's Fine-tune-CoT export keeps each record's exact lab fields (id,
 * question, choices, metadata; per completion: source, correctness, injected errors), so a
 * re-import is lossless. Other tools ignore the extra key.
 */
export const PST_LAB_FIELD = 'pst_lab';

export interface ExportReport {
  files: string[];
  examples: number;
  layout: ExportLayout;
}

export interface SyntheticTaskDescription {
  name: string;
  description: string;
  answerType: string;
  hallucinationTypes: Partial<Record<HallucinationType, string>>;
  /** What the size options count and their default / allowed ranges. */
  size: { unit: string; defaultMin: number; defaultMax: number; allowedMin: number; allowedMax: number };
  /** What a pattern is for this task (see SyntheticPatternReport). */
  patternDefinition: string;
}
