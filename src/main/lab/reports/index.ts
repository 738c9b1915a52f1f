// Public surface of the report writers (docs/methods.md, "Statistics").
export { writeReport, examplesCsvPath } from './writeReport';
export { renderHtml, type HtmlOptions } from './html/page';
export { renderMarkdown, markdownTable } from './markdown';
export { renderLatex, latexTable } from './latex';
export { runsCsv, examplesCsv, RUN_CSV_COLUMNS, EXAMPLE_CSV_COLUMNS } from './csv';
export { chromiumPdfRenderer, findChromium, CHROMIUM_ARGS, type ChromiumPdfOptions } from './pdf';
export { writeFileAtomic } from '../fsAtomic';
export * from './types';
