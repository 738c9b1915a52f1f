// Markdown report: the same tables as the HTML report (groups, paired comparisons, reproducibility
// summary) in GitHub-flavoured Markdown. Cell text is escaped; JSON goes in fenced code blocks.
import { escapeMarkdown, escapeMarkdownParagraph, markdownCodeBlock } from './escape';
import { durationText } from './format';
import {
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
} from './tables';
import { SEMANTIC_NOTE, semanticTable } from './semantic';
import type { ReportExperiment } from './types';

export function markdownTable(table: Table): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
  const rule = `| ${table.columns.map((c) => (c.align === 'right' ? '---:' : ':---')).join(' | ')} |`;
  return [line(table.columns.map((c) => c.title)), rule, ...table.rows.map(line)].join('\n');
}

function experimentSection(exp: ReportExperiment): string {
  const e = exp.experiment;
  const out: string[] = [`## ${escapeMarkdown(e.name)}`, ''];
  if (e.spec.description) out.push(escapeMarkdownParagraph(e.spec.description), '');
  out.push(escapeMarkdown(experimentFacts(exp).join(' · ')), '');

  out.push('### Results by group', '', markdownTable(groupsTable(exp)), '');
  out.push(
    `_Accuracy on the test split in percent: mean ± sample std over seeds; ${escapeMarkdown(intervalCaption(exp))}. ` +
      `${escapeMarkdown(BASELINE_CAPTION)} Tokens and ms to answer: per-run means, then mean ± std over seeds._`,
    '',
  );

  const seeds = seedComparisonsTable(exp);
  if (seeds) {
    out.push('### Paired comparisons over seeds', '', markdownTable(seeds), '');
    out.push(`_${escapeMarkdown(seedComparisonsCaption(exp))}_`, '');
  }
  const conditional = conditionalComparisonsTable(exp);
  if (conditional) {
    out.push(
      '### Paired comparisons conditional on the trained models (examples as unit)',
      '',
      markdownTable(conditional),
      '',
    );
    out.push(`_${escapeMarkdown(CONDITIONAL_COMPARISONS_CAPTION)}_`, '');
  }

  const semantic = semanticTable(exp);
  if (semantic) out.push('### PST semantic target', '', markdownTable(semantic), '', `_${SEMANTIC_NOTE}_`, '');

  const r = exp.reproducibility;
  const t = timings(exp);
  out.push('### Reproducibility', '');
  out.push(
    `- PST Lab ${escapeMarkdown(r.appVersion)}, commit ${escapeMarkdown(r.commit ?? 'unknown')}`,
    `- Results generated at ${escapeMarkdown(r.generatedAt)}`,
    `- Runs from ${escapeMarkdown(t.firstStart ?? '—')} to ${escapeMarkdown(t.lastFinish ?? '—')}, ` +
      `${escapeMarkdown(durationText(t.totalRunMs))} of run time in total`,
    '',
    '#### Datasets',
    '',
    markdownTable(datasetsTable(exp)),
    '',
    '#### Runs',
    '',
    markdownTable(runsTable(exp)),
    '',
    '#### Environment',
    '',
  );
  for (const env of distinctEnvironments(exp)) {
    out.push(
      `Runs ${env.runIds.map((id) => `#${id}`).join(', ')}:`,
      '',
      markdownCodeBlock(JSON.stringify(env.environment, null, 2), 'json'),
      '',
    );
  }
  out.push('#### Experiment spec', '', markdownCodeBlock(JSON.stringify(e.spec, null, 2), 'json'), '');
  out.push('#### Run configs', '', '<details><summary>Full spec and resolved config of every run</summary>', '');
  for (const run of [...r.runs].sort((a, b) => a.id - b.id)) {
    out.push(
      `Run #${run.id}`,
      '',
      markdownCodeBlock(JSON.stringify({ spec: run.spec, resolved: run.resolved }, null, 2), 'json'),
      '',
    );
  }
  out.push('</details>', '');
  return out.join('\n');
}

export function renderMarkdown(experiments: readonly ReportExperiment[]): string {
  const names = experiments.map((e) => e.experiment.name).join(', ');
  return [`# PST Lab report: ${escapeMarkdown(names)}`, '', ...experiments.map(experimentSection)].join('\n');
}
