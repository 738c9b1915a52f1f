// The one entry point of the reports: results in, files out (atomically), the written paths back.
import path from 'node:path';
import { writeFileAtomic } from '../fsAtomic';
import { examplesCsv, runsCsv } from './csv';
import { renderHtml } from './html/page';
import { renderLatex } from './latex';
import { renderMarkdown } from './markdown';
import { chromiumPdfRenderer } from './pdf';
import { REPORT_FORMATS, type ReportExperiment, type ReportOptions } from './types';

/** "out/report.csv" -> "out/report.examples.csv": where the per-example CSV goes. */
export function examplesCsvPath(out: string): string {
  const ext = path.extname(out);
  return ext.toLowerCase() === '.csv' ? `${out.slice(0, -ext.length)}.examples.csv` : `${out}.examples.csv`;
}

/**
 * Writes one report. csv writes the per-run file at `out` and, when predictions are given, the
 * per-example file next to it (examplesCsvPath). Returns every file written.
 */
export async function writeReport(
  experiments: readonly ReportExperiment[],
  options: ReportOptions,
): Promise<{ files: string[] }> {
  if (experiments.length === 0) throw new Error('writeReport: no experiments given');
  if (!REPORT_FORMATS.includes(options.format)) {
    throw new Error(
      `writeReport: format must be one of ${REPORT_FORMATS.join(', ')}, got ${JSON.stringify(options.format)}`,
    );
  }
  if (!options.out) throw new Error('writeReport: out (the output file) is required');
  const out = path.resolve(options.out);
  const predictions = options.predictions ?? [];
  const htmlOpts = { errorMode: options.errorMode ?? 'std', predictions } as const;
  switch (options.format) {
    case 'html':
      writeFileAtomic(out, renderHtml(experiments, htmlOpts));
      return { files: [out] };
    case 'md':
      writeFileAtomic(out, renderMarkdown(experiments));
      return { files: [out] };
    case 'tex':
      writeFileAtomic(out, renderLatex(experiments, options.latex));
      return { files: [out] };
    case 'csv': {
      // Build both before writing either, so a bad prediction row leaves no half-exported pair.
      const runs = runsCsv(experiments, predictions);
      const examples = predictions.length > 0 ? examplesCsv(experiments, predictions) : null;
      writeFileAtomic(out, runs);
      if (examples === null) return { files: [out] };
      const examplesOut = examplesCsvPath(out);
      writeFileAtomic(examplesOut, examples);
      return { files: [out, examplesOut] };
    }
    case 'pdf': {
      const render = options.pdfRenderer ?? chromiumPdfRenderer();
      const pdf = await render(renderHtml(experiments, htmlOpts));
      writeFileAtomic(out, pdf);
      return { files: [out] };
    }
  }
}
