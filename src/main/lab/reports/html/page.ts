// The self-contained HTML report: one file with inline styles, inline chart.js, the chart data as a
// JSON island and a small drawing script, under a hash-based CSP. Every piece of user text passes
// through escapeHtml; nothing is ever inserted into the page as HTML by the script.
import { escapeHtml as h, jsonForScript } from '../escape';
import { flipTables, type FlipTable } from '../flips';
import { durationText } from '../format';
import {
  accuracyContext,
  BASELINE_CAPTION,
  CONDITIONAL_COMPARISONS_CAPTION,
  conditionalComparisonsTable,
  datasetsTable,
  distinctEnvironments,
  experimentFacts,
  groupsTable,
  intervalCaption,
  runsTable,
  seedComparisonsCaption,
  seedComparisonsTable,
  timings,
  type Table,
} from '../tables';
import type { ErrorMode, ReportExperiment, ReportPrediction } from '../types';
import { SEMANTIC_NOTE, semanticTable } from '../semantic';
import { chartJsSource } from './assets';
import { reportChartData, type ExperimentCharts } from './chartData';
import { CHART_SCRIPT } from './chartScript';
import { contentSecurityPolicy } from './csp';
import { REPORT_CSS } from './styles';

export interface HtmlOptions {
  errorMode?: ErrorMode;
  predictions?: readonly ReportPrediction[];
  /** When the report is written (default now); a parameter so tests can pin it. */
  now?: Date;
  /** Package root to read chart.js from (default: found from this file). */
  packageRoot?: string;
}

interface TableStyle {
  hashColumn?: number;
  /** Extra classes of one body cell (e.g. "best"). */
  cellClass?: (row: number, column: number) => string;
}

/** "72.0 ± 2.8" never breaks around its ± (a narrow printed column wraps between words only). */
function keepTogether(cell: string): string {
  return cell.replace(/ ± /g, '\u00a0±\u00a0');
}

function htmlTable(table: Table, style: TableStyle = {}): string {
  const classes = (column: number, row: number | null): string => {
    const c = table.columns[column]!;
    const names = [
      c.align === 'right' ? 'num' : '',
      column === style.hashColumn ? 'hash' : '',
      row !== null && style.cellClass ? style.cellClass(row, column) : '',
    ].filter(Boolean);
    return names.length > 0 ? ` class="${names.join(' ')}"` : '';
  };
  const head = table.columns.map((c, i) => `<th${classes(i, null)} scope="col">${h(c.title)}</th>`).join('');
  const body = table.rows
    .map((r, ri) => `<tr>${r.map((cell, i) => `<td${classes(i, ri)}>${h(keepTogether(cell))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table class="booktabs"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** Groups table with the best printed accuracy mean of each condition in bold. */
function groupsHtml(exp: ReportExperiment): string {
  const table = groupsTable(exp);
  const accCol = table.columns.findIndex((c) => c.title.startsWith('Accuracy'));
  const rateCol = table.columns.findIndex((c) => c.title.startsWith('Halluc'));
  const condition = (row: string[]): string => (rateCol >= 0 ? row[rateCol]! : '');
  const meanOf = (row: string[]): number => Number.parseFloat(row[accCol]!);
  const best = new Map<string, number>();
  for (const r of table.rows) {
    const m = meanOf(r);
    if (Number.isFinite(m) && m > (best.get(condition(r)) ?? -Infinity)) best.set(condition(r), m);
  }
  return htmlTable(table, {
    cellClass: (ri, ci) =>
      ci === accCol && meanOf(table.rows[ri]!) === best.get(condition(table.rows[ri]!)) ? 'best' : '',
  });
}

/**
 * A numbered figure. `errors` is a caption part naming what the error bars are in the current mode;
 * the page's script rewrites it when the reader switches the mode, so a print always says what it shows.
 */
function figure(
  n: number,
  canvasId: string,
  caption: string,
  wide = false,
  errors: { experimentId: string; accuracy: boolean; text: string; after: string } | null = null,
): string {
  const kind = errors?.accuracy ? ' data-error-kind="accuracy"' : '';
  const errorPart = errors
    ? ` <span data-error-text="${h(errors.experimentId)}"${kind}>${h(errors.text)}</span>${h(errors.after)}`
    : '';
  return `<figure${wide ? ' class="wide"' : ''}><div class="chart"><canvas id="${h(canvasId)}" role="img" aria-label="${h(caption)}"></canvas></div>
<figcaption><b>Figure ${n}.</b> ${h(caption)}${errorPart}</figcaption></figure>`;
}

function figuresHtml(
  c: ExperimentCharts,
  context: ReturnType<typeof accuracyContext>,
  errorMode: ErrorMode,
  nextFigure: () => number,
): string {
  const parts: string[] = [];
  const multi = c.conditions.length > 1;
  const errors = (
    after: string,
    accuracy = false,
  ): { experimentId: string; accuracy: boolean; text: string; after: string } => ({
    experimentId: c.id,
    accuracy,
    text: (accuracy ? c.accuracyErrorText : c.errorText)[errorMode],
    after,
  });
  parts.push(
    figure(
      nextFigure(),
      `${c.id}-accuracy`,
      `Test accuracy per method${multi ? ' and injected hallucination rate' : ''}: mean over seeds; error bars:`,
      !c.robustness,
      errors(
        `. Dashed mark over each bar: majority-class baseline of its test examples (${context.majority}); ` +
          `dotted mark: chance (${context.chance}). No answer: ${context.noAnswer} of test outputs (mean over seeds per group).`,
        true,
      ),
    ),
  );
  if (c.robustness) {
    parts.push(
      figure(
        nextFigure(),
        `${c.id}-robustness`,
        'Robustness: accuracy vs injected hallucination rate, one line per method; band:',
        false,
        errors(
          `. Grey dashed line: majority-class baseline (${context.majority}); grey dotted line: chance (${context.chance}).`,
          true,
        ),
      ),
    );
  }
  if (c.curves.length > 0) {
    const panels = c.curves
      .map(
        (p, i) =>
          `<div><div class="panel-title">${h(p.condition)}</div><div class="chart"><canvas id="${h(`${c.id}-curves-${i}`)}" role="img" aria-label="${h(`Training loss, ${p.condition}`)}"></canvas></div></div>`,
      )
      .join('\n');
    parts.push(
      `<figure class="wide"><div class="panels">${panels}</div>
<figcaption><b>Figure ${nextFigure()}.</b> Training loss over steps: mean over seeds with a band over seeds${multi ? ', one panel per hallucination rate' : ''}.</figcaption></figure>`,
    );
  }
  parts.push(
    figure(
      nextFigure(),
      `${c.id}-tokens`,
      'Efficiency: generated tokens until the answer, mean over seeds; error bars:',
      false,
      errors('.'),
    ),
  );
  parts.push(
    figure(
      nextFigure(),
      `${c.id}-ms`,
      'Efficiency: milliseconds until the answer, mean over seeds; error bars:',
      false,
      errors('.'),
    ),
  );
  parts.push(
    figure(
      nextFigure(),
      `${c.id}-no-answer`,
      'Share of test outputs with no extractable answer (%), mean over seeds; error bars:',
      true,
      errors('.'),
    ),
  );
  if (c.scatter.length > 0) {
    parts.push(
      figure(nextFigure(), `${c.id}-scatter`, 'Accuracy vs inference cost (ms to answer), one point per group.', true),
    );
  }
  return `<div class="figures">\n${parts.join('\n')}\n</div>`;
}

function flipsHtml(tables: FlipTable[]): string {
  if (tables.length === 0) return '';
  const out = ['<h3>Examples that flip between methods</h3>'];
  out.push(
    '<p class="note">Examples that one method gets right on every seed and another gets wrong on every seed (test split). Cells: correct / seeds.</p>',
  );
  for (const t of tables) {
    if (t.condition !== null) out.push(`<h4>Hallucination rate ${h(String(t.condition))}</h4>`);
    const head = ['Example', 'Question', 'Gold', ...t.rows]
      .map((c, i) => `<th${i >= 3 ? ' class="num"' : ''} scope="col">${h(c)}</th>`)
      .join('');
    const rows = t.examples.map((ex) => {
      const outputs = t.rows
        .map((label, i) => {
          const o = ex.outputs[i]!;
          return `<p><b>${h(label)}</b>: ${h(o.prediction ?? '(no answer)')}${o.rationale ? `<br><span class="note">${h(o.rationale)}</span>` : ''}</p>`;
        })
        .join('');
      const cells = ex.cells
        .map((c) => {
          const cls = c.total === 0 ? '' : c.correct === c.total ? ' ok' : c.correct === 0 ? ' bad' : '';
          return `<td class="num${cls}">${c.total === 0 ? '—' : `${c.correct} / ${c.total}`}</td>`;
        })
        .join('');
      return `<tr><td>${h(ex.externalId)}</td><td class="text">${h(ex.question)}<details><summary>predictions</summary>${outputs}</details></td><td>${h(ex.gold)}</td>${cells}</tr>`;
    });
    out.push(
      `<div class="table-wrap"><table class="booktabs"><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>`,
    );
    if (t.total > t.examples.length)
      out.push(
        `<p class="note">${t.examples.length} of ${t.total} flipping examples shown; the per-example CSV has all predictions.</p>`,
      );
  }
  return out.join('\n');
}

function reproducibilityHtml(exp: ReportExperiment, chartJsVersion: string): string {
  const r = exp.reproducibility;
  const t = timings(exp);
  const kv: [string, string][] = [
    ['PST Lab version', r.appVersion],
    ['Commit', r.commit ?? 'unknown'],
    ['chart.js (report)', chartJsVersion],
    ['Results generated', r.generatedAt],
    ['First run started', t.firstStart ?? '—'],
    ['Last run finished', t.lastFinish ?? '—'],
    ['Total run time', durationText(t.totalRunMs)],
  ];
  const out = ['<h3>Reproducibility</h3>'];
  out.push(`<dl class="kv">${kv.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('')}</dl>`);
  out.push('<h4>Datasets</h4>', htmlTable(datasetsTable(exp), { hashColumn: 3 }));
  out.push('<h4>Runs</h4>', htmlTable(runsTable(exp)));
  out.push(
    `<p class="note">The environment (backend and library versions), the experiment spec and the full configuration of every run are in <a href="#${h(appendixId(exp))}">the appendix</a>.</p>`,
  );
  return out.join('\n');
}

function appendixId(exp: ReportExperiment): string {
  return `appendix-exp-${exp.experiment.id}`;
}

/** The raw JSON of one experiment (environment, spec, run configs): the appendix, after every figure and table. */
function appendixHtml(exp: ReportExperiment): string {
  const r = exp.reproducibility;
  const out = [
    `<section class="appendix-experiment" id="${h(appendixId(exp))}">`,
    `<h3>${h(exp.experiment.name)} (experiment #${exp.experiment.id})</h3>`,
    '<h4>Environment (backend and library versions)</h4>',
  ];
  for (const env of distinctEnvironments(exp)) {
    out.push(
      `<p class="note">Runs ${h(env.runIds.map((id) => `#${id}`).join(', '))}</p><pre>${h(JSON.stringify(env.environment, null, 2))}</pre>`,
    );
  }
  out.push(
    `<details class="print-open"><summary>Experiment spec</summary><pre>${h(JSON.stringify(exp.experiment.spec, null, 2))}</pre></details>`,
  );
  out.push(
    `<details class="print-open"><summary>Full config of every run (${r.runs.length})</summary>${[...r.runs]
      .sort((a, b) => a.id - b.id)
      .map(
        (run) =>
          `<h4>Run #${run.id}</h4><pre class="compact">${h(JSON.stringify({ factors: run.factors, spec: run.spec, resolved: run.resolved }))}</pre>`,
      )
      .join('\n')}</details>`,
  );
  out.push('</section>');
  return out.join('\n');
}

function experimentHtml(
  exp: ReportExperiment,
  charts: ExperimentCharts,
  opts: HtmlOptions,
  chartJsVersion: string,
  nextFigure: () => number,
): string {
  const e = exp.experiment;
  const out = [`<section class="experiment" id="${h(charts.id)}">`, `<h2>${h(e.name)}</h2>`];
  if (e.spec.description) out.push(`<p>${h(e.spec.description)}</p>`);
  out.push(
    `<p class="facts">${experimentFacts(exp)
      .map((f) => `<span>${h(f)}</span>`)
      .join('')}</p>`,
  );
  out.push('<h3>Figures</h3>', figuresHtml(charts, accuracyContext(exp), opts.errorMode ?? 'std', nextFigure));
  out.push('<h3>Results by group</h3>', groupsHtml(exp));
  out.push(
    `<p class="note">Accuracy on the test split in percent: mean ± sample std over seeds (best per condition in bold); ${h(intervalCaption(exp))}. ${h(BASELINE_CAPTION)} Tokens and ms to answer: per-run means, then mean ± std over seeds.</p>`,
  );
  const seeds = seedComparisonsTable(exp);
  if (seeds) {
    out.push('<h3>Paired comparisons over seeds</h3>', htmlTable(seeds));
    out.push(`<p class="note">${h(seedComparisonsCaption(exp))}</p>`);
  }
  const conditional = conditionalComparisonsTable(exp);
  if (conditional) {
    out.push(
      '<h3>Paired comparisons conditional on the trained models (examples as unit)</h3>',
      htmlTable(conditional),
    );
    out.push(`<p class="note">${h(CONDITIONAL_COMPARISONS_CAPTION)}</p>`);
  }
  const semantic = semanticTable(exp);
  if (semantic)
    out.push('<h3>PST semantic target</h3>', htmlTable(semantic), `<p class="note">${h(SEMANTIC_NOTE)}</p>`);
  if (opts.predictions && opts.predictions.length > 0) out.push(flipsHtml(flipTables(exp, opts.predictions)));
  out.push(reproducibilityHtml(exp, chartJsVersion), '</section>');
  return out.join('\n');
}

/**
 * The report page's Content-Security-Policy: only our two inline scripts (chart.js and the drawing
 * script) may run, by hash. Serve mode sends the same policy as a header, sandboxed (files.ts).
 */
export function reportPolicy(packageRoot?: string): string {
  return contentSecurityPolicy([chartJsSource(packageRoot).source, CHART_SCRIPT]);
}

export function renderHtml(experiments: readonly ReportExperiment[], opts: HtmlOptions = {}): string {
  if (experiments.length === 0) throw new Error('HTML report: no experiments given');
  const chartJs = chartJsSource(opts.packageRoot);
  const data = reportChartData(experiments, opts.errorMode ?? 'std');
  const csp = reportPolicy(opts.packageRoot);
  const now = (opts.now ?? new Date()).toISOString();
  const appVersion = experiments[0]!.reproducibility.appVersion;
  const title = `PST Lab report: ${experiments.map((e) => e.experiment.name).join(', ')}`;
  let figureNo = 0;
  const nextFigure = (): number => ++figureNo;
  const sections = experiments
    .map((exp, i) => experimentHtml(exp, data.experiments[i]!, opts, chartJs.version, nextFigure))
    .join('\n');
  const errorMode = opts.errorMode ?? 'std';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="PST Lab ${h(appVersion)}">
<title>${h(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header>
<h1>${h(title)}</h1>
<p class="subtitle">Written ${h(now)} by PST Lab ${h(appVersion)}. Self-contained: charts, data and styles are in this file and need no network.</p>
<div class="controls" role="radiogroup" aria-label="Error bars">Error bars and bands:
<label><input type="radio" name="error-mode" value="std"${errorMode === 'std' ? ' checked' : ''}> ± 1 std over seeds</label>
<label><input type="radio" name="error-mode" value="ci"${errorMode === 'ci' ? ' checked' : ''}> 95% t-interval over seeds</label>
</div>
</header>
${sections}
<section class="appendix" id="appendix">
<h2>Appendix: configuration and environment (JSON)</h2>
<p class="note">The raw records behind the tables above, for reproducing the runs.</p>
${experiments.map(appendixHtml).join('\n')}
</section>
<footer>PST Lab ${h(appVersion)} · chart.js ${h(chartJs.version)} · report written ${h(now)}</footer>
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${chartJs.source}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}
