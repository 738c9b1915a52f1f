// The HTML report opened in a real headless Chromium with the network off: hostile text in dataset
// names, questions and rationales runs no script, and the charts draw. Also PDF generation.
// Skipped, with the reason printed, when no Chromium is installed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium, writeReport } from '../../../src/main/lab/reports';
import { predictionsFixture, robustnessFixture } from './fixtures';

function chromiumPath(): string | null {
  try {
    return findChromium();
  } catch (err) {
    console.warn(`[reports] skipping browser tests: ${(err as Error).message}`);
    return null;
  }
}

const executablePath = chromiumPath();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pst-lab-reports-'));

describe.skipIf(executablePath === null)('HTML report in Chromium', () => {
  let browser: Browser;
  let htmlFile: string;

  beforeAll(async () => {
    const exp = robustnessFixture({ hostile: true });
    htmlFile = path.join(dir, 'report.html');
    await writeReport([exp], {
      format: 'html',
      out: htmlFile,
      predictions: predictionsFixture(exp, { hostile: true }),
    });
    browser = await chromium.launch({ executablePath: executablePath!, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`runs no injected script and draws every chart (${colorScheme})`, async () => {
      const context = await browser.newContext({ offline: true, colorScheme });
      const requests: string[] = [];
      await context.route('**/*', (route) => {
        requests.push(route.request().url());
        // Network off: only the report file itself may load.
        return route.request().url().startsWith('file:') ? route.continue() : route.abort();
      });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      await page.goto(`file://${htmlFile}`);
      await page.waitForSelector('html[data-charts-ready]', { state: 'attached', timeout: 20_000 });

      expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
      expect(await page.evaluate('document.querySelectorAll("img").length')).toBe(0);
      expect(requests).toEqual([`file://${htmlFile}`]);

      // Every canvas has drawn pixels (a chart, not a blank box).
      const painted = (await page.evaluate(`Array.from(document.querySelectorAll('canvas')).map(function (c) {
        var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;
        for (var i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return { id: c.id, painted: n, total: c.width * c.height };
      })`)) as { id: string; painted: number; total: number }[];
      expect(painted.map((c) => c.id)).toEqual([
        'exp-7-accuracy',
        'exp-7-robustness',
        'exp-7-curves-0',
        'exp-7-curves-1',
        'exp-7-curves-2',
        'exp-7-tokens',
        'exp-7-ms',
        'exp-7-no-answer',
        'exp-7-scatter',
      ]);
      for (const c of painted) expect(c.painted, c.id).toBeGreaterThan(c.total * 0.01);
      expect(await page.evaluate('document.documentElement.dataset.chartsReady')).toBe('9');
      // Baselines: marks over the accuracy bars, lines in the robustness chart.
      expect(
        await page.evaluate(`Chart.getChart(document.getElementById('exp-7-accuracy')).data.datasets[0].baselines[0]`),
      ).toEqual({ majority: 62, chance: 50 });
      expect(
        await page.evaluate(
          `Chart.getChart(document.getElementById('exp-7-robustness')).data.datasets.filter(function (d) { return !d.band; }).map(function (d) { return d.label; })`,
        ),
      ).toEqual(['pre-thinking', 'post-thinking', 'pst', 'majority baseline', 'chance']);

      // Switching the error bars to the t-interval redraws without errors and rewrites the captions.
      const caption = `document.querySelector('[data-error-text="exp-7"]').textContent`;
      expect(await page.evaluate(caption)).toMatch(/^± 1 sample std over seeds/);
      await page.check('input[name="error-mode"][value="ci"]');
      expect(await page.evaluate('document.documentElement.dataset.chartsReady')).toBe('9');
      expect(await page.evaluate(caption)).toMatch(
        /^no interval: not enough seeds for a 95% t-interval \(n = 2 seeds per group/,
      );
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('writes a multi-page PDF', async () => {
    const exp = robustnessFixture({ hostile: true });
    const out = path.join(dir, 'report.pdf');
    const { files } = await writeReport([exp], {
      format: 'pdf',
      out,
      predictions: predictionsFixture(exp, { hostile: true }),
    });
    expect(files).toEqual([out]);
    const pdf = fs.readFileSync(out);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(50_000);
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThan(1);
  });
});
