// `bench train`: the reference configuration on every loadable backend, wasm at 1 thread and at
// every core, side by side in one process, optionally with PyTorch on the same CPU in the same
// invocation (scripts/bench_torch.py through Debian's python3-torch). With --repeat R the whole
// set is measured R times in interleaved rounds (every backend and PyTorch once per round), and
// each figure and ratio is the median over rounds, so a machine whose load drifts during the run
// shifts every contender alike. Figures, not assertions. See docs/methods.md ("Compute backends").
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackendName } from '../../../shared/types/app';
import { initBackend, probeBackends } from '../compute/backends';
import { machineCores } from '../compute/wasm';
import { findPackageRoot } from '../paths';
import { benchTrain, type BenchFigures } from '../training/bench';

export interface TrainBenchOptions {
  /** Only this backend (an explicit webgpu may use a software adapter). */
  backend?: BackendName;
  /** wasm threads to compare with 1 thread (default: every core). */
  threads?: number;
  steps?: number;
  /** Also time the same configuration in PyTorch with the same thread counts. */
  compareTorch?: boolean;
  python?: string;
  /** Interleaved rounds (each target once per round); figures are medians over rounds. Default 1. */
  repeat?: number;
}

export interface TorchFigures {
  torch: string;
  threads: number;
  trainTokensPerSec: number;
  msPerStep: number;
  /** PyTorch's BLAS (its BLAS_INFO) and the 1024 x 1024 matmul rate it gives at these threads. */
  blas?: string | null;
  matmulGflops?: number;
}

export interface TrainBenchResult {
  cores: number;
  /** Interleaved rounds measured; every figure below is the median over them. */
  rounds: number;
  /** os.loadavg() (1, 5, 15 minutes) before the first and after the last round. */
  loadAverage: { start: number[]; end: number[] };
  /** Figures of the round with the median tokens/s; `tokensPerSecRounds` lists every round's. */
  results: (BenchFigures & {
    threads: number | null;
    details: Record<string, unknown> | null;
    tokensPerSecRounds: number[];
  })[];
  failed: { backend: string; threads: number | null; error: string }[];
  skipped: { backend: string; reason: string }[];
  /** wasm tokens/s at N threads over 1 thread: median of the per-round ratios, and each round's. */
  wasmSpeedup: { threads: number; ratio: number; rounds: number[] } | null;
  /** PyTorch figures of the median round per thread count, with every round's tokens/s. */
  torch: (TorchFigures & { tokensPerSecRounds: number[] })[] | { error: string } | null;
  /** Lab tokens/s over PyTorch tokens/s at the same thread count (wasm and cpu), median of rounds. */
  torchRatios: { backend: string; threads: number; ratio: number; rounds: number[] }[];
}

/** Median of a non-empty list (mean of the middle two for an even count). */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The entry whose value is nearest the median (its other figures are reported with it). */
function medianEntry<T>(xs: T[], value: (x: T) => number): T {
  const m = median(xs.map(value));
  return xs.reduce((best, x) => (Math.abs(value(x) - m) < Math.abs(value(best) - m) ? x : best));
}

const PYTHON = '/usr/bin/python3';

function runTorch(python: string, threads: number, steps: number): Promise<TorchFigures> {
  const script = path.join(findPackageRoot(), 'scripts', 'bench_torch.py');
  return new Promise((resolve, reject) => {
    execFile(
      python,
      [script, '--threads', String(threads), '--steps', String(steps)],
      { timeout: 15 * 60_000 },
      (err, stdout, stderr) => {
        if (err)
          return reject(
            new Error(
              `${python} ${path.basename(script)} failed: ${(stderr || err.message).trim().split('\n').at(-1)}`,
            ),
          );
        try {
          resolve(JSON.parse(stdout) as TorchFigures);
        } catch {
          reject(new Error(`${path.basename(script)} printed no JSON: ${stdout.slice(0, 200)}`));
        }
      },
    );
  });
}

export async function benchTrainAll(
  opts: TrainBenchOptions = {},
  log: (line: string) => void = () => undefined,
): Promise<TrainBenchResult> {
  const cores = machineCores();
  const many = opts.threads ?? cores;
  const threadCounts = [...new Set([1, many])];
  const probes = await probeBackends({ threads: 1 });
  const targets: { name: BackendName; threads: number | null }[] = [];
  const skipped: TrainBenchResult['skipped'] = [];
  for (const p of probes) {
    if (opts.backend && p.name !== opts.backend) continue;
    if (!p.available) {
      skipped.push({ backend: p.name, reason: p.reason ?? 'unavailable' });
      continue;
    }
    if (p.autoSkip && !opts.backend) {
      skipped.push({ backend: p.name, reason: p.autoSkip });
      continue;
    }
    if (p.name === 'wasm') for (const t of threadCounts) targets.push({ name: 'wasm', threads: t });
    else targets.push({ name: p.name, threads: null });
  }
  const repeat = opts.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`repeat must be a whole number >= 1, got ${repeat}`);
  const python = opts.python ?? PYTHON;
  let torchError: string | null = null;
  if (opts.compareTorch && !fs.existsSync(python))
    torchError = `${python} not found (Debian: apt install python3-torch)`;
  const loadStart = os.loadavg();
  type Measured = BenchFigures & { threads: number | null; details: Record<string, unknown> | null };
  const rounds = targets.map(() => [] as Measured[]);
  const torchRounds = threadCounts.map(() => [] as TorchFigures[]);
  const failed: TrainBenchResult['failed'] = [];
  const broken = new Set<number>();
  for (let round = 1; round <= repeat; round++) {
    const of = repeat > 1 ? ` [round ${round}/${repeat}]` : '';
    for (const [i, t] of targets.entries()) {
      if (broken.has(i)) continue;
      log(`benchmarking ${t.name}${t.threads ? ` (${t.threads} thread${t.threads > 1 ? 's' : ''})` : ''}${of}...\n`);
      try {
        const sel = await initBackend(t.name, t.threads ? { threads: t.threads } : {});
        const details = sel.probes.find((p) => p.available)?.details ?? null;
        const figures = await benchTrain(opts.steps ? { steps: opts.steps } : {});
        rounds[i]!.push({
          ...figures,
          backend: t.name,
          threads: t.threads ? ((details?.threads as number | undefined) ?? t.threads) : null,
          details,
        });
      } catch (err) {
        failed.push({ backend: t.name, threads: t.threads, error: (err as Error).message });
        broken.add(i);
      }
    }
    if (opts.compareTorch && !torchError) {
      for (const [i, t] of threadCounts.entries()) {
        log(`benchmarking PyTorch (${t} thread${t > 1 ? 's' : ''})${of}...\n`);
        try {
          torchRounds[i]!.push(await runTorch(python, t, opts.steps ?? 20));
        } catch (err) {
          torchError = (err as Error).message;
        }
      }
    }
  }
  const complete = targets.flatMap((_, i) => (broken.has(i) ? [] : [i]));
  const results: TrainBenchResult['results'] = complete.map((i) => ({
    ...medianEntry(rounds[i]!, (f) => f.trainTokensPerSec),
    trainTokensPerSec: median(rounds[i]!.map((f) => f.trainTokensPerSec)),
    tokensPerSecRounds: rounds[i]!.map((f) => f.trainTokensPerSec),
  }));
  /** Per-round ratio of two targets' tokens/s (the same round: measured minutes apart at most). */
  const perRound = (a: number[], b: number[]): number[] => a.map((x, r) => x / b[r]!);
  const wasm1 = results.find((r) => r.backend === 'wasm' && r.threads === 1);
  const wasmN = results.find((r) => r.backend === 'wasm' && r.threads !== null && r.threads > 1);
  let wasmSpeedup: TrainBenchResult['wasmSpeedup'] = null;
  if (wasm1 && wasmN) {
    const each = perRound(wasmN.tokensPerSecRounds, wasm1.tokensPerSecRounds);
    wasmSpeedup = { threads: wasmN.threads!, ratio: median(each), rounds: each };
  }

  let torch: TrainBenchResult['torch'] = null;
  const torchRatios: TrainBenchResult['torchRatios'] = [];
  if (opts.compareTorch) {
    if (torchError) torch = { error: torchError };
    else {
      const figures = torchRounds.map((fs) => ({
        ...medianEntry(fs, (f) => f.trainTokensPerSec),
        trainTokensPerSec: median(fs.map((f) => f.trainTokensPerSec)),
        tokensPerSecRounds: fs.map((f) => f.trainTokensPerSec),
      }));
      torch = figures;
      for (const r of results) {
        // Same thread count: wasm's own; cpu is single-threaded; native backends use every core.
        const threads = r.threads ?? (r.backend === 'cpu' ? 1 : many);
        const ref = figures.find((f) => f.threads === threads);
        if (ref) {
          const each = perRound(r.tokensPerSecRounds, ref.tokensPerSecRounds);
          torchRatios.push({ backend: r.backend, threads, ratio: median(each), rounds: each });
        }
      }
    }
  }
  const loadAverage = { start: loadStart, end: os.loadavg() };
  return { cores, rounds: repeat, loadAverage, results, failed, skipped, wasmSpeedup, torch, torchRatios };
}
