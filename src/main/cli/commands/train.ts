// `pst-lab train`, `pst-lab runs ...` and `pst-lab eval`: start runs in their own process, follow
// them on stderr, and read what they recorded.
import {
  METHOD_IDS,
  METHOD_OPTIONS,
  METHOD_OPTION_KEYS,
  MODEL_OVERRIDE_RANGES,
  PRESETS,
  RUN_OPTION_FLAGS as F,
  RUN_RANGES,
  TRAINING_SUBSETS,
  optionUsage,
  type OptionSpec,
} from '../../../shared/catalogue';
import type { MethodOptions, RunDetail, RunProgress, RunSummary, SemanticRecord } from '../../../shared/types/runs';
import { datasetIdByName } from '../../lab/datasets/store/datasets';
import { loraText } from '../../lab/students/trainable';
import type { LoraConfig } from '../../lab/training/student';
import type { Lab } from '../../lab/lab';
import { call, withLab } from '../call';
import { COMPUTE_USAGE, computeFlags } from '../computeOptions';
import { UsageError, type Command, type CommandIo, type ParsedValues } from '../command';
import { printFields, printJson, printTable } from '../output';
import { loraOption, numberOption, stringOption } from '../parse';

const trainUsage =
  'pst-lab train --dataset D [--version V] --method ' +
  METHOD_IDS.join('|') +
  ` [--preset ${PRESETS.join('|')} | ${F.student.usage} [${F.loraRank.usage} [${F.loraAlpha.usage}] [${F.loraDropout.usage}] [${F.loraTargets.usage}]]] [--steps N] [--batch B] [${F.accumulate.usage}] [--lr LR] [--seed S] ` +
  COMPUTE_USAGE +
  ` [--subset ${TRAINING_SUBSETS.join('|')}] ${METHOD_OPTION_KEYS.map(optionUsage).join(' ')} ` +
  `[--layers N] [--width N] [--heads N] [--context N] [--dropout P] [--eval-every N] [--val-examples N] [--test-examples N] [--patience N] [--allow-truncation] [${F.randomPositions.usage}] [--name N] [--json] [--data-dir DIR]`;

function choice<T extends string>(values: ParsedValues, name: string, allowed: readonly T[], usage: string): T | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got "${v}"`, usage);
  return v as T;
}

/** Prints one progress line to stderr (overwritten in place on a terminal). */
function progressPrinter(io: CommandIo, tty: boolean): (p: RunProgress) => void {
  let last = '';
  return (p) => {
    const pct = p.steps ? Math.floor((100 * p.step) / p.steps) : 0;
    const parts = [`run ${p.runId} ${p.status}`, `step ${p.step}/${p.steps} (${pct}%)`];
    if (p.loss !== null) parts.push(`loss ${p.loss.toFixed(4)}`);
    if (p.answerLoss !== null) parts.push(`ans ${p.answerLoss.toFixed(3)}`);
    if (p.rationaleLoss !== null) parts.push(`rat ${p.rationaleLoss.toFixed(3)}`);
    if (p.semanticLoss !== null) parts.push(`sem ${p.semanticLoss.toFixed(3)}`);
    if (p.lr !== null) parts.push(`lr ${p.lr.toExponential(2)}`);
    if (p.tokensPerSec !== null) parts.push(`${Math.round(p.tokensPerSec)} tok/s`);
    if (p.etaSec !== null && p.status === 'running' && !p.evaluating) parts.push(`ETA ${Math.round(p.etaSec)}s`);
    if (p.evaluating) parts.push(`evaluating ${p.evaluating.done}/${p.evaluating.total}`);
    const line = parts.join('  ');
    if (line === last) return;
    last = line;
    io.stderr(tty ? `\r\x1b[K${line}` : `${line}\n`);
  };
}

/** Follows a run this process owns until it ends; Ctrl+C cancels it (it stays resumable). */
async function follow(lab: Lab, run: RunSummary, io: CommandIo): Promise<RunDetail> {
  const tty = process.stderr.isTTY === true;
  const print = progressPrinter(io, tty);
  const off = lab.events.subscribe((m) => {
    if (m.name === 'run.progress' && m.payload.runId === run.id) print(m.payload);
  });
  const onSigint = (): void => {
    io.stderr(`\ncancelling run ${run.id} (it can be resumed with \`pst-lab runs resume ${run.id}\`)...\n`);
    void lab.dispatch('runs.cancel', { run: run.id });
  };
  process.on('SIGINT', onSigint);
  try {
    await lab.context.runs.wait(run.id);
  } finally {
    process.off('SIGINT', onSigint);
    off();
    if (tty) io.stderr('\n');
  }
  return call(lab, 'runs.get', { run: run.id });
}

/** The method options given as flags, checked against the catalogue's values and ranges. */
function methodOptions(values: ParsedValues, usage: string): MethodOptions {
  const o: Record<string, unknown> = {};
  for (const key of METHOD_OPTION_KEYS) {
    const spec: OptionSpec = METHOD_OPTIONS[key];
    const v =
      spec.kind === 'choice'
        ? choice(values, spec.flag, spec.values, usage)
        : spec.kind === 'text'
          ? stringOption(values, spec.flag)
          : numberOption(values, spec.flag, usage, spec);
    if (v !== undefined) o[key] = v;
  }
  return o as MethodOptions;
}

/** Tokens and ms to the answer, over outputs that have one. */
function toAnswer(tokens: number | null, ms: number | null): string {
  return tokens === null || ms === null ? 'no output has an answer' : `${tokens.toFixed(1)} tokens, ${ms.toFixed(1)} ms (outputs with an answer)`;
}

/** The pretrained student a run trained (from its resolved start record), or null for the char GPT. */
function studentLine(r: RunDetail): string | null {
  const start = (r.resolved as { start?: { modelConfig?: Record<string, unknown>; parameters?: number; trainableParameters?: number } } | null)?.start;
  const m = start?.modelConfig;
  if (!m || m['kind'] !== 'hf') return r.spec.student ? r.spec.student : null;
  const lora = m['lora'] as LoraConfig | null;
  return (
    `${String(m['name'] ?? m['dir'])} (${String(m['architecture'])}, ${String(m['dir'])}), ` +
    `${start?.parameters ?? '?'} parameters, ${start?.trainableParameters ?? '?'} trained` +
    (lora ? `, ${loraText(lora)}` : ', full fine-tuning')
  );
}

const peak = (r: RunDetail): number | null => (r.final as { peakRssBytes?: number } | null)?.peakRssBytes ?? null;

function printRunResult(io: CommandIo, r: Awaited<ReturnType<typeof call<'runs.get'>>>): void {
  const test = (
    r.final as {
      test?: { accuracy: number; count: number; meanTokensToAnswer: number | null; meanMsToAnswer: number | null; noAnswerShare?: number } | null;
    } | null
  )?.test;
  printFields(io, [
    ['run', `${r.id} (${r.name})`],
    ['status', r.status + (r.error ? `: ${r.error}` : '')],
    ['dataset', `${r.datasetName} v${r.version}`],
    ['method', `${r.method}, ${r.spec.student ? 'student' : `preset ${r.preset}`}, seed ${r.seed}`],
    ['student', studentLine(r)],
    ['effective batch', r.spec.accumulate && r.spec.accumulate > 1 ? `${r.spec.batchSize} x ${r.spec.accumulate} = ${r.spec.batchSize * r.spec.accumulate}` : null],
    ['peak memory', peak(r) === null ? null : `${(peak(r)! / 2 ** 20).toFixed(0)} MiB (process RSS high-water mark)`],
    ['backend', r.backend ? `${r.backend} (${r.backendReason ?? ''})` : null],
    ['steps', `${r.step}/${r.steps}`],
    ['last loss', r.lastLoss === null ? null : r.lastLoss.toFixed(4)],
    ['best val accuracy', r.bestValAccuracy === null ? null : `${(100 * r.bestValAccuracy).toFixed(1)}%`],
    ['test accuracy', r.testAccuracy === null ? null : `${(100 * r.testAccuracy).toFixed(1)}%${test ? ` on ${test.count} examples` : ''}`],
    ['to answer', test ? toAnswer(test.meanTokensToAnswer, test.meanMsToAnswer) : null],
    ['no answer', test?.noAnswerShare === undefined ? null : `${(100 * test.noAnswerShare).toFixed(1)}% of outputs`],
  ]);
}

/** Warnings the run recorded, loudly on stderr (they also appear in `runs show` and the app). */
function printWarnings(io: CommandIo, r: RunDetail): void {
  for (const w of r.warnings) io.stderr(`WARNING (run ${r.id}): ${w}\n`);
}

const pct1 = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** PST diagnostics table: one row for the start and one per validation. */
function printSemantic(io: CommandIo, s: SemanticRecord): void {
  io.stdout(
    `\nPST semantic target: encoder ${s.encoder} (${JSON.stringify(s.encoderConfig)}), loss ${s.loss}, dim ${s.dim}, ` +
      `${s.centred ? 'centred on the training mean + L2-normalised' : 'NOT centred (raw student states)'}\n`,
  );
  const ret = (r: SemanticRecord['diagnostics'][number]['train']): string | null =>
    r ? `${pct1(r.top1)} / ${pct1(r.top5)} (chance ${pct1(r.chanceTop1)} / ${pct1(r.chanceTop5)}, n ${r.n})` : null;
  printTable(
    io,
    ['step', 'diversity', 'raw div', 'centred share', 'train top1/top5', 'cos own/others', 'val top1/top5', 'degenerate'],
    s.diagnostics.map((d) => [
      d.step,
      d.diversity?.toFixed(3) ?? null,
      d.rawDiversity?.toFixed(3) ?? null,
      d.centredShare?.toFixed(3) ?? null,
      ret(d.train),
      d.train ? `${d.train.cosOwn.toFixed(3)} / ${d.train.cosOthers.toFixed(3)}` : null,
      ret(d.val),
      d.degenerate ? 'YES' : 'no',
    ]),
  );
  io.stdout('diversity = mean off-diagonal cosine of the targets over a fixed training sample (near 1 = no information); retrieval = P(h_SEM) finds its own target.\n');
}

export const trainCommand: Command = {
  path: ['train'],
  usage: trainUsage,
  summary: 'Train a student with one method in its own process; prints the run id, streams progress to stderr, ends with the final metrics.',
  options: {
    ...Object.fromEntries(
      [
        'dataset', 'version', 'method', 'preset', 'steps', 'batch', 'lr', 'seed', 'backend', 'threads', 'cuda-libs', 'subset',
        ...METHOD_OPTION_KEYS.map((k) => METHOD_OPTIONS[k].flag),
        'layers', 'width', 'heads', 'context', 'dropout', 'eval-every', 'val-examples', 'test-examples', 'patience', 'name',
        F.student.flag, F.loraRank.flag, F.loraAlpha.flag, F.loraDropout.flag, F.loraTargets.flag, F.accumulate.flag,
      ].map((k) => [k, { type: 'string' as const }]),
    ),
    'allow-truncation': { type: 'boolean' },
    [F.randomPositions.flag]: { type: 'boolean' },
  },
  positionals: [0, 0],
  async run({ values, dataDir, json, io }) {
    const u = trainUsage;
    const datasetRef = stringOption(values, 'dataset');
    if (!datasetRef) throw new UsageError('--dataset is required', u);
    const method = choice(values, 'method', METHOD_IDS, u);
    if (!method) throw new UsageError('--method is required', u);
    const preset = choice(values, 'preset', PRESETS, u);
    const compute = computeFlags(values, u);
    const subset = choice(values, 'subset', TRAINING_SUBSETS, u);
    const int = (k: string, min = 1): number | undefined => numberOption(values, k, u, { integer: true, min });
    const model = Object.fromEntries(
      (['layers', 'width', 'heads', 'context', 'dropout'] as const)
        .map((k) => [k, numberOption(values, k, u, MODEL_OVERRIDE_RANGES[k])])
        .filter(([, v]) => v !== undefined),
    ) as Record<string, number>;
    const student = stringOption(values, F.student.flag);
    const lora = loraOption(values, u);
    const accumulate = numberOption(values, F.accumulate.flag, u, RUN_RANGES.accumulate);
    const spec = {
      method,
      ...(student ? { student } : {}),
      ...(lora ? { lora } : {}),
      ...(accumulate !== undefined ? { accumulate } : {}),
      methodOptions: methodOptions(values, u),
      ...(preset ? { preset } : {}),
      ...(Object.keys(model).length ? { model } : {}),
      ...(int('version') !== undefined ? { version: int('version') } : {}),
      ...(int('steps') !== undefined ? { steps: int('steps') } : {}),
      ...(int('batch') !== undefined ? { batchSize: int('batch') } : {}),
      ...(numberOption(values, 'lr', u, { min: 0 }) !== undefined ? { lr: numberOption(values, 'lr', u)! } : {}),
      ...(int('seed', 0) !== undefined ? { seed: int('seed', 0) } : {}),
      ...compute,
      ...(subset ? { subset } : {}),
      ...(int('eval-every', 0) !== undefined ? { evalEvery: int('eval-every', 0) } : {}),
      ...(int('val-examples') !== undefined ? { valMaxExamples: int('val-examples') } : {}),
      ...(int('test-examples') !== undefined ? { testMaxExamples: int('test-examples') } : {}),
      ...(int('patience') !== undefined ? { earlyStopPatience: int('patience') } : {}),
      ...(stringOption(values, 'name') ? { name: stringOption(values, 'name') } : {}),
      ...(values['allow-truncation'] === true ? { allowTruncation: true } : {}),
      ...(values[F.randomPositions.flag] === true ? { randomPositions: true } : {}),
    };
    const result = await withLab(dataDir, async (lab) => {
      const run = await call(lab, 'runs.start', { dataset: datasetIdByName(lab.db, datasetRef), ...spec } as Parameters<typeof call<'runs.start'>>[2]);
      io.stdout(json ? '' : `run ${run.id}\n`);
      if (!json) io.stderr(`run ${run.id} started: ${run.method} on ${run.datasetName} v${run.version}\n`);
      return follow(lab, run, io);
    });
    if (json) printJson(io, result);
    else printRunResult(io, result);
    printWarnings(io, result);
    if (result.status === 'failed') throw new Error(`run ${result.id} failed: ${result.error ?? 'unknown error'}`);
  },
};

const runArg = (positionals: string[], usage: string): number => {
  const n = Number(positionals[0]);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`<run> must be a run id, got "${positionals[0] ?? ''}"`, usage);
  return n;
};

export const runsListCommand: Command = {
  path: ['runs', 'list'],
  usage: 'pst-lab runs list [--dataset D] [--json] [--data-dir DIR]',
  summary: 'List training runs with status, progress and accuracy.',
  options: { dataset: { type: 'string' } },
  positionals: [0, 0],
  async run({ values, dataDir, json, io }) {
    const runs = await withLab(dataDir, (lab) => {
      const d = stringOption(values, 'dataset');
      return call(lab, 'runs.list', d ? { dataset: datasetIdByName(lab.db, d) } : {});
    });
    if (json) return printJson(io, runs);
    if (runs.length === 0) return void io.stdout('No runs yet. Start one with `pst-lab train --dataset D --method pst`.\n');
    const pct = (x: number | null): string | null => (x === null ? null : `${(100 * x).toFixed(1)}%`);
    printTable(
      io,
      ['id', 'name', 'dataset', 'method', 'status', 'step', 'loss', 'val acc', 'test acc', 'backend'],
      runs.map((r) => [r.id, r.name, `${r.datasetName} v${r.version}`, r.method, r.status, `${r.step}/${r.steps}`, r.lastLoss?.toFixed(4) ?? null, pct(r.bestValAccuracy), pct(r.testAccuracy), r.backend]),
    );
  },
};

export const runsShowCommand: Command = {
  path: ['runs', 'show'],
  usage: 'pst-lab runs show <run> [--json] [--data-dir DIR]',
  summary: 'Show one run: configuration, environment, metrics.',
  options: {},
  positionals: [1, 1],
  async run({ positionals, dataDir, json, io }) {
    const run = runArg(positionals, this.usage);
    const detail = await withLab(dataDir, (lab) => call(lab, 'runs.get', { run }));
    printWarnings(io, detail);
    if (json) return printJson(io, detail);
    printRunResult(io, detail);
    if (detail.semantic) printSemantic(io, detail.semantic);
    io.stdout(`\nspec: ${JSON.stringify(detail.spec)}\nenvironment: ${JSON.stringify(detail.environment)}\ndata: ${JSON.stringify(detail.dataStats)}\n`);
  },
};

function controlCommand(action: 'cancel' | 'pause'): Command {
  return {
    path: ['runs', action],
    usage: `pst-lab runs ${action} <run> [--json] [--data-dir DIR]`,
    summary: action === 'cancel' ? 'Stop a run after it saves its last checkpoint (it can be resumed).' : 'Pause a running run.',
    options: {},
    positionals: [1, 1],
    async run({ positionals, dataDir, json, io }) {
      const run = runArg(positionals, this.usage);
      const r = await withLab(dataDir, (lab) => call(lab, action === 'cancel' ? 'runs.cancel' : 'runs.pause', { run }));
      if (json) return printJson(io, r);
      io.stdout(`run ${r.id}: ${action} requested (status ${r.status})\n`);
    },
  };
}

export const runsResumeCommand: Command = {
  path: ['runs', 'resume'],
  usage: 'pst-lab runs resume <run> [--json] [--data-dir DIR]',
  summary: 'Resume a paused run, or continue a cancelled/interrupted run from its last checkpoint (followed until it ends).',
  options: {},
  positionals: [1, 1],
  async run({ positionals, dataDir, json, io }) {
    const run = runArg(positionals, this.usage);
    const result = await withLab(dataDir, async (lab) => {
      const r = await call(lab, 'runs.resume', { run });
      // A restarted run belongs to this process: follow it. A paused run owned elsewhere just continues there.
      return lab.context.runs.isActive(run) ? follow(lab, r, io) : call(lab, 'runs.get', { run });
    });
    if (json) return printJson(io, result);
    printRunResult(io, result);
  },
};

export const evalCommand: Command = {
  path: ['eval'],
  usage: 'pst-lab eval <run> [--split test|val] [--json] [--data-dir DIR]',
  summary: 'Evaluate a run\'s best checkpoint on a split (greedy decoding) and store per-example predictions.',
  options: { split: { type: 'string' } },
  positionals: [1, 1],
  async run({ values, positionals, dataDir, json, io }) {
    const run = runArg(positionals, this.usage);
    const split = choice(values, 'split', ['test', 'val'] as const, this.usage) ?? 'test';
    const out = await withLab(dataDir, async (lab) => {
      const figures = await lab.context.runs.evaluate(run, split, (done, total) => {
        if (!json) io.stderr(`\revaluating ${done}/${total}`);
      });
      if (!json) io.stderr('\n');
      const preds = await call(lab, 'runs.predictions', { run, split, limit: 1000 });
      const sims = preds.rows.filter((p) => p.tokenF1 !== null);
      const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
      return {
        run,
        split,
        ...figures,
        rationaleTokenF1: mean(sims.map((p) => p.tokenF1!)),
        rationaleRougeL: mean(sims.map((p) => p.rougeL!)),
      };
    });
    if (json) return printJson(io, out);
    printFields(io, [
      ['run', out.run],
      ['split', out.split],
      ['accuracy', `${(100 * out.accuracy).toFixed(2)}% of ${out.count}`],
      ['to answer', toAnswer(out.meanTokensToAnswer, out.meanMsToAnswer)],
      ['no answer', `${(100 * out.noAnswerShare).toFixed(1)}% of outputs`],
      ['generation', `${Math.round(out.generationTokensPerSec)} tokens/s`],
      ['rationale token F1', out.rationaleTokenF1 === null ? null : out.rationaleTokenF1.toFixed(3)],
      ['rationale ROUGE-L', out.rationaleRougeL === null ? null : out.rationaleRougeL.toFixed(3)],
      ['checkpoint', out.checkpoint],
    ]);
  },
};

export const TRAIN_COMMANDS: readonly Command[] = [
  trainCommand,
  runsListCommand,
  runsShowCommand,
  controlCommand('cancel'),
  controlCommand('pause'),
  runsResumeCommand,
  evalCommand,
];
