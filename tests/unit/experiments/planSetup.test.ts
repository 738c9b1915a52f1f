// The experiment plan counts what PST cells do before training: the self encoder's `selfSteps`
// NTP(r) steps and the external encoder's one-off encoding, at rates recorded by earlier runs.
// History rows are written by hand so the expected seconds can be computed exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentSpec } from '../../../src/shared/types/experiments';
import type { SemanticRecord } from '../../../src/shared/types/runs';
import { callOk } from '../../helpers/call';
import { openTempLab } from '../../helpers/tempLab';

const temp = openTempLab();
const lab = temp.lab;
afterAll(() => temp.cleanup());

const MODEL = { layers: 1, width: 32, heads: 2 };
let datasetId = 0;
let versionId = 0;

function spec(over: Partial<ExperimentSpec>): ExperimentSpec {
  return {
    name: 'plan',
    dataset: 'coins',
    methods: ['pst'],
    seeds: 1,
    preset: 'tiny',
    model: MODEL,
    budget: { steps: 100, batchSize: 4 },
    evaluation: { evalEvery: 0, valExamples: 2, testExamples: 2 },
    backend: 'wasm',
    concurrency: 1,
    ...over,
  };
}

/** A finished PST run: 100 steps at 100 ms/step, 5 s of other overhead, plus `setupMs` of target setup. */
function history(context: number, semantic: Omit<SemanticRecord, 'diagnostics' | 'loss' | 'dim' | 'centred'>): void {
  const db = lab.context.db;
  const runSpec = {
    dataset: datasetId,
    version: 1,
    method: 'pst',
    preset: 'tiny',
    model: { ...MODEL, context },
    batchSize: 4,
  };
  const setupMs = semantic.setupMs ?? 0;
  const started = Date.parse('2026-01-01T00:00:00.000Z');
  const id = Number(
    db
      .prepare(
        `INSERT INTO runs (name, dataset_id, version_id, method, preset, seed, spec, status, steps, step, backend, started_at, finished_at, semantic)
         VALUES ('h', ?, ?, 'pst', 'tiny', 1, ?, 'completed', 100, 100, 'wasm', ?, ?, ?)`,
      )
      .run(
        datasetId,
        versionId,
        JSON.stringify(runSpec),
        new Date(started).toISOString(),
        new Date(started + 100 * 100 + 5000 + setupMs).toISOString(),
        JSON.stringify({ loss: 'infonce', dim: 32, centred: true, diagnostics: [], ...semantic }),
      ).lastInsertRowid,
  );
  const step = db.prepare(
    'INSERT INTO run_steps (run_id, step, loss, lr, tokens_per_sec, elapsed_ms) VALUES (?, ?, 1, 0.001, 100, ?)',
  );
  step.run(id, 1, 0);
  step.run(id, 100, 99 * 100);
}

beforeAll(async () => {
  const g = await callOk(lab, 'datasets.generate', { task: 'coin_flip', n: 60, seed: 5, name: 'coins' });
  datasetId = g.datasetId;
  versionId = g.version.id;
});

describe('experiment plan: PST target setup', () => {
  it('adds selfSteps x the recorded self-encoder ms/step to self cells only, and the encoding once per variant to external cells', async () => {
    const grid = spec({
      pstGrid: { encoder: ['self', 'hashed-tfidf', 'external'], encoderStudent: 'tinybert' },
      methodOptions: { selfSteps: 300 },
      seeds: 2,
    });
    const before = await callOk(lab, 'experiments.plan', { spec: grid, probe: false });
    expect(before.estimatedSeconds).toBeNull();
    const context = before.context!.tokens;
    // A self run: 3 s of setup (the base must not count it), 20 ms per self-encoder step.
    history(context, { encoder: 'self', encoderConfig: {}, setupMs: 3000, selfStepMs: 20 });
    // An external run of the same encoder: 2 ms per rationale encoded.
    history(context, { encoder: 'external', encoderConfig: { encoder: 'tinybert' }, setupMs: 0, encodeMsPerText: 2 });

    const plan = await callOk(lab, 'experiments.plan', { spec: grid, probe: false });
    const texts = Number(/encodes (\d+) rationales once per dataset variant/.exec(plan.explanation)?.[1]);
    expect(texts).toBeGreaterThan(10);
    // Base per run: 5 s overhead + 100 steps x 100 ms (the test split is evaluated at 0 ms/example).
    const base = 5 + 10;
    const self = base + (300 * 20) / 1000;
    const external = base + (texts * 2) / 1000;
    // 2 seeds x (self, hashed-tfidf, external); only the first external cell encodes.
    const cells = [self, base, external, self, base, base];
    expect(plan.estimatedSeconds).toBeCloseTo(
      cells.reduce((a, b) => a + b, 0),
      6,
    );
    expect(plan.perMethod[0]!.secondsPerRun).toBeCloseTo(cells.reduce((a, b) => a + b, 0) / cells.length, 6);
    expect(plan.explanation).toMatch(
      /PST cells with encoder self \(2\) first train their encoder for 300 NTP\(r\) steps each \(20 ms\/step from self-encoder steps recorded by run\(s\) #1\)/,
    );
  });

  it('a self encoder picked from a finished run (selfFrom) costs no pre-training', async () => {
    const plan = await callOk(lab, 'experiments.plan', {
      spec: spec({ methodOptions: { selfFrom: 1, selfSteps: 300 } }),
      probe: false,
    });
    expect(plan.estimatedSeconds).toBeCloseTo(15, 6);
    expect(plan.explanation).not.toMatch(/NTP\(r\) steps/);
  });
});
