import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn, generateCoins } from '../../helpers/cli';
import { tempDir } from '../../helpers/tempLab';
import type { RunDetail } from '../../../src/shared/types/runs';

const dataDir = tempDir();
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const cli = cliIn(dataDir);

// A micro PST run: the point is that the diagnostics travel from the worker to the CLI.
const MICRO = [
  '--method',
  'pst',
  '--layers',
  '1',
  '--width',
  '32',
  '--heads',
  '2',
  '--steps',
  '4',
  '--batch',
  '4',
  '--eval-every',
  '2',
];
const MICRO_EVAL = ['--val-examples', '2', '--test-examples', '2', '--backend', 'wasm', '--json'];

beforeAll(() => generateCoins(dataDir, 40, 2));

// Each test trains in a worker process: allow for a loaded machine.
describe('PST diagnostics through the CLI', { timeout: 180_000 }, () => {
  it('`runs show --json` carries the encoder record and diagnostics at the start and at each validation', async () => {
    const t = await cli('train', '--dataset', 'coins', ...MICRO, '--self-steps', '3', ...MICRO_EVAL);
    expect(t.code).toBe(0);
    const trained = JSON.parse(t.stdout) as RunDetail;
    const shown = await cli('runs', 'show', String(trained.id), '--json');
    expect(shown.code).toBe(0);
    expect(shown.stderr).toBe('');
    const detail = JSON.parse(shown.stdout) as RunDetail;
    expect(detail.warnings).toEqual([]);
    expect(detail.semantic).toMatchObject({ encoder: 'self', loss: 'infonce', centred: true, dim: 32 });
    expect(detail.semantic!.diagnostics.map((d) => d.step)).toEqual([0, 2, 4]);
    for (const d of detail.semantic!.diagnostics) {
      expect(d.diversity!).toBeLessThan(0.9);
      expect(d.train).toMatchObject({
        n: expect.any(Number),
        top1: expect.any(Number),
        top5: expect.any(Number),
        chanceTop1: expect.any(Number),
      });
      expect(d.degenerate).toBe(false);
    }
    const text = await cli('runs', 'show', String(trained.id));
    expect(text.stdout).toMatch(/PST semantic target: encoder self/);
    expect(text.stdout).toMatch(/train top1\/top5/);
  });

  it('a self-online run is recorded as degenerate and warns on stderr', async () => {
    const t = await cli(
      'train',
      '--dataset',
      'coins',
      ...MICRO,
      '--encoder',
      'self-online',
      '--loss',
      'cosine',
      ...MICRO_EVAL,
    );
    expect(t.code).toBe(0);
    expect(t.stderr).toMatch(/WARNING \(run \d+\): PST semantic target is degenerate/);
    const detail = JSON.parse(t.stdout) as RunDetail;
    expect(detail.semantic!.diagnostics[0]!.degenerate).toBe(true);
    expect(detail.warnings).toHaveLength(1);
    const shown = await cli('runs', 'show', String(detail.id));
    expect(shown.stderr).toMatch(/degenerate/);
    expect(shown.stdout).toMatch(/NOT centred/);
  });

  it('refuses selfFrom pointing at a run that does not exist', async () => {
    const t = await cli('train', '--dataset', 'coins', ...MICRO, '--self-from', '999', ...MICRO_EVAL);
    expect(t.code).not.toBe(0);
    expect(t.stderr).toMatch(/selfFrom: run 999 does not exist/);
  });
});
