// `bench train --compare-torch`: PyTorch runs the same configuration in the same invocation, its
// figures name the BLAS behind them, and each ratio is the lab's tokens/s over PyTorch's at the same
// thread count (speeds themselves are measured by the benchmark, never asserted here).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { benchTrainAll } from '../../../src/main/lab/bench/trainBench';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

describe('bench train --compare-torch', () => {
  it.skipIf(!hasTorch)('reports PyTorch beside wasm at the same thread count, with its BLAS and the per-round ratio', async () => {
    const r = await benchTrainAll({ backend: 'wasm', threads: 1, steps: 2, compareTorch: true, python: PYTHON });
    expect(r.failed).toEqual([]);
    expect(r.results.map((f) => [f.backend, f.threads])).toEqual([['wasm', 1]]);
    expect(Array.isArray(r.torch)).toBe(true);
    const torch = r.torch as Exclude<typeof r.torch, { error: string } | null>;
    expect(torch).toHaveLength(1);
    expect(torch[0]).toMatchObject({ threads: 1, steps: 2 });
    expect(torch[0]!.trainTokensPerSec).toBeGreaterThan(0);
    expect(typeof torch[0]!.blas).toBe('string');
    expect(torch[0]!.matmulGflops).toBeGreaterThan(0);
    expect(r.torchRatios).toHaveLength(1);
    const ratio = r.torchRatios[0]!;
    expect(ratio).toMatchObject({ backend: 'wasm', threads: 1 });
    expect(ratio.ratio).toBeCloseTo(r.results[0]!.trainTokensPerSec / torch[0]!.trainTokensPerSec, 6);
  }, 300_000);

  it('names a Python that is not there instead of a ratio', async () => {
    const r = await benchTrainAll({ backend: 'wasm', threads: 1, steps: 1, compareTorch: true, python: '/nonexistent/python3' });
    expect(r.torch).toEqual({ error: '/nonexistent/python3 not found (Debian: apt install python3-torch)' });
    expect(r.torchRatios).toEqual([]);
    expect(r.results).toHaveLength(1);
  }, 300_000);
});
