import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelName, ChannelResult } from '../../../src/shared/contract';
import { callOk } from '../../helpers/call';
import type { ExperimentProgress, ExperimentSpec } from '../../../src/shared/types/experiments';
import { runCli } from '../../../src/main/cli/main';
import { experimentScheduler } from '../../../src/main/lab/experiments/scheduler';
import { Lab } from '../../../src/main/lab/lab';
import { tempDir } from '../../helpers/tempLab';

let lab: Lab;
let dataDir: string;

const ok = <C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> =>
  callOk(lab, channel, input);

// Micro runs: the point is the queue and the statistics, not learning.
const MICRO = {
  preset: 'tiny' as const,
  model: { layers: 1, width: 32, heads: 2 },
  budget: { steps: 6, batchSize: 4 },
  evaluation: { evalEvery: 3, valExamples: 2, testExamples: 5 },
  backend: 'wasm' as const,
};

function spec(over: Partial<ExperimentSpec>): ExperimentSpec {
  return {
    name: 'exp',
    synthetic: { task: 'coin_flip', n: 60, seed: 5, hallucinationRates: [0] },
    methods: ['answer-only'],
    seeds: 2,
    ...MICRO,
    ...over,
  };
}

let mainExperiment: number;

beforeAll(() => {
  dataDir = tempDir();
  lab = Lab.open({ dataDir, runtime: 'test' });
});
afterAll(() => {
  lab.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('experiments', () => {
  it('plans without side effects: run count, and no estimate without a measurement when probing is off', async () => {
    const plan = await ok('experiments.plan', {
      spec: spec({
        methods: ['answer-only', 'pst'],
        synthetic: { task: 'coin_flip', n: 60, seed: 5, hallucinationRates: [0, 0.5] },
      }),
      probe: false,
      concurrency: 2,
    });
    expect(plan.runs).toBe(8);
    expect(plan.groups).toBe(4);
    expect(plan.datasets.map((d) => d.reuse)).toEqual([null, null]);
    expect(plan.estimatedSeconds).toBeNull();
    expect(plan.explanation).toMatch(/8 runs/);
    expect((await ok('datasets.list', {})).length).toBe(0);
    expect((await ok('experiments.list', {})).length).toBe(0);
  });

  it('queues every run, runs them with 2 concurrent processes to completion, and reports progress', async () => {
    const detail = await ok('experiments.create', {
      spec: spec({ name: 'main', methods: ['answer-only', 'post-thinking'] }),
    });
    mainExperiment = detail.id;
    expect(detail.runs).toBe(4);
    expect(detail.status).toBe('queued');
    expect(detail.runsDetail.every((r) => r.status === 'queued')).toBe(true);
    // one generated dataset variant, reused by a second identical spec
    const again = await ok('experiments.plan', { spec: spec({}), probe: false });
    expect(again.datasets[0]!.reuse).toMatchObject({ version: 1 });

    const events: ExperimentProgress[] = [];
    const off = lab.events.subscribe((m) => {
      if (m.name === 'experiment.progress' && m.payload.experimentId === detail.id) events.push(m.payload);
    });
    const started = await ok('experiments.start', { experiment: detail.id, concurrency: 2 });
    expect(started.status).toBe('running');
    expect(started.byStatus.running).toBe(2);
    await experimentScheduler(lab.context).wait(detail.id);
    off();
    const done = await ok('experiments.get', { experiment: detail.id });
    expect(done.runsDetail.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(done.status).toBe('completed');
    expect(done.progress).toBe(1);
    expect(Math.max(...events.map((e) => e.active.length))).toBe(2);
    expect(events.some((e) => e.active.some((a) => a.step > 0))).toBe(true);
    expect(events.at(-1)).toMatchObject({ status: 'completed', progress: 1 });
  });

  it('aggregates groups over seeds as computed by hand from the stored predictions', async () => {
    const results = await ok('experiments.results', { experiment: mainExperiment });
    expect(results.groups.map((g) => g.key)).toEqual(['answer-only|rate=0', 'post-thinking|rate=0']);
    for (const g of results.groups) {
      const acc: number[] = [];
      const tok: number[] = [];
      for (const runId of g.runIds) {
        const p = await ok('runs.predictions', { run: runId, limit: 1000 });
        acc.push(p.correct / p.total);
        tok.push(p.rows.reduce((a, r) => a + r.tokensToAnswer, 0) / p.rows.length);
      }
      const m = (acc[0]! + acc[1]!) / 2;
      expect(g.accuracy!.values).toEqual(acc);
      expect(g.accuracy!.mean).toBeCloseTo(m, 12);
      expect(g.accuracy!.std).toBeCloseTo(Math.abs(acc[0]! - acc[1]!) / Math.SQRT2, 12);
      expect(g.meanTokensToAnswer!.mean).toBeCloseTo((tok[0]! + tok[1]!) / 2, 12);
      expect(g.seeds).toEqual([1, 2]);
      // Two seeds: the interval is not computable (never [min, max] called 95%).
      expect(g.accuracy!.ci).toMatchObject({ method: 't', unit: 'seed', n: 2, low: null, high: null });
      expect(g.accuracy!.ci.description).toMatch(/^not computable \(n=2 seeds/);
      // No-answer share: stored predictions that are NULL or empty, per run, then over seeds.
      const none: number[] = [];
      const golds = new Map<number, string>();
      for (const runId of g.runIds) {
        const p = await ok('runs.predictions', { run: runId, limit: 1000 });
        none.push(p.rows.filter((r) => r.prediction === null || r.prediction.trim() === '').length / p.rows.length);
        for (const r of p.rows) golds.set(r.exampleId, r.gold);
      }
      expect(g.noAnswer!.values).toEqual(none);
      // Majority baseline: the commonest gold answer's share of the distinct test examples; yes/no chance 1/2.
      const counts = new Map<string, number>();
      for (const gold of golds.values()) counts.set(gold, (counts.get(gold) ?? 0) + 1);
      expect(g.baselines).toMatchObject({ examples: golds.size, answerTypes: ['yesno'], chance: 0.5 });
      expect(g.baselines!.majority.accuracy).toBeCloseTo(Math.max(...counts.values()) / golds.size, 12);
    }
    const curve = results.curves[0]!;
    expect(curve.steps).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 0; i < curve.steps.length; i++) expect(curve.low[i]!).toBeLessThanOrEqual(curve.mean[i]!);
    expect(results.reproducibility.datasets[0]!.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(results.reproducibility.runs[0]).toMatchObject({
      backend: 'wasm',
      factors: { method: 'answer-only', seed: 1 },
    });
  });

  it('compares two methods on paired seeds and examples and lists the flips', async () => {
    const a = 'answer-only|rate=0';
    const b = 'post-thinking|rate=0';
    // Micro models mostly agree, so the stored per-example outcomes are set to a designed pattern
    // (rows: seeds 1 and 2; columns: the 5 test examples in external-id order) to check the
    // statistics against values computed by hand.
    const pattern: Record<string, number[][]> = {
      [a]: [
        [1, 1, 1, 0, 0],
        [1, 1, 0, 1, 0],
      ],
      [b]: [
        [1, 1, 0, 0, 0],
        [1, 0, 0, 0, 1],
      ],
    };
    const detail = await ok('experiments.get', { experiment: mainExperiment });
    let ids: string[] = [];
    for (const r of detail.runsDetail) {
      const rows = lab.db
        .prepare(
          `SELECT p.example_id, e.external_id FROM run_predictions p JOIN examples e ON e.id = p.example_id WHERE p.run_id = ? AND p.split = 'test' ORDER BY e.external_id`,
        )
        .all(r.runId) as { example_id: number; external_id: string }[];
      ids = rows.map((x) => x.external_id);
      rows.forEach((x, i) =>
        lab.db
          .prepare(`UPDATE run_predictions SET correct = ? WHERE run_id = ? AND split = 'test' AND example_id = ?`)
          .run(pattern[r.groupKey]![r.factors.seed - 1]![i]!, r.runId, x.example_id),
      );
    }
    expect(ids).toHaveLength(5);
    const cmp = await ok('experiments.compare', { experiment: mainExperiment, a, b, resamples: 2000 });
    expect(cmp).toMatchObject({ a, b, sharedSeeds: [1, 2], examples: 5 });
    // Seed level: seed 1 A 3/5, B 2/5; seed 2 A 3/5, B 2/5: differences 0.2 and 0.2. Equal differences
    // leave the t statistic undefined; sign flips (+,+), (-,-) reach |0.4|, (+,-), (-,+) reach 0: p = 2/4.
    expect(cmp.seedLevel.differences.map((d) => [d.seed, d.a, d.b])).toEqual([
      [1, 0.6, 0.4],
      [2, 0.6, 0.4],
    ]);
    expect(cmp.seedLevel.meanDifference).toBeCloseTo(0.2, 12);
    expect(cmp.seedLevel.tTest).toBeNull();
    expect(cmp.seedLevel.tTestNote).toMatch(/differences are equal/);
    expect(cmp.seedLevel.signFlip).toEqual({ p: 0.5, patterns: 4, minP: 0.5 });
    // Conditional on the trained models (examples as unit).
    // a right & b wrong: seed 1 example 2, seed 2 examples 1 and 3; a wrong & b right: seed 2 example 4
    const k = cmp.conditional;
    expect(k.mcnemar).toMatchObject({ b10: 3, b01: 1 });
    expect(k.mcnemar.p).toBeCloseTo(10 / 16, 12); // 2 * P(X <= 1), X ~ Bin(4, 1/2)
    expect(k.difference).toBeCloseTo((6 - 4) / 10, 12);
    expect(k.pBootstrap).toBeGreaterThan(0.05);
    expect(k.resamples).toBe(2000);
    expect(k.ciLow).toBeLessThanOrEqual(k.difference);
    expect(k.ciHigh).toBeGreaterThanOrEqual(k.difference);

    const flips = await ok('experiments.flips', { experiment: mainExperiment, a, b });
    expect(flips.flips.map((f) => [f.externalId, f.aCorrect, f.bCorrect, f.favours])).toEqual([
      // most lopsided first, then by external id
      [ids[1], 2, 1, 'a'],
      [ids[2], 1, 0, 'a'],
      [ids[3], 1, 0, 'a'],
      [ids[4], 0, 1, 'b'],
    ]);
    expect(flips.annotationsAvailable).toBe(true);
    for (const f of flips.flips) {
      expect(f.annotation).toEqual({ status: 'unlabelled', annotators: 0, hasGold: false });
    }
    // An adjudicated verdict on a flipped example shows up in the drill-down.
    const flipped = flips.flips[0]!;
    const datasetId = (
      lab.db.prepare('SELECT dataset_id FROM examples WHERE id = ?').get(flipped.exampleId) as { dataset_id: number }
    ).dataset_id;
    lab.db
      .prepare(
        `INSERT INTO annotation_gold (dataset_id, external_id, completion_idx, adjudicator, fingerprint, verdict, data, created_at, updated_at)
         VALUES (?, ?, 0, 'lead', 'x', 'hallucinated', '{}', 'now', 'now')`,
      )
      .run(datasetId, flipped.externalId);
    const again = await ok('experiments.flips', { experiment: mainExperiment, a, b });
    expect(again.flips.find((f) => f.externalId === flipped.externalId)!.annotation).toEqual({
      status: 'hallucinated',
      annotators: 0,
      hasGold: true,
    });
    expect(await lab.dispatch('experiments.compare', { experiment: mainExperiment, a, b: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('plans from measured throughput of completed runs', async () => {
    const plan = await ok('experiments.plan', {
      spec: spec({ methods: ['answer-only', 'post-thinking'], seeds: 3 }),
      probe: false,
      concurrency: 1,
    });
    expect(plan.perMethod.every((m) => m.source === 'history' && m.secondsPerRun! > 0)).toBe(true);
    expect(plan.estimatedSeconds).toBeCloseTo(
      3 * (plan.perMethod[0]!.secondsPerRun! + plan.perMethod[1]!.secondsPerRun!),
      6,
    );
    expect(plan.explanation).toMatch(/completed run/);
  });

  it('prints experiment status as JSON from the CLI', async () => {
    let out = '';
    const code = await runCli(['experiment', 'status', String(mainExperiment), '--json', '--data-dir', dataDir], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
    });
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as {
      experiment: { id: number; status: string; runsDetail: unknown[] };
      groups: { key: string }[];
    };
    expect(parsed.experiment).toMatchObject({ id: mainExperiment, status: 'completed' });
    expect(parsed.experiment.runsDetail).toHaveLength(4);
    expect(parsed.groups.map((g) => g.key)).toEqual(['answer-only|rate=0', 'post-thinking|rate=0']);
    let err = '';
    const bad = path.join(dataDir, 'bad.json');
    fs.writeFileSync(bad, '{\n  "name": "x",\n  "dataset": 1,\n  "methods": ["pst"],\n  "budget": { "steps": 0 }\n}\n');
    expect(
      await runCli(['experiment', 'create', bad, '--data-dir', dataDir], {
        stdout: () => undefined,
        stderr: (t) => (err += t),
      }),
    ).toBe(1);
    expect(err).toContain(`${bad}:5: budget.steps:`);
  });

  it('keeps queued work across re-opening the lab and continues it on start', async () => {
    const detail = await ok('experiments.create', {
      spec: spec({ name: 'reopen', methods: ['answer-only'], seeds: [3, 4] }),
    });
    lab.close();
    lab = Lab.open({ dataDir, runtime: 'test' });
    const reopened = await ok('experiments.get', { experiment: detail.id });
    expect(reopened.status).toBe('queued');
    expect(reopened.runsDetail.map((r) => r.status)).toEqual(['queued', 'queued']);
    await ok('experiments.start', { experiment: detail.id, concurrency: 2 });
    await experimentScheduler(lab.context).wait(detail.id);
    expect((await ok('experiments.get', { experiment: detail.id })).runsDetail.map((r) => r.status)).toEqual([
      'completed',
      'completed',
    ]);
  });

  it('retries a failed run', async () => {
    const detail = await ok('experiments.create', {
      spec: spec({ name: 'flaky', seeds: [1], backend: 'tensorflow-gpu' }),
    });
    await ok('experiments.start', { experiment: detail.id });
    await experimentScheduler(lab.context).wait(detail.id);
    const failed = await ok('experiments.get', { experiment: detail.id });
    expect(failed.status).toBe('failed');
    expect(failed.runsDetail[0]!.error).toMatch(/tensorflow-gpu/);
    // The cause goes away (here: the run's backend), then retry queues it again from scratch.
    const runId = failed.runsDetail[0]!.runId;
    const row = lab.db.prepare('SELECT spec FROM runs WHERE id = ?').get(runId) as { spec: string };
    lab.db
      .prepare('UPDATE runs SET spec = ? WHERE id = ?')
      .run(JSON.stringify({ ...JSON.parse(row.spec), backend: 'wasm' }), runId);
    const queued = await ok('experiments.retry', { experiment: detail.id, start: false });
    expect(queued.byStatus).toEqual({ queued: 1 });
    await ok('experiments.start', { experiment: detail.id });
    await experimentScheduler(lab.context).wait(detail.id);
    expect((await ok('experiments.get', { experiment: detail.id })).runsDetail[0]).toMatchObject({
      status: 'completed',
      error: null,
    });
  });

  it('stops resumably (what Ctrl+C does): running runs are cancelled, queued stay queued, start resumes both', async () => {
    const detail = await ok('experiments.create', {
      spec: spec({ name: 'stop', seeds: [5, 6], budget: { steps: 40, batchSize: 4 } }),
    });
    const scheduler = experimentScheduler(lab.context);
    const stepped = new Promise<void>((resolve) => {
      const off = lab.events.subscribe((m) => {
        if (m.name === 'run.progress' && m.payload.step >= 3) {
          off();
          resolve();
        }
      });
    });
    await ok('experiments.start', { experiment: detail.id, concurrency: 1 });
    await stepped;
    scheduler.stop(detail.id);
    await scheduler.wait(detail.id);
    const stopped = await ok('experiments.get', { experiment: detail.id });
    expect(stopped.runsDetail.map((r) => r.status)).toEqual(['cancelled', 'queued']);
    expect(stopped.status).toBe('queued');
    await ok('experiments.start', { experiment: detail.id });
    await scheduler.wait(detail.id);
    const done = await ok('experiments.get', { experiment: detail.id });
    expect(done.runsDetail.map((r) => [r.status, r.step])).toEqual([
      ['completed', 40],
      ['completed', 40],
    ]);
  });

  it('varies the answer target: teacher cells train on the teacher answer of an answer-follows-error variant', async () => {
    const detail = await ok('experiments.create', {
      spec: spec({
        name: 'targets',
        synthetic: { task: 'coin_flip', n: 60, seed: 5, hallucinationRates: [0.6] },
        answerTargets: ['gold', 'teacher'],
        seeds: 1,
      }),
    });
    expect(detail.runsDetail.map((r) => r.key)).toEqual([
      'answer-only|rate=0.6|target=gold|seed=1',
      'answer-only|rate=0.6|target=teacher|seed=1',
    ]);
    const [gold, teacher] = detail.runsDetail;
    expect(gold!.datasetId).not.toBe(teacher!.datasetId);
    for (const [row, target] of [
      [gold!, 'gold'],
      [teacher!, 'teacher'],
    ] as const) {
      const run = await ok('runs.get', { run: row.runId });
      expect((run.spec as { methodOptions: { answerTarget?: string } }).methodOptions.answerTarget).toBe(target);
    }
    // Same questions; the teacher variant's injected errors reach its answers, the gold one's do not.
    const wrongTeacherAnswers = async (datasetId: number): Promise<number> =>
      (await ok('datasets.examples', { dataset: datasetId, teacherCorrect: false, limit: 1 })).total;
    const all = (await ok('datasets.examples', { dataset: teacher!.datasetId, limit: 1 })).total;
    const teacherWrong = await wrongTeacherAnswers(teacher!.datasetId);
    // about 60 % of the items carry an error, nearly all of which reach the answer
    expect(teacherWrong).toBeGreaterThan(all * 0.3);
    expect(await wrongTeacherAnswers(gold!.datasetId)).toBeLessThan(teacherWrong / 2);
    await ok('experiments.cancel', { experiment: detail.id });
  });

  it('cancels an experiment: queued runs become cancelled without starting', async () => {
    const detail = await ok('experiments.create', { spec: spec({ name: 'cancel me' }) });
    const cancelled = await ok('experiments.cancel', { experiment: detail.id });
    expect(cancelled).toMatchObject({ status: 'cancelled', byStatus: { cancelled: 2 } });
    expect(experimentScheduler(lab.context).isRunning(detail.id)).toBe(false);
  });
});
