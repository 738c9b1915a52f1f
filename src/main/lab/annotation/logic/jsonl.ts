// Annotation export/import as JSON Lines: one line per (rationale, annotator) with every label's
// provenance and timestamps, so machine pre-labels stay distinguishable from human labels after a
// round trip through files. Parsing validates every line and reports every problem with its
// source, line, field path and reason instead of stopping at the first.
//
// Line shape (version 1):
// {"format":"pst-lab-annotation","version":1,"dataset":"gsm8k-small","exampleId":"12",
//  "completionIndex":0,"annotator":"alice","rationaleFingerprint":"…","verdict":{…}|null,
//  "steps":[{start,end,rating,errorType,provenance,createdAt,updatedAt,suggestion?}],
//  "spans":[{id,start,end,step,errorType,comment,correction,deleted,provenance,…}],
//  "timeSpentMs":5300,"createdAt":"2025-…Z","updatedAt":"2025-…Z"}
import { z } from 'zod';
import { annotationKey } from './merge';
import { ANSWER_SUPPORTS, CHECKER_NAMES, END_REASONS, ERROR_TYPES, PROVENANCES, VERDICTS, type RationaleAnnotation } from './types';
import type { LocatedError } from './types';

export const ANNOTATION_FORMAT = 'pst-lab-annotation';
export const ANNOTATION_FORMAT_VERSION = 1;

const timestamp = z.iso.datetime({ offset: true });
const offset = z.number().int().nonnegative();
const errorType = z.enum(ERROR_TYPES);

const suggestionSchema = z.strictObject({
  checker: z.enum(CHECKER_NAMES),
  confidence: z.number().min(0).max(1),
  message: z.string(),
});

const meta = {
  provenance: z.enum(PROVENANCES),
  createdAt: timestamp,
  updatedAt: timestamp,
  suggestion: suggestionSchema.optional(),
};

const verdictSchema = z.strictObject({
  verdict: z.enum(VERDICTS).nullable(),
  answerSupported: z.enum(ANSWER_SUPPORTS).nullable(),
  endReason: z.enum(END_REASONS).nullable(),
  ...meta,
});

const stepSchema = z.strictObject({
  start: offset,
  end: offset,
  rating: z.union([z.literal(1), z.literal(0), z.literal(-1)], { error: 'must be 1 (correct), 0 (neutral), -1 (incorrect) or null' }).nullable(),
  errorType: errorType.nullable(),
  ...meta,
});

const spanSchema = z.strictObject({
  id: z.string().min(1),
  start: offset,
  end: offset,
  step: z.number().int().min(-1),
  errorType,
  comment: z.string().nullable(),
  correction: z.string().nullable(),
  deleted: z.boolean(),
  ...meta,
});

const lineSchema = z.strictObject({
  format: z.literal(ANNOTATION_FORMAT),
  version: z.literal(ANNOTATION_FORMAT_VERSION),
  dataset: z.string().min(1).nullable(),
  exampleId: z.string().min(1),
  completionIndex: z.number().int().nonnegative(),
  annotator: z.string().min(1),
  rationaleFingerprint: z.string().min(1),
  verdict: verdictSchema.nullable(),
  steps: z.array(stepSchema),
  spans: z.array(spanSchema),
  timeSpentMs: z.number().nonnegative(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export interface AnnotationRecord {
  /** Dataset name the export came from (informational; the importer decides the target). */
  dataset: string | null;
  annotation: RationaleAnnotation;
}

export function formatLocatedError(e: LocatedError): string {
  return `${e.source}:${e.line}${e.field ? `: ${e.field}` : ''}: ${e.reason}`;
}

/** Stable key order for a line: the fields people read first come first. */
export function serializeAnnotation(annotation: RationaleAnnotation, dataset: string | null = null): string {
  const { exampleId, completionIndex, annotator, rationaleFingerprint, verdict, steps, spans, timeSpentMs, createdAt, updatedAt } = annotation;
  return JSON.stringify({
    format: ANNOTATION_FORMAT,
    version: ANNOTATION_FORMAT_VERSION,
    dataset,
    exampleId,
    completionIndex,
    annotator,
    rationaleFingerprint,
    verdict,
    steps,
    spans,
    timeSpentMs,
    createdAt,
    updatedAt,
  });
}

export function serializeAnnotationsJsonl(annotations: readonly RationaleAnnotation[], dataset: string | null = null): string {
  return annotations.map((a) => serializeAnnotation(a, dataset)).join('\n') + (annotations.length > 0 ? '\n' : '');
}

function pathToField(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

/** Checks that the schema cannot express: ordered ranges, step indices in range, unique span ids. */
function semanticErrors(a: RationaleAnnotation): { field: string; reason: string }[] {
  const out: { field: string; reason: string }[] = [];
  let prevEnd = 0;
  a.steps.forEach((s, i) => {
    if (s.end <= s.start) out.push({ field: `steps[${i}]`, reason: `end (${s.end}) must be greater than start (${s.start})` });
    else if (s.start < prevEnd) out.push({ field: `steps[${i}].start`, reason: `steps must be in order and not overlap (previous step ends at ${prevEnd})` });
    prevEnd = Math.max(prevEnd, s.end);
  });
  const ids = new Map<string, number>();
  a.spans.forEach((s, i) => {
    if (s.end <= s.start) out.push({ field: `spans[${i}]`, reason: `end (${s.end}) must be greater than start (${s.start})` });
    if (s.step >= a.steps.length && a.steps.length > 0) out.push({ field: `spans[${i}].step`, reason: `step ${s.step} does not exist (${a.steps.length} steps)` });
    const dup = ids.get(s.id);
    if (dup !== undefined) out.push({ field: `spans[${i}].id`, reason: `duplicate span id (same as spans[${dup}])` });
    else ids.set(s.id, i);
  });
  if (Date.parse(a.updatedAt) < Date.parse(a.createdAt)) out.push({ field: 'updatedAt', reason: 'is earlier than createdAt' });
  return out;
}

export interface ParseResult {
  records: AnnotationRecord[];
  errors: LocatedError[];
}

/**
 * Parses an annotation JSONL file. Blank lines are skipped. Invalid lines are reported and left
 * out; a line repeating an earlier line's (example, completion, annotator) is an error too.
 */
export function parseAnnotationsJsonl(text: string, source = '<input>'): ParseResult {
  const records: AnnotationRecord[] = [];
  const errors: LocatedError[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      errors.push({ source, line, field: '', reason: `not valid JSON (${(e as Error).message})` });
      return;
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ source, line, field: pathToField(issue.path), reason: issue.message });
      return;
    }
    const { format: _f, version: _v, dataset, ...rest } = parsed.data;
    const annotation = rest as RationaleAnnotation;
    const problems = semanticErrors(annotation);
    if (problems.length > 0) {
      for (const p of problems) errors.push({ source, line, ...p });
      return;
    }
    const key = annotationKey(annotation);
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ source, line, field: '', reason: `duplicate of line ${first}: same example, completion and annotator` });
      return;
    }
    seen.set(key, line);
    records.push({ dataset, annotation });
  });
  return { records, errors };
}

/** Like parseAnnotationsJsonl but throws one error listing every problem. */
export function parseAnnotationsJsonlStrict(text: string, source = '<input>'): AnnotationRecord[] {
  const { records, errors } = parseAnnotationsJsonl(text, source);
  if (errors.length > 0) {
    const shown = errors.slice(0, 20).map(formatLocatedError);
    const more = errors.length > 20 ? `\n... and ${errors.length - 20} more` : '';
    throw new Error(`invalid annotation file (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${shown.join('\n')}${more}`);
  }
  return records;
}
