// Inputs and options of the report writers. Reports are pure functions of experiment results (and,
// for the per-example CSV and the "examples that flip" table, per-example predictions): no database
// access here, so the CLI, the app and the tests all feed them the same way.
import type { ExperimentResults, PairedComparison } from '../../../shared/types/experiments';
import type { Prediction } from '../../../shared/types/runs';

export type ReportFormat = 'html' | 'md' | 'csv' | 'tex' | 'pdf';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'csv', 'tex', 'pdf'];

/**
 * One experiment as the reports read it. `comparisons` is optional because ExperimentResults does not
 * (yet) carry paired comparisons; when the experiments backend adds them to ExperimentResults, this
 * type accepts them unchanged.
 */
export type ReportExperiment = ExperimentResults & { comparisons?: PairedComparison[] };

/**
 * One per-example prediction of one run (a row of run_predictions joined with its example, i.e.
 * store.runPredictions' Prediction plus the run and split it belongs to).
 */
export type ReportPrediction = Pick<
  Prediction,
  'exampleId' | 'externalId' | 'question' | 'gold' | 'prediction' | 'correct' | 'tokensToAnswer' | 'msToAnswer'
> & {
  runId: number;
  split: 'val' | 'test';
  rationale?: string | null;
};

/** Which spread the error bars and bands show; both are precomputed in the results. */
export type ErrorMode = 'std' | 'ci';

export interface LatexOptions {
  /** Decimals of the percentages (default 1). */
  precision?: number;
  /** Replaces the generated caption; plain text, escaped. */
  caption?: string;
  /** Replaces the generated label (e.g. "tab:robustness"). */
  label?: string;
}

/**
 * Turns a self-contained HTML page into PDF bytes. The CLI uses headless Chromium (pdf.ts); the
 * Electron app passes one built on webContents.printToPDF so it needs no separate browser.
 */
export type PdfRenderer = (html: string) => Promise<Uint8Array>;

export interface ReportOptions {
  format: ReportFormat;
  /** Output file. For csv this is the per-run file; per-example rows go next to it (see writeReport). */
  out: string;
  predictions?: readonly ReportPrediction[];
  /** Initial error-bar mode of the HTML charts (the page has a toggle); default 'std'. */
  errorMode?: ErrorMode;
  latex?: LatexOptions;
  /** PDF only: defaults to headless Chromium. */
  pdfRenderer?: PdfRenderer;
}
