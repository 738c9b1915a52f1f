// Hand-made experiment results for the report tests: a robustness grid (3 methods x 3 injected
// hallucination rates x 2 seeds) with known accuracies, so the tables' expected numbers can be
// written down literally. `hostile` puts XSS payloads into every user-text field.
import type { Aggregate, CellGroup, PairedComparison, TrainingCurve } from '../../../src/shared/types/experiments';
import { aggregate as seedAggregate } from '../../../src/main/lab/experiments/results';
import { pairedTTest, signFlipTest } from '../../../src/main/lab/stats';
import type { MethodId } from '../../../src/shared/types/runs';
import type { ReportExperiment, ReportPrediction } from '../../../src/main/lab/reports';

export const SCRIPT_PAYLOAD = '<script>window.__pwned=1</script>';
export const IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">';
export const PAYLOAD = `${SCRIPT_PAYLOAD} ${IMG_PAYLOAD}`;

export const METHODS: MethodId[] = ['pre-thinking', 'post-thinking', 'pst'];
export const RATES = [0, 0.3, 0.6];
export const SEEDS = [1, 2];

/** Accuracy per seed, [seed 1, seed 2], by method and rate index. */
export const ACCURACY: Record<string, [number, number][]> = {
  'pre-thinking': [
    [0.7, 0.74],
    [0.52, 0.5],
    [0.31, 0.35],
  ], // 72.0 ± 2.8 | 51.0 ± 1.4 | 33.0 ± 2.8
  'post-thinking': [
    [0.82, 0.84],
    [0.66, 0.7],
    [0.55, 0.57],
  ], // 83.0 ± 1.4 | 68.0 ± 2.8 | 56.0 ± 1.4
  pst: [
    [0.8, 0.84],
    [0.75, 0.77],
    [0.69, 0.73],
  ], // 82.0 ± 2.8 | 76.0 ± 1.4 | 71.0 ± 2.8
};
const TOKENS: Record<string, [number, number]> = { 'pre-thinking': [41, 43], 'post-thinking': [2, 2], pst: [2, 3] };
const MS: Record<string, [number, number]> = { 'pre-thinking': [118, 122], 'post-thinking': [7.5, 8.5], pst: [8, 9] };

/** Share of outputs with no answer per seed: pre-thinking often runs out of context before answering. */
const NO_ANSWER: Record<string, [number, number]> = {
  'pre-thinking': [0.12, 0.08],
  'post-thinking': [0, 0],
  pst: [0.01, 0.03],
};
/** The test split of every rate: 100 yes/no questions, 62 of them "yes". */
export const MAJORITY = 0.62;

/** The results' own aggregate (t-interval over seeds; with the fixture's 2 seeds: not computable). */
function aggregate(values: number[]): Aggregate {
  return seedAggregate(values)!;
}

/** A paired comparison over the shared seeds (computed), with a fixed conditional (example-level) part. */
function comparison(
  a: string,
  b: string,
  perSeed: [number, number][],
  conditional: PairedComparison['conditional'],
): PairedComparison {
  const differences = perSeed.map(([x, y], i) => ({ seed: SEEDS[i]!, a: x, b: y, difference: x - y }));
  const d = differences.map((x) => x.difference);
  const t = pairedTTest(d);
  const flip = signFlipTest(d);
  return {
    a,
    b,
    sharedSeeds: SEEDS,
    examples: 100,
    seedLevel: {
      n: d.length,
      differences,
      meanDifference: d.reduce((s, x) => s + x, 0) / d.length,
      tTest: t.result && {
        t: t.result.t,
        df: t.result.df,
        p: t.result.p,
        level: 0.95,
        ciLow: t.result.ciLow,
        ciHigh: t.result.ciHigh,
      },
      tTestNote: t.reason,
      signFlip: { p: flip.p, patterns: flip.patterns, minP: flip.minP },
      signFlipNote: null,
    },
    conditional,
  };
}

export function runIdOf(method: MethodId, rateIndex: number, seed: number): number {
  return METHODS.indexOf(method) * RATES.length * SEEDS.length + rateIndex * SEEDS.length + seed;
}

export function robustnessFixture(opts: { hostile?: boolean; id?: number } = {}): ReportExperiment {
  const hostile = opts.hostile ?? false;
  const text = (plain: string): string => (hostile ? `${plain} ${PAYLOAD}` : plain);
  const groups: CellGroup[] = [];
  const curves: TrainingCurve[] = [];
  const runs: ReportExperiment['reproducibility']['runs'] = [];
  for (const method of METHODS) {
    RATES.forEach((rate, ri) => {
      const key = `${method}|rate=${rate}`;
      const runIds = SEEDS.map((s) => runIdOf(method, ri, s));
      groups.push({
        key,
        label: text(`${method} @ ${rate}`),
        factors: { method, hallucinationRate: rate, lambda: null, encoder: null, loss: null },
        runIds,
        seeds: SEEDS,
        accuracy: aggregate(ACCURACY[method]![ri]!),
        noAnswer: aggregate(NO_ANSWER[method]!),
        baselines: {
          examples: 100,
          answerTypes: ['yesno'],
          majority: { answer: 'yes', accuracy: MAJORITY },
          chance: 0.5,
        },
        meanTokensToAnswer: aggregate(TOKENS[method]!),
        meanMsToAnswer: aggregate(MS[method]!),
      });
      const steps = [0, 50, 100, 150, 200];
      const base = 3 + ri * 0.4 + METHODS.indexOf(method) * 0.2;
      const mean = steps.map((s) => base * Math.exp(-s / 80) + 0.5);
      curves.push({
        key,
        label: text(key),
        steps,
        mean,
        low: mean.map((m) => m - 0.15),
        high: mean.map((m) => m + 0.15),
      });
      SEEDS.forEach((seed, si) => {
        const id = runIds[si]!;
        runs.push({
          id,
          factors: { method, seed, hallucinationRate: rate, lambda: null, encoder: null, loss: null },
          spec: {
            dataset: 10 + ri,
            version: 1,
            method,
            seed,
            steps: 200,
            batchSize: 16,
            lr: 0.001,
            name: text(`run ${id}`),
          },
          resolved: { preset: 'tiny', layers: 2, width: 64, heads: 2, context: 128, vocab: 512 },
          environment: { node: 'v22.12.0', tfjs: '4.22.0', backend: 'wasm', os: 'linux x64' },
          backend: 'wasm',
          startedAt: `2025-05-01T10:${String(id).padStart(2, '0')}:00.000Z`,
          finishedAt: `2025-05-01T10:${String(id).padStart(2, '0')}:42.500Z`,
          durationMs: 42_500,
        });
      });
    });
  }
  return {
    experiment: {
      id: opts.id ?? 7,
      name: text('Robustness to teacher hallucinations'),
      status: 'completed',
      createdAt: '2025-05-01T09:59:00.000Z',
      runs: runs.length,
      byStatus: { completed: runs.length },
      progress: 1,
      etaSec: null,
      concurrency: 2,
      spec: {
        name: text('Robustness to teacher hallucinations'),
        description: text('Pre-thinking vs post-thinking vs PST & friends at 0/30/60% injected errors_'),
        synthetic: { task: 'arith-chain', n: 400, seed: 1, hallucinationRates: RATES },
        methods: METHODS,
        seeds: 2,
        preset: 'tiny',
        budget: { steps: 200 },
      },
    },
    groups,
    curves,
    comparisons: [
      comparison(
        'pst|rate=0.6',
        'pre-thinking|rate=0.6',
        [
          [0.69, 0.31],
          [0.73, 0.35],
        ],
        {
          difference: 0.38,
          ciLow: 0.33,
          ciHigh: 0.43,
          pBootstrap: 0.0004,
          resamples: 10_000,
          mcnemar: { b01: 3, b10: 41, p: 1.2e-9 },
        },
      ),
      comparison(
        'post-thinking|rate=0',
        'pst|rate=0',
        [
          [0.82, 0.8],
          [0.84, 0.84],
        ],
        {
          difference: 0.01,
          ciLow: -0.02,
          ciHigh: 0.04,
          pBootstrap: 0.4567,
          resamples: 10_000,
          mcnemar: { b01: 9, b10: 11, p: 0.8238 },
        },
      ),
    ],
    reproducibility: {
      appVersion: '0.6.0',
      commit: 'abc1234',
      datasets: RATES.map((rate, ri) => ({
        id: 10 + ri,
        name: text(`arith-chain (rate ${rate})`),
        version: 1,
        contentHash: `${'0123456789abcdef'.repeat(3)}${String(ri).repeat(16)}`,
      })),
      runs,
      generatedAt: '2025-05-01T11:00:00.000Z',
    },
  };
}

/** Four test examples per run; example e is right for a run when (e + run) is even, except pst. */
export function predictionsFixture(exp: ReportExperiment, opts: { hostile?: boolean } = {}): ReportPrediction[] {
  const hostile = opts.hostile ?? false;
  const rows: ReportPrediction[] = [];
  for (const run of exp.reproducibility.runs) {
    for (let e = 1; e <= 4; e++) {
      const correct =
        run.factors.method === 'pst' ? true : run.factors.method === 'pre-thinking' ? e > 2 : (e + run.id) % 2 === 0;
      rows.push({
        runId: run.id,
        split: 'test',
        exampleId: 100 + e,
        externalId: `ex-${e}`,
        question: hostile ? `What is ${e} + ${e}? ${PAYLOAD}` : `What is ${e} + ${e}?`,
        gold: String(2 * e),
        prediction: correct ? String(2 * e) : String(2 * e + 1),
        correct,
        tokensToAnswer: run.factors.method === 'pre-thinking' ? 40 + e : 2,
        msToAnswer: run.factors.method === 'pre-thinking' ? 110 + e : 8 + e / 2,
        rationale: hostile ? `Add ${e} twice. ${PAYLOAD}` : `Add ${e} twice.`,
      });
    }
  }
  return rows;
}
