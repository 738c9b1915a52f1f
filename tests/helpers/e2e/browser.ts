// System Chromium driven by playwright-core (no browser download: playwright-core ships none).
// CHROME_PATH wins, then /usr/bin/chromium; without either the browser tests skip and say why.
import fs from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS as PDF_CHROMIUM_ARGS } from '../../../src/main/lab/reports/pdf';
import { tempDir } from '../tempLab';

export type ChromiumLookup = { path: string; skipReason: null } | { path: null; skipReason: string };

export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  if (env.CHROME_PATH) {
    if (fs.existsSync(env.CHROME_PATH)) return { path: env.CHROME_PATH, skipReason: null };
    return { path: null, skipReason: `CHROME_PATH=${env.CHROME_PATH} does not exist` };
  }
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (fs.existsSync(candidate)) return { path: candidate, skipReason: null };
  }
  return {
    path: null,
    skipReason: 'no Chromium found: set CHROME_PATH or install it (`apt-get install chromium`; .ci/run does this)',
  };
}

let warned = false;
/** The Chromium to use, or null after printing (once) why browser tests are skipped. */
export function chromiumOrWarn(): string | null {
  const found = findChromium();
  if (found.path === null && !warned) {
    warned = true;
    console.warn(`[e2e] skipping browser tests: ${found.skipReason}`);
  }
  return found.path;
}

// Keep Chromium quiet and offline, as the PDF export runs it: no sandbox (CI containers run as
// root), no GPU, no phoning home.
export const CHROMIUM_ARGS = [...PDF_CHROMIUM_ARGS, '--disable-sync'];

export interface Browser {
  /** A fresh tab in the persistent context. */
  newPage(): Promise<Page>;
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a brand-new user-data dir, removed on close. */
export async function launchChromium(
  executablePath: string,
  opts: { colorScheme?: 'light' | 'dark' } = {},
): Promise<Browser> {
  const userDataDir = tempDir('pst-lab-e2e-chromium-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    colorScheme: opts.colorScheme ?? 'light',
    timeout: 60_000,
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Uncaught errors and console errors of one page, collected from now on. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return errors;
}
