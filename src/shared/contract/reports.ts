// Report channel (docs/methods.md, "Statistics"): one or more experiments -> a self-contained HTML page, Markdown, CSV
// (per run and per example), a LaTeX table or a PDF, each with the reproducibility bundle.
import { z } from 'zod';
import { channel, idSchema } from './define';

export const REPORT_FORMAT_NAMES = ['html', 'md', 'csv', 'tex', 'pdf'] as const;

export const reportChannels = {
  'reports.create': channel<{ files: string[]; format: string; experiments: number[] }>()(
    z
      .object({
        experiments: z.array(idSchema).min(1).max(50),
        format: z.enum(REPORT_FORMAT_NAMES),
        /** Output file; default <data dir>/reports/<experiment names>.<ext>. */
        out: z.string().min(1).max(4096).optional(),
        errorMode: z.enum(['std', 'ci']).optional(),
        latex: z
          .object({ precision: z.number().int().min(0).max(4), caption: z.string().max(2000), label: z.string().max(200) })
          .partial()
          .strict()
          .optional(),
      })
      .strict(),
    'Writes a report of experiments (html, md, csv, tex or pdf) and returns the files written.',
  ),
} as const;
