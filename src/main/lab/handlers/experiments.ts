import fs from 'node:fs';
import os from 'node:os';
import type { experimentChannels } from '../../../shared/contract/experiments';
import type { Handlers } from '../dispatch';
import { LabError } from '../errors';
import { createExperiment } from '../experiments/create';
import { compareGroups, flipsBetween } from '../experiments/paired';
import { planExperiment } from '../experiments/plan';
import { experimentResults } from '../experiments/results';
import { experimentScheduler } from '../experiments/scheduler';
import { experimentDetail, getExperimentRow, listExperiments } from '../experiments/store';
import { deleteExperimentRuns } from '../runs/store';
import type { LabContext } from '../lab';
import { queueOwner } from '../queue';

export function experimentHandlers(ctx: LabContext): Pick<Handlers, keyof typeof experimentChannels> {
  const { db } = ctx;
  const scheduler = () => experimentScheduler(ctx);
  const cores = os.cpus().length;
  return {
    'experiments.plan': ({ spec, probe, concurrency }) =>
      planExperiment(db, ctx.runs, spec, {
        probe: probe ?? false,
        cores,
        ...(concurrency ? { concurrency } : {}),
      }),
    'experiments.create': ({ spec }) => experimentDetail(db, createExperiment(db, ctx.runs, spec, cores)),
    'experiments.start': async ({ experiment, concurrency, queue }) => {
      if (!queue) return scheduler().start(experiment, concurrency);
      getExperimentRow(db, experiment);
      const target = queue.url
        ? {
            url: queue.url,
            tls: queue.tls ?? false,
            ...(queue.tlsCa ? { tlsCa: ctx.files.check(queue.tlsCa, 'read') } : {}),
          }
        : undefined;
      const owner = await queueOwner(ctx, target);
      const adopted = await owner.reconcile(experiment);
      return scheduler().start(experiment, concurrency, { launcher: owner.launcher, adopted });
    },
    'experiments.cancel': ({ experiment }) => scheduler().cancel(experiment),
    'experiments.retry': ({ experiment, runs, start }) => {
      const n = scheduler().retry(experiment, runs);
      if (n > 0 && start !== false) return scheduler().start(experiment);
      return scheduler().summary(experiment);
    },
    'experiments.list': () => listExperiments(db, (id) => scheduler().eta(id)),
    'experiments.get': ({ experiment }) => experimentDetail(db, experiment, scheduler().eta(experiment)),
    'experiments.results': ({ experiment }) => experimentResults(db, experiment, scheduler().eta(experiment)),
    'experiments.compare': ({ experiment, a, b, resamples }) => compareGroups(db, experiment, a, b, resamples),
    'experiments.flips': ({ experiment, a, b, limit }) => flipsBetween(db, experiment, a, b, limit),
    'experiments.delete': ({ experiment }) => {
      getExperimentRow(db, experiment);
      const active = db
        .prepare(`SELECT COUNT(*) AS n FROM runs WHERE experiment_id = ? AND status IN ('running', 'paused')`)
        .get(experiment) as { n: number };
      if (active.n > 0 || scheduler().isRunning(experiment))
        throw new LabError('CONFLICT', `experiment ${experiment} is running; cancel it first`);
      const dirs = db
        .prepare('SELECT checkpoint_dir FROM runs WHERE experiment_id = ? AND checkpoint_dir IS NOT NULL')
        .all(experiment) as { checkpoint_dir: string }[];
      db.transaction(() => {
        deleteExperimentRuns(db, experiment);
        db.prepare('DELETE FROM experiments WHERE id = ?').run(experiment);
      })();
      for (const d of dirs) fs.rmSync(d.checkpoint_dir, { recursive: true, force: true });
      return { deleted: experiment };
    },
  };
}
