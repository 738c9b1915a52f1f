// The built renderer in real Chromium against the built `pst-lab serve` on a temporary data dir:
// the shell, keyboard navigation, the status bar, Settings (doctor + theme), the token handling
// of the browser transport, and one screenshot for a human look.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES } from '../../src/shared/types/app';
import { chromiumOrWarn } from '../helpers/e2e/browser';
import { useServedApp, type OpenedPage } from '../helpers/e2e/servedApp';
import type { ServeProcess } from '../helpers/e2e/serveProcess';

const PAGES = [
  { id: 'datasets', label: 'Datasets' },
  { id: 'annotate', label: 'Annotate' },
  { id: 'experiments', label: 'Experiments' },
  { id: 'runs', label: 'Runs' },
  { id: 'compare', label: 'Compare' },
  { id: 'reports', label: 'Reports' },
  { id: 'settings', label: 'Settings' },
] as const;

const chromiumPath = chromiumOrWarn();

describe.skipIf(chromiumPath === null)('serve mode in Chromium', () => {
  const app = useServedApp({ chromiumPath: chromiumPath!, screenshotPrefix: 'serve-ui' });

  /** A fresh tab (fresh sessionStorage) on the printed URL, with the shell connected. */
  async function openApp(hash = ''): Promise<OpenedPage> {
    const opened = await app.openTab(hash);
    await waitForStatus(opened.page);
    return opened;
  }

  /** Waits until the status bar shows the lab (data dir), failing with the error it shows instead. */
  async function waitForStatus(page: Page): Promise<void> {
    await page
      .locator('footer[aria-label="Status"] [data-testid="data-dir"], footer[aria-label="Status"] [role="alert"]')
      .first()
      .waitFor({ timeout: 30_000 });
    const alert = page.locator('footer[aria-label="Status"] [role="alert"]');
    if (await alert.count()) throw new Error(`status bar shows an error: ${await alert.textContent()}`);
  }

  async function currentHeading(page: Page): Promise<string> {
    return ((await page.locator('main h1').first().textContent()) ?? '').trim();
  }

  async function waitForPage(page: Page, label: string): Promise<void> {
    await page.getByRole('heading', { level: 1, name: label, exact: true }).waitFor({ timeout: 10_000 });
  }

  /** Waits for html[data-theme] to be `theme`, or to be absent when theme is null. */
  async function waitForTheme(page: Page, theme: 'dark' | 'light' | null): Promise<void> {
    if (theme) await page.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached', timeout: 10_000 });
    else await page.locator('html[data-theme]').waitFor({ state: 'detached', timeout: 10_000 });
  }

  it('renders the shell: nav with all seven pages, each empty page says what to do next', async () => {
    const { page, errors } = await openApp();
    try {
      const links = page.locator('nav[aria-label="Main"] a');
      expect(await links.allTextContents()).toEqual(PAGES.map((p) => p.label));
      expect(await currentHeading(page)).toBe('Datasets');
      for (const p of PAGES) {
        await page.locator('nav[aria-label="Main"] a', { hasText: p.label }).click();
        await waitForPage(page, p.label);
        expect(new URL(page.url()).hash).toBe(`#/${p.id}`);
        expect(await page.locator(`nav a[aria-current="page"]`).textContent()).toBe(p.label);
        if (p.id === 'settings') continue;
        const empty = page.locator('main section[aria-label]').filter({ has: page.locator('h2') });
        expect(await empty.count(), p.label).toBe(1);
        expect(((await empty.locator('h2').textContent()) ?? '').trim().length, p.label).toBeGreaterThan(3);
        const advice = (await empty.locator('p').allTextContents()).join(' ').trim();
        expect(advice.length, `${p.label} says what to do next`).toBeGreaterThan(60);
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('is keyboard navigable: Alt+1..7 and Tab+Enter on the nav links', async () => {
    const { page, errors } = await openApp();
    try {
      for (const [i, p] of PAGES.entries()) {
        await page.keyboard.press(`Alt+${i + 1}`);
        await waitForPage(page, p.label);
        expect(new URL(page.url()).hash).toBe(`#/${p.id}`);
      }
      await page.keyboard.press('Alt+1');
      await waitForPage(page, 'Datasets');

      // Nothing has focus yet (Alt+N moves no focus): Tab from the top to the "Runs" link, press Enter.
      const visited: string[] = [];
      for (let n = 0; n < 20; n++) {
        await page.keyboard.press('Tab');
        const focused = ((await page.locator(':focus').textContent()) ?? '').trim();
        visited.push(focused);
        if (focused === 'Runs') break;
      }
      expect(visited.at(-1), `tab order: ${visited.join(' | ')}`).toBe('Runs');
      // Every nav link before Runs is a tab stop, in order.
      expect(visited).toEqual(expect.arrayContaining(['Datasets', 'Annotate', 'Experiments', 'Runs']));
      await page.keyboard.press('Enter');
      await waitForPage(page, 'Runs');
      expect(new URL(page.url()).hash).toBe('#/runs');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows the active backend and the data directory in the status bar', async () => {
    const { page } = await openApp();
    try {
      const info = await apiCall(app.serve, 'app.info');
      const status = page.locator('footer[aria-label="Status"]');
      expect(await status.locator('[data-testid="data-dir"]').textContent()).toBe(app.serve.dataDir);
      const backend = await status.locator('[data-testid="active-backend"]').textContent();
      expect(backend).toBe(info.activeBackend ?? 'none');
      expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(backend);
      expect(await status.textContent()).toMatch(/Browser \(pst-lab serve\)/);
    } finally {
      await page.close();
    }
  });

  it('Settings shows the doctor report; the dark theme applies and persists across a reload', async () => {
    const { page, errors } = await openApp('#/settings');
    try {
      await waitForPage(page, 'Settings');
      const doctor = page.locator('table[aria-label="Doctor report"]');
      await doctor.waitFor({ timeout: 60_000 });
      const doctorText = (await doctor.textContent()) ?? '';
      expect(doctorText).toContain(app.serve.dataDir);
      expect(doctorText).toMatch(/Node\s*v?\d+\.\d+/);
      expect(doctorText).toMatch(/schema \d+\/\d+/);
      const backendRows = page.locator('table[aria-label="Backends"] tbody tr');
      expect(await backendRows.count()).toBe(BACKEND_NAMES.length);

      const theme = page.getByLabel('Theme');
      expect(await theme.inputValue()).toBe('system');
      await theme.selectOption('dark');
      await waitForTheme(page, 'dark');
      expect(await bodyBackground(page)).toBe('rgb(21, 24, 30)');

      await page.reload();
      await waitForStatus(page);
      await waitForTheme(page, 'dark');
      expect(await page.getByLabel('Theme').inputValue()).toBe('dark');
      expect((await apiCall(app.serve, 'settings.get')).theme).toBe('dark');

      // Back to following the OS: the attribute goes away and the OS preference decides.
      await page.getByLabel('Theme').selectOption('system');
      await waitForTheme(page, null);
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await bodyBackground(page)).toBe('rgb(21, 24, 30)');
      await page.emulateMedia({ colorScheme: 'light' });
      expect(await bodyBackground(page)).toBe('rgb(247, 247, 249)');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('keeps working after a reload: the token moves to sessionStorage and leaves the URL', async () => {
    const { page, errors } = await openApp('#/runs');
    try {
      expect(page.url()).not.toContain('token=');
      expect(page.url()).toBe(`${app.serve.origin}/#/runs`);
      expect(await page.evaluate("sessionStorage.getItem('pst-lab-token')")).toBe(app.serve.token);
      await page.reload();
      await waitForStatus(page);
      await waitForPage(page, 'Runs');
      expect(await page.locator('[data-testid="data-dir"]').textContent()).toBe(app.serve.dataDir);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a page opened without the token shows a clear error in the status bar', async () => {
    const page = await app.browser.newPage();
    try {
      await page.goto(`${app.serve.origin}/`);
      const alert = page.locator('footer[aria-label="Status"] [role="alert"]');
      await alert.waitFor({ timeout: 15_000 });
      expect(await alert.textContent()).toMatch(/no access token.*pst-lab serve/);
      // The shell itself still renders, so the user sees where they are.
      expect(await page.locator('nav[aria-label="Main"] a').count()).toBe(7);
    } finally {
      await page.close();
    }
  });

  it('a page opened with a wrong token shows a clear error in the status bar', async () => {
    const page = await app.browser.newPage();
    try {
      await page.goto(`${app.serve.origin}/?token=not-the-token`);
      const alert = page.locator('footer[aria-label="Status"] [role="alert"]');
      await alert.waitFor({ timeout: 15_000 });
      expect(await alert.textContent()).toMatch(/token is wrong/);
    } finally {
      await page.close();
    }
  });

  it('looks right: screenshot of the Settings page for a human check', async () => {
    const { page } = await openApp('#/settings');
    try {
      await page.locator('table[aria-label="Doctor report"]').waitFor({ timeout: 60_000 });
      const file = path.join(os.tmpdir(), 'pst-lab-e2e-settings.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(fs.statSync(file).size).toBeGreaterThan(10_000);
      console.info(`[e2e] screenshot: ${file}`);
    } finally {
      await page.close();
    }
  });
});

// Page-side code is given as strings: the test tsconfig has no DOM lib, on purpose (node code
// must not use it), so functions touching `document` would not type-check here.
async function bodyBackground(page: Page): Promise<string> {
  return page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
}

/** Calls the served HTTP API the way a script would (token, no browser), to cross-check the UI. */
async function apiCall(serve: ServeProcess, channel: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${serve.origin}/api/invoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${serve.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel, input: {} }),
  });
  const body = (await res.json()) as { ok: boolean; value?: Record<string, unknown>; error?: unknown };
  if (!body.ok || !body.value) throw new Error(`${channel} failed: ${JSON.stringify(body.error)}`);
  return body.value;
}
