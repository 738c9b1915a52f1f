// The report's stylesheet: a quiet, paper-like page (serif text, booktabs-style tables, numbered
// figures), light and dark by prefers-color-scheme, and a print layout for PDF.
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1b1f; --muted: #5f6368; --rule: #1b1b1f; --hair: #d9d9de; --grid: #e6e6ea;
  --panel: #f6f6f8; --accent: #0b5cad; --code-bg: #f3f3f5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16171a; --fg: #e6e6e9; --muted: #a0a3aa; --rule: #c9c9cf; --hair: #3a3c42; --grid: #2c2e33;
    --panel: #1e2024; --accent: #7fb4ff; --code-bg: #1e2024;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0; padding: 40px 24px 64px;
  font: 16px/1.55 "Iowan Old Style", "Charter", "Palatino Linotype", Palatino, Georgia, "Times New Roman", serif;
}
main { max-width: 1080px; margin: 0 auto; }
h1, h2, h3, h4 { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
h1 { font-size: 1.75rem; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 1.35rem; margin: 48px 0 4px; padding-top: 16px; border-top: 2px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 32px 0 10px; }
h4 { font-size: 0.95rem; margin: 20px 0 8px; color: var(--muted); }
p { margin: 6px 0 10px; }
.subtitle, .facts, .note { color: var(--muted); }
.facts { font: 13px/1.5 system-ui, sans-serif; }
.facts span + span::before { content: " · "; }
.note { font-size: 13.5px; font-style: italic; margin-top: 6px; }
.controls { font: 13px system-ui, sans-serif; color: var(--muted); margin: 8px 0 4px; display: flex; gap: 14px; align-items: center; }
.controls label { cursor: pointer; }
.figures { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 24px 28px; }
.figures .wide { grid-column: 1 / -1; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
.chart { position: relative; height: 300px; }
.wide .chart { height: 320px; }
.chart canvas { display: block; }
figcaption { font-size: 13.5px; margin-top: 6px; color: var(--fg); }
figcaption b { font-family: system-ui, sans-serif; font-weight: 600; }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px; }
.panel-title { font: 12px system-ui, sans-serif; color: var(--muted); text-align: center; margin-bottom: 2px; }
.panels .chart { height: 240px; }
.table-wrap { overflow-x: auto; }
table.booktabs {
  border-collapse: collapse; margin: 8px 0 4px; font: 13.5px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  font-variant-numeric: tabular-nums; border-top: 2px solid var(--rule); border-bottom: 2px solid var(--rule); min-width: 50%;
}
table.booktabs th { font-weight: 600; text-align: left; border-bottom: 1px solid var(--rule); padding: 6px 12px; vertical-align: bottom; }
table.booktabs td { padding: 4px 12px; vertical-align: top; border-bottom: 1px solid var(--hair); white-space: nowrap; }
table.booktabs td.text, table.booktabs td.hash { white-space: normal; }
table.booktabs tbody tr:last-child td { border-bottom: none; }
table.booktabs .num { text-align: right; white-space: nowrap; }
table.booktabs td.hash, code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; }
table.booktabs td.hash { font-size: 12px; word-break: break-all; }
table.booktabs td.text { max-width: 360px; }
.best { font-weight: 700; }
.ok { color: #1a7f37; } .bad { color: #c0392b; }
@media (prefers-color-scheme: dark) { .ok { color: #56d364; } .bad { color: #ff7b72; } }
pre.compact { word-break: break-all; }
pre {
  background: var(--code-bg); border: 1px solid var(--hair); border-radius: 4px; padding: 10px 12px;
  font-size: 12px; line-height: 1.45; overflow-x: auto; white-space: pre-wrap; word-break: break-word;
}
details { margin: 6px 0; }
details > summary { cursor: pointer; font: 13.5px system-ui, sans-serif; color: var(--accent); }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font: 13.5px system-ui, sans-serif; margin: 6px 0 12px; }
dl.kv dt { color: var(--muted); } dl.kv dd { margin: 0; }
footer { margin-top: 56px; padding-top: 10px; border-top: 1px solid var(--hair); font: 12px system-ui, sans-serif; color: var(--muted); }
@media (max-width: 760px) { .figures { grid-template-columns: 1fr; } }
@media print {
  :root { color-scheme: light; --bg: #fff; --fg: #000; --muted: #444; --rule: #000; --hair: #ccc; --grid: #ddd; --panel: #fff; --accent: #000; --code-bg: #fafafa; }
  @page { size: A4; margin: 16mm 14mm; }
  body { padding: 0; font-size: 11pt; }
  main { max-width: none; }
  h2 { break-before: page; margin-top: 0; }
  section.experiment:first-of-type h2 { break-before: auto; }
  h3, h4 { break-after: avoid; }
  .controls { display: none; }
  .figures { grid-template-columns: 1fr 1fr; gap: 14px 18px; }
  .chart { height: 230px; } .wide .chart { height: 250px; } .panels .chart { height: 190px; }
  .chart canvas { max-width: 100% !important; height: auto !important; }
  /* Tables fit the page width: smaller type, tighter cells, and wrapping instead of a cut-off edge. */
  table.booktabs { font-size: 7.5pt; min-width: 0; max-width: 100%; } table.booktabs tr { break-inside: avoid; }
  table.booktabs th, table.booktabs td, table.booktabs td.num { padding: 2px 4px; white-space: normal; }
  table.booktabs td:first-child { white-space: nowrap; }
  table.booktabs td.text { max-width: none; }
  .table-wrap { overflow: visible; }
  pre { font-size: 8pt; } pre.compact { font-size: 6.5pt; line-height: 1.3; word-break: break-all; }
  details.print-open::details-content { content-visibility: visible; display: block; }
  details > summary { color: #000; }
  /* A flipping example's predictions are for the screen; on paper the table shows the counts. */
  td details { display: none; }
}
`;
