// reports.create end to end: a finished micro experiment -> Markdown, LaTeX, CSV and HTML whose
// numbers are the ones stored in the database.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelName, ChannelResult } from '../../../src/shared/contract';
import { callOk } from '../../helpers/call';
import { experimentScheduler } from '../../../src/main/lab/experiments/scheduler';
import type { Lab } from '../../../src/main/lab/lab';
import { runCli } from '../../../src/main/cli/main';
import { openTempLab } from '../../helpers/tempLab';

let lab: Lab;
let dataDir: string;
let cleanup: () => void;
let experiment: number;

const ok = <C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> => callOk(lab, channel, input);

beforeAll(async () => {
  ({ lab, dataDir, cleanup } = openTempLab());
  const detail = await ok('experiments.create', {
    spec: {
      name: 'report <b>test</b> & 50%',
      synthetic: { task: 'coin_flip', n: 60, seed: 5, hallucinationRates: [0] },
      methods: ['answer-only', 'post-thinking'],
      seeds: 2,
      preset: 'tiny',
      model: { layers: 1, width: 32, heads: 2 },
      budget: { steps: 6, batchSize: 4 },
      evaluation: { evalEvery: 3, valExamples: 2, testExamples: 5 },
      backend: 'wasm',
    },
  });
  experiment = detail.id;
  await ok('experiments.start', { experiment, concurrency: 2 });
  await experimentScheduler(lab.context).wait(experiment);
}, 120_000);
afterAll(() => cleanup());

/** Mean test accuracy per method straight from the runs table. */
function dbMeans(): Map<string, { mean: number; std: number }> {
  const rows = lab.db.prepare('SELECT method, test_accuracy AS acc FROM runs WHERE experiment_id = ?').all(experiment) as { method: string; acc: number }[];
  const by = new Map<string, number[]>();
  for (const r of rows) by.set(r.method, [...(by.get(r.method) ?? []), r.acc]);
  return new Map(
    [...by].map(([m, xs]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
      return [m, { mean, std }];
    }),
  );
}

describe('reports.create', () => {
  it('writes Markdown and LaTeX tables whose numbers match the database', async () => {
    const means = dbMeans();
    expect(means.size).toBe(2);
    const md = await ok('reports.create', { experiments: [experiment], format: 'md' });
    const text = fs.readFileSync(md.files[0]!, 'utf8');
    const tex = fs.readFileSync((await ok('reports.create', { experiments: [experiment], format: 'tex' })).files[0]!, 'utf8');
    for (const [method, { mean, std }] of means) {
      const cell = `${(100 * mean).toFixed(1)} ± ${(100 * std).toFixed(1)}`;
      const mdRow = text.split('\n').find((l) => l.startsWith('|') && l.includes(method) && l.includes('±'));
      expect(mdRow, `markdown row for ${method}`).toBeDefined();
      expect(mdRow).toContain(cell);
      const texRow = tex.split('\n').find((l) => l.includes(method) && l.includes('\\pm'));
      expect(texRow, `latex row for ${method}`).toBeDefined();
      // the best mean of a column is bold
      const m = (100 * mean).toFixed(1);
      expect(texRow!.includes(`${m} $\\pm$ ${(100 * std).toFixed(1)}`) || texRow!.includes(`\\textbf{${m}} $\\pm$ ${(100 * std).toFixed(1)}`)).toBe(true);
    }
    expect(md.files[0]!.startsWith(`${dataDir}/reports/`)).toBe(true);
    expect(tex).toContain('\\toprule');
  });

  it('writes per-run and per-example CSV and a self-contained HTML report via the CLI', async () => {
    let out = '';
    const code = await runCli(['report', String(experiment), '--format', 'csv', '--out', `${dataDir}/r.csv`, '--json', '--data-dir', dataDir], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
    });
    expect(code).toBe(0);
    const files = (JSON.parse(out) as { files: string[] }).files;
    expect(files).toHaveLength(2);
    expect(fs.readFileSync(files[0]!, 'utf8').trim().split('\n')).toHaveLength(1 + 4);
    expect(fs.readFileSync(files[1]!, 'utf8').trim().split('\n')).toHaveLength(1 + 4 * 5);
    const html = await ok('reports.create', { experiments: [experiment], format: 'html', errorMode: 'ci' });
    const page = fs.readFileSync(html.files[0]!, 'utf8');
    expect(page).toContain('report &#60;b&#62;test&#60;/b&#62; &#38; 50%');
    expect(page).not.toContain('<b>test</b>');
    expect(page).not.toMatch(/<script[^>]+src=/);
    expect(page).toContain('Content-Security-Policy');
  });

  it('refuses an unknown experiment and a bad format', async () => {
    expect(await lab.dispatch('reports.create', { experiments: [999], format: 'md' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await lab.dispatch('reports.create', { experiments: [experiment], format: 'docx' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
