// The desktop app itself through Playwright's Electron driver. Needs the Electron binary, which
// is absent when installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (as in CI): then this skips and
// says why, and serve-ui.test.ts covers the same renderer in Chromium.
import fs from 'node:fs';
import path from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { electronBinaryStatus } from '../../src/main/lab/electronBinary';
import { assertBuilt, REPO_ROOT } from '../helpers/e2e/built';
import { tempDir } from '../helpers/tempLab';

function electronSkipReason(): string | null {
  const status = electronBinaryStatus();
  if (!status.binaryPresent) return `no Electron binary: ${status.note}`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display for the Electron window (set DISPLAY, or run under xvfb-run)';
  }
  return null;
}

const skipReason = electronSkipReason();
if (skipReason) console.warn(`[e2e] skipping Electron tests: ${skipReason}`);

describe('desktop app (Electron)', () => {
  let app: ElectronApplication | null = null;
  const dirs: string[] = [];

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it.skipIf(skipReason !== null)(
    `opens the hardened window with the shell${skipReason ? ` (skipped: ${skipReason})` : ''}`,
    async () => {
      assertBuilt();
      const dataDir = tempDir('pst-lab-e2e-electron-data-');
      const userDataDir = tempDir('pst-lab-e2e-electron-profile-');
      dirs.push(dataDir, userDataDir);
      const args = [path.join(REPO_ROOT, 'out', 'main', 'index.js'), `--user-data-dir=${userDataDir}`];
      // Chromium refuses to run as root with its OS sandbox (CI containers); the renderer's own
      // sandbox/contextIsolation web preferences, which this test checks, are unaffected.
      if (process.getuid?.() === 0) args.unshift('--no-sandbox');
      // The built page, not a dev server a developer may have left configured.
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env))
        if (v !== undefined && k !== 'ELECTRON_RENDERER_URL') env[k] = v;
      env.PST_LAB_DATA_DIR = dataDir;
      app = await electron.launch({
        executablePath: electronBinaryStatus().binaryPath!,
        args,
        cwd: REPO_ROOT,
        env,
        timeout: 60_000,
      });
      const win = await app.firstWindow();
      await win.locator('nav[aria-label="Main"] a').first().waitFor({ timeout: 30_000 });
      expect(await win.locator('nav[aria-label="Main"] a').allTextContents()).toEqual([
        'Datasets',
        'Annotate',
        'Experiments',
        'Runs',
        'Compare',
        'Reports',
        'Settings',
      ]);

      // The renderer sees the narrow bridge and nothing of Node.
      // (Page-side code as a string: the test tsconfig has no DOM lib.)
      const globals = await win.evaluate<Record<string, unknown>>(`({
        pstLab: typeof window.pstLab,
        bridgeKeys: window.pstLab ? Object.keys(window.pstLab).sort() : [],
        require: typeof window.require,
        process: typeof window.process,
        module: typeof window.module,
        Buffer: typeof window.Buffer,
      })`);
      expect(globals).toEqual({
        pstLab: 'object',
        bridgeKeys: ['invoke', 'onEvent', 'pathForFile'],
        require: 'undefined',
        process: 'undefined',
        module: 'undefined',
        Buffer: 'undefined',
      });

      // The bridge reaches the lab on the data dir we gave it.
      const status = win.locator('footer[aria-label="Status"] [data-testid="data-dir"]');
      await status.waitFor({ timeout: 30_000 });
      expect(await status.textContent()).toBe(dataDir);
      expect(await win.locator('footer[aria-label="Status"]').textContent()).toMatch(/Desktop/);
    },
  );
});
