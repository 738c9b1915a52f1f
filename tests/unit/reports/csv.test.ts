import { defaultMethodConfig, type PstConfig } from '../../../src/main/lab/training/methods';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CSV_COLUMNS, examplesCsv, RUN_CSV_COLUMNS, runsCsv } from '../../../src/main/lab/reports';
import { ACCURACY, MAJORITY, predictionsFixture, robustnessFixture, runIdOf } from './fixtures';

const read = (csv: string): Record<string, string>[] =>
  parse(csv, { columns: true, relax_quotes: false }) as Record<string, string>[];

describe('per-run CSV', () => {
  it('one row per run with its factors and its own metrics', () => {
    const exp = robustnessFixture();
    const csv = runsCsv([exp]);
    expect(csv.split('\r\n')[0]).toBe(RUN_CSV_COLUMNS.join(','));
    const rows = read(csv);
    expect(rows).toHaveLength(18);
    const r = rows.find((x) => x.run_id === String(runIdOf('pst', 2, 2)))!;
    expect(r).toMatchObject({
      method: 'pst',
      seed: '2',
      hallucination_rate: '0.6',
      group: 'pst|rate=0.6',
      backend: 'wasm',
      duration_ms: '42500',
    });
    expect(Number(r.accuracy)).toBe(ACCURACY.pst![2]![1]);
    // A PST run whose options were left at their defaults shows the values it trained with.
    const pstDefaults = defaultMethodConfig('pst') as PstConfig;
    expect(r).toMatchObject({
      lambda: String(pstDefaults.lambda),
      encoder: pstDefaults.encoder,
      loss: pstDefaults.loss,
    });
    const other = rows.find((x) => x.run_id === String(runIdOf('post-thinking', 0, 1)))!;
    expect(other).toMatchObject({ lambda: '', encoder: '', loss: '' });
    // The run's own no-answer share (fixture: pst seeds 0.01, 0.03) and its group's test baselines.
    expect(r).toMatchObject({ no_answer_share: '0.03', majority_baseline: String(MAJORITY), chance: '0.5' });
    const open = robustnessFixture();
    for (const g of open.groups) g.baselines = { ...g.baselines!, answerTypes: ['number'], chance: null };
    expect(read(runsCsv([open]))[0]!.chance).toBe('n/a');
  });

  it("falls back to the run's predictions when group values do not line up with its runs", () => {
    const exp = robustnessFixture();
    const g = exp.groups.find((x) => x.key === 'pst|rate=0')!;
    g.accuracy = { ...g.accuracy!, values: [0.8] }; // one value for two runs: not attributable
    const noPreds = read(runsCsv([exp])).find((x) => x.run_id === String(g.runIds[0]))!;
    expect(noPreds.accuracy).toBe('');
    const preds = predictionsFixture(exp);
    const withPreds = read(runsCsv([exp], preds)).find((x) => x.run_id === String(g.runIds[0]))!;
    expect(withPreds.accuracy).toBe('1'); // pst predictions are all correct in the fixture
  });

  it('quotes hostile names and guards formula-like text', () => {
    const exp = robustnessFixture();
    exp.experiment.name = '=cmd|"/c calc"!A1, "quoted"\nnext';
    const csv = runsCsv([exp]);
    expect(csv).toContain(`"'=cmd|""/c calc""!A1, ""quoted""\nnext"`);
    expect(read(csv)[0]!.experiment).toBe(`'=cmd|"/c calc"!A1, "quoted"\nnext`);
  });
});

describe('per-example CSV', () => {
  it('one row per prediction, round-trips through a CSV parser', () => {
    const exp = robustnessFixture({ hostile: true });
    const preds = predictionsFixture(exp, { hostile: true });
    preds[0]!.question = '-1 + 1 = ?, he said "zero"';
    const rows = read(examplesCsv([exp], preds));
    expect(Object.keys(rows[0]!)).toEqual([...EXAMPLE_CSV_COLUMNS]);
    expect(rows).toHaveLength(preds.length);
    expect(rows[0]!.question).toBe(`'-1 + 1 = ?, he said "zero"`);
    const p = preds[5]!;
    expect(rows[5]).toMatchObject({
      experiment_id: '7',
      run_id: String(p.runId),
      example_id: String(p.exampleId),
      question: p.question,
      prediction: p.prediction,
      correct: String(p.correct),
      tokens_to_answer: String(p.tokensToAnswer),
      ms_to_answer: String(p.msToAnswer),
      rationale: p.rationale,
    });
  });

  it('rejects a prediction of a run outside the experiments, naming the row', () => {
    const exp = robustnessFixture();
    const preds = predictionsFixture(exp);
    preds[3] = { ...preds[3]!, runId: 999 };
    expect(() => examplesCsv([exp], preds)).toThrow('predictions[3].runId: run 999 is not a run of experiment(s) 7');
  });
});
