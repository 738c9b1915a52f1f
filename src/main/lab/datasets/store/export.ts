// Exports a version. Generic layout: one JSON object per line (re-importable as JSONL). Fine-tune-CoT
// layout: its dataset, completion and split files. Files are written to a temporary name and
// renamed into place, so a failed export never leaves a half-written file behind.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/database';
import { LabError } from '../../errors';
import { writeFileAtomic } from '../../fsAtomic';
import type { ExampleColumns, MemberColumns } from './columns';
import { PST_LAB_FIELD, type ExportLayout, type ExportReport } from '../../../../shared/types/importing';
import { readCompletions } from './examples';
import { resolveVersion } from './versions';
import type { VersionRef } from '../../../../shared/types/datasets';

type MemberRow = Omit<ExampleColumns, 'dataset_id'> & MemberColumns;

function* members(db: Db, versionId: number, includeExcluded: boolean): Generator<MemberRow> {
  yield* db
    .prepare(
      `SELECT e.id, e.external_id, ve.position, e.question, e.answer, e.answer_type, e.choices, e.metadata, ve.split, ve.excluded, ve.tags
       FROM version_examples ve JOIN examples e ON e.id = ve.example_id
       WHERE ve.version_id = ? ${includeExcluded ? '' : 'AND ve.excluded = 0'} ORDER BY ve.position`,
    )
    .iterate(versionId) as IterableIterator<MemberRow>;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Fine-tune-CoT verbalises choices inside the question. */
function verbalise(question: string, choices: string[] | null): string {
  if (!choices || /Answer choices:/i.test(question)) return question;
  return `${question} Answer choices: ${choices.map((c, i) => `(${LETTERS[i]}) ${c}`).join(', ')}.`;
}

export interface ExportOptions {
  dataset: number;
  datasetName: string;
  version?: VersionRef;
  layout: ExportLayout;
  out: string;
  includeExcluded?: boolean;
}

export function exportVersion(db: Db, o: ExportOptions): ExportReport {
  const v = resolveVersion(db, o.dataset, o.version ?? 'head');
  const out = path.resolve(o.out);
  if (fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new LabError('INVALID_INPUT', `${out} is a folder; give a file name`);
  let count = 0;
  if (o.layout === 'generic') {
    // Every field and every completion, as stored: re-importing gives the same content hash
    // (genericRecord.ts reads these records back exactly).
    writeFileAtomic(
      out,
      (function* () {
        for (const m of members(db, v.id, o.includeExcluded ?? false)) {
          count++;
          yield JSON.stringify({
            id: m.external_id,
            question: m.question,
            answer: m.answer,
            answer_type: m.answer_type,
            choices: m.choices ? (JSON.parse(m.choices) as string[]) : null,
            split: m.split,
            tags: JSON.parse(m.tags) as string[],
            excluded: m.excluded === 1,
            completions: readCompletions(db, m.id),
            metadata: JSON.parse(m.metadata) as unknown,
          }) + '\n';
        }
      })(),
    );
    return { files: [out], examples: count, layout: 'generic' };
  }
  // Fine-tune-CoT: <out> is the dataset file; the completion and split files sit beside it.
  // sample_index is the example's own id when that is a whole number (Fine-tune-CoT ids are),
  // else its position; the exact lab fields ride along under PST_LAB_FIELD.
  const base = out.replace(/\.json$/i, '');
  const completionsFile = `${base}.completions.json`;
  const splitFile = `${base}.split.json`;
  const rows = [...members(db, v.id, o.includeExcluded ?? false)];
  const numericIds = rows.every((m) => /^(0|[1-9]\d{0,14})$/.test(m.external_id));
  const data: Record<string, unknown>[] = [];
  const completionData: Record<string, unknown[]> = {};
  const splits: Record<string, number[]> = { train: [], test: [] };
  for (const m of rows) {
    const index = numericIds ? Number(m.external_id) : count;
    count++;
    const choices = m.choices ? (JSON.parse(m.choices) as string[]) : null;
    const question = verbalise(m.question, choices);
    const lab = {
      externalId: m.external_id,
      question: m.question,
      answerType: m.answer_type,
      choices,
      tags: JSON.parse(m.tags) as string[],
      excluded: m.excluded === 1,
      metadata: JSON.parse(m.metadata) as unknown,
    };
    data.push({ sample_index: index, question, answer: m.answer, [PST_LAB_FIELD]: lab });
    completionData[String(index)] = readCompletions(db, m.id).map((c, ci) => ({
      sample_index: index,
      completion_index: ci,
      question,
      answer: m.answer,
      reasoning_prompt: `Q: ${question}\nA: Let's think step by step.`,
      reasoning_completion: c.rationale,
      completion: c.teacherAnswer === null ? '' : ` ${c.teacherAnswer}`,
      finish_reason: 'stop',
      [PST_LAB_FIELD]: c,
    }));
    if (m.split) (splits[m.split] ??= []).push(index);
  }
  const metadata = { dataset_key: o.datasetName, exported_by: 'pst-lab', version: v.number };
  writeFileAtomic(out, [JSON.stringify({ metadata, data })]);
  writeFileAtomic(completionsFile, [JSON.stringify({ metadata, data: completionData })]);
  writeFileAtomic(splitFile, [JSON.stringify(splits)]);
  return { files: [out, completionsFile, splitFile], examples: count, layout: 'finetune-cot' };
}
