// Import and generation shapes that cross the contract (the importers' own types build on these).
import type { HallucinationType } from './dataset';
import type { VersionSummary } from './datasets';

export type ImportFormat = 'finetune-cot' | 'step-by-step' | 'zero-shot-cot-log' | 'jsonl' | 'json' | 'csv';
export const IMPORT_FORMATS: readonly ImportFormat[] = [
  'finetune-cot',
  'step-by-step',
  'zero-shot-cot-log',
  'jsonl',
  'json',
  'csv',
];

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
  parseMs: number;
  storeMs: number;
}

export interface GenerateReport {
  datasetId: number;
  name: string;
  version: VersionSummary;
  examples: number;
  hallucinated: number;
  settings: Record<string, unknown>;
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
}
