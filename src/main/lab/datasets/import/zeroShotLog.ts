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
  /** Namespace method=...: 'zero_shot' logs have no chain of thought. */
  method: string | null;
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
  /** Line of the block's "GT :" line, once seen. */
  gtLine: number | null;
  /** A second sample inside this block (a missing "*****" separator): line and what was found. */
  merged: { line: number; what: string } | null;
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
  const header: Header = {
    dataset: null,
    method: null,
    cotTrigger: "Let's think step by step.",
    answerTrigger: null,
    dataSize: null,
  };
  let block: Block | null = null;
  let inHeader = true;
  let sawAccuracy = false;
  let anyLine = false;
  let blocks = 0;
  let lastLine = 0;
  /** Samplings seen / samplings whose answer starts with the chain-of-thought trigger. */
  let samplingsSeen = 0;
  let samplingsWithCot = 0;
  const fileKey = /^(.+?)_zero_shot(_cot)?\.log$/.exec(basename(file))?.[1] ?? null;
  const multi = args.files.length > 1;
  const name = basename(file);

  const resolveType = (): AnswerType =>
    args.forcedType ??
    answerTypeForTask(header.dataset) ??
    answerTypeForTask(fileKey) ??
    typeFromTrigger(header.answerTrigger) ??
    'text';

  const closeBlock = (b: Block, truncated: boolean): void => {
    if (b.broken) return;
    if (b.samplings.length === 0 && b.gt === null && b.index === null) return; // header or empty block
    blocks++;
    collector.records++;
    const origin = { file, line: b.line };
    const problems: ImportProblem[] = [];
    if (b.merged) {
      const reason =
        `block starting at line ${b.line} runs into another sample at line ${b.merged.line} (${b.merged.what}): ` +
        'a "*****" separator is missing, so the question of one sample would get the answer of the next; the block is refused';
      collector.reject(origin, [{ file, line: b.merged.line, reason }]);
      return;
    }
    if (b.bytes > args.maxRecordBytes) {
      collector.reject(origin, [
        {
          ...origin,
          reason: `block is ${b.bytes} bytes, over the limit of ${args.maxRecordBytes} bytes per record (option maxRecordBytes)`,
        },
      ]);
      return;
    }
    const first = b.samplings[0];
    const question = first ? first.question.join('\n').trim() : '';
    if (!first || question === '') problems.push({ ...origin, field: 'Q', reason: 'block has no "Q:" line' });
    if (b.gt === null || b.gt === '') {
      problems.push({
        ...origin,
        field: 'GT',
        reason: truncated ? 'block ends before its "GT :" line (file truncated?)' : 'block has no "GT :" line',
      });
    }
    if (problems.length > 0 || !first || b.gt === null) {
      collector.reject(origin, problems);
      return;
    }
    const answerType = resolveType();
    const choices = answerType === 'choice' ? (parseChoicesFromQuestion(question)?.choices ?? null) : null;
    const gold = normalizeAnswer(answerType, b.gt, choices);
    if (gold === null) {
      collector.reject(origin, [
        { ...origin, field: 'GT', reason: `GT ${JSON.stringify(b.gt)} is not a valid ${answerType} answer` },
      ]);
      return;
    }
    const id = b.index ?? String(blocks);
    const completions: TeacherCompletion[] = [];
    b.samplings.forEach((s, k) => {
      const which = b.samplings.length > 1 ? `sampling ${k + 1}` : 'the answer';
      const split = splitAnswerText(s.answer.join('\n'), header, s.predBefore ? s.predBefore.join('\n') : null);
      samplingsSeen++;
      if (split.cot) samplingsWithCot++;
      const { rationale, pred } = split;
      const at = `sample ${id}`;
      if (split.runOn === 'rationale') {
        collector.warn({
          ...origin,
          field: 'A',
          reason: `${at}: ${which} runs on into an invented follow-up question ("Q:" at the rationale's line ${split.runOnLine}); the continuation was cut off and not imported, and the extracted answer may refer to it`,
        });
      } else if (split.runOn === 'answer') {
        collector.warn({
          ...origin,
          field: 'A',
          reason: `${at}: the answer extraction of ${which} runs on into an invented follow-up question; the continuation was cut off and not imported`,
        });
      }
      if (split.leaked) {
        collector.warn({
          ...origin,
          field: 'A',
          reason: `${at}: the answer-extraction prompt repeats inside ${which}; the repetition was cut from the rationale`,
        });
      }
      const predBefore = s.predBefore ? firstAnswerLine(s.predBefore.join('\n')) : pred;
      // pred_after is the log's own cleansed answer; fall back to the raw prediction.
      const teacher = s.predAfter !== null && s.predAfter !== '' ? s.predAfter : predBefore;
      if (rationale === '') {
        collector.warn({
          ...origin,
          field: 'A',
          reason: `${at}: ${which} has no rationale after "A:"; no completion imported for it`,
        });
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

  for await (const batch of readLines(file, {
    maxLineBytes: args.maxRecordBytes,
    onBytes: (d) => args.progress.advance(file, d),
  })) {
    for (const ev of batch) {
      lastLine = ev.line;
      if (ev.kind !== 'line') {
        const reason =
          ev.kind === 'oversized'
            ? `line is ${ev.bytes} bytes, over the limit of ${args.maxRecordBytes} bytes per record (option maxRecordBytes)`
            : `invalid UTF-8 at byte column ${ev.column}`;
        const open = block as Block | null;
        const problem = {
          file,
          line: ev.line,
          reason: open ? `${reason} (in the block starting at line ${open.line})` : reason,
        };
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
          header.method = ns.method ?? null;
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
        block = {
          line: ev.line,
          bytes: 0,
          index: null,
          samplings: [],
          gt: null,
          predMode: null,
          mode: 'none',
          broken: false,
          gtLine: null,
          merged: null,
        };
      }
      const b: Block = block!;
      if (b.broken) continue;
      b.bytes += ev.bytes + 1;
      const idx = /^(\d+)(st|nd|rd|th) data\s*$/.exec(text);
      // Block structure: one "<n>th data" line, one question before "GT :", one "GT :" line.
      // Anything else means two samples share a block (a missing separator).
      const second =
        idx && (b.index !== null || b.samplings.length > 0)
          ? `"${text.trim()}"`
          : text.startsWith('Q:') && b.gtLine !== null
            ? '"Q:" after "GT :"'
            : /^GT\s*:/.test(text) && b.gtLine !== null
              ? 'a second "GT :" line'
              : null;
      if (second) {
        b.merged ??= { line: ev.line, what: second };
        continue;
      }
      if (b.merged) continue;
      if (idx) {
        b.index = idx[1]!;
        continue;
      }
      if (/^\d+_th_sampling\s*$/.test(text)) {
        b.mode = 'none';
        continue;
      }
      // A "Q:" (or "A:") while the answer is being read is the teacher running on into an
      // invented follow-up question: it belongs to the answer text, never a new sampling.
      if ((text.startsWith('Q:') || text.startsWith('A:')) && (b.mode === 'answer' || b.mode === 'pred_before')) {
        const cur = b.samplings[b.samplings.length - 1]!;
        if (b.mode === 'answer') cur.answer.push(text);
        else cur.predBefore!.push(text);
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
        else if (field[1] === 'GT') {
          b.gt = value;
          b.gtLine = ev.line;
        } else b.mode = 'none';
        continue;
      }
      if (!cur) continue;
      if (b.mode === 'question') cur.question.push(text);
      else if (b.mode === 'answer') cur.answer.push(text);
      else if (b.mode === 'pred_before' && cur.predBefore) cur.predBefore.push(text);
    }
  }
  if (block) closeBlock(block, true);
  const plain = header.method !== null && !/cot/i.test(header.method);
  if (plain || (samplingsSeen > 0 && samplingsWithCot === 0)) {
    collector.fileProblem({
      file,
      line: 1,
      reason: plain
        ? `this is a plain zero-shot log (method=${header.method}): its answers have no chain of thought, so there are no rationales to import`
        : `no answer starts with the chain-of-thought trigger ${JSON.stringify(header.cotTrigger)}: this looks like a plain zero-shot log without rationales`,
    });
    return header.dataset ?? fileKey;
  }
  if (samplingsWithCot < samplingsSeen) {
    collector.warn({
      file,
      line: 1,
      reason: `${samplingsSeen - samplingsWithCot} of ${samplingsSeen} answers do not start with the chain-of-thought trigger ${JSON.stringify(header.cotTrigger)}`,
    });
  }
  if (!anyLine) collector.fileProblem({ file, line: 1, reason: 'file is empty' });
  else if (blocks === 0)
    collector.fileProblem({
      file,
      line: 1,
      reason: 'no sample blocks found (expected "Q:" / "A:" / "GT :" blocks between lines of asterisks)',
    });
  else if (!sawAccuracy)
    collector.warn({ file, line: lastLine, reason: 'no final "accuracy :" line: the log may be incomplete' });
  if (header.dataSize !== null && blocks > 0 && blocks !== header.dataSize && sawAccuracy) {
    collector.warn({
      file,
      line: 1,
      reason: `header says data size ${header.dataSize} but the log has ${blocks} blocks`,
    });
  }
  return header.dataset ?? fileKey;
}

/** The raw extraction output's answer: its first non-empty line ("5.\n\nQ: ..." -> "5."). */
function firstAnswerLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

interface SplitAnswer {
  rationale: string;
  pred: string;
  /** The answer started with the chain-of-thought trigger. */
  cot: boolean;
  /** Where an invented follow-up question ("\nQ: ...") was cut: inside the rationale, or after the extracted answer. */
  runOn: 'rationale' | 'answer' | null;
  /** 1-based line within the answer text where the rationale's run-on starts. */
  runOnLine: number;
  /** The extraction prompt and its output repeated at the end of the rationale (cut). */
  leaked: boolean;
}

const RUN_ON = /\n[ \t]*(?:Q|A):/;

/** Positions of the answer-extraction trigger in `text` (the header's, else the usual phrasings). */
function triggerPositions(text: string, header: Header): { at: number; len: number }[] {
  const out: { at: number; len: number }[] = [];
  if (header.answerTrigger) {
    for (let at = text.indexOf(header.answerTrigger); at >= 0; at = text.indexOf(header.answerTrigger, at + 1))
      out.push({ at, len: header.answerTrigger.length });
  }
  if (out.length === 0) for (const m of text.matchAll(DEFAULT_TRIGGER)) out.push({ at: m.index, len: m[0].length });
  return out;
}

/**
 * "Let's think step by step. <rationale>\nTherefore, the answer (arabic numerals) is 2." ->
 * rationale and the raw prediction. The extraction output is known from pred_before (the answer
 * text ends with trigger + pred_before); without it, the last trigger is used (the rationale
 * itself may say "Therefore, the answer is (E)." before the extraction prompt). A rationale that
 * runs on into an invented "Q: ... A: ..." is cut where the invented question starts, and an
 * extraction prompt repeated at the end of the rationale is cut too (docs/methods.md, "Importing
 * teacher files").
 */
function splitAnswerText(text: string, header: Header, predBefore: string | null): SplitAnswer {
  let body = text.trim();
  const cot = body.startsWith(header.cotTrigger);
  if (cot) body = body.slice(header.cotTrigger.length);
  let head = body;
  let pred = '';
  let found = false;
  const tail = predBefore?.trim() ?? '';
  if (tail !== '' && body.endsWith(tail)) {
    const before = body.slice(0, body.length - tail.length).trimEnd();
    const last = triggerPositions(before, header).pop();
    if (last && before.slice(last.at + last.len).trim() === '') {
      head = before.slice(0, last.at);
      pred = tail;
      found = true;
    }
  }
  if (!found) {
    // No usable pred_before: the extraction prompt the log appended is the last trigger before
    // any run-on continuation (a continuation brings its own "Therefore, ...").
    const run = RUN_ON.exec(body);
    const triggers = triggerPositions(body, header);
    const beforeRun = triggers.filter((t) => !run || t.at < run.index).pop() ?? (run ? undefined : triggers.pop());
    const chosen = beforeRun ?? triggers.pop();
    if (chosen) {
      head = body.slice(0, chosen.at);
      pred = body.slice(chosen.at + chosen.len);
    }
  }
  let runOn: SplitAnswer['runOn'] = null;
  let runOnLine = 0;
  const inHead = RUN_ON.exec(head);
  if (inHead) {
    runOn = 'rationale';
    runOnLine = head.slice(0, inHead.index + 1).split('\n').length;
    head = head.slice(0, inHead.index);
  }
  const inPred = RUN_ON.exec(pred);
  if (inPred) {
    runOn ??= 'answer';
    pred = pred.slice(0, inPred.index);
  }
  // "<rationale>\n<trigger> 5.\n<trigger> 5.": the extraction repeated; keep the rationale only.
  let leaked = false;
  const trigger = header.answerTrigger;
  while (trigger) {
    const at = head.lastIndexOf(trigger);
    if (at < 0) break;
    const last = { at, len: trigger.length };
    const after = head.slice(last.at + last.len).trim();
    const lineStart = head.lastIndexOf('\n', last.at) + 1;
    if (head.slice(lineStart, last.at).trim() !== '' || after.includes('\n') || after.length > 40) break;
    if (head.slice(0, last.at).trim() === '') break;
    head = head.slice(0, last.at);
    leaked = true;
  }
  return { rationale: head.trim(), pred: pred.trim(), cot, runOn, runOnLine, leaked };
}
