// Generic JSONL / JSON array / CSV import: records -> mapping -> ExampleInput. The first records
// are buffered to guess the mapping and the answer type, then everything streams.
import { basename } from 'node:path';
import type { AnswerType } from '../../../../shared/types/dataset';
import type { ColumnMapping, ImportFormat } from './types';
import type { ImportCollector } from './collector';
import type { ProgressTracker } from './progress';
import { csvRecords, jsonArrayRecords, jsonlRecords, type SourceItem, type SourceOptions } from './recordSources';
import { resolveMapping, suggestMapping } from './mapping';
import { inferAnswerType, type AnswerSample } from './inferAnswerType';
import { genericRecordToExample } from './genericRecord';
import { isPlainObject, readAnswerText, readChoices } from './fields';
import { parseChoicesFromQuestion } from './choices';

/** How many records are looked at before deciding the mapping and inferred answer type. */
const SAMPLE_RECORDS = 500;

export interface GenericArgs {
  format: Extract<ImportFormat, 'jsonl' | 'json' | 'csv'>;
  files: string[];
  mapping?: Partial<ColumnMapping>;
  forcedType: AnswerType | null;
  maxRecordBytes: number;
  collector: ImportCollector;
  progress: ProgressTracker;
}

export function recordSource(format: GenericArgs['format'], file: string, opts: SourceOptions): AsyncGenerator<SourceItem[]> {
  if (format === 'jsonl') return jsonlRecords(file, opts);
  if (format === 'json') return jsonArrayRecords(file, opts);
  return csvRecords(file, opts);
}

export async function parseGeneric(args: GenericArgs): Promise<ColumnMapping | null> {
  const { collector } = args;
  let mapping: ColumnMapping | null = null;
  let inferredType: AnswerType = 'text';
  const multi = args.files.length > 1;

  for (const file of args.files) {
    const name = basename(file);
    const source = `${args.format}:${name}`;
    const handle = (item: SourceItem): void => {
      if (item.kind === 'file-problem') {
        collector.fileProblem(item.problem);
        return;
      }
      collector.records++;
      if (item.kind === 'bad-record') {
        collector.reject(item.problem, [item.problem]);
        return;
      }
      const outcome = genericRecordToExample(item.value, {
        file,
        line: item.line,
        mapping: mapping!,
        forcedType: args.forcedType,
        inferredType,
        fallbackId: multi ? `${name}:${item.line}` : String(item.line),
        source,
      });
      if (outcome.ok) collector.accept(outcome.example, { file, line: item.line });
      else collector.reject({ file, line: item.line }, outcome.problems, outcome.externalId);
    };

    let pending: SourceItem[] | null = mapping ? null : [];
    const flushPending = (): void => {
      if (!pending) return;
      const records = pending.filter((i): i is Extract<SourceItem, { kind: 'record' }> => i.kind === 'record');
      const columns = new Set<string>();
      for (const r of records) if (isPlainObject(r.value)) for (const k of Object.keys(r.value)) columns.add(k);
      // With nothing readable there is nothing to map: the file problems say why.
      if (records.length > 0 || args.mapping) {
        mapping = resolveMapping(suggestMapping([...columns]), args.mapping, file, [...columns]);
        inferredType = inferFromRecords(records.map((r) => r.value), mapping);
      }
      const items = pending;
      pending = null;
      if (mapping) for (const it of items) handle(it);
      else for (const it of items) if (it.kind !== 'record') handle(it);
    };

    for await (const batch of recordSource(args.format, file, { maxRecordBytes: args.maxRecordBytes, progress: args.progress })) {
      if (pending) {
        pending.push(...batch);
        if (pending.filter((i) => i.kind === 'record').length >= SAMPLE_RECORDS) flushPending();
      } else for (const it of batch) handle(it);
    }
    flushPending();
  }
  return mapping;
}

function inferFromRecords(values: unknown[], mapping: ColumnMapping): AnswerType {
  const samples: AnswerSample[] = [];
  for (const v of values) {
    if (!isPlainObject(v)) continue;
    const a = readAnswerText(v[mapping.answer], true);
    if (!a.ok || a.value === null) continue;
    let choices: string[] | null = null;
    if (mapping.choices) {
      const c = readChoices(v[mapping.choices]);
      if (c.ok) choices = c.value;
    }
    const q = v[mapping.question];
    if (!choices && typeof q === 'string') choices = parseChoicesFromQuestion(q)?.choices ?? null;
    samples.push({ answer: a.value, choices });
  }
  return inferAnswerType(samples);
}
