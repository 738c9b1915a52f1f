// Examples that flip between methods: under one condition, some method variant gets the example
// right on every seed while another gets it wrong on every seed. These are what a reader inspects
// to see *what* a method changes, so the HTML report lists them with the predictions and rationales.
import { experimentLayout } from './tables';
import type { ReportExperiment, ReportPrediction } from './types';

export interface FlipExample {
  exampleId: number;
  externalId: string;
  question: string;
  gold: string;
  /** Per row of the layout: correct / evaluated runs (seeds). */
  cells: { correct: number; total: number }[];
  /** Per row: the prediction and rationale of its first run, for inspection. */
  outputs: { prediction: string | null; rationale: string | null }[];
}

export interface FlipTable {
  condition: number | null;
  rows: string[];
  examples: FlipExample[];
  /** Number of flipping examples before the display limit. */
  total: number;
}

export function flipTables(exp: ReportExperiment, predictions: readonly ReportPrediction[], limit = 25): FlipTable[] {
  const layout = experimentLayout(exp);
  const byRun = new Map<number, ReportPrediction[]>();
  for (const p of predictions) {
    if (p.split !== 'test') continue;
    const list = byRun.get(p.runId) ?? [];
    list.push(p);
    byRun.set(p.runId, list);
  }
  const tables: FlipTable[] = [];
  for (const condition of layout.conditions) {
    const runIdsPerRow = layout.rows.map((r) => layout.cell(r.key, condition)?.runIds ?? []);
    const examples = new Map<number, FlipExample>();
    runIdsPerRow.forEach((runIds, ri) => {
      runIds.forEach((runId, k) => {
        for (const p of byRun.get(runId) ?? []) {
          let ex = examples.get(p.exampleId);
          if (!ex) {
            ex = {
              exampleId: p.exampleId,
              externalId: p.externalId,
              question: p.question,
              gold: p.gold,
              cells: layout.rows.map(() => ({ correct: 0, total: 0 })),
              outputs: layout.rows.map(() => ({ prediction: null, rationale: null })),
            };
            examples.set(p.exampleId, ex);
          }
          const cell = ex.cells[ri]!;
          cell.total += 1;
          if (p.correct) cell.correct += 1;
          if (k === 0) ex.outputs[ri] = { prediction: p.prediction, rationale: p.rationale ?? null };
        }
      });
    });
    const flipping = [...examples.values()]
      .filter(
        (ex) =>
          ex.cells.some((c) => c.total > 0 && c.correct === c.total) &&
          ex.cells.some((c) => c.total > 0 && c.correct === 0),
      )
      .sort((a, b) => a.exampleId - b.exampleId);
    if (flipping.length > 0) {
      tables.push({
        condition,
        rows: layout.rows.map((r) => r.label),
        examples: flipping.slice(0, limit),
        total: flipping.length,
      });
    }
  }
  return tables;
}
