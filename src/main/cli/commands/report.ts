// `pst-lab report <experiment...> --format html|md|csv|tex|pdf --out PATH`
import { REPORT_FORMAT_NAMES } from '../../../shared/contract/reports';
import { experimentIdByRef } from '../../lab/experiments/store';
import { call, labCommand } from '../call';
import { choiceOption, missing, numberOption, stringOption } from '../parse';

const usage = `pst-lab report <experiment...> --format ${REPORT_FORMAT_NAMES.join('|')} [--out PATH] [--error std|ci] [--precision N] [--caption T] [--label L] [--json] [--data-dir DIR]`;

export const reportCommand = labCommand({
  usage,
  summary: 'Write a report of one or more experiments: self-contained HTML, Markdown, CSV (per run and per example), LaTeX table or PDF.',
  positionals: [1, 50],
  ask({ values, positionals }) {
    const format = choiceOption(values, 'format', REPORT_FORMAT_NAMES, usage) ?? missing('format', usage);
    const errorMode = choiceOption(values, 'error', ['std', 'ci'] as const, usage);
    const precision = numberOption(values, 'precision', usage, { integer: true, min: 0, max: 4 });
    const caption = stringOption(values, 'caption');
    const label = stringOption(values, 'label');
    const out = stringOption(values, 'out');
    return (lab) =>
      call(lab, 'reports.create', {
        experiments: positionals.map((p) => experimentIdByRef(lab.db, p)),
        format,
        ...(out ? { out } : {}),
        ...(errorMode ? { errorMode } : {}),
        ...(precision !== undefined || caption || label
          ? { latex: { ...(precision !== undefined ? { precision } : {}), ...(caption ? { caption } : {}), ...(label ? { label } : {}) } }
          : {}),
      });
  },
  print(result, { io }) {
    io.stdout(`Wrote ${result.format} report:\n${result.files.map((f) => `  ${f}\n`).join('')}`);
  },
});
