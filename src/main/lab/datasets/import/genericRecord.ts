// One generic record (a JSONL line, a JSON array element or a CSV row, already a key->value
// object) turned into an ExampleInput through the column mapping, or into located problems.
import type { AnswerType, ExampleInput, InjectedError, TeacherCompletion } from '../../../../shared/types/dataset';
import { normalizeAnswer } from '../../../../shared/answers';
import type { ColumnMapping, ImportProblem } from './types';
import { parseChoicesFromQuestion } from './choices';
import { buildCompletion } from './teacher';
import { setOwn } from './valueCheck';
import {
  isPlainObject,
  readAnswerText,
  readAnswerType,
  readChoices,
  readId,
  readRequiredString,
  readSplit,
  type Read,
} from './fields';

export interface GenericRecordContext {
  file: string;
  line: number;
  mapping: ColumnMapping;
  /** User-forced type (wins over everything). */
  forcedType: AnswerType | null;
  /** Type inferred for the file, used when neither forced nor given per record. */
  inferredType: AnswerType;
  /** Id used when the record has none (file line based, unique within the import). */
  fallbackId: string;
  source: string;
}

export type RecordOutcome =
  { ok: true; example: ExampleInput } | { ok: false; problems: ImportProblem[]; externalId?: string };

export function genericRecordToExample(rec: unknown, ctx: GenericRecordContext): RecordOutcome {
  const problems: ImportProblem[] = [];
  const { file, line, mapping: m } = ctx;
  if (!isPlainObject(rec)) {
    return {
      ok: false,
      problems: [
        {
          file,
          line,
          reason: `record must be a JSON object, got ${Array.isArray(rec) ? 'array' : rec === null ? 'null' : typeof rec}`,
        },
      ],
    };
  }
  const take = <T>(field: string, r: Read<T>): T | undefined => {
    if (r.ok) return r.value;
    problems.push({ file, line, field, reason: r.reason });
    return undefined;
  };
  const question = take(m.question, readRequiredString(rec[m.question]));
  const answerRaw = take(m.answer, readAnswerText(rec[m.answer], true));
  const id = m.id ? take(m.id, readId(rec[m.id])) : null;
  let choices = m.choices ? take(m.choices, readChoices(rec[m.choices])) : null;
  const recordType = m.answer_type ? take(m.answer_type, readAnswerType(rec[m.answer_type])) : null;
  const split = m.split ? take(m.split, readSplit(rec[m.split])) : null;
  const rationales = m.rationale ? take(m.rationale, readRationales(rec[m.rationale])) : null;
  const teacherAnswers = m.teacher_answer ? take(m.teacher_answer, readTeacherAnswers(rec[m.teacher_answer])) : null;
  const externalId = id ?? ctx.fallbackId;
  if (problems.length > 0 || question === undefined || answerRaw === undefined || answerRaw === null) {
    return { ok: false, problems, externalId };
  }

  const answerType: AnswerType = ctx.forcedType ?? recordType ?? (choices ? 'choice' : ctx.inferredType);
  if (answerType === 'choice' && !choices) choices = parseChoicesFromQuestion(question)?.choices ?? null;
  const gold = normalizeAnswer(answerType, answerRaw, choices ?? null);
  if (gold === null) {
    const hint = answerType === 'choice' && choices ? ` (options A-${String.fromCharCode(64 + choices.length)})` : '';
    problems.push({
      file,
      line,
      field: m.answer,
      reason: `answer ${JSON.stringify(answerRaw)} is not a valid ${answerType} answer${hint}`,
    });
    return { ok: false, problems, externalId };
  }

  const completions: TeacherCompletion[] = [];
  const rats = rationales ?? [];
  const tans = teacherAnswers ?? [];
  if (tans.length > 1 && tans.length !== rats.length) {
    problems.push({
      file,
      line,
      field: m.teacher_answer,
      reason: `${tans.length} teacher answers for ${rats.length} rationales`,
    });
    return { ok: false, problems, externalId };
  }
  rats.forEach((rationale, k) => {
    completions.push(
      buildCompletion({
        rationale,
        teacherAnswerRaw: tans.length > 1 ? (tans[k] ?? null) : (tans[0] ?? null),
        source: rats.length > 1 ? `${ctx.source}#${k}` : ctx.source,
        answerType,
        gold,
        choices: choices ?? null,
      }),
    );
  });

  const used = new Set(Object.values(m).filter((v): v is string => typeof v === 'string'));
  // PST Lab's own generic export: completions, metadata, tags and exclusion come back exactly.
  const lab = m.rationale === undefined ? labRecord(rec, used) : null;
  if (lab?.problem) {
    problems.push({ file, line, field: lab.problem.field, reason: lab.problem.reason });
    return { ok: false, problems, externalId };
  }
  const metadata: Record<string, unknown> = lab ? lab.metadata : {};
  if (!lab) for (const [k, v] of Object.entries(rec)) if (!used.has(k) && v !== '' && v !== undefined) setOwn(metadata, k, v);

  return {
    ok: true,
    example: {
      externalId,
      question,
      answer: gold,
      answerType,
      choices: choices ?? null,
      completions: lab ? lab.completions : completions,
      split: split ?? null,
      tags: lab ? lab.tags : [],
      ...(lab?.excluded ? { excluded: true } : {}),
      metadata,
    },
  };
}

/** One rationale, or an array of them (several teacher samples). Empty means none. */
function readRationales(v: unknown): Read<string[] | null> {
  if (v === undefined || v === null || v === '') return { ok: true, value: null };
  if (typeof v === 'string') return { ok: true, value: v.trim() === '' ? null : [v] };
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return { ok: true, value: v as string[] };
  return { ok: false, reason: 'expected a string or an array of strings' };
}

function readTeacherAnswers(v: unknown): Read<(string | null)[] | null> {
  if (Array.isArray(v)) {
    const out: (string | null)[] = [];
    for (const x of v) {
      const r = readAnswerText(x, false);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  const r = readAnswerText(v, false);
  return r.ok ? { ok: true, value: r.value === null ? null : [r.value] } : r;
}

const LAB_KEYS = ['completions', 'metadata', 'tags', 'excluded'];

/**
 * The fields of a PST Lab generic export line (store/export.ts): `completions` as stored
 * ({rationale, teacherAnswer, source, correct, injected?}), `metadata` (an object), `tags`,
 * `excluded`. Null when the record is not one (then unmapped keys become metadata as usual).
 */
function labRecord(
  rec: Record<string, unknown>,
  used: ReadonlySet<string>,
):
  | {
      problem: { field: string; reason: string };
      completions?: never;
      metadata?: never;
      tags?: never;
      excluded?: never;
    }
  | {
      problem: null;
      completions: TeacherCompletion[];
      metadata: Record<string, unknown>;
      tags: string[];
      excluded: boolean;
    }
  | null {
  if (!Array.isArray(rec.completions) || !isPlainObject(rec.metadata)) return null;
  const extra = Object.keys(rec).filter((k) => !used.has(k) && !LAB_KEYS.includes(k));
  if (extra.length > 0) return null;
  const completions: TeacherCompletion[] = [];
  for (const [i, c] of (rec.completions as unknown[]).entries()) {
    const field = `completions[${i}]`;
    if (!isPlainObject(c)) return { problem: { field, reason: 'expected an object' } };
    const { rationale, teacherAnswer, source, correct, injected } = c;
    if (typeof rationale !== 'string') return { problem: { field: `${field}.rationale`, reason: 'expected a string' } };
    if (teacherAnswer !== null && typeof teacherAnswer !== 'string')
      return { problem: { field: `${field}.teacherAnswer`, reason: 'expected a string or null' } };
    if (typeof source !== 'string') return { problem: { field: `${field}.source`, reason: 'expected a string' } };
    if (correct !== null && typeof correct !== 'boolean')
      return { problem: { field: `${field}.correct`, reason: 'expected true, false or null' } };
    if (injected !== undefined && !Array.isArray(injected))
      return { problem: { field: `${field}.injected`, reason: 'expected an array' } };
    const out: TeacherCompletion = { rationale, teacherAnswer, source, correct };
    if (injected !== undefined) out.injected = injected as InjectedError[];
    completions.push(out);
  }
  const tags = rec.tags === undefined ? [] : rec.tags;
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))
    return { problem: { field: 'tags', reason: 'expected an array of strings' } };
  if (rec.excluded !== undefined && typeof rec.excluded !== 'boolean')
    return { problem: { field: 'excluded', reason: 'expected true or false' } };
  return {
    problem: null,
    completions,
    metadata: rec.metadata,
    tags: tags as string[],
    excluded: rec.excluded === true,
  };
}
