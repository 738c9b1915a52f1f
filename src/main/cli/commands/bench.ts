// `pst-lab bench ...`: speed figures printed, never asserted.
import { BACKEND_NAMES, type BackendName } from '../../../shared/types/app';
import { benchImport } from '../../lab/bench/importBench';
import { benchExperiment, BENCH_EXPERIMENT_SPEC } from '../../lab/experiments/bench';
import { initBackend, probeBackends } from '../../lab/compute/backends';
import { benchTrain, type BenchFigures } from '../../lab/training/bench';
import { UsageError } from '../command';
import type { Command } from '../command';
import { printFields, printJson } from '../output';
import { benchQueue } from '../../lab/queue/bench';
import { numberOption, queueOption, stringOption } from '../parse';

const importUsage = 'pst-lab bench import [--n 100000] [--json]';

export const benchImportCommand: Command = {
  path: ['bench', 'import'],
  usage: importUsage,
  summary: 'Time importing a generated JSONL file (default 100,000 examples) into a throw-away lab.',
  options: { n: { type: 'string' } },
  positionals: [0, 0],
  async run({ values, json, io }) {
    const n = numberOption(values, 'n', importUsage, { integer: true, min: 1 }) ?? 100_000;
    const r = await benchImport(n);
    if (json) return printJson(io, r);
    printFields(io, [
      ['examples', r.n],
      ['file size', `${(r.fileBytes / 2 ** 20).toFixed(1)} MiB`],
      ['parse', `${r.parseMs} ms (${r.parseExamplesPerSecond} examples/s)`],
      ['store', `${r.storeMs} ms (${r.storeExamplesPerSecond} examples/s)`],
      ['total', `${r.totalMs} ms (${r.examplesPerSecond} examples/s)`],
    ]);
  },
};

const trainUsage = `pst-lab bench train [--backend ${BACKEND_NAMES.join('|')}] [--steps N] [--json]`;

export const benchTrainCommand: Command = {
  path: ['bench', 'train'],
  usage: trainUsage,
  summary: 'Training tokens/s, matmul GFLOP/s, model-FLOP utilisation, peak memory and generation tokens/s per loadable backend (tiny, batch 16, context 64).',
  options: { backend: { type: 'string' }, steps: { type: 'string' } },
  positionals: [0, 0],
  async run({ values, json, io }) {
    const wanted = stringOption(values, 'backend');
    if (wanted && !(BACKEND_NAMES as readonly string[]).includes(wanted)) throw new UsageError(`unknown --backend ${wanted}`, trainUsage);
    const steps = numberOption(values, 'steps', trainUsage, { integer: true, min: 1 });
    const probes = await probeBackends();
    const targets = wanted ? [wanted as BackendName] : probes.filter((p) => p.available).map((p) => p.name);
    const results: (BenchFigures | { backend: string; error: string })[] = [];
    for (const name of targets) {
      if (!json) io.stderr(`benchmarking ${name}...\n`);
      try {
        await initBackend(name);
        results.push(await benchTrain(steps ? { steps } : {}));
      } catch (err) {
        results.push({ backend: name, error: (err as Error).message });
      }
    }
    const skipped = probes.filter((p) => !p.available).map((p) => ({ backend: p.name, reason: p.reason ?? 'unavailable' }));
    if (json) return printJson(io, { results, skipped });
    for (const r of results) {
      if ('error' in r) {
        io.stdout(`${r.backend}: failed: ${r.error}\n`);
        continue;
      }
      io.stdout(`\n${r.backend}\n`);
      printFields(io, [
        ['model', `${r.config.layers} x ${r.config.width}, ${r.config.heads} heads, ${r.parameters} parameters`],
        ['batch x context', `${r.batch} x ${r.seqLen}`],
        ['training', `${Math.round(r.trainTokensPerSec)} tokens/s (${r.msPerStep.toFixed(1)} ms/step)`],
        ['achieved', `${r.achievedGflops.toFixed(2)} GFLOP/s`],
        ['matmul', `${r.matmulGflops.toFixed(2)} GFLOP/s`],
        ['MFU', `${(100 * r.mfu).toFixed(1)}%`],
        ['peak memory', `${(r.peakTensorBytes / 2 ** 20).toFixed(0)} MiB tensors, ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB RSS`],
        ['generation', `${Math.round(r.generationTokensPerSec)} tokens/s`],
      ]);
    }
    for (const s of skipped) io.stdout(`${s.backend}: not loadable (${s.reason})\n`);
  },
};

const benchExperimentUsage = 'pst-lab bench experiment [--queue redis://HOST:PORT[/DB] [--tls] [--workers N]] [--json]';
export const benchExperimentCommand: Command = {
  path: ['bench', 'experiment'],
  usage: benchExperimentUsage,
  summary: `Wall time of a fixed grid (${BENCH_EXPERIMENT_SPEC.methods.length} methods x 2 seeds, tiny model) through the experiment queue with 1, then 2 concurrent run processes, and the speed-up; with --queue, the local queue against N worker processes on a Redis queue.`,
  options: { queue: { type: 'string' }, tls: { type: 'boolean' }, workers: { type: 'string' } },
  positionals: [0, 0],
  async run({ values, json, io }) {
    const location = queueOption(values, benchExperimentUsage);
    const workers = numberOption(values, 'workers', benchExperimentUsage, { integer: true, min: 1, max: 16 });
    if (!location && workers !== undefined) throw new UsageError('--workers goes with --queue', benchExperimentUsage);
    if (location) {
      const q = await benchQueue(stringOption(values, 'queue')!, location, workers ?? 2, json ? undefined : (t) => io.stderr(t));
      if (json) return printJson(io, { ...q, queue: { ...q.queue, url: location.redacted } });
      printFields(io, [
        ['grid', `${q.runs} runs (${BENCH_EXPERIMENT_SPEC.methods.join(', ')} x 2 seeds, ${BENCH_EXPERIMENT_SPEC.budget.steps} steps)`],
        ['cores', q.cores],
        [`local queue, ${q.workers} run process(es)`, `${(q.local.ms / 1000).toFixed(1)} s (${q.local.status})`],
        [`${location.redacted}, ${q.workers} worker(s)`, `${(q.queue.ms / 1000).toFixed(1)} s (${q.queue.status})`],
        ['local / queue', `${q.speedup.toFixed(2)}x`],
      ]);
      return;
    }
    const r = await benchExperiment(json ? undefined : (t) => io.stderr(t));
    if (json) return printJson(io, r);
    printFields(io, [
      ['grid', `${r.runs} runs (${BENCH_EXPERIMENT_SPEC.methods.join(', ')} x 2 seeds, ${BENCH_EXPERIMENT_SPEC.budget.steps} steps)`],
      ['cores', r.cores],
      ...r.wallMs.map((w): [string, string] => [`concurrency ${w.concurrency}`, `${(w.ms / 1000).toFixed(1)} s (${w.status})`]),
      ['speed-up', `${r.speedup.toFixed(2)}x`],
    ]);
  },
};

export const BENCH_COMMANDS: readonly Command[] = [benchImportCommand, benchTrainCommand, benchExperimentCommand];
