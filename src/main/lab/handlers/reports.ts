import path from 'node:path';
import type { reportChannels } from '../../../shared/contract/reports';
import type { Handlers } from '../dispatch';
import type { LabContext } from '../lab';
import { assembleReport } from '../reports/assemble';
import { writeReport } from '../reports/writeReport';
import { getExperimentRow } from '../experiments/store';

const EXTENSIONS = { html: 'html', md: 'md', csv: 'csv', tex: 'tex', pdf: 'pdf' } as const;

export function reportHandlers(ctx: LabContext): Pick<Handlers, keyof typeof reportChannels> {
  return {
    'reports.create': async ({ experiments, format, out, errorMode, latex }) => {
      const names = experiments.map((id) => getExperimentRow(ctx.db, id).name);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = ctx.files.check(
        out ?? path.join(ctx.dataDir, 'reports', `${names.join('+').replace(/[^\w.-]+/g, '_').slice(0, 120)}-${stamp}.${EXTENSIONS[format]}`),
        'write',
      );
      const { experiments: data, predictions } = assembleReport(ctx.db, experiments);
      const { files } = await writeReport(data, {
        format,
        out: file,
        predictions,
        ...(errorMode ? { errorMode } : {}),
        ...(latex ? { latex } : {}),
        ...(format === 'pdf' && ctx.pdfRenderer ? { pdfRenderer: ctx.pdfRenderer } : {}),
      });
      return { files, format, experiments };
    },
  };
}
