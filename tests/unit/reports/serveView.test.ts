// Serve mode: an HTML report written into the lab's reports folder opens in a new browser tab from a
// link on the app's page (the download cookie authorises it; no token in the URL), sandboxed (an
// opaque origin) under the report's own script hashes, and draws every chart with no page error.
// Skipped, with the reason printed, when no Chromium is installed.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium, writeReport } from '../../../src/main/lab/reports';
import { startServer } from '../../../src/main/serve/server';
import { openTempLab, tempDir } from '../../helpers/tempLab';
import { predictionsFixture, robustnessFixture } from './fixtures';

function chromiumPath(): string | null {
  try {
    return findChromium();
  } catch (err) {
    console.warn(`[reports] skipping the serve-mode report tab test: ${(err as Error).message}`);
    return null;
  }
}
const executablePath = chromiumPath();

describe.skipIf(executablePath === null)('HTML report in a tab (serve mode)', () => {
  it('opens from a link in a sandboxed tab and draws every chart', async () => {
    const { lab, dataDir, cleanup } = openTempLab();
    const rendererDir = tempDir('pst-lab-renderer-');
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
    const server = await startServer({ lab, port: 0, rendererDir });
    const browser = await chromium.launch({ executablePath: executablePath!, headless: true, args: CHROMIUM_ARGS });
    try {
      const exp = robustnessFixture();
      const file = path.join(dataDir, 'reports', 'report.html');
      await writeReport([exp], { format: 'html', out: file, predictions: predictionsFixture(exp) });
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${server.port}/`);
      // What the app does on start: trade the token for the download cookie (scripts as strings: no DOM types here).
      await page.evaluate(
        `fetch('/api/session', { method: 'POST', headers: { Authorization: 'Bearer ${server.token}' } }).then(function () {})`,
      );
      // The link WrittenReports renders (lab.viewUrl).
      const href = `/api/download/view?path=${encodeURIComponent(file)}`;
      await page.evaluate(
        `(function () { var a = document.createElement('a'); a.href = ${JSON.stringify(href)}; a.target = '_blank'; ` +
          `a.rel = 'noopener noreferrer'; a.id = 'open'; a.textContent = 'Open in new tab'; document.body.append(a); })()`,
      );
      const [tab] = await Promise.all([page.context().waitForEvent('page'), page.click('#open')]);
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      tab.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await tab.waitForSelector('html[data-charts-ready]', { state: 'attached', timeout: 120_000 });
      expect(await tab.evaluate('document.documentElement.dataset.chartsReady')).toBe('9');
      // Sandboxed: an opaque origin, so the page cannot reach the lab's API, cookies or storage.
      expect(await tab.evaluate('window.origin')).toBe('null');
      expect(await tab.title()).toContain('PST Lab report');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
      cleanup();
      fs.rmSync(rendererDir, { recursive: true, force: true });
    }
  }, 300_000);
});
