// Seeded fuzzing of every importer (docs/methods.md, "Importing teacher rationales"): valid files of
// each format (JSON Lines, JSON, CSV, a Zero-shot-CoT log, a Fine-tune-CoT folder, a Distilling
// step-by-step folder) mutated by byte flips, truncation, deleted and duplicated lines, removed
// `*****` separators, deep nesting, `__proto__` keys, invalid UTF-8 and lone surrogates, huge
// lines, swapped fields and empty files, then imported through the `datasets.import` channel.
// Asserted per case: a success, or a BAD_FILE error located at a file of the case (file named,
// bounded message) — never a throw, a hang or an internal error; a refused import adds no dataset;
// a successful one adds exactly one. At the end: the database passes its integrity and foreign-key
// checks and no temporary file is left. The case counts and outcomes are printed; same seed, same cases.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../src/shared/mulberry32';
import type { LabResult } from '../../../src/shared/result';
import type { ImportFormat } from '../../../src/shared/types/importing';
import { Lab } from '../../../src/main/lab/lab';
import { tempDir } from '../../helpers/tempLab';
import { expectWholeLab } from './labIntegrity';

const SEED = 20261130;
const CASES_PER_FORMAT = 400;
/** A case that takes longer than this is a hang (generous: the machine may be loaded). */
const CASE_TIMEOUT_MS = 60_000;
/** Above the importers' default largest record (1 MiB). */
const HUGE_LINE_BYTES = 1024 * 1024 + 4096;

const rng = new Rng(SEED);
const int = (n: number): number => Math.floor(rng.next() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

/** One valid import: its files (relative path -> content) and what is passed to the channel. */
interface Fixture {
  format: ImportFormat;
  files: Record<string, string>;
  /** The path given to the importer, relative to the case folder (a file or a folder). */
  entry: string;
}

const QUESTIONS = [
  'What is 2 plus 3?',
  'Tom has 4 apples and eats 1. How many are left?',
  'Is 7 odd?',
  'What is 6 times 7?',
];
const ANSWERS = ['5', '3', 'yes', '42'];
const RATIONALES = ['2 and 3 make 5.', '4 minus 1 is 3.', '7 is not divisible by 2.', '6 sevens are 42.'];
const rows = QUESTIONS.map((question, i) => ({
  id: `q${i}`,
  question,
  answer: ANSWERS[i]!,
  rationale: RATIONALES[i]!,
}));

const STARS = '*************************';
function zeroShotLog(): string {
  const lines = [
    '*****************************',
    `Namespace(api_log_file_name=None, cot_trigger="Let's think step by step.", dataset='multiarith', direct_answer_trigger='\\nTherefore, the answer (arabic numerals) is', method='zero_shot_cot', model='gpt3-xl')`,
    '*****************************',
    'setup data loader ...',
    'dataset : multiarith',
    `data size : ${3}`,
  ];
  [
    ['Tom has 3 apples and buys 4 more. How many?', '3 + 4 = 7.', '7', '7'],
    ['A box holds 12 pens; 2 are sold. How many remain?', '12 - 2 = 10.', '10', '10'],
    ['Sam reads 5 pages a day for 3 days. How many pages?', '5 * 3 = 16.', '16', '15'],
  ].forEach(([q, r, pred, gt], i) => {
    lines.push(
      STARS,
      `${i + 1}st data`,
      '1_th_sampling',
      `Q: ${q}`,
      `A: Let's think step by step. ${r}`,
      `Therefore, the answer (arabic numerals) is ${pred}.`,
      `pred_before : ${pred}.`,
      `pred_after : ${pred}`,
      `pred_list : ['${pred}']`,
      `pred_mode : ${pred}`,
      `GT : ${gt}`,
      STARS,
    );
  });
  lines.push('accuracy : 66.7');
  return lines.join('\n') + '\n';
}

const FIXTURES: Fixture[] = [
  {
    format: 'jsonl',
    entry: 'data.jsonl',
    files: { 'data.jsonl': rows.map((r) => JSON.stringify(r)).join('\n') + '\n' },
  },
  { format: 'json', entry: 'data.json', files: { 'data.json': JSON.stringify(rows, null, 2) } },
  {
    format: 'csv',
    entry: 'data.csv',
    files: {
      'data.csv':
        'id,question,answer,rationale\n' +
        rows
          .map((r) =>
            [r.id, r.question, r.answer, r.rationale]
              .map((v) => (/[,"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v))
              .join(','),
          )
          .join('\n') +
        '\n',
    },
  },
  {
    format: 'zero-shot-cot-log',
    entry: 'multiarith_zero_shot_cot.log',
    files: { 'multiarith_zero_shot_cot.log': zeroShotLog() },
  },
  {
    format: 'finetune-cot',
    entry: 'ft',
    files: {
      'ft/multiarith.json': JSON.stringify(
        {
          metadata: { dataset_key: 'multiarith' },
          data: [
            { sample_index: 0, question: 'Tom has 3 apples and buys 4 more. How many?', answer: '7' },
            { sample_index: 1, question: 'A box holds 1,200 pens; 200 are sold. How many remain?', answer: '1,000' },
          ],
        },
        null,
        2,
      ),
      'ft/completions.json': JSON.stringify(
        {
          metadata: { dataset_key: 'multiarith', completion_key: 'zs_cot' },
          data: {
            '0': [
              { sample_index: 0, completion_index: 0, reasoning_completion: ' 3 + 4 = 7.', completion: ' 7' },
              { sample_index: 0, completion_index: 1, reasoning_completion: ' 3 + 4 = 8.', completion: ' 8' },
            ],
            '1': [
              {
                sample_index: 1,
                completion_index: 0,
                reasoning_completion: '1200 - 200 = 1000',
                completion: ' $1,000.',
              },
            ],
          },
        },
        null,
        1,
      ),
      'ft/split.json': JSON.stringify({ train: [0], test: [1] }),
    },
  },
  {
    format: 'step-by-step',
    entry: 'cqa',
    files: {
      'cqa/cqa_train.json':
        [
          {
            id: 'a1',
            question: 'Where is money kept?',
            choices: ['bank', 'library', 'park'],
            answer: 'bank',
            abstractive_explanation: 'banks hold money',
          },
          {
            id: 'a2',
            question: 'Where are books lent?',
            choices: ['bank', 'library', 'park'],
            answer: 'library',
            abstractive_explanation: '',
          },
        ]
          .map((r) => JSON.stringify(r))
          .join('\n') + '\n',
      'cqa/cqa_test.json':
        JSON.stringify({
          id: 'a3',
          question: 'Where do kids play?',
          choices: ['bank', 'library', 'park'],
          answer: 'park',
        }) + '\n',
      'cqa/llm/train_CoT_0.json': JSON.stringify([
        'Money is kept in banks. So the answer is (a) bank.',
        'Libraries lend books. So the answer is (b) library.',
      ]),
      'cqa/llm/test_CoT_0.json': JSON.stringify(['Kids play in parks. So the answer is (c) park.']),
    },
  },
];

// ---- mutations: each takes the bytes of one file and returns the mutated bytes --------------------

const lines = (b: Buffer): Buffer[] => {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] !== 0x0a) continue;
    out.push(b.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < b.length) out.push(b.subarray(start));
  return out;
};
const insertAt = (b: Buffer, at: number, piece: Buffer | string): Buffer =>
  Buffer.concat([b.subarray(0, at), Buffer.from(piece), b.subarray(at)]);

/** A position just after a `"` (inside or at the edge of a JSON string or CSV field), else anywhere. */
function stringPosition(b: Buffer): number {
  const quotes: number[] = [];
  for (let i = 0; i < b.length; i++) if (b[i] === 0x22) quotes.push(i + 1);
  return quotes.length ? pick(quotes) : int(b.length + 1);
}

const MUTATIONS: Record<string, (b: Buffer) => Buffer> = {
  'byte-flip': (b) => {
    const c = Buffer.from(b);
    for (let n = 1 + int(4); n > 0 && c.length; n--) c[int(c.length)] = int(256);
    return c;
  },
  truncate: (b) => b.subarray(0, int(b.length)),
  'delete-line': (b) => {
    const ls = lines(b);
    ls.splice(int(ls.length), 1);
    return Buffer.concat(ls);
  },
  'duplicate-line': (b) => {
    const ls = lines(b);
    const i = int(ls.length);
    if (ls.length) ls.splice(i, 0, ls[i]!);
    return Buffer.concat(ls);
  },
  'remove-separator': (b) => {
    const ls = lines(b);
    const seps = ls.map((l, i) => (/^\*{5,}\s*$/.test(l.toString('latin1')) ? i : -1)).filter((i) => i >= 0);
    if (seps.length) ls.splice(pick(seps), 1);
    return Buffer.concat(ls);
  },
  'deep-nesting': (b) => {
    const depth = pick([50, 500, 5000, 20_000]);
    const open = int(2) ? '['.repeat(depth) : '{"a":'.repeat(depth);
    // A nested value in place of a value (after a ':'), or raw brackets anywhere.
    const colons: number[] = [];
    for (let i = 0; i < b.length; i++) if (b[i] === 0x3a) colons.push(i + 1);
    if (colons.length && int(2)) {
      const close = open.startsWith('[') ? ']'.repeat(depth) : '}'.repeat(depth);
      return insertAt(b, pick(colons), `${open}1${close},"x":`);
    }
    return insertAt(b, int(b.length + 1), open);
  },
  'proto-key': (b) => {
    const s = b.toString('utf8');
    const keys = [...s.matchAll(/"([A-Za-z_]+)"\s*:/g)];
    if (keys.length && int(3)) {
      const k = pick(keys);
      return Buffer.from(s.slice(0, k.index) + `"__proto__":` + s.slice(k.index + k[0].length));
    }
    if (keys.length && int(2)) {
      const k = pick(keys);
      return Buffer.from(s.slice(0, k.index) + `"__proto__": {"polluted": 1}, ` + s.slice(k.index));
    }
    // CSV header column, or a log line
    const firstComma = s.indexOf(',');
    return Buffer.from(firstComma > 0 ? `__proto__${s.slice(firstComma)}` : `__proto__\n${s}`);
  },
  'invalid-utf8': (b) =>
    insertAt(
      b,
      stringPosition(b),
      Buffer.from(pick([[0xc3, 0x28], [0xff], [0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]])),
    ),
  'lone-surrogate': (b) => insertAt(b, stringPosition(b), pick(['\\ud800', '\\udfff', '\\ud83d x', '\ud800'])),
  'huge-line': (b) => {
    const ls = lines(b);
    const huge = int(2)
      ? `${'x'.repeat(HUGE_LINE_BYTES)}\n`
      : `{"question": "${'q'.repeat(HUGE_LINE_BYTES)}", "answer": "1"}\n`;
    ls.splice(int(ls.length + 1), 0, Buffer.from(huge));
    return Buffer.concat(ls);
  },
  'swap-fields': (b) => {
    const s = b.toString('utf8');
    // JSON: exchange the values of two keys; CSV: two columns of the header; logs: two lines.
    const pairs = [...s.matchAll(/"([A-Za-z_]+)"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)/g)];
    if (pairs.length >= 2) {
      const a = pick(pairs);
      const c = pick(pairs);
      if (a.index !== c.index) {
        const [first, second] = a.index! < c.index! ? [a, c] : [c, a];
        const fv = first[2]!;
        const sv = second[2]!;
        const fEnd = first.index! + first[0].length;
        const sEnd = second.index! + second[0].length;
        return Buffer.from(s.slice(0, fEnd - fv.length) + sv + s.slice(fEnd, sEnd - sv.length) + fv + s.slice(sEnd));
      }
    }
    const ls = s.split('\n');
    const i = int(ls.length);
    const j = int(ls.length);
    if (ls[0]!.includes(',') && int(2)) {
      const cols = ls[0]!.split(',');
      const x = int(cols.length);
      const y = int(cols.length);
      [cols[x], cols[y]] = [cols[y]!, cols[x]!];
      ls[0] = cols.join(',');
    } else [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    return Buffer.from(ls.join('\n'));
  },
  empty: () => Buffer.alloc(0),
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

// ---- the run ---------------------------------------------------------------------------------------

let dataDir: string;
let lab: Lab;
const outcomes = new Map<string, number>();
const byMutation = new Map<string, number>();
const failures: string[] = [];
let cases = 0;
let caseNumber = 0;
let slowest = { ms: 0, what: '' };
let cpuMs = 0;
const startedAt = performance.now();

const datasetCount = (): number =>
  (lab.context.db.prepare('SELECT COUNT(*) AS n FROM datasets').get() as { n: number }).n;
const count = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);

function writeCase(dir: string, files: Record<string, Buffer | string>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
}

/** Imports one case; checks the outcome is a success or a located BAD_FILE and that a refusal writes nothing. */
async function runCase(
  fx: Fixture,
  files: Record<string, Buffer | string>,
  what: string,
  forceFormat: boolean,
): Promise<LabResult<unknown>> {
  const dir = path.join(dataDir, 'fuzz-cases', `c${caseNumber++}`);
  writeCase(dir, files);
  const before = datasetCount();
  const entry = path.join(dir, fx.entry);
  let timer: NodeJS.Timeout | undefined;
  let r: LabResult<unknown>;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    r = await Promise.race([
      lab.dispatch('datasets.import', {
        paths: [entry],
        ...(forceFormat ? { format: fx.format } : {}),
        ...(int(4) === 0 ? { skipInvalid: true } : {}),
      }),
      new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`hang: no answer in ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS)),
      ),
    ]);
  } catch (err) {
    failures.push(`${what}: threw ${(err as Error).message.slice(0, 300)}`);
    fs.rmSync(dir, { recursive: true, force: true });
    return { ok: false, error: { code: 'INTERNAL', message: String(err) } };
  } finally {
    clearTimeout(timer);
  }
  cases++;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  cpuMs += (cpu.user + cpu.system) / 1000;
  if (ms > slowest.ms) slowest = { ms, what };
  const after = datasetCount();
  if (r.ok) {
    count(outcomes, `${fx.format}:ok`);
    if (after !== before + 1) failures.push(`${what}: imported, but the dataset count went ${before} -> ${after}`);
  } else {
    count(outcomes, `${fx.format}:${r.error.code}`);
    const { code, message } = r.error;
    const problems = (r.error.details as { problems?: { file: string; line: number }[] } | undefined)?.problems ?? [];
    const first = problems[0];
    if (after !== before)
      failures.push(`${what}: refused (${message.slice(0, 200)}), but the dataset count went ${before} -> ${after}`);
    if (code !== 'BAD_FILE') failures.push(`${what}: ${code}: ${message.slice(0, 300)}`);
    else if (!first || !first.file.startsWith(dir) || !message.includes(dir))
      failures.push(
        `${what}: not located at a file of the case: ${message.slice(0, 300)} ${JSON.stringify(first)?.slice(0, 200)}`,
      );
    if (message.length === 0 || message.length > 4000)
      failures.push(`${what}: message of ${message.length} characters`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return r;
}

beforeAll(() => {
  dataDir = tempDir('pst-lab-import-fuzz-');
  // Serve mode: imports read only inside the data folder, as they do for a browser.
  lab = Lab.open({ dataDir, runtime: 'serve' });
});

afterAll(() => {
  lab?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const summary = (m: Map<string, number>): string =>
    [...m]
      .sort()
      .map(([k, n]) => `${k}=${n}`)
      .join(' ');
  console.log(
    `import fuzz (seed ${SEED}): ${cases} cases, ${failures.length} failures; ${summary(outcomes)}; mutations: ${summary(byMutation)}; slowest case ${slowest.ms.toFixed(0)} ms (${slowest.what}); CPU time of the cases ${(cpuMs / 1000).toFixed(1)} s (wall ${((performance.now() - startedAt) / 1000).toFixed(1)} s)`,
  );
});

describe('import fuzz', () => {
  it('every valid fixture imports as is (the mutations start from good files)', async () => {
    for (const fx of FIXTURES) {
      for (const forceFormat of [true, false]) {
        const r = await runCase(fx, fx.files, `${fx.format} unmutated${forceFormat ? '' : ' (detected)'}`, forceFormat);
        expect(r, `${fx.format}${forceFormat ? '' : ' (detected)'}`).toMatchObject({
          ok: true,
          value: { format: fx.format },
        });
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  for (const fx of FIXTURES) {
    it(`${fx.format}: ${CASES_PER_FORMAT} mutated imports`, async () => {
      const names = Object.keys(fx.files);
      for (let i = 0; i < CASES_PER_FORMAT; i++) {
        const target = pick(names);
        let bytes = Buffer.from(fx.files[target]!);
        const applied: string[] = [];
        for (let n = 1 + (int(3) === 0 ? 1 : 0); n > 0; n--) {
          const m = pick(MUTATION_NAMES);
          applied.push(m);
          count(byMutation, m);
          bytes = Buffer.from(MUTATIONS[m]!(bytes));
        }
        await runCase(
          fx,
          { ...fx.files, [target]: bytes },
          `${fx.format} #${i} ${target} [${applied.join('+')}]`,
          int(2) === 0,
        );
      }
      expect(failures).toEqual([]);
    }, 900_000);
  }

  it('the database is whole and no temporary file is left', () => {
    expectWholeLab(lab, dataDir, /^fuzz-cases\/./);
  });
});
