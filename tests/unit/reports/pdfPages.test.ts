// The PDF report read as a reader reads it: its pages are rendered (poppler's pdftoppm and
// pdftotext) and checked in order. The first page carries coloured figures whose captions state the
// interval kind, the majority baseline, chance and the no-answer share; the results table follows on
// the first pages; raw JSON appears only in the appendix at the end, and no caption points at the
// HTML page's error-bar switch (it is not printed). Page images are written to the temp dir for a
// human look. Skipped, with the reason printed, without Chromium or poppler-utils.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, writeReport } from '../../../src/main/lab/reports';
import { predictionsFixture, robustnessFixture } from './fixtures';

function missingTools(): string | null {
  try {
    findChromium();
  } catch (err) {
    return (err as Error).message;
  }
  for (const tool of ['pdftoppm', 'pdftotext']) {
    try {
      execFileSync(tool, ['-v'], { stdio: 'ignore' });
    } catch {
      return `${tool} is missing (apt-get install poppler-utils; .ci/run does this)`;
    }
  }
  return null;
}

const skipReason = missingTools();
if (skipReason) console.warn(`[reports] skipping PDF page tests: ${skipReason}`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pst-lab-pdf-pages-'));

/** A rendered page: its text (reading order) and the share of strongly coloured pixels (chart ink, not text). */
interface Page {
  text: string;
  colouredShare: number;
}

/** Reads a binary PPM (P6, 8 bits) and counts the pixels whose channels differ clearly (colour, not grey). */
function colouredShare(ppm: Buffer): number {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm: not a binary PPM');
  const [w, h] = [Number(header[1]), Number(header[2])];
  const px = ppm.subarray(header[0].length);
  let coloured = 0;
  for (let i = 0; i + 2 < px.length; i += 3) {
    const r = px[i]!;
    const g = px[i + 1]!;
    const b = px[i + 2]!;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
  }
  return coloured / (w * h);
}

function renderPages(pdf: string, prefix: string): Page[] {
  const texts = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).split('\f');
  if (texts.at(-1)?.trim() === '') texts.pop();
  const out = path.join(dir, prefix);
  execFileSync('pdftoppm', ['-r', '40', pdf, out]);
  execFileSync('pdftoppm', [
    '-r',
    '70',
    '-png',
    '-f',
    '1',
    '-l',
    '3',
    pdf,
    path.join(os.tmpdir(), `pst-lab-${prefix}`),
  ]);
  const images = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.ppm'))
    .sort();
  expect(images).toHaveLength(texts.length);
  return texts.map((text, i) => ({ text, colouredShare: colouredShare(fs.readFileSync(path.join(dir, images[i]!))) }));
}

/** The text of the left half of a page (A4 in points): one figure column, whose caption lines do not interleave. */
function leftColumnText(pdf: string, page: number): string {
  const args = ['-f', String(page), '-l', String(page), '-x', '0', '-y', '0', '-W', '297', '-H', '842', pdf, '-'];
  return execFileSync('pdftotext', args, { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

/** Lines of pretty-printed JSON: `"key": value` at the start of a line. */
const JSON_LINE = /^\s*"[A-Za-z_][\w-]*": /m;

describe.skipIf(skipReason !== null)('PDF report pages', () => {
  let pages: Page[];
  let pdf: string;

  beforeAll(async () => {
    const exp = robustnessFixture();
    pdf = path.join(dir, 'report.pdf');
    await writeReport([exp], { format: 'pdf', out: pdf, predictions: predictionsFixture(exp) });
    pages = renderPages(pdf, 'report');
    console.info(
      `[reports] PDF pages: ${pages.length}; first pages as PNG: ${path.join(os.tmpdir(), 'pst-lab-report-*.png')}`,
    );
  }, 400_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('opens with coloured figures whose captions state the interval kind, baselines and the no-answer share', () => {
    const first = pages[0]!;
    expect(first.colouredShare).toBeGreaterThan(0.01);
    expect(first.text).toContain('Figure 1.');
    expect(first.text).toContain('Figure 2.');
    // Figure 1's caption (left column). Two seeds per group: the bars are a spread, not an interval,
    // and there are not enough seeds for the t-interval.
    const caption = leftColumnText(pdf, 1);
    expect(caption).toContain(
      'error bars: ± 1 sample std over seeds (n = 2 seeds per group; a spread, not a confidence interval); ' +
        'not enough seeds for a 95% t-interval (it needs at least 3).',
    );
    expect(caption).toContain('majority-class baseline of its test examples (62.0%); dotted mark: chance (50.0%).');
    expect(caption).toContain('No answer: 0.0–10.0% of test outputs');
  });

  it('has the results table with its interval column on the first pages', () => {
    const at = pages.findIndex((p) => p.text.includes('Results by group'));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBeLessThan(3);
    const table = pages
      .slice(at, at + 2)
      .map((p) => p.text)
      .join('\n')
      .replace(/\s+/g, ' ');
    expect(table).toContain('95% CI (t, seeds)');
    expect(table).toContain('not enough seeds (n=2)');
    expect(table).toContain('Majority %');
    expect(table).toContain('No answer %');
  });

  it('keeps raw JSON in the appendix at the end, and never mentions a switch', () => {
    const appendix = pages.findIndex((p) => p.text.includes('Appendix: configuration and environment'));
    expect(appendix).toBeGreaterThan(0);
    const withJson = pages.flatMap((p, i) => (JSON_LINE.test(p.text) ? [i] : []));
    expect(withJson.length).toBeGreaterThan(0);
    expect(Math.min(...withJson)).toBeGreaterThanOrEqual(appendix);
    // Every figure and table comes before the appendix.
    const lastFigure = Math.max(...pages.flatMap((p, i) => (/Figure \d+\./.test(p.text) ? [i] : [])));
    expect(lastFigure).toBeLessThan(appendix);
    const runs = pages.findIndex((p) => /Runs\s/.test(p.text) && p.text.includes('Encoder'));
    expect(runs).toBeLessThanOrEqual(appendix);
    // The appendix pages are plain text: no chart ink.
    for (const p of pages.slice(appendix + 1)) expect(p.colouredShare).toBeLessThan(0.001);
    for (const p of pages) expect(p.text).not.toMatch(/switch/i);
  });
});
