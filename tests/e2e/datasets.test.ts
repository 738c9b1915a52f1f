// The Datasets page in real Chromium against the built `pst-lab serve`: import a JSONL file
// through the UI (detected format, mapping), search, edit a rationale, commit, split, commit,
// export and read the exported file on disk; a refused import lists located problems and can be
// redone with "skip invalid records"; a generated 20,000-example dataset keeps only the visible
// rows in the DOM and scrolls to the last example. Screenshots of the main states go to the temp dir.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumOrWarn } from '../helpers/e2e/browser';
import { useServedApp } from '../helpers/e2e/servedApp';
import type { ServeProcess } from '../helpers/e2e/serveProcess';
import { tempDir } from '../helpers/tempLab';

const chromiumPath = chromiumOrWarn();

const SMALL = [
  {
    id: 'q1',
    question: 'Tom has 3 apples and buys 4 more. How many apples does he have?',
    answer: '7',
    rationale: 'Tom starts with 3 apples. He buys 4 more, so 3 + 4 = 7.',
    teacher_answer: '7',
  },
  {
    id: 'q2',
    question: 'A box holds 6 pencils. How many pencils are in 2 boxes?',
    answer: '12',
    rationale: 'Each box has 6 pencils. Two boxes hold 6 * 2 = 12 pencils.',
    teacher_answer: '12',
  },
  {
    id: 'q3',
    question: 'Sara had 10 marbles and lost 4. How many marbles are left?',
    answer: '6',
    rationale: 'Sara had 10 marbles. She lost 4, so 10 - 4 = 5.',
    teacher_answer: '5',
  },
  {
    id: 'q4',
    question: 'There are 5 birds on a tree and 2 fly away. How many birds remain?',
    answer: '3',
    rationale: 'There were 5 birds. 2 flew away, so 5 - 2 = 3.',
    teacher_answer: '3',
  },
  {
    id: 'q5',
    question: 'Ann reads 4 pages a day for 3 days. How many pages does she read?',
    answer: '12',
    rationale: 'She reads 4 pages each day for 3 days: 4 * 3 = 12.',
    teacher_answer: '12',
  },
];
const FIXED_RATIONALE = 'Sara had 10 marbles. She lost 4, so 10 - 4 = 6 marbles are left.';

describe.skipIf(chromiumPath === null)('Datasets page in Chromium (serve mode)', () => {
  // Viewport screenshots: the virtualised list is the point of some of them.
  const app = useServedApp({ chromiumPath: chromiumPath!, screenshotPrefix: 'datasets', fullPageScreenshots: false });
  const { openApp, shoot } = app;
  let files: string;

  beforeAll(() => {
    files = tempDir('pst-lab-e2e-datasets-files-');
  });

  afterAll(() => {
    if (files) fs.rmSync(files, { recursive: true, force: true });
  });

  async function matchCount(page: Page): Promise<string> {
    return ((await page.getByTestId('match-count').textContent()) ?? '').trim();
  }

  async function commitDraft(page: Page, message: string): Promise<void> {
    const bar = page.locator('form[aria-label="Uncommitted changes"]');
    await bar.waitFor({ timeout: 10_000 });
    await bar.getByLabel('Commit message').fill(message);
    await bar.getByRole('button', { name: 'Commit' }).click();
    await bar.waitFor({ state: 'detached', timeout: 10_000 });
  }

  async function versionOptions(page: Page): Promise<string[]> {
    return (await page.getByLabel('Version', { exact: true }).locator('option').allTextContents()).map((s) => s.trim());
  }

  it('imports a JSONL file, searches, edits a rationale, commits, splits, commits and exports the edit', async () => {
    const file = path.join(files, 'teacher.jsonl');
    fs.writeFileSync(file, SMALL.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const { page, errors } = await openApp('#/datasets');
    try {
      // Empty list says what to do.
      await page.getByRole('heading', { name: 'No datasets yet' }).waitFor();

      // Import: choose the file, see the detected format and mapping, import.
      await page.getByRole('button', { name: 'Import…' }).click();
      await page.getByTestId('import-files').setInputFiles(file);
      await page.getByTestId('detected-format').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('detected-format').textContent()).toBe('jsonl');
      expect(await page.getByLabel('Column for question').inputValue()).toBe('question');
      expect(await page.getByLabel('Column for rationale').inputValue()).toBe('rationale');
      await page.getByLabel('Dataset name').fill('e2e teacher');
      await shoot(page, 'import-detected');
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const result = page.locator('section[aria-label="Import result"]');
      await result.waitFor({ timeout: 30_000 });
      expect(await result.textContent()).toMatch(/Imported\s+5\s+examples/);
      await page.getByRole('button', { name: 'Open the dataset' }).click();

      // The dataset view: 5 examples, teacher accuracy 4/5.
      await page.getByRole('heading', { level: 1, name: 'e2e teacher' }).waitFor();
      expect(new URL(page.url()).hash).toMatch(/^#\/datasets\/\d+$/);
      await page.getByRole('grid', { name: 'Examples' }).waitFor();
      await expect.poll(() => matchCount(page)).toBe('5 matching');
      expect(await page.locator('dl[aria-label="Version statistics"]').textContent()).toContain('80.0%');

      // Teacher-correct only hides the wrong one; turning it off brings it back.
      await page.getByRole('button', { name: 'Teacher-correct only' }).click();
      await expect.poll(() => matchCount(page)).toBe('4 matching');
      await page.getByRole('button', { name: 'Teacher-correct only' }).click();
      await expect.poll(() => matchCount(page)).toBe('5 matching');

      // Full-text search finds the marbles question only.
      await page.getByLabel('Search examples').fill('marbles');
      await expect.poll(() => matchCount(page)).toBe('1 matching');
      const row = page.locator('[role="grid"] .body [role="row"]');
      expect(await row.count()).toBe(1);
      expect(await row.first().textContent()).toContain('Sara had 10 marbles');

      // Open it, edit the rationale and the teacher answer.
      await row.first().click();
      const detail = page.locator('aside[aria-label="Example detail"]');
      await detail.getByTestId('detail-rationale').waitFor();
      // With the detail open beside it at 1280x800 the table needs no horizontal scroll: the Flags
      // column is inside the grid's box (Tags gives way; the detail lists them) and clips no badge.
      const grid = page.getByRole('grid', { name: 'Examples' });
      expect(await grid.evaluate((g) => g.scrollWidth - g.clientWidth)).toBeLessThanOrEqual(0);
      const gridBox = (await grid.boundingBox())!;
      const flagsBox = (await grid.getByRole('columnheader', { name: 'Flags' }).boundingBox())!;
      expect(flagsBox.x + flagsBox.width).toBeLessThanOrEqual(gridBox.x + gridBox.width);
      expect(
        await grid
          .locator('[role="gridcell"].flags')
          .evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth).length),
      ).toBe(0);
      expect(await detail.textContent()).toContain('teacher incorrect');
      await detail.getByRole('button', { name: 'Edit' }).click();
      await detail.getByLabel('Rationale').fill(FIXED_RATIONALE);
      await detail.getByLabel('Teacher answer').fill('6');
      await shoot(page, 'edit-example');
      await detail.getByRole('button', { name: 'Save to draft' }).click();
      await expect.poll(async () => detail.getByTestId('detail-rationale').textContent()).toBe(FIXED_RATIONALE);
      expect(await detail.textContent()).toContain('teacher correct');
      expect(await detail.textContent()).toMatch(/Revisions\s*2/);

      // A wrong gold answer is refused with the field marked.
      await detail.getByRole('button', { name: 'Edit' }).click();
      await detail.getByLabel('Gold answer').fill('six and a bit');
      await detail.getByRole('button', { name: 'Save to draft' }).click();
      await detail.locator('[role="alert"]').waitFor();
      expect(await detail.locator('[role="alert"]').textContent()).toMatch(/answer/);
      expect(await detail.getByLabel('Gold answer').getAttribute('aria-invalid')).toBe('true');
      await detail.getByRole('button', { name: 'Cancel' }).click();

      // Commit the edit as version 2.
      await shoot(page, 'draft-bar');
      await commitDraft(page, 'Fix the marbles rationale');
      await expect
        .poll(() => versionOptions(page))
        .toEqual([expect.stringMatching(/^v2 · [0-9a-f]{12}$/), expect.stringMatching(/^v1 /)]);

      // Split 60/20/20 with a seed, then commit as version 3.
      await page.getByRole('tab', { name: 'Split' }).click();
      const split = page.locator('form[aria-label="Split editor"]');
      await split.getByLabel('Train').fill('0.6');
      await split.getByLabel('Val').fill('0.2');
      await split.getByLabel('Test', { exact: true }).fill('0.2');
      await split.getByLabel('Seed').fill('7');
      await split.getByRole('button', { name: 'Apply split to the draft' }).click();
      await page.getByTestId('split-result').waitFor();
      expect(await page.getByTestId('split-result').textContent()).toMatch(/Assigned 3 train, 1 val, 1 test/);
      await shoot(page, 'split');
      await commitDraft(page, 'Split 60/20/20 seed 7');
      await expect.poll(async () => (await versionOptions(page))[0]).toMatch(/^v3 /);

      // A split that leaves the test set empty is refused, saying why; nothing changes.
      await split.getByLabel('Train').fill('0.8');
      await split.getByLabel('Test', { exact: true }).fill('0');
      await split.getByRole('button', { name: 'Apply split to the draft' }).click();
      await split.locator('[role="alert"]').waitFor();
      expect(await split.locator('[role="alert"]').textContent()).toContain('leaves the test set empty');
      expect(await page.locator('form[aria-label="Uncommitted changes"]').count()).toBe(0);
      await shoot(page, 'split-empty-test-refused');

      // An edit and its reverse net to no change: no "Uncommitted changes", no Commit, only "Close draft".
      await page.getByRole('tab', { name: 'Examples' }).click();
      await page.getByLabel('Search examples').fill('marbles');
      await expect.poll(() => matchCount(page)).toBe('1 matching');
      await page.locator('[role="grid"] .body [role="row"]').first().click();
      const again = page.locator('aside[aria-label="Example detail"]');
      for (const text of ['Sara had 10 marbles and lost 4, leaving 6.', FIXED_RATIONALE]) {
        await again.getByRole('button', { name: 'Edit' }).click();
        await again.getByLabel('Rationale').fill(text);
        await again.getByRole('button', { name: 'Save to draft' }).click();
        await expect
          .poll(async () => again.getByTestId('detail-rationale').textContent(), { timeout: 15_000 })
          .toBe(text);
      }
      const same = page.getByTestId('draft-unchanged');
      await same.waitFor({ timeout: 15_000 });
      expect(await same.textContent()).toContain('nothing to commit');
      expect(await page.locator('form[aria-label="Uncommitted changes"]').count()).toBe(0);
      await shoot(page, 'draft-unchanged');
      await same.getByRole('button', { name: 'Close draft' }).click();
      await same.waitFor({ state: 'detached', timeout: 10_000 });
      await page.getByLabel('Search examples').fill('');

      // History lists the three versions with their messages.
      await page.getByRole('tab', { name: 'History' }).click();
      const history = page.locator('table[aria-label="Version history"] tbody tr');
      expect(await history.count()).toBe(3);
      expect(await history.nth(0).textContent()).toContain('Split 60/20/20 seed 7');
      expect(await history.nth(1).textContent()).toContain('Fix the marbles rationale');
      expect(await history.nth(1).textContent()).toContain('1 edited');
      await shoot(page, 'history');

      // Export v3 (generic JSONL) into the lab's exports folder, with a download link.
      await page.getByRole('tab', { name: 'Export' }).click();
      expect(await page.getByLabel('Version to export').inputValue()).toBe('3');
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      await page.getByTestId('export-path').first().waitFor({ timeout: 15_000 });
      const exported = ((await page.getByTestId('export-path').first().textContent()) ?? '').trim();
      expect(path.dirname(exported)).toBe(path.join(app.serve.dataDir, 'exports'));
      const lines = fs.readFileSync(exported, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(5);
      const text = lines.join('\n');
      expect(text).toContain(FIXED_RATIONALE);
      expect(text).not.toContain('10 - 4 = 5');
      expect((text.match(/"split":"(train|val|test)"/g) ?? []).length).toBe(5);
      const href = await page.locator('ul[aria-label="Exported files"] a').first().getAttribute('href');
      expect(href).toMatch(/^\/api\/download\?path=/);
      await shoot(page, 'export');

      // Back on the list: the dataset with 3 versions.
      await page.getByRole('link', { name: '← Datasets' }).click();
      const listRow = page.locator('table[aria-label="Datasets"] tbody tr');
      await listRow.first().waitFor();
      expect(await listRow.first().textContent()).toMatch(/e2e teacher\s*jsonl\s*3\s*5\s*3 \/ 1 \/ 1\s*100\.0%/);
      await shoot(page, 'list');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a refused import lists located problems and imports nothing; "skip invalid records" lists the skipped lines', async () => {
    const file = path.join(files, 'broken.jsonl');
    const lines = SMALL.map((r) => JSON.stringify(r));
    lines.splice(2, 0, '{"id":"bad","question":"truncated');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const before = (await apiCall(app.serve, 'datasets.list', {})) as unknown[];
    const { page, errors } = await openApp('#/datasets');
    try {
      await page.getByRole('button', { name: 'Import…' }).click();
      await page.getByTestId('import-files').setInputFiles(file);
      await page.getByTestId('detected-format').waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const problems = page.getByRole('list', { name: 'Problems (nothing was imported)' });
      await problems.waitFor({ timeout: 15_000 });
      expect(await problems.textContent()).toMatch(/broken\.jsonl:3\b/);
      expect(((await apiCall(app.serve, 'datasets.list', {})) as unknown[]).length).toBe(before.length);
      await shoot(page, 'import-problems');

      await page.getByRole('button', { name: 'Import again, skipping invalid records' }).click();
      const result = page.locator('section[aria-label="Import result"]');
      await result.waitFor({ timeout: 15_000 });
      expect(await result.textContent()).toMatch(/Imported\s+5\s+examples/);
      expect(await result.getByRole('list', { name: 'Skipped 1 invalid records' }).textContent()).toMatch(
        /broken\.jsonl:3\b/,
      );
      expect(((await apiCall(app.serve, 'datasets.list', {})) as unknown[]).length).toBe(before.length + 1);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('generates 20,000 examples; the table keeps few rows in the DOM, scrolls to the last one, and works by keyboard', async () => {
    const { page, errors } = await openApp('#/datasets');
    try {
      await page.getByRole('button', { name: 'Generate synthetic…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Generate a synthetic task' });
      await dialog.getByRole('radio', { name: /arithmetic/ }).check();
      await dialog.getByLabel('Examples (n)').fill('20000');
      await dialog.getByLabel('Seed').fill('3');
      await dialog.getByLabel('Hallucination rate').fill('0.3');
      await dialog.getByLabel('Dataset name').fill('arith 20k');
      await shoot(page, 'generate');
      await dialog.getByRole('button', { name: 'Generate' }).click();
      // The dialog reports what it made, including how many test items training already contains.
      const result = dialog.getByRole('region', { name: 'Generated dataset' });
      await result.waitFor({ timeout: 120_000 });
      expect(await result.textContent()).toMatch(/Test items whose pattern occurs in training: \d+ of 2000/);
      await shoot(page, 'generate-result');
      await result.getByRole('button', { name: 'Open dataset' }).click();
      await page.getByRole('heading', { level: 1, name: 'arith 20k' }).waitFor({ timeout: 30_000 });
      await expect.poll(() => matchCount(page), { timeout: 30_000 }).toBe('20,000 matching');
      expect(await page.getByTestId('stat-examples').textContent()).toBe('20,000');

      const grid = page.getByRole('grid', { name: 'Examples' });
      const rows = grid.locator('.body [role="row"]');
      expect(await rows.count()).toBeGreaterThan(5);
      expect(await rows.count()).toBeLessThan(300);

      // Scroll to the very end: the last example shows, and the DOM still holds only a window.
      await page.evaluate(
        "(() => { const g = document.querySelector('[role=grid]'); g.scrollTop = g.scrollHeight; })()",
      );
      const last = grid.locator('[role="row"][aria-rowindex="20001"]');
      // The row appears at once as a placeholder, then fills in when its page arrives.
      await expect
        .poll(async () => ((await last.locator('[role="gridcell"]').first().textContent()) ?? '').trim(), {
          timeout: 15_000,
        })
        .toBe('20000');
      expect(await rows.count()).toBeLessThan(300);
      await shoot(page, 'virtualised-end');

      // Keyboard: back to the top, j j moves the cursor to the 2nd row, Enter opens its detail.
      await grid.focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('k');
      await page.keyboard.press('j');
      await page.keyboard.press('Enter');
      const detail = page.locator('aside[aria-label="Example detail"]');
      await detail.getByTestId('detail-question').waitFor();
      expect(await detail.locator('h3').textContent()).toContain('#3');
      await expect.poll(() => grid.locator('[role="row"][aria-selected="true"]').count()).toBe(1);

      // Hallucinated filter and a ground-truth highlight in a hallucinated example.
      await page.getByRole('search').getByLabel('Hallucinated', { exact: true }).selectOption('yes');
      await expect.poll(() => matchCount(page)).toMatch(/^[\d,]+ matching$/);
      await grid.locator('.body [role="row"]').first().click();
      await detail.locator('mark').first().waitFor();
      expect(await detail.getByRole('list', { name: 'Injected errors' }).first().textContent()).toMatch(/step \d+/);
      await shoot(page, 'hallucinated-detail');

      // Shift-click selects a range; bulk-tag it.
      const body = grid.locator('.body [role="row"]');
      await body.nth(0).click();
      await body.nth(4).click({ modifiers: ['Shift'] });
      await expect.poll(() => grid.locator('[role="row"][aria-selected="true"]').count()).toBe(5);
      await page.getByLabel('Tag for the selection').fill('review');
      await page.getByRole('button', { name: 'Add tag' }).click();
      await page.locator('form[aria-label="Uncommitted changes"]').waitFor();
      await expect
        .poll(() => page.getByRole('search').getByLabel('Tag', { exact: true }).locator('option').allTextContents())
        .toContain('review (5)');

      // Dark theme looks right too.
      await page.emulateMedia({ colorScheme: 'dark' });
      await shoot(page, 'dark');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

/** Calls the served HTTP API the way a script would, to cross-check what the UI did. */
async function apiCall(serve: ServeProcess, channel: string, input: unknown): Promise<unknown> {
  const res = await fetch(`${serve.origin}/api/invoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${serve.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel, input }),
  });
  const body = (await res.json()) as { ok: boolean; value?: unknown; error?: unknown };
  if (!body.ok) throw new Error(`${channel} failed: ${JSON.stringify(body.error)}`);
  return body.value;
}
