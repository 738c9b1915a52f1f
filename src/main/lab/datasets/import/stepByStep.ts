// Distilling step-by-step (google-research/distilling-step-by-step) layout:
//   datasets/<name>/<name>_{train,test,valid}.json   JSON Lines, one example per line
//   datasets/<name>/llm/<split>_CoT_<i>.json         JSON array of raw teacher strings, one per
//                                                    row of <split> in order, batch i after i-1
import { basename } from 'node:path';
import type { AnswerType, ExampleInput, Split } from '../../../../shared/types/dataset';
import { normalizeAnswer, normalizeChoice, normalizeNumber } from '../../../../shared/answers';
import type { ImportProblem } from './types';
import type { ImportCollector } from './collector';
import type { ProgressTracker } from './progress';
import { jsonlRecords } from './recordSources';
import { readJsonDocument } from './jsonDocument';
import { pathKey } from './jsonScan';
import { answerTypeForTask } from './taskKeys';
import { buildCompletion } from './teacher';
import { evaluateEquation } from './equation';
import { answerTriggers, isNliTask, parseStepByStepOutput } from './stepByStepOutput';
import { isPlainObject, readAnswerText, readChoices, readId, readRequiredString, splitFromName } from './fields';
import { ImportError } from './errors';
import { inferAnswerType } from './inferAnswerType';

export const STEP_BY_STEP_DATA_FILE = /^(.+)_(train|test|valid)\.json$/;
export const STEP_BY_STEP_LLM_FILE = /^(train|test|valid)_CoT_(\d+)\.json$/;

export interface StepByStepArgs {
  files: string[];
  forcedType: AnswerType | null;
  maxRecordBytes: number;
  collector: ImportCollector;
  progress: ProgressTracker;
}

const NLI_LABELS = ['entailment', 'neutral', 'contradiction'];

interface RowResult {
  question: string;
  answer: string;
  answerType: AnswerType;
  choices: string[] | null;
  metadata: Record<string, unknown>;
}

export async function parseStepByStep(args: StepByStepArgs): Promise<string | null> {
  const { collector } = args;
  const dataFiles: { file: string; name: string; split: Split }[] = [];
  const llmFiles: { file: string; split: Split; batch: number }[] = [];
  for (const file of args.files) {
    const b = basename(file);
    const llm = STEP_BY_STEP_LLM_FILE.exec(b);
    const data = STEP_BY_STEP_DATA_FILE.exec(b);
    if (llm) llmFiles.push({ file, split: splitFromName(llm[1]!)!, batch: Number(llm[2]) });
    else if (data) dataFiles.push({ file, name: data[1]!, split: splitFromName(data[2]!)! });
    else
      throw new ImportError(
        'not a Distilling step-by-step file: expected <name>_{train,test,valid}.json or llm/<split>_CoT_<i>.json',
        file,
      );
  }
  if (dataFiles.length === 0)
    throw new ImportError(
      'Distilling step-by-step import needs at least one <name>_<split>.json data file',
      args.files[0] ?? null,
    );
  const names = [...new Set(dataFiles.map((d) => d.name))];
  if (names.length > 1)
    throw new ImportError(
      `data files of different datasets (${names.join(', ')}); import them separately`,
      dataFiles[1]!.file,
    );
  const name = names[0]!;
  const taskType = args.forcedType ?? answerTypeForTask(name);

  // Row order per split is what the llm arrays are aligned to; null marks a rejected row.
  const rows = new Map<Split, (ExampleInput | null)[]>();
  let resolvedType: AnswerType | null = taskType;
  for (const df of dataFiles) {
    const list: (ExampleInput | null)[] = [];
    rows.set(df.split, list);
    for await (const batch of jsonlRecords(df.file, { maxRecordBytes: args.maxRecordBytes, progress: args.progress })) {
      for (const item of batch) {
        if (item.kind === 'file-problem') {
          collector.fileProblem(item.problem);
          continue;
        }
        collector.records++;
        if (item.kind === 'bad-record') {
          list.push(null);
          collector.reject(item.problem, [item.problem]);
          continue;
        }
        const origin = { file: df.file, line: item.line };
        const problems: ImportProblem[] = [];
        // Without a known task the type is fixed by the first readable row (then applies to all).
        const row = readRow(item.value, name, resolvedType, origin, problems);
        if (!row) {
          list.push(null);
          collector.reject(origin, problems);
          continue;
        }
        resolvedType ??= row.answerType;
        const idField = isPlainObject(item.value) ? readId(item.value.id) : { ok: true as const, value: null };
        const externalId = (idField.ok ? idField.value : null) ?? `${df.split}:${list.length}`;
        const example: ExampleInput = {
          externalId,
          question: row.question,
          answer: row.answer,
          answerType: row.answerType,
          choices: row.choices,
          completions: [],
          split: df.split,
          tags: [],
          metadata: { source: 'step-by-step', datasetKey: name, ...row.metadata },
        };
        list.push(collector.accept(example, origin) ? example : null);
      }
    }
  }

  llmFiles.sort((a, b) => (a.split === b.split ? a.batch - b.batch : a.split.localeCompare(b.split)));
  const offsets = new Map<Split, number>();
  /** Per split: the next batch number expected; a gap makes every later batch unalignable. */
  const nextBatch = new Map<Split, number>();
  const trigger = answerTriggers(name)[0]!;
  for (const lf of llmFiles) {
    const expected = nextBatch.get(lf.split) ?? 0;
    if (lf.batch !== expected) {
      // Batch i holds the rows after batches 0..i-1, so with one missing the rest cannot be placed.
      const missing = Array.from(
        { length: lf.batch - expected },
        (_, k) => `llm/${lf.split === 'val' ? 'valid' : lf.split}_CoT_${expected + k}.json`,
      );
      collector.fileProblem({
        file: lf.file,
        line: 1,
        reason: `cannot align these teacher outputs to data rows: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (batch ${lf.batch} starts after the rows of every earlier batch)`,
      });
      nextBatch.set(lf.split, Number.POSITIVE_INFINITY);
      continue;
    }
    nextBatch.set(lf.split, expected + 1);
    const doc = await readJsonDocument(lf.file, 1);
    args.progress.advance(lf.file, doc.bytes);
    if (!doc.ok) {
      collector.fileProblem(doc.problem);
      continue;
    }
    if (!Array.isArray(doc.value)) {
      collector.fileProblem({ file: lf.file, line: 1, reason: 'expected a JSON array of teacher output strings' });
      continue;
    }
    const splitRows = rows.get(lf.split);
    if (!splitRows) {
      collector.fileProblem({
        file: lf.file,
        line: 1,
        reason: `teacher outputs for split "${lf.split}" but no ${name}_${lf.split === 'val' ? 'valid' : lf.split}.json data file was given`,
      });
      continue;
    }
    const rel = `llm/${basename(lf.file)}`;
    let offset = offsets.get(lf.split) ?? 0;
    doc.value.forEach((out, j) => {
      const line = doc.spans.get(pathKey(j))?.line ?? 1;
      // The file is one JSON array (often on one line): the array index locates the output.
      const origin = { file: lf.file, line };
      const at = { ...origin, field: `[${j}]` };
      const rowIndex = offset + j;
      if (rowIndex >= splitRows.length) {
        collector.reject(origin, [
          {
            ...at,
            reason: `teacher output #${rowIndex} of split "${lf.split}" has no matching data row (the data file has ${splitRows.length} rows)`,
          },
        ]);
        return;
      }
      const example = splitRows[rowIndex];
      if (!example) return; // its row was already reported
      if (typeof out !== 'string') {
        collector.reject(origin, [
          { ...at, reason: `expected a teacher output string, got ${out === null ? 'null' : typeof out}` },
        ]);
        return;
      }
      if (Buffer.byteLength(out) > args.maxRecordBytes) {
        collector.reject(origin, [
          {
            ...at,
            reason: `teacher output is over the limit of ${args.maxRecordBytes} bytes per record (option maxRecordBytes)`,
          },
        ]);
        return;
      }
      const parsed = parseStepByStepOutput(out, name);
      if (parsed.label === null && parsed.letter === null) {
        collector.warn({
          ...at,
          reason: `teacher output ${j} (example ${example.externalId}) has no answer trigger (${JSON.stringify(trigger)}); kept as a rationale without teacher answer`,
        });
      }
      example.completions.push(
        buildCompletion({
          rationale: parsed.rationale,
          teacherAnswerRaw: teacherLabel(parsed, example),
          source: `step-by-step:${rel}#${j}`,
          answerType: example.answerType,
          gold: example.answer,
          choices: example.choices,
        }),
      );
    });
    offset += doc.value.length;
    offsets.set(lf.split, offset);
  }
  // Rows left without a teacher output: say which split, how many and which shard would hold them.
  for (const [split, list] of rows) {
    const covered = offsets.get(split) ?? 0;
    const left = list.length - covered;
    if (left <= 0 || nextBatch.get(split) === Number.POSITIVE_INFINITY) continue;
    const file = dataFiles.find((d) => d.split === split)!.file;
    const splitName = split === 'val' ? 'valid' : split;
    const batches = nextBatch.get(split) ?? 0;
    collector.warn({
      file,
      line: 1,
      reason:
        batches === 0
          ? `no teacher outputs for split "${split}" (no llm/${splitName}_CoT_<i>.json file): its ${list.length} examples have no rationale`
          : `the teacher outputs of split "${split}" stop after row ${covered} of ${list.length}: ${left} examples have no rationale (llm/${splitName}_CoT_${batches}.json and later missing?)`,
    });
  }
  return name;
}

/** The teacher label in the form the example's answer type compares. */
function teacherLabel(p: ReturnType<typeof parseStepByStepOutput>, ex: ExampleInput): string | null {
  if (ex.answerType === 'choice') {
    if (p.label && normalizeChoice(p.label, ex.choices)) return p.label;
    return p.letter ?? p.label;
  }
  if (ex.answerType === 'number' && p.label) {
    // SVAMP/ASDiv teachers answer with an equation in parentheses.
    const eq = /\(.*\)/.exec(p.label)?.[0];
    const value = eq ? evaluateEquation(eq) : null;
    if (value !== null && normalizeNumber(p.label) === null) return String(value);
  }
  return p.label;
}

/** One data row of a known (or generic) step-by-step dataset, or null with problems. */
function readRow(
  v: unknown,
  name: string,
  taskType: AnswerType | null,
  origin: { file: string; line: number },
  problems: ImportProblem[],
): RowResult | null {
  if (!isPlainObject(v)) {
    problems.push({ ...origin, reason: 'record must be a JSON object' });
    return null;
  }
  const fail = (field: string, reason: string): null => {
    problems.push({ ...origin, field, reason });
    return null;
  };
  const metadata: Record<string, unknown> = {};
  let question: string;
  let answerRaw: string;
  let choices: string[] | null = null;

  if (isNliTask(name) || ('premise' in v && 'hypothesis' in v)) {
    const premise = readRequiredString(v.premise);
    const hypothesis = readRequiredString(v.hypothesis);
    if (!premise.ok) return fail('premise', premise.reason);
    if (!hypothesis.ok) return fail('hypothesis', hypothesis.reason);
    question = `Premise: ${premise.value}\nHypothesis: ${hypothesis.value}`;
    const label = v.label;
    if (typeof label === 'number' && NLI_LABELS[label]) answerRaw = NLI_LABELS[label]!;
    else if (typeof label === 'string' && label.trim() !== '') answerRaw = label;
    else return fail('label', `expected 0, 1, 2 or a label name, got ${JSON.stringify(label)}`);
  } else if ('Body' in v && 'Question' in v) {
    // ASDiv rows: Body + Question, Answer like "5 (apples)".
    const body = readRequiredString(v.Body);
    const q = readRequiredString(v.Question);
    const a = readAnswerText(v.Answer, true);
    if (!body.ok) return fail('Body', body.reason);
    if (!q.ok) return fail('Question', q.reason);
    if (!a.ok || !a.value) return fail('Answer', a.ok ? 'missing required field' : a.reason);
    question = `${body.value}\n${q.value}`;
    answerRaw = a.value.split(' ')[0]!;
    if (typeof v.Formula === 'string') metadata.formula = v.Formula;
  } else {
    const qField = 'question' in v ? 'question' : 'input';
    const aField = 'answer' in v ? 'answer' : 'label';
    const q = readRequiredString(v[qField]);
    const a = readAnswerText(v[aField], true);
    if (!q.ok) return fail(qField, q.reason);
    if (!a.ok || !a.value) return fail(aField, a.ok ? 'missing required field' : a.reason);
    question = q.value;
    answerRaw = a.value;
    if ('choices' in v) {
      const c = readChoices(v.choices);
      if (!c.ok) return fail('choices', c.reason);
      choices = c.value;
    }
    // SVAMP labels are equations: keep the equation, compare the value.
    if (!/^\s*-?[\d.,$]+\s*$/.test(answerRaw) && /[-+*/]/.test(answerRaw)) {
      const value = evaluateEquation(answerRaw);
      if (value !== null) {
        metadata.equation = answerRaw;
        answerRaw = String(value);
      }
    }
    for (const k of ['abstractive_explanation', 'extractive_explanation'])
      if (typeof v[k] === 'string') metadata[k] = v[k];
  }
  const answerType = taskType ?? inferAnswerType([{ answer: answerRaw, choices }]);
  const gold = normalizeAnswer(answerType, answerRaw, choices);
  if (gold === null)
    return fail(
      isNliTask(name) ? 'label' : 'answer',
      `answer ${JSON.stringify(answerRaw)} is not a valid ${answerType} answer`,
    );
  return { question, answer: gold, answerType, choices, metadata };
}
