// CSV exports: one row per run (factors and metrics) and one row per example prediction. Fields are
// RFC 4180-quoted and guarded against spreadsheet formula injection (escape.ts csvField).
import type { CellGroup } from '../../../shared/types/experiments';
import { csvRow } from './escape';
import { runPstOptions } from './pstOptions';
import type { ReportExperiment, ReportPrediction } from './types';

const EOL = '\r\n';

export const RUN_CSV_COLUMNS = [
  'experiment_id',
  'experiment',
  'run_id',
  'group',
  'method',
  'seed',
  'hallucination_rate',
  'answer_target',
  'lambda',
  'encoder',
  'loss',
  'datasets',
  'backend',
  'accuracy',
  'no_answer_share',
  'majority_baseline',
  'chance',
  'mean_tokens_to_answer',
  'mean_ms_to_answer',
  'started_at',
  'finished_at',
  'duration_ms',
] as const;

export const EXAMPLE_CSV_COLUMNS = [
  'experiment_id',
  'run_id',
  'method',
  'seed',
  'hallucination_rate',
  'answer_target',
  'split',
  'example_id',
  'external_id',
  'question',
  'gold',
  'prediction',
  'correct',
  'tokens_to_answer',
  'ms_to_answer',
  'rationale',
] as const;

interface RunMetrics {
  accuracy: number | null;
  noAnswer: number | null;
  tokens: number | null;
  ms: number | null;
}

/**
 * A run's own metric values. CellGroup aggregates keep one value per run in runIds order; when a
 * group's value list does not line up with its runs (a run without a result), the per-example
 * predictions of the run, when given, are the fallback; otherwise the cell stays empty rather than
 * guessing.
 */
function runMetrics(runId: number, group: CellGroup | undefined, predictions: readonly ReportPrediction[]): RunMetrics {
  const at = (values: readonly number[] | undefined): number | null => {
    if (!group || !values || values.length !== group.runIds.length) return null;
    return values[group.runIds.indexOf(runId)] ?? null;
  };
  const fromGroup = {
    accuracy: at(group?.accuracy?.values),
    noAnswer: at(group?.noAnswer?.values),
    tokens: at(group?.meanTokensToAnswer?.values),
    ms: at(group?.meanMsToAnswer?.values),
  };
  const own = predictions.filter((p) => p.runId === runId && p.split === 'test');
  if (own.length === 0) return fromGroup;
  const avg = (f: (p: ReportPrediction) => number): number => own.reduce((s, p) => s + f(p), 0) / own.length;
  return {
    accuracy: fromGroup.accuracy ?? avg((p) => (p.correct ? 1 : 0)),
    noAnswer: fromGroup.noAnswer ?? avg((p) => (p.prediction === null || p.prediction.trim() === '' ? 1 : 0)),
    tokens: fromGroup.tokens ?? avg((p) => p.tokensToAnswer),
    ms: fromGroup.ms ?? avg((p) => p.msToAnswer),
  };
}

export function runsCsv(
  experiments: readonly ReportExperiment[],
  predictions: readonly ReportPrediction[] = [],
): string {
  const lines = [csvRow(RUN_CSV_COLUMNS)];
  for (const exp of experiments) {
    const datasets = exp.reproducibility.datasets.map((d) => `${d.name} v${d.version}`).join('; ');
    for (const run of [...exp.reproducibility.runs].sort((a, b) => a.id - b.id)) {
      const group = exp.groups.find((g) => g.runIds.includes(run.id));
      const m = runMetrics(run.id, group, predictions);
      const f = run.factors;
      const pst = runPstOptions(run);
      lines.push(
        csvRow([
          exp.experiment.id,
          exp.experiment.name,
          run.id,
          group?.key ?? '',
          f.method,
          f.seed,
          f.hallucinationRate,
          f.answerTarget ?? null,
          pst?.lambda,
          pst?.encoder,
          pst?.loss,
          datasets,
          run.backend,
          m.accuracy,
          m.noAnswer,
          group?.baselines?.majority.accuracy,
          group?.baselines ? (group.baselines.chance ?? 'n/a') : null,
          m.tokens,
          m.ms,
          run.startedAt,
          run.finishedAt,
          run.durationMs,
        ]),
      );
    }
  }
  return lines.join(EOL) + EOL;
}

/** Per-example rows; every prediction must belong to a run of one of the experiments. */
export function examplesCsv(
  experiments: readonly ReportExperiment[],
  predictions: readonly ReportPrediction[],
): string {
  const runs = new Map<
    number,
    { experimentId: number; factors: ReportExperiment['reproducibility']['runs'][number]['factors'] }
  >();
  for (const exp of experiments) {
    for (const r of exp.reproducibility.runs) runs.set(r.id, { experimentId: exp.experiment.id, factors: r.factors });
  }
  const lines = [csvRow(EXAMPLE_CSV_COLUMNS)];
  predictions.forEach((p, i) => {
    const run = runs.get(p.runId);
    if (!run) {
      const ids = experiments.map((e) => e.experiment.id).join(', ');
      throw new Error(`predictions[${i}].runId: run ${p.runId} is not a run of experiment(s) ${ids}`);
    }
    lines.push(
      csvRow([
        run.experimentId,
        p.runId,
        run.factors.method,
        run.factors.seed,
        run.factors.hallucinationRate,
        run.factors.answerTarget ?? null,
        p.split,
        p.exampleId,
        p.externalId,
        p.question,
        p.gold,
        p.prediction,
        p.correct,
        p.tokensToAnswer,
        p.msToAnswer,
        p.rationale ?? null,
      ]),
    );
  });
  return lines.join(EOL) + EOL;
}
