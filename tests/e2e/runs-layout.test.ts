// The Runs page fits the window with a full lab: 20 queued runs of one experiment (made with
// `pst-lab experiment create`, which queues without training) plus one tiny finished run (`pst-lab
// train`, 2 steps). At 1280x800 the list has no horizontal overflow and every run's actions and
// backend cell are in view; a chart shrinks when the window narrows; the run's resolved
// configuration shows its values whole. Screenshots go to the temp dir.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumOrWarn } from '../helpers/e2e/browser';
import { runBin } from '../helpers/e2e/built';
import { generateDataset, useServedApp } from '../helpers/e2e/servedApp';

const chromiumPath = chromiumOrWarn();

async function cli(dataDir: string, args: string[]): Promise<string> {
  const r = await runBin([...args, '--data-dir', dataDir]);
  if (r.code !== 0) throw new Error(`pst-lab ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

async function prepare(dataDir: string): Promise<void> {
  await generateDataset(dataDir, ['--task', 'coin_flip', '--n', '60', '--seed', '3', '--name', 'coins']);
  const spec = {
    name: 'Hallucination sweep with a rather long experiment name',
    synthetic: { task: 'coin_flip', n: 60, seed: 5, hallucinationRates: [0, 0.3] },
    methods: ['answer-only', 'post-thinking'],
    seeds: 5,
    preset: 'tiny',
    budget: { steps: 2, batchSize: 4 },
  };
  const file = path.join(dataDir, 'sweep.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  await cli(dataDir, ['experiment', 'create', file]);
  await cli(dataDir, [
    'train',
    ...['--dataset', 'coins', '--method', 'pst', '--preset', 'tiny', '--steps', '2', '--batch', '4'],
    ...['--layers', '1', '--width', '32', '--heads', '2', '--backend', 'wasm'],
    ...['--eval-every', '1', '--val-examples', '4', '--test-examples', '4', '--name', 'finished tiny pst run'],
  ]);
}

/**
 * Pixels the page, main and (with `within`) the scroll containers inside main are wider than their
 * box: 0 or less = no horizontal overflow.
 */
async function horizontalOverflow(page: Page, within = true): Promise<number> {
  return page.evaluate((within) => {
    let worst = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    for (const el of Array.from(document.querySelectorAll(within ? 'main, main *' : 'main'))) {
      const style = getComputedStyle(el);
      if (!['auto', 'scroll'].includes(style.overflowX)) continue;
      worst = Math.max(worst, el.scrollWidth - el.clientWidth);
    }
    return worst;
  }, within);
}

describe.skipIf(chromiumPath === null)('Runs page layout with 20 runs (serve mode, Chromium)', () => {
  const app = useServedApp({
    chromiumPath: chromiumPath!,
    screenshotPrefix: 'runs-layout',
    fullPageScreenshots: false,
    prepare: (serve) => prepare(serve.dataDir),
  });

  it('fits 1280x800 and 1440x900: no horizontal overflow, every run shows its backend cell and actions', async () => {
    const { page, errors } = await app.openApp('#/runs');
    try {
      for (const [width, height] of [
        [1280, 800],
        [1440, 900],
      ] as const) {
        await page.setViewportSize({ width, height });
        const rows = page.getByTestId('run-row');
        await rows.nth(20).waitFor({ timeout: 30_000 });
        expect(await rows.count()).toBe(21);
        expect(await horizontalOverflow(page), `overflow at ${width}`).toBeLessThanOrEqual(0);
        const main = await page.locator('main').boundingBox();
        for (let i = 0; i < 21; i++) {
          const row = rows.nth(i);
          await row.scrollIntoViewIfNeeded();
          const actions = row.getByRole('button');
          expect(await actions.count(), `row ${i} has actions`).toBeGreaterThan(0);
          for (const box of [await actions.last().boundingBox(), await row.locator('td').nth(-2).boundingBox()]) {
            expect(box, `row ${i}`).not.toBeNull();
            expect(box!.x + box!.width, `row ${i} at ${width}`).toBeLessThanOrEqual(main!.x + main!.width);
          }
        }
        // The Data column shows the variant's whole name, hallucination rate included.
        expect(await page.locator('td.data').allTextContents()).toContain('coin_flip n=60 p=0.3 seed=5@v1');
        await app.shoot(page, `list-${width}`);
      }
      // Grouped by experiment: one heading for the 20 experiment runs, one for the lone run.
      await page.getByLabel('Sort runs').selectOption('experiment');
      const groups = page.getByTestId('run-group');
      expect(await groups.count()).toBe(2);
      expect(await groups.first().textContent()).toContain('20 runs');
      await page.getByLabel('Experiment filter').selectOption({ label: 'Runs outside experiments' });
      expect(await page.getByTestId('run-row').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shrinks the charts with the window and shows the resolved configuration values whole', async () => {
    const { page, errors } = await app.openApp('#/runs');
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.getByRole('link', { name: 'finished tiny pst run', exact: true }).click();
      const chart = page.getByTestId('loss-chart').locator('canvas');
      await chart.waitFor();
      const wide = (await chart.boundingBox())!.width;
      await page.setViewportSize({ width: 1000, height: 800 });
      await expect.poll(async () => (await chart.boundingBox())!.width, { timeout: 5_000 }).toBeLessThan(wide - 300);
      const main = (await page.locator('main').boundingBox())!;
      expect((await chart.boundingBox())!.x + (await chart.boundingBox())!.width).toBeLessThanOrEqual(
        main.x + main.width,
      );
      // (The predictions table may scroll inside its own box; the page itself must not.)
      expect(await horizontalOverflow(page, false)).toBeLessThanOrEqual(0);

      await page.setViewportSize({ width: 1280, height: 800 });
      const resolved = page.locator('section[aria-label="Resolved configuration"]');
      await resolved.locator('dd').first().waitFor();
      await resolved.scrollIntoViewIfNeeded();
      // Every value is drawn whole: nothing clipped (its box holds its text) and wide enough to read.
      const clipped = await resolved
        .locator('dd')
        .evaluateAll((dds) =>
          dds
            .filter((d) => d.scrollWidth > d.clientWidth + 1 || d.getBoundingClientRect().width < 48)
            .map((d) => d.textContent),
        );
      expect(clipped).toEqual([]);
      expect(await resolved.locator('dd').count()).toBeGreaterThan(5);
      await app.shoot(page, 'detail-config');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
