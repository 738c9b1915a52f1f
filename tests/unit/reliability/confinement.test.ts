// File channels in serve mode stay inside the data folder and the folders allowed at start
// (`pst-lab serve --allow-folder`); real paths are compared, so links cannot lead out. Other
// runtimes (the desktop app with its dialogs, the CLI) take any path.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../src/main/lab/lab';
import { tempDir } from '../../helpers/tempLab';

let dataDir: string;
let allowed: string;
let outside: string;
let lab: Lab;
let dataset: number;

beforeAll(async () => {
  dataDir = tempDir('pst-lab-confine-data-');
  allowed = tempDir('pst-lab-confine-allowed-');
  outside = tempDir('pst-lab-confine-outside-');
  lab = Lab.open({ dataDir, runtime: 'serve', allowedFolders: [allowed] });
  const gen = await lab.dispatch('datasets.generate', { task: 'coin_flip', n: 8, seed: 1 });
  dataset = (gen as { ok: true; value: { datasetId: number } }).value.datasetId;
});
afterAll(() => {
  lab.close();
  for (const d of [dataDir, allowed, outside]) fs.rmSync(d, { recursive: true, force: true });
});

const forbidden = {
  ok: false,
  error: { code: 'FORBIDDEN', message: expect.stringContaining("outside the lab's folders in serve mode") },
};

describe('serve-mode file confinement', () => {
  it('writes exports, reports and annotation exports only inside the allowed folders', async () => {
    const target = path.join(outside, 'victim.txt');
    fs.writeFileSync(target, 'keep me');
    expect(await lab.dispatch('datasets.export', { dataset, out: target })).toMatchObject(forbidden);
    expect(await lab.dispatch('annotations.export', { dataset, out: target })).toMatchObject(forbidden);
    expect(await lab.dispatch('reports.create', { experiments: [1], format: 'md', out: target })).toMatchObject({
      ok: false,
    });
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me');
    expect(await lab.dispatch('datasets.export', { dataset })).toMatchObject({ ok: true });
    expect(await lab.dispatch('datasets.export', { dataset, out: path.join(allowed, 'd.jsonl') })).toMatchObject({
      ok: true,
    });
    expect(
      await lab.dispatch('annotations.export', { dataset, out: path.join(dataDir, 'exports', 'a.jsonl') }),
    ).toMatchObject({ ok: true });
  });

  it('reads imports only inside them, and a link inside the data folder does not lead out', async () => {
    const secret = path.join(outside, 'secret.jsonl');
    fs.writeFileSync(secret, '{"question":"q?","answer":"a"}\n');
    expect(await lab.dispatch('datasets.import', { paths: [secret] })).toMatchObject(forbidden);
    expect(await lab.dispatch('datasets.detect', { paths: [secret] })).toMatchObject(forbidden);
    expect(await lab.dispatch('annotations.import', { dataset, path: secret })).toMatchObject(forbidden);
    fs.symlinkSync(outside, path.join(dataDir, 'link'));
    expect(
      await lab.dispatch('datasets.import', { paths: [path.join(dataDir, 'link', 'secret.jsonl')] }),
    ).toMatchObject(forbidden);
    expect(
      await lab.dispatch('datasets.export', { dataset, out: path.join(dataDir, 'link', 'new.jsonl') }),
    ).toMatchObject(forbidden);
    const inside = path.join(allowed, 'ok.jsonl');
    fs.copyFileSync(secret, inside);
    expect(await lab.dispatch('datasets.import', { paths: [inside], name: 'ok' })).toMatchObject({ ok: true });
  });

  it('the CLI and desktop runtimes are not confined', async () => {
    const cli = Lab.open({ dataDir, runtime: 'cli' });
    try {
      const out = path.join(outside, 'cli-export.jsonl');
      expect(await cli.dispatch('datasets.export', { dataset, out })).toMatchObject({ ok: true });
      expect(fs.existsSync(out)).toBe(true);
    } finally {
      cli.close();
    }
  });
});
