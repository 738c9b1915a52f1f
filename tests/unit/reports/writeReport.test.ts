import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesCsvPath, findChromium, writeReport, type ReportFormat } from '../../../src/main/lab/reports';
import { predictionsFixture, robustnessFixture } from './fixtures';
import { tempDirsPerTest } from '../../helpers/tempLab';

const tmp = tempDirsPerTest('pst-lab-write-report-');

describe('writeReport', () => {
  it('writes each text format to a new folder, leaving no temporary files', async () => {
    const dir = path.join(tmp(), 'nested', 'out');
    const exp = robustnessFixture();
    const expected: [ReportFormat, string, RegExp][] = [
      ['html', 'r.html', /^<!doctype html>/],
      ['md', 'r.md', /^# PST Lab report/],
      ['tex', 'r.tex', /\\begin\{tabular\}/],
    ];
    for (const [format, name, content] of expected) {
      const { files } = await writeReport([exp], { format, out: path.join(dir, name) });
      expect(files).toEqual([path.join(dir, name)]);
      expect(fs.readFileSync(files[0]!, 'utf8')).toMatch(content);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['r.html', 'r.md', 'r.tex']);
  });

  it('csv: per-run file, plus the per-example file when predictions are given', async () => {
    const dir = tmp();
    const exp = robustnessFixture();
    const out = path.join(dir, 'runs.csv');
    expect((await writeReport([exp], { format: 'csv', out })).files).toEqual([out]);
    const both = await writeReport([exp], { format: 'csv', out, predictions: predictionsFixture(exp) });
    expect(both.files).toEqual([out, path.join(dir, 'runs.examples.csv')]);
    expect(fs.readFileSync(both.files[1]!, 'utf8').split('\r\n')).toHaveLength(18 * 4 + 2);
    expect(examplesCsvPath('/a/b.CSV')).toBe('/a/b.examples.csv');
    expect(examplesCsvPath('/a/b')).toBe('/a/b.examples.csv');
  });

  it('a failing export leaves the previous file intact', async () => {
    const dir = tmp();
    const exp = robustnessFixture();
    const out = path.join(dir, 'runs.csv');
    fs.writeFileSync(out, 'previous');
    const preds = predictionsFixture(exp);
    preds[0] = { ...preds[0]!, runId: 12345 };
    await expect(writeReport([exp], { format: 'csv', out, predictions: preds })).rejects.toThrow(
      /predictions\[0\]\.runId/,
    );
    expect(fs.readFileSync(out, 'utf8')).toBe('previous');
    expect(fs.readdirSync(dir)).toEqual(['runs.csv']);
  });

  it('pdf goes through the given renderer (how the app plugs in printToPDF)', async () => {
    const dir = tmp();
    let seen = '';
    const out = path.join(dir, 'r.pdf');
    await writeReport([robustnessFixture()], {
      format: 'pdf',
      out,
      pdfRenderer: async (html) => {
        seen = html;
        return new TextEncoder().encode('%PDF-1.7 fake');
      },
    });
    expect(seen).toMatch(/^<!doctype html>/);
    expect(fs.readFileSync(out, 'utf8')).toBe('%PDF-1.7 fake');
  });

  it('rejects bad input with a clear message', async () => {
    const out = path.join(tmp(), 'x');
    await expect(writeReport([], { format: 'md', out })).rejects.toThrow('writeReport: no experiments given');
    await expect(writeReport([robustnessFixture()], { format: 'docx' as ReportFormat, out })).rejects.toThrow(
      'writeReport: format must be one of html, md, csv, tex, pdf, got "docx"',
    );
  });

  it('names the missing browser when CHROME_PATH points nowhere', () => {
    expect(() => findChromium({ CHROME_PATH: '/nowhere/chromium' })).toThrow(
      'PDF export: CHROME_PATH=/nowhere/chromium does not exist',
    );
  });
});
