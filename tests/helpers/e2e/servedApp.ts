// The set-up every browser end-to-end file shares: the built `pst-lab serve` on a fresh data
// directory, one Chromium for the file, tabs opened on the served URL with their errors collected,
// and screenshots in the temp dir. Call `useServedApp` inside a `describe`: it registers the
// beforeAll/afterAll hooks there, and its getters are valid inside the tests.
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { collectPageErrors, launchChromium, type Browser } from './browser';
import { runBin } from './built';
import { startServeProcess, type ServeProcess } from './serveProcess';

export interface OpenedPage {
  page: Page;
  /** Uncaught and console errors of the page since it opened (see collectPageErrors). */
  errors: string[];
}

export interface ServedApp {
  readonly serve: ServeProcess;
  readonly browser: Browser;
  /** A fresh tab on the served URL at `hash`, not yet waited on (for a test with its own wait). */
  openTab(hash?: string, browser?: Browser): Promise<OpenedPage>;
  /** openTab, then waits until the status bar shows the lab's data directory (the shell is connected). */
  openApp(hash?: string, browser?: Browser): Promise<OpenedPage>;
  /** Saves a screenshot as <tmp>/pst-lab-e2e-<prefix>-<name>.png and prints where. */
  shoot(page: Page, name: string): Promise<void>;
}

export interface ServedAppOptions {
  chromiumPath: string;
  /** Names the screenshots: pst-lab-e2e-<screenshotPrefix>-<name>.png. */
  screenshotPrefix: string;
  /** The whole scrollable page (default) or just the viewport. */
  fullPageScreenshots?: boolean;
  /** Runs after serve is up and before the browser starts (e.g. generateDataset into serve.dataDir). */
  prepare?: (serve: ServeProcess) => Promise<void>;
}

export function screenshotPath(prefix: string, name: string): string {
  return path.join(os.tmpdir(), `pst-lab-e2e-${prefix}-${name}.png`);
}

export function useServedApp(opts: ServedAppOptions): ServedApp {
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    serve = await startServeProcess();
    await opts.prepare?.(serve);
    browser = await launchChromium(opts.chromiumPath);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started: use it inside a test, after beforeAll`);
    return value;
  };

  const app: ServedApp = {
    get serve() {
      return started(serve, 'pst-lab serve');
    },
    get browser() {
      return started(browser, 'Chromium');
    },
    async openTab(hash = '', b = app.browser) {
      const page = await b.newPage();
      const errors = collectPageErrors(page);
      const url = new URL(app.serve.url);
      url.hash = hash;
      await page.goto(url.toString());
      return { page, errors };
    },
    async openApp(hash = '', b = app.browser) {
      const opened = await app.openTab(hash, b);
      await opened.page.locator('footer[aria-label="Status"] [data-testid="data-dir"]').waitFor({ timeout: 30_000 });
      return opened;
    },
    async shoot(page, name) {
      const file = screenshotPath(opts.screenshotPrefix, name);
      await page.screenshot({ path: file, fullPage: opts.fullPageScreenshots ?? true });
      console.info(`[e2e] screenshot: ${file}`);
    },
  };
  return app;
}

/** `pst-lab dataset generate <args> --data-dir <dataDir>` with the built CLI; throws with its stderr if it fails. */
export async function generateDataset(dataDir: string, args: readonly string[]): Promise<void> {
  const gen = await runBin(['dataset', 'generate', ...args, '--data-dir', dataDir]);
  if (gen.code !== 0) throw new Error(`dataset generate failed: ${gen.stderr}`);
}
