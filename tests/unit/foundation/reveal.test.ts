import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Lab } from '../../../src/main/lab/lab';
import { openTempLab, tempDir } from '../../helpers/tempLab';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('app.revealFile', () => {
  it('is unsupported outside the desktop app', async () => {
    const { lab, dataDir, cleanup } = openTempLab();
    try {
      const r = await lab.dispatch('app.revealFile', { path: path.join(dataDir, 'pst-lab.sqlite') });
      expect(r).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    } finally {
      cleanup();
    }
  });

  it('shows only files inside the data directory', async () => {
    const dataDir = tempDir();
    const outside = tempDir();
    dirs.push(dataDir, outside);
    const shown: string[] = [];
    const lab = Lab.open({ dataDir, runtime: 'test', revealFile: (f) => shown.push(f) });
    try {
      fs.mkdirSync(path.join(dataDir, 'reports'));
      const inside = path.join(dataDir, 'reports', 'r.html');
      fs.writeFileSync(inside, 'x');
      fs.writeFileSync(path.join(outside, 'secret'), 'x');
      expect(await lab.dispatch('app.revealFile', { path: inside })).toEqual({ ok: true, value: { revealed: true } });
      for (const p of [path.join(outside, 'secret'), path.join(dataDir, 'nope.html'), path.join(dataDir, '..', path.basename(outside), 'secret')]) {
        expect(await lab.dispatch('app.revealFile', { path: p }), p).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
      expect(shown).toEqual([fs.realpathSync(inside)]);
    } finally {
      lab.close();
    }
  });
});
