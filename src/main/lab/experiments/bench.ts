// `pst-lab bench experiment`: the same fixed grid run through the experiment queue with one run
// process and then with two, in a throw-away lab, to show what concurrent run processes buy on
// this machine. Figures are printed, never asserted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExperimentSpec } from '../../../shared/types/experiments';
import { Lab } from '../lab';
import { createExperiment } from './create';
import { experimentScheduler } from './scheduler';
import { experimentSummary } from './store';

/** 6 runs: 3 methods x 2 seeds of a small model on a small generated task. */
export const BENCH_EXPERIMENT_SPEC: ExperimentSpec = {
  name: 'bench',
  synthetic: { task: 'coin_flip', n: 120, seed: 11, hallucinationRates: [0.2], minSize: 2, maxSize: 3 },
  methods: ['answer-only', 'post-thinking', 'pst'],
  seeds: 2,
  preset: 'tiny',
  model: { layers: 1, width: 32, heads: 2 },
  budget: { steps: 40, batchSize: 8 },
  evaluation: { evalEvery: 20, valExamples: 4, testExamples: 8 },
  backend: 'wasm',
};

export interface ExperimentBenchFigures {
  runs: number;
  cores: number;
  wallMs: { concurrency: number; ms: number; status: string }[];
  speedup: number;
}

export async function benchExperiment(onProgress?: (text: string) => void): Promise<ExperimentBenchFigures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pst-lab-bench-experiment-'));
  const lab = Lab.open({ dataDir, runtime: 'cli' });
  try {
    const wallMs: ExperimentBenchFigures['wallMs'] = [];
    let runs = 0;
    for (const concurrency of [1, 2]) {
      // Both rounds train on the same generated dataset (created once, then reused).
      const id = createExperiment(
        lab.db,
        lab.context.runs,
        { ...BENCH_EXPERIMENT_SPEC, name: `bench concurrency ${concurrency}` },
        os.cpus().length,
      );
      onProgress?.(`concurrency ${concurrency}: running...\n`);
      const t0 = performance.now();
      const scheduler = experimentScheduler(lab.context);
      scheduler.start(id, concurrency);
      await scheduler.wait(id);
      const ms = performance.now() - t0;
      const s = experimentSummary(lab.db, id);
      runs = s.runs;
      wallMs.push({ concurrency, ms: Math.round(ms), status: s.status });
      onProgress?.(`concurrency ${concurrency}: ${(ms / 1000).toFixed(1)} s (${s.status})\n`);
    }
    return { runs, cores: os.cpus().length, wallMs, speedup: wallMs[0]!.ms / wallMs[1]!.ms };
  } finally {
    lab.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
