// Public shapes of the dataset import layer: options in, validated examples plus located problems
// out. The importers never touch storage; the caller decides what to do with an ImportResult.
import type { AnswerType, ExampleInput } from '../../../../shared/types/dataset';

// The format list and the column mapping cross the contract, so they live in src/shared.
export {
  IMPORT_FORMATS,
  MAPPING_FIELDS,
  type ColumnMapping,
  type ImportFormat,
} from '../../../../shared/types/importing';
import type { ColumnMapping, ImportFormat } from '../../../../shared/types/importing';

/** What one input file is for, as decided by detection (and then by the format's parser). */
export type FileRole =
  | 'finetune-cot-dataset'
  | 'finetune-cot-completions'
  | 'finetune-cot-split'
  | 'finetune-cot-prompts'
  | 'step-by-step-data'
  | 'step-by-step-llm'
  | 'zero-shot-cot-log'
  | 'records'
  | 'ignored';

export interface ImportProgress {
  file: string;
  /** Bytes consumed so far over all files of the import. */
  bytesRead: number;
  /** Sum of the sizes of all files of the import. */
  totalBytes: number;
}

export interface ImportOptions {
  /** Forces a format; auto-detected when absent (see detectFormat). */
  format?: ImportFormat;
  /** Generic formats only: overrides (merged over) the auto-detected column mapping. */
  mapping?: Partial<ColumnMapping>;
  /** Forces one answer type for every example (otherwise per task key, per record, or inferred). */
  answerType?: AnswerType;
  /** Return the valid records and list the skipped ones instead of refusing the whole import. */
  skipInvalid?: boolean;
  /** Largest accepted record (a line, a CSV row, a JSON array element, a log block). Default 1 MiB. */
  maxRecordBytes?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/**
 * One located problem. `line` is the 1-based line of the file where the offending record starts
 * (for whole-JSON files: where the record's value starts). `field` names the record field when
 * the problem is about one field.
 */
export interface ImportProblem {
  file: string;
  line: number;
  field?: string;
  reason: string;
}

export interface SkippedRecord {
  file: string;
  line: number;
}

export interface ImportStats {
  files: number;
  bytes: number;
  /** Records seen in the primary data files (valid + invalid). */
  records: number;
  examples: number;
  completions: number;
  /** Completions whose teacher answer matches gold / has a teacher answer at all. */
  teacherCorrect: number;
  teacherAnswered: number;
  /** Examples that came with no teacher completion at all. */
  withoutRationale: number;
  /** Completions with no teacher answer (counted wrong in teacher accuracy). */
  teacherNoAnswer: number;
  /** Completions whose teacher answer names several candidates (counted wrong, warned). */
  teacherHedged: number;
  elapsedMs: number;
}

export interface ImportResult {
  format: ImportFormat;
  /**
   * True when the import may be committed: no problems, or skipInvalid was set and every problem
   * is about single records (a whole-file problem such as a truncated JSON document or an
   * unclosed CSV quote always blocks). When false,
   * `examples` is empty (all-or-nothing) and `problems` lists every problem found.
   */
  ok: boolean;
  examples: ExampleInput[];
  /** Every invalid record / file-level problem found (also when skipInvalid is set). */
  problems: ImportProblem[];
  /** Non-blocking notes, e.g. a teacher output whose rationale could not be separated. */
  warnings: ImportProblem[];
  /** skipInvalid only: the records left out, one entry per record. */
  skipped: SkippedRecord[];
  /** Task key found in the files (Fine-tune-CoT dataset_key, log dataset=..., step-by-step name). */
  datasetKey: string | null;
  /** Generic formats: the mapping actually used. */
  mapping: ColumnMapping | null;
  stats: ImportStats;
}

export interface DetectedFile {
  path: string;
  role: FileRole;
}

export interface DetectResult {
  format: ImportFormat;
  /** 0..1: 1 for an unambiguous signature, lower for extension-only guesses. */
  confidence: number;
  reason: string;
  files: DetectedFile[];
  /** Generic formats: the mapping guessed from the column names found. */
  suggestedMapping?: Partial<ColumnMapping>;
  /** Generic formats: the column / key names seen in the first records. */
  columns?: string[];
}
