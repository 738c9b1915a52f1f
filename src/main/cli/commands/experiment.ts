// `pst-lab experiment ...`: plan, create, run (following progress on stderr; Ctrl+C stops the
// running runs and leaves the experiment resumable), status, list, cancel, retry.
import fs from 'node:fs';
import type { CellGroup, ExperimentProgress, ExperimentSummary } from '../../../shared/types/experiments';
import { experimentScheduler } from '../../lab/experiments/scheduler';
import { readSpecFile } from '../../lab/experiments/specFile';
import { experimentIdByRef } from '../../lab/experiments/store';
import type { Lab } from '../../lab/lab';
import { call, labCommand, listCommand } from '../call';
import { UsageError, type Command, type CommandIo } from '../command';
import { COMPUTE_USAGE, computeFlags } from '../computeOptions';
import { printFields, printTable } from '../output';
import { numberOption, queueOption, stringOption } from '../parse';

const pct = (x: number | null | undefined): string | null =>
  x === null || x === undefined ? null : `${(100 * x).toFixed(1)}%`;
const duration = (s: number | null): string | null => {
  if (s === null) return null;
  const m = Math.floor(s / 60);
  return m ? `${m}m ${Math.round(s % 60)}s` : `${Math.round(s)}s`;
};

function statusCounts(s: Pick<ExperimentSummary, 'byStatus'>): string {
  return Object.entries(s.byStatus)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}

function progressLine(p: ExperimentProgress): string {
  const parts = [`experiment ${p.experimentId} ${p.status}`, `${(100 * p.progress).toFixed(0)}%`, statusCounts(p)];
  if (p.etaSec !== null) parts.push(`ETA ${duration(p.etaSec)}`);
  const active = p.active.map(
    (a) =>
      `#${a.runId} ${a.label}${a.worker ? ` @${a.worker}` : ''} s${a.step}/${a.steps}${a.evaluating ? ` eval ${a.evaluating.done}/${a.evaluating.total}` : ''}`,
  );
  if (active.length) parts.push(`[${active.join('; ')}]`);
  return parts.join('  ');
}

function printGroups(io: CommandIo, groups: CellGroup[]): void {
  const f = (x: number | null | undefined, d = 1): string | null =>
    x === null || x === undefined ? null : x.toFixed(d);
  printTable(
    io,
    [
      'group',
      'runs',
      'accuracy',
      'std',
      '95% CI (t, seeds)',
      'majority',
      'chance',
      'no answer',
      'tokens to answer',
      'ms to answer',
    ],
    groups.map((g) => {
      const ci = g.accuracy?.ci;
      return [
        g.key,
        `${g.accuracy?.n ?? 0}/${g.runIds.length}`,
        pct(g.accuracy?.mean),
        g.accuracy?.std === null || g.accuracy === null ? null : `${(100 * g.accuracy.std).toFixed(1)}`,
        !ci ? null : ci.low === null || ci.high === null ? `n/c (n=${ci.n})` : `${pct(ci.low)}..${pct(ci.high)}`,
        pct(g.baselines?.majority.accuracy),
        g.baselines ? (pct(g.baselines.chance) ?? 'n/a') : null,
        pct(g.noAnswer?.mean),
        f(g.meanTokensToAnswer?.mean),
        f(g.meanMsToAnswer?.mean),
      ];
    }),
  );
}

const positiveInt = (values: Record<string, unknown>, name: string, usage: string): number | undefined =>
  numberOption(values as Parameters<typeof numberOption>[0], name, usage, { integer: true, min: 1, max: 64 });

/** Follows an experiment this process runs until its queue is done; Ctrl+C stops it resumably. */
async function follow(lab: Lab, experimentId: number, io: CommandIo, quiet: boolean): Promise<void> {
  const tty = process.stderr.isTTY === true;
  let last = '';
  const off = lab.events.subscribe((m) => {
    if (quiet || m.name !== 'experiment.progress' || m.payload.experimentId !== experimentId) return;
    const line = progressLine(m.payload);
    if (line === last) return;
    last = line;
    io.stderr(tty ? `\r\x1b[K${line}` : `${line}\n`);
  });
  const scheduler = experimentScheduler(lab.context);
  const onSigint = (): void => {
    io.stderr(
      `\nstopping experiment ${experimentId}: running runs are cancelled (they keep their checkpoints); continue with \`pst-lab experiment run ${experimentId}\`\n`,
    );
    scheduler.stop(experimentId);
  };
  process.on('SIGINT', onSigint);
  try {
    await scheduler.wait(experimentId);
  } finally {
    process.off('SIGINT', onSigint);
    off();
    if (tty && !quiet) io.stderr('\n');
  }
}

const planUsage = `pst-lab experiment plan <spec.json> [--concurrency N] ${COMPUTE_USAGE} [--probe] [--json] [--data-dir DIR]`;
export const experimentPlanCommand = labCommand({
  usage: planUsage,
  summary:
    'Show the runs a spec expands into and the time estimated from finished runs (starts nothing; --probe trains a few steps of each unmeasured method to measure its speed).',
  positionals: [1, 1],
  ask({ values, positionals }) {
    const spec = { ...readSpecFile(positionals[0]!), ...computeFlags(values, planUsage) };
    const concurrency = positiveInt(values, 'concurrency', planUsage);
    return (lab) =>
      call(lab, 'experiments.plan', {
        spec,
        probe: values.probe === true,
        ...(concurrency ? { concurrency } : {}),
      } as Parameters<typeof call<'experiments.plan'>>[2]);
  },
  print(plan, { io }) {
    printFields(io, [
      ['runs', `${plan.runs} in ${plan.groups} groups, seeds ${plan.seeds.join(', ')}`],
      ['concurrency', plan.concurrency],
      ['estimated time', duration(plan.estimatedSeconds) ?? 'no estimate yet'],
    ]);
    io.stdout(`\n${plan.explanation}\n`);
  },
});

const createUsage = `pst-lab experiment create <spec.json> ${COMPUTE_USAGE} [--json] [--data-dir DIR]`;
export const experimentCreateCommand = labCommand({
  usage: createUsage,
  summary: 'Store an experiment and queue all its runs (generating synthetic variants); starts nothing.',
  positionals: [1, 1],
  ask({ values, positionals }) {
    const spec = { ...readSpecFile(positionals[0]!), ...computeFlags(values, createUsage) };
    return (lab) => call(lab, 'experiments.create', { spec } as Parameters<typeof call<'experiments.create'>>[2]);
  },
  print(detail, { io }) {
    io.stdout(`experiment ${detail.id}\n`);
    io.stderr(
      `experiment ${detail.id} "${detail.name}": ${detail.runs} runs queued; run them with \`pst-lab experiment run ${detail.id}\`\n`,
    );
  },
});

const runUsage = `pst-lab experiment run <spec.json|experiment> [--concurrency N] [--queue redis://[user:password@]HOST:PORT[/DB] [--tls] [--tls-ca FILE]] ${COMPUTE_USAGE} [--json] [--data-dir DIR]`;
export const experimentRunCommand = labCommand({
  usage: runUsage,
  summary:
    "Run an experiment's queue (creating it from a spec file first) with N concurrent run processes; progress on stderr, Ctrl+C stops resumably.",
  positionals: [1, 1],
  ask({ values, positionals, json, io }) {
    const ref = positionals[0]!;
    const concurrency = positiveInt(values, 'concurrency', runUsage);
    const location = queueOption(values, runUsage);
    const queueUrl = location ? stringOption(values, 'queue') : undefined;
    if (location && concurrency !== undefined) {
      throw new UsageError('--concurrency is for local run processes; on a queue each worker sets its own (pst-lab worker --concurrency)', runUsage);
    }
    const compute = computeFlags(values, runUsage);
    const isFile = ref.endsWith('.json') || (fs.existsSync(ref) && fs.statSync(ref).isFile());
    if (!isFile && Object.keys(compute).length > 0)
      throw new UsageError(
        "--backend, --threads and --cuda-libs apply to a spec file (an existing experiment keeps its runs' settings)",
        runUsage,
      );
    const spec = isFile ? { ...readSpecFile(ref), ...compute } : null;
    return async (lab) => {
      let id: number;
      if (spec) {
        const detail = await call(lab, 'experiments.create', { spec } as Parameters<
          typeof call<'experiments.create'>
        >[2]);
        id = detail.id;
        if (!json) io.stderr(`experiment ${id} "${detail.name}": ${detail.runs} runs queued\n`);
      } else {
        id = experimentIdByRef(lab.db, ref);
      }
      const t0 = Date.now();
      const started = await call(lab, 'experiments.start', {
        experiment: id,
        ...(concurrency ? { concurrency } : {}),
        ...(queueUrl
          ? { queue: { url: queueUrl, tls: location!.tls, ...(location!.tlsCa ? { tlsCa: location!.tlsCa } : {}) } }
          : {}),
      });
      if (!json) {
        io.stderr(
          queueUrl
            ? `experiment ${id}: runs are on the queue at ${location!.redacted}; start workers with \`pst-lab worker --queue ...\`\n`
            : `running experiment ${id} with ${started.concurrency} concurrent run process(es)\n`,
        );
      }
      await follow(lab, id, io, json);
      const results = await call(lab, 'experiments.results', { experiment: id });
      return { results, wallSec: (Date.now() - t0) / 1000 };
    };
  },
  json: (out) => ({ ...out.results, wallSec: out.wallSec }),
  print(out, { io }) {
    const e = out.results.experiment;
    printFields(io, [
      ['experiment', `${e.id} (${e.name})`],
      ['status', `${e.status}: ${statusCounts(e)}`],
      ['wall time', duration(out.wallSec)],
    ]);
    io.stdout('\n');
    printGroups(io, out.results.groups);
    if (e.status === 'failed')
      throw new Error(
        `experiment ${e.id} has failed runs; see \`pst-lab experiment status ${e.id}\` and retry them with \`pst-lab experiment retry ${e.id}\``,
      );
  },
});

export const experimentStatusCommand = labCommand({
  usage: 'pst-lab experiment status <experiment> [--json] [--data-dir DIR]',
  summary: 'Show an experiment: runs by status, progress, every run of the grid, and the groups over seeds.',
  positionals: [1, 1],
  ask: ({ positionals }) => async (lab) => {
    const id = experimentIdByRef(lab.db, positionals[0]!);
    const detail = await call(lab, 'experiments.get', { experiment: id });
    const results = await call(lab, 'experiments.results', { experiment: id });
    return { experiment: detail, groups: results.groups };
  },
  print({ experiment: d, groups }, { io }) {
    printFields(io, [
      ['experiment', `${d.id} (${d.name})`],
      ['status', `${d.status}: ${statusCounts(d)}`],
      ['progress', `${(100 * d.progress).toFixed(1)}% of all training steps`],
      ['concurrency', d.concurrency],
    ]);
    io.stdout('\n');
    printTable(
      io,
      ['run', 'cell', 'status', 'step', 'test acc', 'dataset'],
      d.runsDetail.map((r) => [
        r.runId,
        r.key,
        r.status + (r.error ? ` (${r.error.slice(0, 60)})` : ''),
        `${r.step}/${r.steps}`,
        pct(r.testAccuracy),
        `${r.datasetId} v${r.version}`,
      ]),
    );
    io.stdout('\n');
    printGroups(io, groups);
  },
});

export const experimentListCommand = listCommand({
  usage: 'pst-lab experiment list [--json] [--data-dir DIR]',
  summary: 'List experiments with status and progress.',
  ask: (lab) => call(lab, 'experiments.list', {}),
  empty: 'No experiments yet. Create one with `pst-lab experiment create spec.json`.',
  columns: ['id', 'name', 'status', 'runs', 'progress', 'created'],
  row: (e) => [e.id, e.name, e.status, `${e.runs} (${statusCounts(e)})`, `${(100 * e.progress).toFixed(0)}%`, e.createdAt],
});

/** cancel and retry: one experiment in, its summary out. */
function summaryCommand(action: 'cancel' | 'retry'): Command {
  return labCommand({
    usage: `pst-lab experiment ${action} <experiment> [--json] [--data-dir DIR]`,
    summary:
      action === 'cancel'
        ? 'Cancel an experiment: queued runs are cancelled, running ones stop after saving a checkpoint.'
        : 'Queue the failed runs of an experiment again (run them with `pst-lab experiment run`).',
    positionals: [1, 1],
    ask: ({ positionals }) => (lab) => {
      const id = experimentIdByRef(lab.db, positionals[0]!);
      return action === 'cancel'
        ? call(lab, 'experiments.cancel', { experiment: id })
        : call(lab, 'experiments.retry', { experiment: id, start: false });
    },
    print: (s, { io }) => io.stdout(`experiment ${s.id}: ${s.status} (${statusCounts(s)})\n`),
  });
}

export const EXPERIMENT_COMMANDS: readonly Command[] = [
  experimentPlanCommand,
  experimentCreateCommand,
  experimentRunCommand,
  experimentStatusCommand,
  experimentListCommand,
  summaryCommand('cancel'),
  summaryCommand('retry'),
];
