// `bench train`: the reference configuration on every loadable backend, wasm at 1 thread and at
// every core, side by side in one process, optionally with PyTorch on the same CPU in the same
// invocation (scripts/bench_torch.py through Debian's python3-torch). Figures, not assertions.
// See docs/methods.md ("Compute backends").
import { execFile } from 'node:child_process';
import fs from 'node:fs';
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
}

export interface TorchFigures {
  torch: string;
  threads: number;
  trainTokensPerSec: number;
  msPerStep: number;
}

export interface TrainBenchResult {
  cores: number;
  results: (BenchFigures & { threads: number | null; details: Record<string, unknown> | null })[];
  failed: { backend: string; threads: number | null; error: string }[];
  skipped: { backend: string; reason: string }[];
  /** wasm tokens/s at N threads over 1 thread, measured in this invocation. */
  wasmSpeedup: { threads: number; ratio: number } | null;
  torch: TorchFigures[] | { error: string } | null;
  /** Lab tokens/s over PyTorch tokens/s at the same thread count (wasm and cpu). */
  torchRatios: { backend: string; threads: number; ratio: number }[];
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
  const results: TrainBenchResult['results'] = [];
  const failed: TrainBenchResult['failed'] = [];
  for (const t of targets) {
    log(`benchmarking ${t.name}${t.threads ? ` (${t.threads} thread${t.threads > 1 ? 's' : ''})` : ''}...\n`);
    try {
      const sel = await initBackend(t.name, t.threads ? { threads: t.threads } : {});
      const details = sel.probes.find((p) => p.available)?.details ?? null;
      const figures = await benchTrain(opts.steps ? { steps: opts.steps } : {});
      results.push({
        ...figures,
        backend: t.name,
        threads: t.threads ? ((details?.threads as number | undefined) ?? t.threads) : null,
        details,
      });
    } catch (err) {
      failed.push({ backend: t.name, threads: t.threads, error: (err as Error).message });
    }
  }
  const wasm1 = results.find((r) => r.backend === 'wasm' && r.threads === 1);
  const wasmN = results.find((r) => r.backend === 'wasm' && r.threads !== null && r.threads > 1);
  const wasmSpeedup =
    wasm1 && wasmN ? { threads: wasmN.threads!, ratio: wasmN.trainTokensPerSec / wasm1.trainTokensPerSec } : null;

  let torch: TrainBenchResult['torch'] = null;
  const torchRatios: TrainBenchResult['torchRatios'] = [];
  if (opts.compareTorch) {
    const python = opts.python ?? PYTHON;
    if (!fs.existsSync(python)) torch = { error: `${python} not found (Debian: apt install python3-torch)` };
    else {
      try {
        const figures: TorchFigures[] = [];
        for (const t of threadCounts) {
          log(`benchmarking PyTorch (${t} thread${t > 1 ? 's' : ''})...\n`);
          figures.push(await runTorch(python, t, opts.steps ?? 20));
        }
        torch = figures;
        for (const r of results) {
          // Same thread count: wasm's own; cpu is single-threaded; native backends use every core.
          const threads = r.threads ?? (r.backend === 'cpu' ? 1 : many);
          const ref = figures.find((f) => f.threads === threads);
          if (ref)
            torchRatios.push({ backend: r.backend, threads, ratio: r.trainTokensPerSec / ref.trainTokensPerSec });
        }
      } catch (err) {
        torch = { error: (err as Error).message };
      }
    }
  }
  return { cores, results, failed, skipped, wasmSpeedup, torch, torchRatios };
}
