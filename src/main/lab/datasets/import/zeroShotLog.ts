// Zero-shot-CoT logs (kojima-takeshi188/zero_shot_cot, log/<task>_zero_shot_cot.log): a header
// with Namespace(...) and "data size : N", then one block per sample between lines of asterisks:
//   Nst data / k_th_sampling / Q: ... / A: Let's think step by step. <rationale>
//   Therefore, <answer trigger> <pred> / pred_before : / pred_after : / pred_list : / pred_mode : / GT :
// and finally "accuracy : X". Streamed line by line; a block is one record.
import { basename } from 'node:path';
import type { AnswerType, ExampleInput, TeacherCompletion } from '../../../../shared/types/dataset';
import { normalizeAnswer } from '../../../../shared/answers';
import type { ImportProblem } from './types';
import type { ImportCollector } from './collector';
import type { ProgressTracker } from './progress';
import { readLines } from './lineReader';
import { answerTypeForTask } from './taskKeys';
import { parseChoicesFromQuestion } from './choices';
import { buildCompletion } from './teacher';

export interface ZeroShotLogArgs {
  files: string[];
  forcedType: AnswerType | null;
  maxRecordBytes: number;
  collector: ImportCollector;
  progress: ProgressTracker;
}

const DELIMITER = /^\*{5,}\s*$/;
const FIELD = /^(pred_before|pred_after|pred_list|pred_mode|GT)\s*:(.*)$/;
const DEFAULT_TRIGGER = /Therefore,\s*(?:among A through [A-J],\s*)?the answer(?:\s*\([^)]*\))?\s*is/g;

interface Header {
  dataset: string | null;
  cotTrigger: string;
  answerTrigger: string | null;
  dataSize: number | null;
}

interface Sampling {
  question: string[];
  answer: string[];
  predBefore: string[] | null;
  predAfter: string | null;
}

interface Block {
  line: number;
  bytes: number;
  index: string | null;
  samplings: Sampling[];
  gt: string | null;
  predMode: string | null;
  /** Already rejected (a bad line inside it): the rest of it is ignored. */
  broken: boolean;
  /** Which multi-line field the next plain line continues. */
  mode: 'none' | 'question' | 'answer' | 'pred_before';
}

/** Python-repr values of Namespace(key='value', ...). */
export function parseNamespace(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+)=('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,()]+)/g)) {
    let v = m[2]!;
    if (v.startsWith("'") || v.startsWith('"')) {
      v = v.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
    }
    out[m[1]!] = v.trim();
  }
  return out;
}

/** Answer type from the answer-extraction trigger, for tasks not in the known list. */
function typeFromTrigger(trigger: string | null): AnswerType | null {
  if (!trigger) return null;
  if (/arabic numerals/i.test(trigger)) return 'number';
  if (/among A through/i.test(trigger)) return 'choice';
  if (/yes or no/i.test(trigger)) return 'yesno';
  return null;
}

export async function parseZeroShotLog(args: ZeroShotLogArgs): Promise<string | null> {
  let datasetKey: string | null = null;
  for (const file of args.files) {
    const key = await parseOneLog(file, args);
    datasetKey ??= key;
  }
  return datasetKey;
}

async function parseOneLog(file: string, args: ZeroShotLogArgs): Promise<string | null> {
  const { collector } = args;
  const header: Header = { dataset: null, cotTrigger: "Let's think step by step.", answerTrigger: null, dataSize: null };
  let block: Block | null = null;
  let inHeader = true;
  let sawAccuracy = false;
  let anyLine = false;
  let blocks = 0;
  let lastLine = 0;
  const fileKey = /^(.+?)_zero_shot(_cot)?\.log$/.exec(basename(file))?.[1] ?? null;
  const multi = args.files.length > 1;
  const name = basename(file);

  const resolveType = (): AnswerType =>
    args.forcedType ?? answerTypeForTask(header.dataset) ?? answerTypeForTask(fileKey) ?? typeFromTrigger(header.answerTrigger) ?? 'text';

  const closeBlock = (b: Block, truncated: boolean): void => {
    if (b.broken) return;
    if (b.samplings.length === 0 && b.gt === null && b.index === null) return; // header or empty block
    blocks++;
    collector.records++;
    const origin = { file, line: b.line };
    const problems: ImportProblem[] = [];
    if (b.bytes > args.maxRecordBytes) {
      collector.reject(origin, [{ ...origin, reason: `block is ${b.bytes} bytes, over the limit of ${args.maxRecordBytes} bytes per record (option maxRecordBytes)` }]);
      return;
    }
    const first = b.samplings[0];
    const question = first ? first.question.join('\n').trim() : '';
    if (!first || question === '') problems.push({ ...origin, field: 'Q', reason: 'block has no "Q:" line' });
    if (b.gt === null || b.gt === '') {
      problems.push({ ...origin, field: 'GT', reason: truncated ? 'block ends before its "GT :" line (file truncated?)' : 'block has no "GT :" line' });
    }
    if (problems.length > 0 || !first || b.gt === null) {
      collector.reject(origin, problems);
      return;
    }
    const answerType = resolveType();
    const choices = answerType === 'choice' ? (parseChoicesFromQuestion(question)?.choices ?? null) : null;
    const gold = normalizeAnswer(answerType, b.gt, choices);
    if (gold === null) {
      collector.reject(origin, [{ ...origin, field: 'GT', reason: `GT ${JSON.stringify(b.gt)} is not a valid ${answerType} answer` }]);
      return;
    }
    const completions: TeacherCompletion[] = [];
    b.samplings.forEach((s, k) => {
      const { rationale, pred } = splitAnswerText(s.answer.join('\n'), header);
      const predBefore = s.predBefore ? s.predBefore.join('\n').trim() : pred;
      // pred_after is the log's own cleansed answer; fall back to the raw prediction.
      const teacher = s.predAfter !== null && s.predAfter !== '' ? s.predAfter : predBefore;
      if (rationale === '') {
        collector.warn({ ...origin, reason: `sampling ${k + 1} has no rationale after "A:"` });
        return;
      }
      completions.push(
        buildCompletion({
          rationale,
          teacherAnswerRaw: teacher || null,
          source: `zero-shot-cot:${name}${b.samplings.length > 1 ? `#${k}` : ''}`,
          answerType,
          gold,
          choices,
        }),
      );
    });
    const id = b.index ?? String(blocks);
    const metadata: Record<string, unknown> = { source: 'zero-shot-cot-log' };
    if (header.dataset ?? fileKey) metadata.datasetKey = header.dataset ?? fileKey;
    if (b.predMode !== null) metadata.predMode = b.predMode;
    const example: ExampleInput = {
      externalId: multi ? `${name}:${id}` : id,
      question,
      answer: gold,
      answerType,
      choices,
      completions,
      split: null,
      tags: [],
      metadata,
    };
    collector.accept(example, origin);
  };

  for await (const batch of readLines(file, { maxLineBytes: args.maxRecordBytes, onBytes: (d) => args.progress.advance(file, d) })) {
    for (const ev of batch) {
      lastLine = ev.line;
      if (ev.kind !== 'line') {
        const reason = ev.kind === 'oversized' ? `line is ${ev.bytes} bytes, over the limit of ${args.maxRecordBytes} bytes per record (option maxRecordBytes)` : `invalid UTF-8 at byte column ${ev.column}`;
        const open = block as Block | null;
        const problem = { file, line: ev.line, reason: open ? `${reason} (in the block starting at line ${open.line})` : reason };
        if (open?.broken) {
          collector.extraProblem(problem); // same block: already counted as one skipped record
        } else {
          collector.records++;
          if (open) blocks++;
          collector.reject({ file, line: open?.line ?? ev.line }, [problem]);
          // The rest of the block is ignored (it is reported once, here).
          if (open) open.broken = true;
        }
        continue;
      }
      const text = ev.text;
      if (text.trim() !== '') anyLine = true;
      if (DELIMITER.test(text)) {
        if (block) closeBlock(block, false);
        block = null;
        continue;
      }
      if (/^accuracy\s*:/.test(text)) {
        sawAccuracy = true;
        if (block) closeBlock(block, false);
        block = null;
        continue;
      }
      if (inHeader || !block) {
        if (text.startsWith('Namespace(')) {
          const ns = parseNamespace(text);
          header.dataset = ns.dataset ?? null;
          if (ns.cot_trigger) header.cotTrigger = ns.cot_trigger;
          const trig = ns.direct_answer_trigger_for_zeroshot_cot ?? ns.direct_answer_trigger;
          if (trig) header.answerTrigger = trig.trim();
          continue;
        }
        const size = /^data size\s*:\s*(\d+)/.exec(text);
        if (size) {
          header.dataSize = Number(size[1]);
          continue;
        }
        if (!/^(\d+)(st|nd|rd|th) data\s*$/.test(text) && !/^Q:/.test(text)) continue;
        inHeader = false;
        block = { line: ev.line, bytes: 0, index: null, samplings: [], gt: null, predMode: null, mode: 'none', broken: false };
      }
      const b: Block = block!;
      if (b.broken) continue;
      b.bytes += ev.bytes + 1;
      const idx = /^(\d+)(st|nd|rd|th) data\s*$/.exec(text);
      if (idx) {
        b.index = idx[1]!;
        continue;
      }
      if (/^\d+_th_sampling\s*$/.test(text)) {
        b.mode = 'none';
        continue;
      }
      if (text.startsWith('Q:')) {
        b.samplings.push({ question: [text.slice(2).trim()], answer: [], predBefore: null, predAfter: null });
        b.mode = 'question';
        continue;
      }
      const cur = b.samplings[b.samplings.length - 1];
      if (text.startsWith('A:') && cur && b.mode === 'question') {
        cur.answer.push(text.slice(2).trimStart());
        b.mode = 'answer';
        continue;
      }
      const field = FIELD.exec(text);
      if (field) {
        const value = field[2]!.trim();
        if (field[1] === 'pred_before' && cur) {
          cur.predBefore = [value];
          b.mode = 'pred_before';
        } else if (field[1] === 'pred_after' && cur) {
          cur.predAfter = value;
          b.mode = 'none';
        } else if (field[1] === 'pred_mode') b.predMode = value;
        else if (field[1] === 'GT') b.gt = value;
        else b.mode = 'none';
        continue;
      }
      if (!cur) continue;
      if (b.mode === 'question') cur.question.push(text);
      else if (b.mode === 'answer') cur.answer.push(text);
      else if (b.mode === 'pred_before' && cur.predBefore) cur.predBefore.push(text);
    }
  }
  if (block) closeBlock(block, true);
  if (!anyLine) collector.fileProblem({ file, line: 1, reason: 'file is empty' });
  else if (blocks === 0) collector.fileProblem({ file, line: 1, reason: 'no sample blocks found (expected "Q:" / "A:" / "GT :" blocks between lines of asterisks)' });
  else if (!sawAccuracy) collector.warn({ file, line: lastLine, reason: 'no final "accuracy :" line: the log may be incomplete' });
  if (header.dataSize !== null && blocks > 0 && blocks !== header.dataSize && sawAccuracy) {
    collector.warn({ file, line: 1, reason: `header says data size ${header.dataSize} but the log has ${blocks} blocks` });
  }
  return header.dataset ?? fileKey;
}

/**
 * "Let's think step by step. <rationale>\nTherefore, the answer (arabic numerals) is 2." ->
 * rationale and the raw prediction after the LAST answer trigger (the rationale itself may say
 * "Therefore, the answer is (E)." before the extraction prompt).
 */
function splitAnswerText(text: string, header: Header): { rationale: string; pred: string } {
  let body = text.trim();
  if (body.startsWith(header.cotTrigger)) body = body.slice(header.cotTrigger.length);
  let at = -1;
  let len = 0;
  if (header.answerTrigger) {
    at = body.lastIndexOf(header.answerTrigger);
    len = header.answerTrigger.length;
  }
  if (at < 0) {
    for (const m of body.matchAll(DEFAULT_TRIGGER)) {
      at = m.index;
      len = m[0].length;
    }
  }
  if (at < 0) return { rationale: body.trim(), pred: '' };
  return { rationale: body.slice(0, at).trim(), pred: body.slice(at + len).trim() };
}
