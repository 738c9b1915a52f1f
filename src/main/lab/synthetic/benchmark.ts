// Generator throughput, for `pst-lab bench` and the report: examples per second per task.
import { SYNTHETIC_TASK_NAMES } from './catalog';
import { iterateSynthetic } from './generate';
import type { SyntheticTaskName } from './types';

export interface SyntheticBenchResult {
  task: SyntheticTaskName;
  n: number;
  hallucinationRate: number;
  milliseconds: number;
  examplesPerSecond: number;
  /** Total characters of question + rationale, a check that the work was really done. */
  characters: number;
}

export function benchmarkSynthetic(n = 100_000, hallucinationRate = 0.3, seed = 1): SyntheticBenchResult[] {
  return SYNTHETIC_TASK_NAMES.map((task) => {
    const t0 = performance.now();
    let characters = 0;
    for (const ex of iterateSynthetic({ task, n, seed, hallucinationRate })) {
      characters += ex.question.length + ex.completions[0]!.rationale.length;
    }
    const milliseconds = performance.now() - t0;
    return { task, n, hallucinationRate, milliseconds, examplesPerSecond: Math.round((n / milliseconds) * 1000), characters };
  });
}
