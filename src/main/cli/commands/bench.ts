// `pst-lab bench ...`: speed figures printed, never asserted.
import { benchImport } from '../../lab/bench/importBench';
import { benchExperiment, BENCH_EXPERIMENT_SPEC } from '../../lab/experiments/bench';
import { benchTrainAll } from '../../lab/bench/trainBench';
import { initBackend } from '../../lab/compute/backends';
import { benchStudent } from '../../lab/students/bench';
import { loraText } from '../../lab/students/trainable';
import { COMPUTE_OPTIONS, computeFlags } from '../computeOptions';
import { UsageError, type Command } from '../command';
import { printFields, printJson } from '../output';
import { benchQueue } from '../../lab/queue/bench';
import { loraOption, numberOption, queueOption, stringOption } from '../parse';

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

const trainUsage = `pst-lab bench train [--student DIR [--lora-rank R [--lora-alpha A] [--lora-dropout P] [--lora-targets a,b]] [--batch B] [--context T]] [--backend NAME] [--threads N] [--steps N] [--repeat R] [--compare-torch [--torch-python PATH]] [--json]`;

export const benchTrainCommand: Command = {
  path: ['bench', 'train'],
  usage: trainUsage,
  summary:
    'Training tokens/s, matmul GFLOP/s, model-FLOP utilisation, peak memory and generation tokens/s per loadable backend, wasm at 1 thread and every core (tiny, batch 16, context 64); --compare-torch adds PyTorch on the same CPU; --repeat R measures everything in R interleaved rounds and reports medians.',
  options: {
    backend: COMPUTE_OPTIONS.backend,
    threads: COMPUTE_OPTIONS.threads,
    steps: { type: 'string' },
    'compare-torch': { type: 'boolean' },
    'torch-python': { type: 'string' },
    repeat: { type: 'string' },
    student: { type: 'string' },
    'lora-rank': { type: 'string' },
    'lora-alpha': { type: 'string' },
    'lora-dropout': { type: 'string' },
    'lora-targets': { type: 'string' },
    batch: { type: 'string' },
    context: { type: 'string' },
  },
  positionals: [0, 0],
  async run({ values, json, io }) {
    const student = stringOption(values, 'student');
    if (student) return benchStudentCommand(student, values, json, io);
    for (const o of ['lora-rank', 'lora-alpha', 'lora-dropout', 'lora-targets', 'batch', 'context'])
      if (values[o] !== undefined) throw new UsageError(`--${o} goes with --student`, trainUsage);
    const { backend, threads } = computeFlags(values, trainUsage);
    const steps = numberOption(values, 'steps', trainUsage, { integer: true, min: 1 });
    const repeat = numberOption(values, 'repeat', trainUsage, { integer: true, min: 1 });
    const torchPython = stringOption(values, 'torch-python');
    if (torchPython && values['compare-torch'] !== true)
      throw new UsageError('--torch-python goes with --compare-torch', trainUsage);
    const r = await benchTrainAll(
      {
        ...(backend ? { backend } : {}),
        ...(threads ? { threads } : {}),
        ...(steps ? { steps } : {}),
        ...(repeat ? { repeat } : {}),
        compareTorch: values['compare-torch'] === true,
        ...(torchPython ? { python: torchPython } : {}),
      },
      json ? undefined : (t) => io.stderr(t),
    );
    if (json) return printJson(io, r);
    for (const f of r.results) {
      io.stdout(`\n${f.backend}${f.threads ? ` (${f.threads} thread${f.threads > 1 ? 's' : ''})` : ''}\n`);
      printFields(io, [
        ['model', `${f.config.layers} x ${f.config.width}, ${f.config.heads} heads, ${f.parameters} parameters`],
        ['batch x context', `${f.batch} x ${f.seqLen}`],
        ['training', `${Math.round(f.trainTokensPerSec)} tokens/s (${f.msPerStep.toFixed(1)} ms/step)`],
        ['achieved', `${f.achievedGflops.toFixed(2)} GFLOP/s`],
        ['matmul', `${f.matmulGflops.toFixed(2)} GFLOP/s`],
        ['MFU', `${(100 * f.mfu).toFixed(1)}%`],
        [
          'peak memory',
          `${(f.peakTensorBytes / 2 ** 20).toFixed(0)} MiB tensors, ${(f.peakRssBytes / 2 ** 20).toFixed(0)} MiB RSS`,
        ],
        ['generation', `${Math.round(f.generationTokensPerSec)} tokens/s`],
      ]);
    }
    io.stdout('\n');
    const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
    io.stdout(
      `${r.rounds} interleaved round(s), medians; load average ${load(r.loadAverage.start)} before, ${load(r.loadAverage.end)} after (${r.cores} cores)\n`,
    );
    const each = (xs: number[]): string =>
      xs.length > 1 ? ` (rounds: ${xs.map((x) => x.toFixed(2)).join(', ')})` : '';
    if (r.wasmSpeedup)
      io.stdout(
        `wasm ${r.wasmSpeedup.threads} threads vs 1: ${r.wasmSpeedup.ratio.toFixed(2)}x tokens/s${each(r.wasmSpeedup.rounds)}\n`,
      );
    if (r.torch && 'error' in r.torch) io.stdout(`PyTorch: ${r.torch.error}\n`);
    else if (r.torch) {
      for (const t of r.torch)
        io.stdout(
          `PyTorch ${t.torch}, ${t.threads} thread(s): ${Math.round(t.trainTokensPerSec)} tokens/s (${t.msPerStep.toFixed(1)} ms/step)${t.blas ? `; BLAS ${t.blas}, matmul ${t.matmulGflops?.toFixed(1)} GFLOP/s` : ''}\n`,
        );
      for (const q of r.torchRatios)
        io.stdout(`${q.backend} / PyTorch at ${q.threads} thread(s): ${q.ratio.toFixed(2)}${each(q.rounds)}\n`);
    }
    for (const f of r.failed)
      io.stdout(`${f.backend}${f.threads ? ` (${f.threads} threads)` : ''}: failed: ${f.error}\n`);
    for (const s of r.skipped) io.stdout(`${s.backend}: not benchmarked (${s.reason})\n`);
  },
};

/** `bench train --student DIR`: one backend (--backend, else the best loadable), full fine-tuning or LoRA. */
async function benchStudentCommand(
  dir: string,
  values: Parameters<Command['run']>[0]['values'],
  json: boolean,
  io: Parameters<Command['run']>[0]['io'],
): Promise<void> {
  const { backend, threads } = computeFlags(values, trainUsage);
  const steps = numberOption(values, 'steps', trainUsage, { integer: true, min: 1 });
  const batch = numberOption(values, 'batch', trainUsage, { integer: true, min: 1 });
  const seqLen = numberOption(values, 'context', trainUsage, { integer: true, min: 2 });
  const lora = loraOption(values, trainUsage);
  const selection = await initBackend(backend, threads ? { threads } : {});
  if (!json) io.stderr(`benchmarking ${dir} on ${selection.name}...\n`);
  const r = await benchStudent(dir, {
    ...(steps ? { steps } : {}),
    ...(batch ? { batch } : {}),
    ...(seqLen ? { seqLen } : {}),
    lora: lora ?? null,
  });
  const details = selection.probes.find((p) => p.name === selection.name)?.details ?? null;
  const threadsUsed = typeof details?.['threads'] === 'number' ? details['threads'] : null;
  if (json) return printJson(io, { ...r, backendDetails: details });
  printFields(io, [
    [
      'student',
      `${r.summary.architecture} ${r.summary.layers} x ${r.summary.hidden}, ${r.summary.heads} heads, ${r.parameters} parameters`,
    ],
    ['backend', `${r.backend}${threadsUsed ? ` (${threadsUsed} thread${threadsUsed > 1 ? 's' : ''})` : ''}`],
    [
      'mode',
      r.lora
        ? `${loraText(r.lora)} (${r.trainableParameters} trainable)`
        : `full fine-tuning (${r.trainableParameters} trainable)`,
    ],
    ['batch x context', `${r.batch} x ${r.seqLen}`],
    ['training', `${r.trainTokensPerSec.toFixed(1)} tokens/s (${r.msPerStep.toFixed(0)} ms/step)`],
    ['achieved', `${r.achievedGflops.toFixed(2)} GFLOP/s`],
    ['matmul', `${r.matmulGflops.toFixed(2)} GFLOP/s`],
    ['MFU', `${(100 * r.mfu).toFixed(1)}%`],
    [
      'peak memory',
      `${(r.peakTensorBytes / 2 ** 20).toFixed(0)} MiB tensors, ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB RSS (${(r.loadedRssBytes / 2 ** 20).toFixed(0)} MiB with the weights loaded)${r.livePeakBytes === null ? '' : `; ${(r.livePeakBytes / 2 ** 20).toFixed(0)} MiB live at most`}; estimated need ${(r.memoryBoundBytes / 2 ** 20).toFixed(0)} MiB`,
    ],
    ['generation', `${r.generationTokensPerSec.toFixed(1)} tokens/s`],
  ]);
}

const benchExperimentUsage =
  'pst-lab bench experiment [--queue redis://HOST:PORT[/DB] [--tls] [--tls-ca FILE] [--workers N]] [--json]';
export const benchExperimentCommand: Command = {
  path: ['bench', 'experiment'],
  usage: benchExperimentUsage,
  summary: `Wall time of a fixed grid (${BENCH_EXPERIMENT_SPEC.methods.length} methods x 2 seeds, tiny model) through the experiment queue with 1, then 2 concurrent run processes, and the speed-up; with --queue, the local queue against N worker processes on a Redis queue.`,
  options: {
    queue: { type: 'string' },
    tls: { type: 'boolean' },
    'tls-ca': { type: 'string' },
    workers: { type: 'string' },
  },
  positionals: [0, 0],
  async run({ values, json, io }) {
    const location = queueOption(values, benchExperimentUsage);
    const workers = numberOption(values, 'workers', benchExperimentUsage, { integer: true, min: 1, max: 16 });
    if (!location && workers !== undefined) throw new UsageError('--workers goes with --queue', benchExperimentUsage);
    if (location) {
      const q = await benchQueue(
        stringOption(values, 'queue')!,
        location,
        workers ?? 2,
        json ? undefined : (t) => io.stderr(t),
      );
      if (json) return printJson(io, { ...q, queue: { ...q.queue, url: location.redacted } });
      printFields(io, [
        [
          'grid',
          `${q.runs} runs (${BENCH_EXPERIMENT_SPEC.methods.join(', ')} x 2 seeds, ${BENCH_EXPERIMENT_SPEC.budget.steps} steps)`,
        ],
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
      [
        'grid',
        `${r.runs} runs (${BENCH_EXPERIMENT_SPEC.methods.join(', ')} x 2 seeds, ${BENCH_EXPERIMENT_SPEC.budget.steps} steps)`,
      ],
      ['cores', r.cores],
      ...r.wallMs.map((w): [string, string] => [
        `concurrency ${w.concurrency}`,
        `${(w.ms / 1000).toFixed(1)} s (${w.status})`,
      ]),
      ['speed-up', `${r.speedup.toFixed(2)}x`],
    ]);
  },
};

export const BENCH_COMMANDS: readonly Command[] = [benchImportCommand, benchTrainCommand, benchExperimentCommand];
