// Fine-tune-CoT (itsnamgyu/reasoning-teacher) files: a dataset file
// {"metadata":{"dataset_key":...},"data":[{sample_index,question,answer}]}, optional completion
// files {"metadata":...,"data":{"<sample_index>":[{completion_index,reasoning_completion,completion,...}]}}
// (several teacher samples per question) and an optional split file {"train":[...],"test":[...]}.
import { basename } from 'node:path';
import {
  ANSWER_TYPES,
  type AnswerType,
  type ExampleInput,
  type InjectedError,
  type Split,
  type TeacherCompletion,
} from '../../../../shared/types/dataset';
import { PST_LAB_FIELD } from '../../../../shared/types/importing';
import { normalizeAnswer } from '../../../../shared/answers';
import type { ImportProblem } from './types';
import type { ImportCollector } from './collector';
import type { ProgressTracker } from './progress';
import { readJsonDocument } from './jsonDocument';
import { pathKey, type ValueSpan } from './jsonScan';
import { answerTypeForTask } from './taskKeys';
import { inferAnswerType } from './inferAnswerType';
import { parseChoicesFromQuestion } from './choices';
import { buildCompletion } from './teacher';
import { setOwn } from './valueCheck';
import { isFinetunePromptRecord, parseFinetunePromptFiles } from './finetuneCotPrompts';
import { open } from 'node:fs/promises';

/** A JSON Lines file whose first line is a {"prompt", "completion"} fine-tune record. */
async function isPromptFile(file: string): Promise<boolean> {
  const fh = await open(file, 'r').catch(() => null);
  if (!fh) return false;
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const first =
      buf
        .subarray(0, bytesRead)
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .split('\n')[0] ?? '';
    try {
      return isFinetunePromptRecord(JSON.parse(first));
    } catch {
      return false;
    }
  } finally {
    await fh.close();
  }
}
import { isPlainObject, readAnswerText, readId, readOptionalString, readRequiredString, splitFromName } from './fields';
import { ImportError } from './errors';

export interface FinetuneCotArgs {
  files: string[];
  forcedType: AnswerType | null;
  maxRecordBytes: number;
  collector: ImportCollector;
  progress: ProgressTracker;
}

type Role = 'dataset' | 'completions' | 'split';
interface LoadedDoc {
  file: string;
  role: Role;
  value: Record<string, unknown>;
  spans: Map<string, ValueSpan>;
  text: string;
}

/** Which Fine-tune-CoT file a parsed JSON document is. */
export function finetuneCotRole(value: unknown): Role | null {
  if (!isPlainObject(value)) return null;
  if (Array.isArray(value.data)) return 'dataset';
  if (isPlainObject(value.data)) return 'completions';
  if (Array.isArray(value.train) || Array.isArray(value.test)) return 'split';
  return null;
}

export async function parseFinetuneCot(args: FinetuneCotArgs): Promise<string | null> {
  const { collector } = args;
  const promptFiles: string[] = [];
  const jsonFiles: string[] = [];
  for (const file of args.files) ((await isPromptFile(file)) ? promptFiles : jsonFiles).push(file);
  if (promptFiles.length > 0) {
    if (jsonFiles.length > 0)
      throw new ImportError(
        'Fine-tune-CoT fine-tune (prompt/completion) files and dataset/completion files do not mix; import them separately',
        jsonFiles[0]!,
      );
    await parseFinetunePromptFiles({ ...args, files: promptFiles });
    return null;
  }
  const docs: LoadedDoc[] = [];
  for (const file of args.files) {
    const doc = await readJsonDocument(file, 3);
    args.progress.advance(file, doc.bytes);
    if (!doc.ok) {
      collector.fileProblem(doc.problem);
      continue;
    }
    const role = finetuneCotRole(doc.value);
    if (!role) {
      collector.fileProblem({
        file,
        line: 1,
        reason:
          'not a Fine-tune-CoT file: expected {"metadata", "data": [...]} (dataset), {"data": {...}} (completions) or {"train": [...], "test": [...]} (split)',
      });
      continue;
    }
    docs.push({ file, role, value: doc.value as Record<string, unknown>, spans: doc.spans, text: doc.text });
  }
  const datasets = docs.filter((d) => d.role === 'dataset');
  const completionDocs = docs.filter((d) => d.role === 'completions');
  if (datasets.length > 1)
    throw new ImportError('more than one Fine-tune-CoT dataset file given; import them separately', datasets[1]!.file);
  if (datasets.length === 0 && completionDocs.length === 0) {
    if (collector.problems.length > 0) return null; // the unreadable file was probably the dataset
    throw new ImportError(
      'Fine-tune-CoT import needs the dataset file ({"metadata":..., "data": [...]}) or a completion file',
      args.files[0] ?? null,
    );
  }
  if (datasets.length === 0 && completionDocs.length > 1) {
    throw new ImportError(
      'several Fine-tune-CoT completion files without their dataset file; import one, or add the dataset file',
      completionDocs[1]!.file,
    );
  }
  const lineOf = (doc: LoadedDoc, ...path: (string | number)[]): number => doc.spans.get(pathKey(...path))?.line ?? 1;
  // Without the dataset file, a completion file's records carry question and answer themselves.
  const records: DataRecord[] = datasets[0]
    ? datasetRecords(datasets[0], lineOf)
    : completionRecords(completionDocs[0]!, lineOf);
  const datasetKey = readDatasetKey((datasets[0] ?? completionDocs[0]!).value);
  if (!datasets[0]) {
    collector.warn({
      file: completionDocs[0]!.file,
      line: 1,
      reason: 'no dataset file: questions and gold answers are read from the completion records',
    });
  }

  // Splits first, so every example carries its split when it is accepted.
  const splitOf = new Map<string, { split: Split; file: string; line: number }>();
  for (const doc of docs.filter((d) => d.role === 'split')) readSplitFile(doc, splitOf, collector);

  const answerType = args.forcedType ?? answerTypeForTask(datasetKey) ?? inferFromData(records.map((r) => r.rec));
  /** sample_index -> external id (they differ only for PST Lab's own exports of other sources). */
  const sampleIndexOf = new Map<string, string>();

  for (const { rec, file, line, bytes } of records) {
    collector.records++;
    const origin = { file, line };
    if (bytes > args.maxRecordBytes) {
      collector.reject(origin, [
        {
          ...origin,
          reason: `record is over the limit of ${args.maxRecordBytes} bytes per record (option maxRecordBytes)`,
        },
      ]);
      continue;
    }
    const problems: ImportProblem[] = [];
    if (!isPlainObject(rec)) {
      collector.reject(origin, [{ ...origin, reason: 'record must be a JSON object' }]);
      continue;
    }
    const take = <T>(field: string, r: { ok: true; value: T } | { ok: false; reason: string }): T | undefined => {
      if (r.ok) return r.value;
      problems.push({ ...origin, field, reason: r.reason });
      return undefined;
    };
    const id = take('sample_index', readId(rec.sample_index));
    const question = take('question', readRequiredString(rec.question));
    const answerRaw = take('answer', readAnswerText(rec.answer, true));
    if (id === null) problems.push({ ...origin, field: 'sample_index', reason: 'missing required field' });
    if (problems.length > 0 || !id || question === undefined || !answerRaw) {
      collector.reject(origin, problems, id ?? undefined);
      continue;
    }
    const lab = labFields(rec);
    const choices = lab
      ? lab.choices
      : answerType === 'choice'
        ? (parseChoicesFromQuestion(question)?.choices ?? null)
        : null;
    const type = lab ? lab.answerType : answerType;
    const gold = normalizeAnswer(type, answerRaw, choices);
    if (gold === null) {
      collector.reject(
        origin,
        [
          {
            ...origin,
            field: 'answer',
            reason: `answer ${JSON.stringify(answerRaw)} is not a valid ${type} answer${datasetKey ? ` for dataset_key "${datasetKey}"` : ''}`,
          },
        ],
        id,
      );
      continue;
    }
    let metadata: Record<string, unknown>;
    if (lab) metadata = lab.metadata;
    else {
      metadata = { source: 'finetune-cot' };
      if (datasetKey) metadata.datasetKey = datasetKey;
      for (const [k, v] of Object.entries(rec)) if (!DATA_FIELDS.includes(k)) setOwn(metadata, k, v);
    }
    const example: ExampleInput = {
      externalId: lab ? lab.externalId : id,
      question: lab ? lab.question : question,
      answer: gold,
      answerType: type,
      choices,
      completions: [],
      split: splitOf.get(id)?.split ?? null,
      tags: lab ? lab.tags : [],
      metadata,
    };
    if (lab?.excluded) example.excluded = true;
    if (collector.accept(example, origin)) sampleIndexOf.set(id, example.externalId);
  }

  // Split entries that name no example are located problems in the split file.
  for (const [id, at] of splitOf) {
    if (!sampleIndexOf.has(id) && !collector.wasRejected(id)) {
      const origin = { file: at.file, line: at.line };
      collector.reject(origin, [
        { ...origin, reason: `split lists sample_index ${id}, which is not in the dataset file` },
      ]);
    }
  }

  for (const doc of completionDocs) readCompletions(doc, args, lineOf, sampleIndexOf);
  return datasetKey;
}

function readDatasetKey(value: Record<string, unknown>): string | null {
  const md = value.metadata;
  if (isPlainObject(md) && typeof md.dataset_key === 'string') return md.dataset_key;
  return null;
}

function inferFromData(data: unknown[]): AnswerType {
  const samples = data.slice(0, 500).flatMap((r) => {
    if (!isPlainObject(r)) return [];
    const a = readAnswerText(r.answer, true);
    if (!a.ok || !a.value || typeof r.question !== 'string') return [];
    return [{ answer: a.value, choices: parseChoicesFromQuestion(r.question)?.choices ?? null }];
  });
  return inferAnswerType(samples);
}

function readSplitFile(
  doc: LoadedDoc,
  splitOf: Map<string, { split: Split; file: string; line: number }>,
  collector: ImportCollector,
): void {
  for (const [name, list] of Object.entries(doc.value)) {
    const split = splitFromName(name);
    const listLine = doc.spans.get(pathKey(name))?.line ?? 1;
    if (!split) {
      collector.fileProblem({
        file: doc.file,
        line: listLine,
        field: name,
        reason: `unknown split name ${JSON.stringify(name)} (expected train, val/valid/dev or test)`,
      });
      continue;
    }
    if (!Array.isArray(list)) {
      collector.fileProblem({
        file: doc.file,
        line: listLine,
        field: name,
        reason: 'expected an array of sample indices',
      });
      continue;
    }
    list.forEach((v, i) => {
      const line = doc.spans.get(pathKey(name, i))?.line ?? listLine;
      const id = readId(v);
      if (!id.ok || id.value === null) {
        collector.reject({ file: doc.file, line }, [
          {
            file: doc.file,
            line,
            field: name,
            reason: `split entries must be sample indices, got ${JSON.stringify(v)}`,
          },
        ]);
        return;
      }
      const prev = splitOf.get(id.value);
      if (prev) {
        collector.reject({ file: doc.file, line }, [
          {
            file: doc.file,
            line,
            field: name,
            reason: `sample_index ${id.value} is listed twice (first in "${prev.split}" at line ${prev.line})`,
          },
        ]);
        return;
      }
      splitOf.set(id.value, { split, file: doc.file, line });
    });
  }
}

function readCompletions(
  doc: LoadedDoc,
  args: FinetuneCotArgs,
  lineOf: (doc: LoadedDoc, ...path: (string | number)[]) => number,
  sampleIndexOf: ReadonlyMap<string, string>,
): void {
  const { collector } = args;
  const name = basename(doc.file);
  const data = doc.value.data as Record<string, unknown>;
  for (const [key, samples] of Object.entries(data)) {
    const keyLine = lineOf(doc, 'data', key);
    const externalId = sampleIndexOf.get(key);
    const example = externalId === undefined ? undefined : collector.get(externalId);
    if (!example) {
      if (!collector.wasRejected(key)) {
        collector.reject({ file: doc.file, line: keyLine }, [
          {
            file: doc.file,
            line: keyLine,
            field: 'sample_index',
            reason: `completions for sample_index ${key}, which is not in the dataset file`,
          },
        ]);
      }
      continue;
    }
    if (!Array.isArray(samples)) {
      collector.reject({ file: doc.file, line: keyLine }, [
        { file: doc.file, line: keyLine, reason: 'expected an array of completion samples' },
      ]);
      continue;
    }
    samples.forEach((s, i) => {
      const line = lineOf(doc, 'data', key, i);
      const origin = { file: doc.file, line };
      const span = doc.spans.get(pathKey('data', key, i));
      if (span && span.end - span.start > args.maxRecordBytes) {
        collector.reject(origin, [
          {
            ...origin,
            reason: `completion is over the limit of ${args.maxRecordBytes} bytes per record (option maxRecordBytes)`,
          },
        ]);
        return;
      }
      if (!isPlainObject(s)) {
        collector.reject(origin, [{ ...origin, reason: 'completion sample must be a JSON object' }]);
        return;
      }
      const problems: ImportProblem[] = [];
      const reasoning = readOptionalString(s.reasoning_completion);
      const completion = readOptionalString(s.completion);
      if (!reasoning.ok) problems.push({ ...origin, field: 'reasoning_completion', reason: reasoning.reason });
      if (!completion.ok) problems.push({ ...origin, field: 'completion', reason: completion.reason });
      if (s.sample_index !== undefined && String(s.sample_index) !== key) {
        problems.push({
          ...origin,
          field: 'sample_index',
          reason: `sample_index ${JSON.stringify(s.sample_index)} does not match its key "${key}"`,
        });
      }
      if (problems.length > 0 || !reasoning.ok || !completion.ok) {
        collector.reject(origin, problems);
        return;
      }
      const lab = labCompletion(s);
      if (lab) {
        example.completions.push(lab);
        return;
      }
      // Zero-shot-CoT teacher files hold the rationale in reasoning_completion and the answer
      // extraction in completion; without the former the completion is the rationale itself.
      const rationale = (reasoning.value ?? completion.value ?? '').trim();
      if (rationale === '') {
        collector.reject(origin, [
          { ...origin, field: 'reasoning_completion', reason: 'completion sample has no rationale text' },
        ]);
        return;
      }
      const ci = typeof s.completion_index === 'number' ? s.completion_index : i;
      example.completions.push(
        buildCompletion({
          rationale,
          teacherAnswerRaw: completion.value,
          source: `finetune-cot:${name}#${ci}`,
          answerType: example.answerType,
          gold: example.answer,
          choices: example.choices,
        }),
      );
    });
  }
}

interface DataRecord {
  rec: unknown;
  file: string;
  line: number;
  bytes: number;
}

/** Fields of a dataset record that are not kept as metadata. */
const DATA_FIELDS = ['sample_index', 'question', 'answer', PST_LAB_FIELD];

function datasetRecords(ds: LoadedDoc, lineOf: (doc: LoadedDoc, ...path: (string | number)[]) => number): DataRecord[] {
  return (ds.value.data as unknown[]).map((rec, idx) => {
    const span = ds.spans.get(pathKey('data', idx));
    return { rec, file: ds.file, line: lineOf(ds, 'data', idx), bytes: span ? span.end - span.start : 0 };
  });
}

/** One record per sample_index from a completion file: its first sample's question and answer. */
function completionRecords(
  doc: LoadedDoc,
  lineOf: (doc: LoadedDoc, ...path: (string | number)[]) => number,
): DataRecord[] {
  return Object.entries(doc.value.data as Record<string, unknown>).map(([key, samples]) => {
    const first: unknown = Array.isArray(samples) ? samples[0] : undefined;
    const line = lineOf(doc, 'data', key, 0);
    const base = isPlainObject(first) ? first : {};
    const rec: Record<string, unknown> = { sample_index: key, question: base.question, answer: base.answer };
    return { rec, file: doc.file, line, bytes: 0 };
  });
}

// PST Lab's own Fine-tune-CoT export carries the lab's exact fields under PST_LAB_FIELD, so
// re-importing it gives back the same content (ids, question, choices, metadata, completions).
interface LabExample {
  externalId: string;
  question: string;
  answerType: AnswerType;
  choices: string[] | null;
  tags: string[];
  excluded: boolean;
  metadata: Record<string, unknown>;
}

function labFields(rec: Record<string, unknown>): LabExample | null {
  const lab = rec[PST_LAB_FIELD];
  if (!isPlainObject(lab)) return null;
  const { externalId, question, answerType, choices, tags, excluded, metadata } = lab;
  if (
    typeof externalId !== 'string' ||
    typeof question !== 'string' ||
    typeof answerType !== 'string' ||
    !isPlainObject(metadata)
  )
    return null;
  if (!(ANSWER_TYPES as readonly string[]).includes(answerType)) return null;
  const list = (v: unknown): string[] | null =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  return {
    externalId,
    question,
    answerType: answerType as AnswerType,
    choices: list(choices),
    tags: list(tags) ?? [],
    excluded: excluded === true,
    metadata,
  };
}

function labCompletion(s: Record<string, unknown>): TeacherCompletion | null {
  const lab = s[PST_LAB_FIELD];
  if (!isPlainObject(lab)) return null;
  const { rationale, teacherAnswer, source, correct, injected } = lab;
  if (typeof rationale !== 'string' || typeof source !== 'string') return null;
  if (teacherAnswer !== null && typeof teacherAnswer !== 'string') return null;
  if (correct !== null && typeof correct !== 'boolean') return null;
  const out: TeacherCompletion = { rationale, teacherAnswer, source, correct };
  if (Array.isArray(injected)) out.injected = injected as InjectedError[];
  return out;
}
