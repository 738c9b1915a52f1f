// `pst-lab bench experiment --queue URL --workers N`: the fixed benchmark grid run twice in
// throw-away labs — by the local queue with N run processes, then through the Redis queue with N
// worker processes on this machine (each with one slot) — so the queue's own overhead shows as the
// ratio of the two wall times. Figures are printed, never asserted.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_EXPERIMENT_SPEC } from '../experiments/bench';
import { createExperiment } from '../experiments/create';
import { experimentScheduler } from '../experiments/scheduler';
import { experimentSummary } from '../experiments/store';
import { Lab } from '../lab';
import { entryScript } from '../runs/launcher';
import { queueOwner } from '.';
import type { QueueLocation } from './redisUrl';

export interface QueueBenchFigures {
  runs: number;
  workers: number;
  cores: number;
  local: { ms: number; status: string };
  queue: { ms: number; status: string };
  /** local / queue wall time: 1 means the queue costs nothing, below 1 its overhead. */
  speedup: number;
}

function startWorkers(n: number, url: string, location: QueueLocation, root: string): ChildProcess[] {
  const entry = entryScript('cli');
  return Array.from({ length: n }, (_, i) =>
    spawn(
      process.execPath,
      [
        ...entry.execArgv,
        entry.file,
        'worker',
        '--queue',
        url,
        ...(location.tls ? ['--tls'] : []),
        ...(location.tlsCa ? ['--tls-ca', location.tlsCa] : []),
        '--name',
        `bench-${i + 1}`,
        '--data-dir',
        path.join(root, `worker-${i + 1}`),
      ],
      {
        stdio: 'ignore',
      },
    ),
  );
}

export async function benchQueue(
  url: string,
  location: QueueLocation,
  workers: number,
  onProgress?: (text: string) => void,
): Promise<QueueBenchFigures> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pst-lab-bench-queue-'));
  const procs: ChildProcess[] = [];
  try {
    const round = async (name: string, viaQueue: boolean): Promise<{ ms: number; status: string; runs: number }> => {
      const lab = Lab.open({ dataDir: path.join(root, name), runtime: 'cli' });
      try {
        const id = createExperiment(
          lab.db,
          lab.context.runs,
          { ...BENCH_EXPERIMENT_SPEC, name: `bench ${name}` },
          os.cpus().length,
        );
        onProgress?.(`${name}: running...\n`);
        const scheduler = experimentScheduler(lab.context);
        const t0 = performance.now();
        if (viaQueue) {
          const owner = await queueOwner(lab.context, {
            url,
            tls: location.tls,
            ...(location.tlsCa ? { tlsCa: location.tlsCa } : {}),
          });
          scheduler.start(id, undefined, { launcher: owner.launcher, adopted: [] });
          await scheduler.wait(id);
          await owner.release();
        } else {
          scheduler.start(id, workers);
          await scheduler.wait(id);
        }
        const ms = performance.now() - t0;
        const s = experimentSummary(lab.db, id);
        onProgress?.(`${name}: ${(ms / 1000).toFixed(1)} s (${s.status})\n`);
        return { ms: Math.round(ms), status: s.status, runs: s.runs };
      } finally {
        lab.close();
      }
    };
    const local = await round(`local queue, ${workers} run process(es)`, false);
    procs.push(...startWorkers(workers, url, location, root));
    const queued = await round(`redis queue, ${workers} worker(s)`, true);
    return {
      runs: local.runs,
      workers,
      cores: os.cpus().length,
      local: { ms: local.ms, status: local.status },
      queue: { ms: queued.ms, status: queued.status },
      speedup: local.ms / queued.ms,
    };
  } finally {
    for (const p of procs) p.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 500));
    fs.rmSync(root, { recursive: true, force: true });
  }
}
