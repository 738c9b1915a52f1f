// The Runs page in real Chromium against the built `pst-lab serve`: a coin_flip dataset made with
// the CLI, a tiny post-thinking run started from the New run form (a refused spec first shows its
// field error), watched to completion in the list, then its detail with a loss chart holding data
// and a predictions table; a second run is cancelled from the list, resumed, and completes.
// Screenshots of the list and the detail go to the temp dir.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumOrWarn } from '../helpers/e2e/browser';
import { generateDataset, useServedApp } from '../helpers/e2e/servedApp';

const chromiumPath = chromiumOrWarn();

interface RunChoices {
  name: string;
  steps: number;
  evalEvery: number;
}

describe.skipIf(chromiumPath === null)('Runs page in Chromium (serve mode)', () => {
  const app = useServedApp({
    chromiumPath: chromiumPath!,
    screenshotPrefix: 'runs',
    // The helper makes the data directory; the dataset goes in with the CLI before any page opens.
    prepare: (serve) => generateDataset(serve.dataDir, ['--task', 'coin_flip', '--n', '60', '--seed', '3']),
  });
  const { openApp, shoot } = app;

  /** Fills the New run form with a budget small enough for a test (1 x 32 student, wasm). */
  async function fillRun(form: Locator, run: RunChoices): Promise<void> {
    await form.getByLabel('Method', { exact: true }).selectOption('post-thinking');
    await form.getByLabel('Preset', { exact: true }).selectOption('tiny');
    await form.getByLabel('Override the architecture', { exact: true }).check();
    await form.getByLabel('Layers', { exact: true }).fill('1');
    await form.getByLabel('Width', { exact: true }).fill('32');
    await form.getByLabel('Heads', { exact: true }).fill('2');
    await form.getByLabel('Steps', { exact: true }).fill(String(run.steps));
    await form.getByLabel('Batch size', { exact: true }).fill('4');
    await form.getByLabel('Backend', { exact: true }).selectOption('wasm');
    await form.getByLabel('Validation interval', { exact: true }).fill(String(run.evalEvery));
    await form.getByLabel('Validation examples', { exact: true }).fill('4');
    await form.getByLabel('Test examples', { exact: true }).fill('4');
    await form.getByLabel('Name', { exact: true }).fill(run.name);
  }

  function row(page: Page, name: string): Locator {
    return page.getByTestId('run-row').filter({ has: page.getByRole('link', { name, exact: true }) });
  }

  async function status(r: Locator): Promise<string> {
    return ((await r.getByTestId('run-status').textContent()) ?? '').trim();
  }

  it('starts a tiny post-thinking run, watches it complete, and shows its curves and predictions', async () => {
    const { page, errors } = await openApp('#/runs');
    try {
      await page.getByRole('heading', { name: 'No training runs yet' }).waitFor();
      await page.getByRole('button', { name: 'New run…' }).click();
      const form = page.locator('form[aria-label="New run"]');
      await shoot(page, 'new-run-form');
      // The generated dataset and its committed version are offered.
      await expect
        .poll(async () => form.getByLabel('Dataset', { exact: true }).locator('option').allTextContents())
        .toEqual(['coin_flip n=60 p=0 seed=3']);
      await expect.poll(async () => form.getByLabel('Version', { exact: true }).inputValue()).toBe('1');
      // PST options show only for PST; post-thinking shows its weights.
      expect(await form.getByLabel('Semantic loss', { exact: true }).count()).toBe(1);
      await fillRun(form, { name: 'e2e first', steps: 30, evalEvery: 10 });
      expect(await form.getByLabel('Semantic loss', { exact: true }).count()).toBe(0);
      expect(await form.getByLabel('Rationale weight (w_r)', { exact: true }).inputValue()).toBe('1');

      // A refused spec: the lab's field error appears next to the learning rate.
      await form.getByLabel('Learning rate', { exact: true }).fill('0');
      await form.getByRole('button', { name: 'Start run' }).click();
      const lrField = form.locator('.field', { has: page.getByLabel('Learning rate', { exact: true }) });
      await lrField.getByRole('alert').waitFor({ timeout: 10_000 });
      await shoot(page, 'new-run-field-error');
      expect(await lrField.getByRole('alert').textContent()).toMatch(/>0|greater|positive|small/i);
      await form.getByLabel('Learning rate', { exact: true }).fill('0.003');
      await form.getByRole('button', { name: 'Start run' }).click();
      // Post-thinking at the tiny preset's context 256 would cut most coin-flip rationales: refused
      // on the truncation field with the share and the needed context, until the user opts in.
      const cutField = form.locator('.field', { has: page.getByLabel('Allow truncation', { exact: true }) });
      await cutField.getByRole('alert').waitFor({ timeout: 10_000 });
      expect(await cutField.getByRole('alert').textContent()).toMatch(
        /would cut [\d.]+ % of the training rationales .*needs a context of \d+ tokens/,
      );
      await form.getByLabel('Allow truncation', { exact: true }).check();
      await form.getByRole('button', { name: 'Start run' }).click();
      await form.waitFor({ state: 'detached', timeout: 15_000 });

      // The list follows the run to completion.
      const first = row(page, 'e2e first');
      await first.waitFor();
      await expect.poll(() => status(first), { timeout: 60_000, interval: 250 }).toBe('completed');
      expect(await first.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('30');
      expect(await first.getByTestId('run-step').textContent()).toContain('30 / 30');
      await expect.poll(async () => first.getByTestId('test-accuracy').textContent()).toMatch(/%$/);
      expect(await first.textContent()).toContain('wasm');
      await shoot(page, 'list');

      // The detail: loss chart with points, final metrics, predictions.
      await first.getByRole('link', { name: 'e2e first' }).click();
      await page.getByRole('heading', { level: 1, name: 'e2e first' }).waitFor();
      const chart = page.getByTestId('loss-chart');
      await expect
        .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 10_000 })
        .toBeGreaterThanOrEqual(30);
      const canvas = chart.locator('canvas');
      const box = await canvas.boundingBox();
      expect(box && box.width > 100 && box.height > 100).toBe(true);
      // The canvas actually has ink on it (not a blank bitmap).
      const inked = await canvas.evaluate((c: HTMLCanvasElement) => {
        const ctx = c.getContext('2d');
        if (!ctx) return 0;
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
        return n;
      });
      expect(inked).toBeGreaterThan(500);
      expect(await page.getByTestId('detail-test-accuracy').textContent()).toMatch(/%$/);
      const preds = page.getByTestId('prediction-row');
      await expect.poll(() => preds.count(), { timeout: 10_000 }).toBe(4);
      expect(await page.getByTestId('predictions-summary').textContent()).toMatch(/of 4 correct/);
      // Filtering to incorrect shows the complement.
      const correct = Number(
        /(\d+) of 4 correct/.exec((await page.getByTestId('predictions-summary').textContent()) ?? '')?.[1],
      );
      await page.getByRole('button', { name: 'incorrect', exact: true }).click();
      await expect.poll(() => preds.count()).toBe(4 - correct);
      await page.getByRole('button', { name: 'all', exact: true }).click();
      // Configuration blocks are filled in by the worker.
      expect(await page.locator('section[aria-label="Environment"]').textContent()).not.toContain('Not reported yet');
      expect(await page.locator('section[aria-label="Spec"]').textContent()).toContain('post-thinking');
      await shoot(page, 'detail');
      await page.getByRole('heading', { name: 'Configuration', exact: true }).scrollIntoViewIfNeeded();
      await shoot(page, 'detail-evaluation');
      // Charts follow the theme: switching the OS scheme recolours them without errors.
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.getByRole('link', { name: '← Runs' }).scrollIntoViewIfNeeded();
      await shoot(page, 'detail-dark');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('cancels a run from the list, resumes it and sees it complete', async () => {
    const { page, errors } = await openApp('#/runs');
    try {
      await page.getByRole('table', { name: 'Runs' }).waitFor();
      await page.getByRole('button', { name: 'New run…' }).click();
      const form = page.locator('form[aria-label="New run"]');
      await expect.poll(async () => form.getByLabel('Version', { exact: true }).inputValue()).toBe('1');
      await fillRun(form, { name: 'e2e second', steps: 80, evalEvery: 40 });
      await form.getByLabel('Allow truncation', { exact: true }).check();
      await form.getByRole('button', { name: 'Start run' }).click();
      await form.waitFor({ state: 'detached', timeout: 15_000 });

      const second = row(page, 'e2e second');
      await expect.poll(() => status(second), { timeout: 30_000, interval: 100 }).toBe('running');
      // Let it train a few steps so a checkpoint exists to resume from.
      await expect
        .poll(async () => Number(await second.getByRole('progressbar').getAttribute('aria-valuenow')), {
          timeout: 30_000,
          interval: 100,
        })
        .toBeGreaterThan(0);
      await shoot(page, 'list-running');
      await second.getByRole('button', { name: 'Cancel e2e second' }).click();
      await expect.poll(() => status(second), { timeout: 30_000, interval: 100 }).toBe('cancelled');
      const stoppedAt = Number(await second.getByRole('progressbar').getAttribute('aria-valuenow'));
      expect(stoppedAt).toBeLessThan(80);
      await shoot(page, 'list-cancelled');

      await second.getByRole('button', { name: 'Resume e2e second' }).click();
      await expect.poll(() => status(second), { timeout: 60_000, interval: 250 }).toBe('completed');
      expect(await second.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('80');
      await expect.poll(async () => second.getByTestId('test-accuracy').textContent()).toMatch(/%$/);
      // Finished runs offer Delete, not Cancel.
      expect(await second.getByRole('button', { name: 'Cancel e2e second' }).count()).toBe(0);
      expect(await second.getByRole('button', { name: 'Delete e2e second' }).count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
