import fs from 'node:fs';
import type { runChannels } from '../../../shared/contract/runs';
import type { Handlers } from '../dispatch';
import type { LabContext } from '../lab';
import { deleteRun, getRunRow, listRuns, runDetail, runMetrics, runPredictions } from '../runs/store';

export function runHandlers(ctx: LabContext): Pick<Handlers, keyof typeof runChannels> {
  const { db } = ctx;
  return {
    'runs.start': (spec) => ctx.runs.start(spec),
    'runs.list': (f) => listRuns(db, f),
    'runs.get': ({ run }) => runDetail(db, run),
    'runs.metrics': ({ run, sinceStep }) => runMetrics(db, run, sinceStep ?? 0),
    'runs.predictions': (q) => runPredictions(db, q),
    'runs.cancel': ({ run }) => ctx.runs.control(run, 'cancel'),
    'runs.pause': ({ run }) => ctx.runs.control(run, 'pause'),
    'runs.resume': ({ run }) => ctx.runs.control(run, 'resume'),
    'runs.evaluate': ({ run, split }) => ctx.runs.evaluate(run, split ?? 'test'),
    'runs.delete': ({ run }) => {
      const row = getRunRow(db, run);
      deleteRun(db, run);
      if (row.checkpoint_dir) fs.rmSync(row.checkpoint_dir, { recursive: true, force: true });
      return { deleted: run };
    },
  };
}
