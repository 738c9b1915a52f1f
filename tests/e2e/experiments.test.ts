// The Experiments, Compare and Reports pages in real Chromium against the built `pst-lab serve`:
// design a small robustness experiment in the designer (a refused rate shows its field error; the
// plan shows 8 runs and an estimate before anything starts), create and run it, watch it complete
// in the live view, open the comparison (bars with ink, the error-bar toggle, a bar click listing
// its runs and their predictions, a paired comparison), and write an HTML and a LaTeX report into
// the data directory. Screenshots go to the temp dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumOrWarn, collectPageErrors } from '../helpers/e2e/browser';
import { screenshotPath, useServedApp } from '../helpers/e2e/servedApp';

const chromiumPath = chromiumOrWarn();

/** Pixels with any alpha on a canvas: a chart that drew something has many. */
async function ink(canvas: Locator): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d');
    if (!ctx) return 0;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });
}

/** A cheap fingerprint of a canvas's pixels (to see a redraw change it). */
async function fingerprint(canvas: Locator): Promise<string> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]!) | 0;
    return String(h);
  });
}

describe.skipIf(chromiumPath === null)('Experiments, Compare and Reports in Chromium (serve mode)', () => {
  const app = useServedApp({ chromiumPath: chromiumPath!, screenshotPrefix: 'experiments' });
  const { openApp, shoot } = app;

  it('designs, plans, runs, compares and reports a small experiment', async () => {
    const { page, errors } = await openApp('#/experiments');
    try {
      await page.getByRole('heading', { name: 'No experiments yet' }).waitFor();
      await page.getByRole('link', { name: 'New experiment…' }).click();
      const form = page.locator('form[aria-label="Experiment designer"]');
      await form.waitFor();
      const field = (label: string): Locator => form.getByLabel(label, { exact: true });

      // Default concurrency comes from the machine's cores (doctor.report).
      await expect.poll(async () => field('Concurrent runs').inputValue()).toBe(String(os.cpus().length));
      await expect.poll(async () => field('Task').locator('option').allTextContents()).toContain('coin_flip');
      await field('Name').fill('e2e robustness');
      await field('Task').selectOption('coin_flip');
      await field('Examples (n)').fill('60');
      for (const m of ['pre-thinking', 'pst']) await field(m).uncheck();
      for (const m of ['answer-only', 'post-thinking']) await field(m).check();
      await field('Seeds').fill('2');
      await field('Layers').fill('1');
      await field('Width').fill('32');
      await field('Heads').fill('2');
      await field('Steps').fill('8');
      await field('Batch size').fill('4');
      await field('Validation interval').fill('4');
      await field('Validation examples').fill('4');
      await field('Test examples').fill('5');
      await field('Backend').selectOption('wasm');
      await field('Concurrent runs').fill('2');

      // A rate above 1 is refused by the lab's validation, shown next to the rates field.
      await field('Hallucination rates').fill('0, 1.5');
      const ratesField = form.locator('.field', { has: page.getByLabel('Hallucination rates', { exact: true }) });
      await ratesField.getByRole('alert').waitFor({ timeout: 15_000 });
      expect(await ratesField.getByRole('alert').textContent()).toMatch(/item 2/);
      await field('Hallucination rates').fill('0, 0.5');

      // The plan: 8 runs, and no estimate yet (planning trains nothing and no run has finished) until
      // Measure speed runs the probes, which says what it is doing; then an estimate with its explanation.
      const plan = page.getByTestId('plan');
      await expect.poll(async () => plan.getByTestId('plan-runs').textContent(), { timeout: 60_000 }).toBe('8');
      await expect.poll(async () => plan.getByTestId('plan-eta').textContent()).toBe('no estimate yet');
      expect(await page.getByRole('button', { name: /^Create and run/ }).isEnabled()).toBe(true);
      await plan.getByRole('button', { name: 'Measure speed' }).click();
      expect(await plan.getByTestId('plan-measuring').textContent()).toMatch(/Measuring speed: a short probe training/);
      expect(await page.getByRole('button', { name: /^Create and run/ }).isEnabled()).toBe(true);
      // (The probes train: slow on a loaded machine, hence the generous wait.)
      await expect
        .poll(async () => plan.getByTestId('plan-eta').textContent(), { timeout: 240_000 })
        .toMatch(/^\d+(s|m \d+s|h \d+m)$/);
      expect(((await plan.getByTestId('plan-explanation').textContent()) ?? '').length).toBeGreaterThan(20);
      await expect.poll(async () => ratesField.getByRole('alert').count()).toBe(0);
      // The JSON spec is the CLI's file.
      await page.getByText('Spec as JSON').click();
      const spec = JSON.parse((await page.getByTestId('spec-json').textContent()) ?? '{}') as Record<string, unknown>;
      expect(spec).toMatchObject({
        name: 'e2e robustness',
        synthetic: { task: 'coin_flip', n: 60, hallucinationRates: [0, 0.5] },
        methods: ['answer-only', 'post-thinking'],
        seeds: 2,
        model: { layers: 1, width: 32, heads: 2 },
        budget: { steps: 8, batchSize: 4 },
        evaluation: { testExamples: 5 },
        backend: 'wasm',
        concurrency: 2,
      });
      await shoot(page, 'designer');

      // Create and run: the live view follows it to completion.
      await form.getByRole('button', { name: 'Create and run 8 runs' }).click();
      await page.waitForURL(/#\/experiments\/\d+$/, { timeout: 30_000 });
      const runRows = page.getByTestId('experiment-run-row');
      await expect.poll(() => runRows.count(), { timeout: 15_000 }).toBe(8);
      await expect
        .poll(async () => page.getByTestId('experiment-status').textContent(), { timeout: 30_000, interval: 200 })
        .toMatch(/running|completed/);
      await shoot(page, 'live');
      await expect
        .poll(async () => page.getByTestId('experiment-status').textContent(), { timeout: 100_000, interval: 500 })
        .toBe('completed');
      await expect.poll(async () => page.getByTestId('experiment-by-status').textContent()).toBe('8 completed');
      expect(await page.getByTestId('experiment-progress').textContent()).toContain('100%');
      await shoot(page, 'live-completed');

      // Compare: the grouped bars have ink; the error-bar toggle redraws them.
      await page.getByRole('link', { name: 'Compare results →' }).click();
      const bars = page.getByTestId('accuracy-bars');
      await bars.waitFor({ timeout: 15_000 });
      const canvas = bars.locator('canvas');
      await expect.poll(() => ink(canvas), { timeout: 10_000 }).toBeGreaterThan(1000);
      // 2 methods x 2 rates = 4 groups, 4 bars.
      await expect
        .poll(async () => (JSON.parse((await bars.getAttribute('data-bars')) ?? '[]') as unknown[]).length)
        .toBe(4);
      expect(await page.getByTestId('robustness-chart').count()).toBe(1);
      const stdShown = await fingerprint(canvas);
      const ciButton = page.getByRole('button', { name: '95% t-interval (seeds)' });
      await ciButton.click();
      expect(await ciButton.getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByRole('button', { name: '± std' }).getAttribute('aria-pressed')).toBe('false');
      // With 2 seeds the t-interval is not computable: the table says so, the caption names the
      // interval, and a whisker a group had under ± std disappears.
      expect(await page.getByTestId('stats-ci').allTextContents()).toEqual(new Array(4).fill('not computable (n=2)'));
      expect(await page.getByTestId('accuracy-caption').textContent()).toContain(
        '95% t-interval over seeds (n = 2 per group',
      );
      const stds = await page.getByTestId('stats-table').locator('tbody tr td:nth-child(4)').allTextContents();
      if (stds.some((s) => s !== '–' && Number(s) > 0)) {
        await expect.poll(() => fingerprint(canvas)).not.toBe(stdShown);
      }
      await shoot(page, 'compare-light');

      // Clicking a bar lists its runs (one per seed), linking to their pages, and their predictions.
      const centres = JSON.parse((await bars.getAttribute('data-bars')) ?? '[]') as {
        key: string;
        x: number;
        y: number;
      }[];
      const target = centres[0]!;
      await canvas.click({ position: { x: target.x, y: target.y } });
      const drill = page.getByTestId('drilldown');
      await drill.waitFor({ timeout: 5_000 });
      await expect.poll(() => drill.getByTestId('drilldown-run').count()).toBe(2);
      const links = await drill.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links.every((h) => /^#\/runs\/\d+$/.test(h ?? ''))).toBe(true);
      await drill.getByRole('button', { name: 'Predictions' }).first().click();
      await expect.poll(() => drill.getByTestId('prediction-row').count(), { timeout: 10_000 }).toBe(5);

      // A paired comparison of two groups shows its p-values.
      await page.getByRole('button', { name: 'Compare A and B' }).click();
      await expect.poll(async () => page.getByTestId('p-mcnemar').textContent(), { timeout: 15_000 }).toMatch(/\d/);
      expect(await page.getByTestId('p-bootstrap').textContent()).toMatch(/\d/);
      // Two shared seeds: 4 sign patterns, so the exact sign-flip p is at least 2/4.
      expect(await page.getByTestId('p-signflip').textContent()).toContain('smallest possible with 2 seeds: 2/4');
      expect(await page.getByTestId('seed-differences').textContent()).toMatch(/seed 1: .* · seed 2: /);
      await page.getByTestId('accuracy-bars').scrollIntoViewIfNeeded();
      await shoot(page, 'compare-drilldown');

      // Charts follow the theme.
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(() => ink(canvas)).toBeGreaterThan(1000);
      await shoot(page, 'compare-dark');
      await page.emulateMedia({ colorScheme: 'light' });

      // Reports: HTML, then LaTeX, into <data dir>/reports.
      await page.getByRole('link', { name: 'Reports', exact: true }).click();
      const report = page.locator('form[aria-label="New report"]');
      await report.waitFor();
      await report.getByLabel('e2e robustness').check();
      await report.getByLabel('HTML', { exact: true }).check();
      await report.getByRole('button', { name: 'Write report' }).click();
      await expect.poll(() => page.getByTestId('written-report').count(), { timeout: 30_000 }).toBe(1);
      await report.getByLabel('LaTeX', { exact: true }).check();
      await report.getByLabel('Caption', { exact: true }).fill('Coin flip <robustness> & friends');
      await report.getByRole('button', { name: 'Write report' }).click();
      await expect.poll(() => page.getByTestId('written-report').count(), { timeout: 30_000 }).toBe(2);
      const paths = await page.getByTestId('report-path').allTextContents();
      const reportsDir = path.join(app.serve.dataDir, 'reports');
      const html = paths.find((p) => p.endsWith('.html'));
      const tex = paths.find((p) => p.endsWith('.tex'));
      expect(html && path.dirname(html)).toBe(reportsDir);
      expect(tex && path.dirname(tex)).toBe(reportsDir);
      expect(fs.readFileSync(html!, 'utf8')).toContain('e2e robustness');
      const texText = fs.readFileSync(tex!, 'utf8');
      expect(texText).toContain('\\toprule');
      expect(texText).toContain('Coin flip');
      // In the browser each file has a download link.
      expect(await page.getByTestId('report-download').count()).toBe(2);
      // The HTML report (only it) opens in a new tab from its "Open in new tab" link: sandboxed (an
      // opaque origin: no access to the lab's API or cookies), the report itself, charts drawn.
      const open = page.getByTestId('report-open');
      expect(await open.count()).toBe(1);
      expect(await open.textContent()).toBe('Open in new tab');
      const [tab] = await Promise.all([page.context().waitForEvent('page'), open.click()]);
      const tabErrors = collectPageErrors(tab);
      await tab.waitForSelector('html[data-charts-ready]', { state: 'attached', timeout: 120_000 });
      expect(Number(await tab.evaluate('document.documentElement.dataset.chartsReady'))).toBeGreaterThan(0);
      expect(await tab.title()).toContain('PST Lab report');
      expect(await tab.locator('body').textContent()).toContain('e2e robustness');
      expect(await tab.evaluate('window.origin')).toBe('null');
      await tab.screenshot({ path: screenshotPath('experiments', 'report-tab'), fullPage: false });
      expect(tabErrors).toEqual([]);
      await tab.close();
      await shoot(page, 'reports');
      expect(errors).toEqual([]);
    } catch (err) {
      // What the page showed when it failed, and what it logged.
      await shoot(page, 'failure').catch(() => undefined);
      console.error('[e2e] page errors:', errors);
      throw err;
    } finally {
      await page.close();
    }
  }, 600_000); // trains 8 runs and a probe: minutes on a loaded machine
});
