// `pst-lab bench semantic`: short PST trainings on a generated task, one per (encoder, loss) pair,
// printing the target diagnostics (diversity, retrieval) and test accuracy (docs/methods.md,
// "Choosing the default"). Figures are printed, never asserted.
import { PST_ENCODERS, PST_LOSSES, type PstEncoderName, type PstLossName } from '../../../shared/types/runs';
import { initBackend } from '../../lab/compute/backends';
import { SYNTHETIC_TASK_NAMES } from '../../lab/synthetic';
import { benchSemantic, type SemanticBenchRow } from '../../lab/training/semantic/bench';
import { computeFlags } from '../computeOptions';
import { UsageError, defineCommand } from '../command';
import { printJson, printTable } from '../output';
import { choiceOption, numberOption, stringOption } from '../parse';

const usage =
  `pst-lab bench semantic [--task ${SYNTHETIC_TASK_NAMES.join('|')}] [--n 200] [--steps 60] [--self-steps 60] [--seed 1] ` +
  `[--hallucination-rate R] [--encoders ${PST_ENCODERS.join(',')}] [--losses ${PST_LOSSES.join(',')}] ` +
  '[--encoder-student DIR] [--backend NAME] [--threads N] [--json]';

function list<T extends string>(
  raw: string | undefined,
  allowed: readonly T[],
  flag: string,
  fallback: readonly T[],
): T[] {
  if (raw === undefined) return [...fallback];
  const items = raw.split(',').map((x) => x.trim());
  for (const x of items)
    if (!(allowed as readonly string[]).includes(x))
      throw new UsageError(`--${flag}: "${x}" is not one of ${allowed.join(', ')}`, usage);
  return [...new Set(items)] as T[];
}

const pct = (x: number | undefined | null): string => (x == null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null | undefined): string => (x == null ? 'n/a' : x.toFixed(3));

export const benchSemanticCommand = defineCommand({
  usage,
  summary:
    "PST target diagnostics per (encoder, loss) pair: short trainings on a generated task, printing the targets' diversity (raw and centred), retrieval of each rationale's own target (train and validation, with chance) and test accuracy.",
  async run({ values, json, io }) {
    const task = choiceOption(values, 'task', SYNTHETIC_TASK_NAMES, usage) ?? 'coin_flip';
    const encoderDir = stringOption(values, 'encoder-student');
    const defaultEncoders: PstEncoderName[] = [
      'self-online',
      'hashed-tfidf',
      'self',
      ...(encoderDir ? (['external'] as const) : []),
    ];
    const encoders = list(stringOption(values, 'encoders'), PST_ENCODERS, 'encoders', defaultEncoders);
    const losses = list<PstLossName>(stringOption(values, 'losses'), PST_LOSSES, 'losses', ['cosine', 'infonce']);
    if (encoders.includes('external') && !encoderDir)
      throw new UsageError('--encoders external needs --encoder-student DIR (a sentence encoder folder)', usage);
    const n = numberOption(values, 'n', usage, { integer: true, min: 20 }) ?? 200;
    const steps = numberOption(values, 'steps', usage, { integer: true, min: 1 }) ?? 60;
    const selfSteps = numberOption(values, 'self-steps', usage, { integer: true, min: 1 }) ?? 60;
    const seed = numberOption(values, 'seed', usage, { integer: true, min: 0 }) ?? 1;
    const rate = numberOption(values, 'hallucination-rate', usage, { min: 0, max: 1 }) ?? 0;
    const { backend, threads } = computeFlags(values, usage);
    const selection = await initBackend(backend, threads ? { threads } : {});
    const log = json ? undefined : (t: string): void => io.stderr(`${t}\n`);
    log?.(`bench semantic: ${task}, ${n} examples (70/10/20), ${steps} steps, seed ${seed}, ${selection.name}`);
    const rows: SemanticBenchRow[] = await benchSemantic({
      task,
      n,
      steps,
      seed,
      selfSteps,
      hallucinationRate: rate,
      candidates: encoders.flatMap((encoder) => losses.map((loss) => ({ encoder, loss }))),
      ...(encoderDir ? { encoderDir } : {}),
      ...(log ? { onProgress: log } : {}),
    });
    if (json)
      return printJson(io, { task, n, steps, selfSteps, seed, hallucinationRate: rate, backend: selection.name, rows });
    printTable(
      io,
      [
        'encoder + loss',
        'diversity (raw)',
        'train top1 (chance)',
        'val top1 / top5 (chance)',
        'cos own / others',
        'test acc',
        's',
      ],
      rows.map((r) => {
        const s = r.start;
        const e = r.end;
        return [
          `${r.encoder} + ${r.loss}${s?.degenerate ? ' (degenerate)' : ''}`,
          `${num(s?.diversity)} (${num(s?.rawDiversity)})`,
          `${pct(e?.train?.top1)} (${pct(e?.train?.chanceTop1)})`,
          `${pct(e?.val?.top1)} / ${pct(e?.val?.top5)} (${pct(e?.val?.chanceTop1)})`,
          `${num(e?.train?.cosOwn)} / ${num(e?.train?.cosOthers)}`,
          `${pct(r.testAccuracy)} of ${r.testCount}`,
          r.seconds.toFixed(0),
        ];
      }),
    );
    for (const r of rows) for (const w of r.warnings) io.stderr(`WARNING (${r.encoder} + ${r.loss}): ${w}\n`);
  },
});
