// Gathers what a report needs from the database: each experiment's results, the paired
// comparisons between methods within every condition, and the per-example test predictions.
import type { CellGroup, PairedComparison } from '../../../shared/types/experiments';
import type { Db } from '../db/database';
import { compareGroups } from '../experiments/paired';
import { experimentResults } from '../experiments/results';
import { runPredictions } from '../runs/store';
import type { ReportExperiment, ReportPrediction } from './types';

/** Groups that differ only by method form one condition (same rate, same PST options...). */
function conditionKey(g: CellGroup): string {
  const { method: _method, lambda: _lambda, encoder: _encoder, loss: _loss, ...rest } = g.factors;
  return JSON.stringify(rest);
}

/**
 * Every pair of groups in the same condition, PST first when present (the paper's comparison is
 * PST vs each baseline). Groups without finished runs are skipped.
 */
export function conditionComparisons(db: Db, experimentId: number, groups: readonly CellGroup[]): PairedComparison[] {
  const byCondition = new Map<string, CellGroup[]>();
  for (const g of groups) {
    if (!g.accuracy) continue;
    const k = conditionKey(g);
    byCondition.set(k, [...(byCondition.get(k) ?? []), g]);
  }
  const out: PairedComparison[] = [];
  for (const gs of byCondition.values()) {
    const ordered = [...gs].sort((x, y) => Number(y.factors.method === 'pst') - Number(x.factors.method === 'pst'));
    for (let i = 0; i < ordered.length; i++) {
      for (let j = i + 1; j < ordered.length; j++) {
        try {
          out.push(compareGroups(db, experimentId, ordered[i]!.key, ordered[j]!.key));
        } catch {
          // no shared seeds/examples between these two groups: nothing to compare
        }
      }
    }
  }
  return out;
}

export function assembleReport(db: Db, experimentIds: readonly number[]): { experiments: ReportExperiment[]; predictions: ReportPrediction[] } {
  const experiments: ReportExperiment[] = [];
  const predictions: ReportPrediction[] = [];
  for (const id of experimentIds) {
    const results = experimentResults(db, id, null);
    experiments.push({ ...results, comparisons: conditionComparisons(db, id, results.groups) });
    for (const g of results.groups) {
      for (const runId of g.runIds) {
        const page = runPredictions(db, { run: runId, split: 'test', limit: 1_000_000 });
        for (const p of page.rows) predictions.push({ ...p, runId, split: 'test' });
      }
    }
  }
  return { experiments, predictions };
}
