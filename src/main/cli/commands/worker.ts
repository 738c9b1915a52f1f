// `pst-lab worker`: serve a lab's run queue from this machine (see docs/queue.md). Progress per
// run on stderr (or one JSON object per line with --json); Ctrl+C stops cleanly: each running run
// saves a checkpoint and goes back to the queue, where any worker resumes it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BACKEND_NAMES } from '../../../shared/types/app';
import { QueueWorker } from '../../lab/queue';
import type { WorkerEvent } from '../../lab/queue/worker';
import { UsageError, defineCommand, untilSignal } from '../command';
import { choiceOption, numberOption, queueOption, stringOption } from '../parse';

const usage =
  'pst-lab worker --queue redis://[user:password@]HOST:PORT[/DB] [--tls] [--tls-ca FILE] [--concurrency N] [--backend ' +
  BACKEND_NAMES.join('|') +
  '] [--students-dir DIR] [--name NAME] [--lock-seconds S] [--json] [--data-dir DIR]';

function describe(e: WorkerEvent): string {
  const run = e.runId !== undefined ? `run ${e.runId} (${e.jobId})` : '';
  switch (e.event) {
    case 'run-started':
      return `${run}: started${e.resumedFrom !== null && e.resumedFrom !== undefined ? ` from its checkpoint at step ${e.resumedFrom}` : ''}, ${e.steps} steps`;
    case 'progress':
      return `${run}: step ${e.step}/${e.steps} loss ${e.loss?.toFixed(4)}`;
    case 'run-finished':
      return `${run}: ${e.status}`;
    case 'run-requeued':
    case 'refused':
      return `${run ? `${run}: ` : ''}${e.message}`;
    default:
      return e.message ?? e.event;
  }
}

export const workerCommand = defineCommand({
  usage,
  summary:
    "Train runs from a lab's Redis queue on this machine; results go back to the lab. Ctrl+C puts running runs back on the queue.",
  async run({ values, dataDir, json, io }) {
    const location = queueOption(values, usage);
    if (!location) throw new UsageError('--queue is required', usage);
    const concurrency = numberOption(values, 'concurrency', usage, { integer: true, min: 1, max: 64 }) ?? 1;
    const lockSeconds = numberOption(values, 'lock-seconds', usage, { min: 1, max: 3600 }) ?? 30;
    const backend = choiceOption(values, 'backend', BACKEND_NAMES, usage);
    const studentsDir = stringOption(values, 'students-dir');
    if (studentsDir !== undefined && !(fs.existsSync(studentsDir) && fs.statSync(studentsDir).isDirectory())) {
      throw new Error(`--students-dir ${studentsDir} is not a directory`);
    }
    const name = stringOption(values, 'name') ?? os.hostname();
    const workDir = path.join(dataDir, 'worker');
    fs.mkdirSync(workDir, { recursive: true });
    const log = (e: WorkerEvent): void =>
      io.stderr(
        json ? `${JSON.stringify({ time: new Date().toISOString(), worker: name, ...e })}\n` : `${describe(e)}\n`,
      );
    const worker = await QueueWorker.start({
      location,
      dataDir: workDir,
      name,
      concurrency,
      backend: backend ?? null,
      studentsDirs: studentsDir !== undefined ? [path.resolve(studentsDir)] : [],
      lockMs: lockSeconds * 1000,
      log,
    });
    await untilSignal(() => worker.stop());
  },
});
