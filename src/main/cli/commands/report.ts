// `pst-lab report <experiment...> --format html|md|csv|tex|pdf --out PATH`
import { REPORT_FORMAT_NAMES } from '../../../shared/contract/reports';
import { experimentIdByRef } from '../../lab/experiments/store';
import { call, withLab } from '../call';
import { UsageError, type Command } from '../command';
import { printJson } from '../output';
import { numberOption, stringOption } from '../parse';

const usage = `pst-lab report <experiment...> --format ${REPORT_FORMAT_NAMES.join('|')} [--out PATH] [--error std|ci] [--precision N] [--caption T] [--label L] [--json] [--data-dir DIR]`;

export const reportCommand: Command = {
  path: ['report'],
  usage,
  summary: 'Write a report of one or more experiments: self-contained HTML, Markdown, CSV (per run and per example), LaTeX table or PDF.',
  options: {
    format: { type: 'string' },
    out: { type: 'string' },
    error: { type: 'string' },
    precision: { type: 'string' },
    caption: { type: 'string' },
    label: { type: 'string' },
  },
  positionals: [1, 50],
  async run({ values, positionals, dataDir, json, io }) {
    const format = stringOption(values, 'format');
    if (!format || !(REPORT_FORMAT_NAMES as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${REPORT_FORMAT_NAMES.join(', ')}`, usage);
    }
    const errorMode = stringOption(values, 'error');
    if (errorMode !== undefined && errorMode !== 'std' && errorMode !== 'ci') throw new UsageError('--error must be std or ci', usage);
    const precision = numberOption(values, 'precision', usage, { integer: true, min: 0, max: 4 });
    const caption = stringOption(values, 'caption');
    const label = stringOption(values, 'label');
    const out = stringOption(values, 'out');
    const result = await withLab(dataDir, (lab) =>
      call(lab, 'reports.create', {
        experiments: positionals.map((p) => experimentIdByRef(lab.db, p)),
        format: format as (typeof REPORT_FORMAT_NAMES)[number],
        ...(out ? { out } : {}),
        ...(errorMode ? { errorMode } : {}),
        ...(precision !== undefined || caption || label
          ? { latex: { ...(precision !== undefined ? { precision } : {}), ...(caption ? { caption } : {}), ...(label ? { label } : {}) } }
          : {}),
      }),
    );
    if (json) return printJson(io, result);
    io.stdout(`Wrote ${result.format} report:\n${result.files.map((f) => `  ${f}\n`).join('')}`);
  },
};
