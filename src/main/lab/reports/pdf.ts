// PDF from the HTML report. The CLI uses a system Chromium driven by playwright-core (which ships no
// browser); the Electron app passes its own PdfRenderer built on webContents.printToPDF instead.
import fs from 'node:fs';
import { LabError } from '../errors';
import type { PdfRenderer } from './types';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** CHROME_PATH wins, then /usr/bin/chromium; a clear error names both when neither exists. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHROME_PATH) {
    if (fs.existsSync(env.CHROME_PATH)) return env.CHROME_PATH;
    throw new LabError('UNSUPPORTED', `PDF export: CHROME_PATH=${env.CHROME_PATH} does not exist`);
  }
  if (fs.existsSync(DEFAULT_CHROMIUM)) return DEFAULT_CHROMIUM;
  throw new LabError(
    'UNSUPPORTED',
    `PDF export needs Chromium: none at ${DEFAULT_CHROMIUM}. Install it (e.g. apt-get install chromium) or set CHROME_PATH; ` +
      'or export HTML and print it from a browser.',
  );
}

export interface ChromiumPdfOptions {
  executablePath?: string;
  env?: NodeJS.ProcessEnv;
  /** Give up on a page that does not draw its charts (default 60 s). */
  timeoutMs?: number;
}

/** Renders with headless Chromium, every network request aborted, in print media and light colours. */
export function chromiumPdfRenderer(opts: ChromiumPdfOptions = {}): PdfRenderer {
  return async (html) => {
    const executablePath = opts.executablePath ?? findChromium(opts.env);
    const timeout = opts.timeoutMs ?? 60_000;
    // Loaded lazily: playwright-core is only needed for this one export path.
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout });
    try {
      // Lay the page out at the printable width of A4 (210 mm - 2 x 14 mm margins at 96 dpi) in print
      // media from the start, so chart.js sizes each canvas for the paper, not for a screen.
      const context = await browser.newContext({
        colorScheme: 'light',
        offline: true,
        viewport: { width: 688, height: 1000 },
      });
      await context.route('**/*', (route) => route.abort());
      const page = await context.newPage();
      await page.emulateMedia({ media: 'print', colorScheme: 'light' });
      await page.setContent(html, { waitUntil: 'load', timeout });
      // The report's script marks the page once every chart is drawn.
      await page.waitForSelector('html[data-charts-ready]', { state: 'attached', timeout });
      // The same preparation the page does on beforeprint (which page.pdf does not fire).
      await page.evaluate("window.dispatchEvent(new Event('beforeprint'))");
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      return new Uint8Array(pdf);
    } finally {
      await browser.close();
    }
  };
}
