// Jobs a worker must not train: one queued by another PST Lab version, and one whose pretrained
// student the worker does not have. Each is refused with one line naming the problem, nothing
// reaches the owner's lab, the job stays on the queue, and a worker that can serve it then does.
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentSpec } from '../../../src/shared/types/experiments';
import { experimentScheduler } from '../../../src/main/lab/experiments/scheduler';
import { Lab } from '../../../src/main/lab/lab';
import { appVersion } from '../../../src/main/lab/paths';
import { QueueWorker } from '../../../src/main/lab/queue';
import { RUNS_QUEUE } from '../../../src/main/lab/queue/protocol';
import type { WorkerEvent } from '../../../src/main/lab/queue/worker';
import { parseQueueUrl } from '../../../src/main/lab/queue/redisUrl';
import { callOk } from '../../helpers/call';
import { writeTinyModel } from '../../helpers/students';
import { tempDir } from '../../helpers/tempLab';
import {
  freePort,
  RedisProcess,
  redisServer,
  sleep,
  startWorker,
  stopWorker,
  TINY_SPEC,
  until,
  type WorkerProc,
} from './harness';

const SPEC: ExperimentSpec = { ...TINY_SPEC, name: 'refusals' };

describe.skipIf(!redisServer)('jobs a worker refuses', () => {
  let redis: RedisProcess;
  const dirs: string[] = [];
  const dir = (): string => {
    const d = tempDir('pst-lab-queue-refuse-');
    dirs.push(d);
    return d;
  };
  const urlFor = (db: number): string => `redis://127.0.0.1:${redis.port}/${db}`;

  beforeAll(async () => {
    redis = new RedisProcess(await freePort(), dir());
    await redis.start();
  });

  afterAll(async () => {
    await redis?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  /** The experiment's one run: its job on the queue, and that nothing of it reached the lab. */
  async function queuedRun(owner: Lab, experiment: number, url: string) {
    const remote = await until(
      'the run on the queue',
      () =>
        (
          owner.db.prepare('SELECT remote FROM runs WHERE experiment_id = ?').get(experiment) as {
            remote: string | null;
          }
        ).remote,
    );
    const { jobId } = JSON.parse(remote) as { jobId: string };
    const runs = new Queue(RUNS_QUEUE, { connection: parseQueueUrl(url).connection });
    const job = (await runs.getJob(jobId))!;
    const untouched = async (): Promise<void> => {
      const t0 = Date.now();
      while ((await job.getState()) !== 'delayed' && Date.now() - t0 < 10_000) await sleep(100);
      expect(await job.getState()).toBe('delayed');
      const run = owner.db
        .prepare('SELECT id, step, status, remote FROM runs WHERE experiment_id = ?')
        .get(experiment) as { id: number; step: number; status: string; remote: string };
      expect(run.step).toBe(0);
      expect(JSON.parse(run.remote)).toMatchObject({ worker: null, workerHost: null });
      for (const table of ['run_steps', 'run_evals', 'run_predictions'])
        expect(
          (owner.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(run.id) as { n: number }).n,
          table,
        ).toBe(0);
    };
    return { jobId, job, runs, untouched };
  }

  async function completes(owner: Lab, experiment: number, worker: string): Promise<void> {
    await experimentScheduler(owner.context).wait(experiment);
    const run = owner.db.prepare('SELECT id, status, remote FROM runs WHERE experiment_id = ?').get(experiment) as {
      id: number;
      status: string;
      remote: string;
    };
    expect(run.status).toBe('completed');
    expect(JSON.parse(run.remote)).toMatchObject({ worker });
    expect(
      (owner.db.prepare('SELECT COUNT(*) AS n FROM run_steps WHERE run_id = ?').get(run.id) as { n: number }).n,
    ).toBe(SPEC.budget!.steps);
  }

  it('a worker of another PST Lab version refuses the job naming both versions; a worker of the same version trains it', async () => {
    const url = urlFor(6);
    const owner = Lab.open({ dataDir: dir(), runtime: 'test' });
    const events: WorkerEvent[] = [];
    let old: QueueWorker | null = null;
    let w: WorkerProc | null = null;
    let runs: Queue | null = null;
    try {
      const e = await callOk(owner, 'experiments.create', { spec: { ...SPEC, name: 'version' } });
      await callOk(owner, 'experiments.start', { experiment: e.id, queue: { url } });
      const q = await queuedRun(owner, e.id, url);
      runs = q.runs;
      old = await QueueWorker.start({
        location: parseQueueUrl(url),
        dataDir: dir(),
        name: 'old',
        appVersion: '0.0.1-old',
        log: (ev) => events.push(ev),
      });
      const refused = await until('the refusal', () => events.find((ev) => ev.event === 'refused'), 60_000);
      expect(refused.message).toBe(
        `job ${q.jobId} needs PST Lab ${appVersion()}; this worker is PST Lab 0.0.1-old: left on the queue for a worker of that version`,
      );
      expect(events.some((ev) => ev.event === 'run-started')).toBe(false);
      await q.untouched();
      await old.stop();
      old = null;

      w = startWorker('same', url, dir());
      await q.job.promote().catch(() => undefined);
      await completes(owner, e.id, 'same');
      expect(w.events.some((ev) => ev.event === 'refused')).toBe(false);
    } finally {
      await old?.stop();
      if (w) await stopWorker(w);
      await runs?.close();
      owner.close();
    }
  }, 300_000);

  it('a job whose pretrained student the worker lacks is refused naming the student and where the worker looked; with the folder there it trains', async () => {
    const url = urlFor(7);
    const owner = Lab.open({ dataDir: dir(), runtime: 'test' });
    // The owner's student (a tiny random GPT-2), given to the experiment by its folder.
    const ownerStudent = path.join(dir(), 'tiny-gpt2');
    writeTinyModel(ownerStudent, 'gpt2', { config: { n_positions: 512 } });
    // The worker's students folder holds another GPT-2 (other weights: other hashes), not this one.
    const studentsDir = dir();
    writeTinyModel(path.join(studentsDir, 'other-gpt2'), 'gpt2', { config: { n_positions: 512 }, seed: 99 });
    let w: WorkerProc | null = null;
    let runs: Queue | null = null;
    try {
      const spec: ExperimentSpec = { ...SPEC, name: 'student', methods: ['answer-only'], student: ownerStudent };
      delete spec.model; // a pretrained student's architecture comes from its config.json
      const e = await callOk(owner, 'experiments.create', { spec });
      await callOk(owner, 'experiments.start', { experiment: e.id, queue: { url } });
      const q = await queuedRun(owner, e.id, url);
      runs = q.runs;
      w = startWorker('w1', url, dir(), ['--students-dir', studentsDir]);
      const refused = await until('the refusal', () => w!.events.find((ev) => ev.event === 'refused'), 120_000);
      expect(refused.message).toMatch(
        new RegExp(
          `^job ${q.jobId}: pretrained student tiny-gpt2 \\(fingerprint [0-9a-f]{12}, \\d+ files\\) is not on this worker: looked in ${studentsDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(and its subfolders\\); copy its folder there`,
        ),
      );
      expect(String(refused.message)).not.toContain('\n');
      expect(w.events.some((ev) => ev.event === 'run-started')).toBe(false);
      await q.untouched();
      // nothing was trained on the worker either: no run folder, no cached data
      const workerDir = path.join(String(w.proc.spawnargs.at(w.proc.spawnargs.indexOf('--data-dir') + 1)), 'worker');
      expect(fs.existsSync(path.join(workerDir, 'queue-runs'))).toBe(false);
      expect(fs.existsSync(path.join(workerDir, 'queue-cache'))).toBe(false);

      // The folder provided (a copy under another name): the same job trains there.
      fs.cpSync(ownerStudent, path.join(studentsDir, 'gpt2-copy'), { recursive: true });
      await q.job.promote().catch(() => undefined);
      await completes(owner, e.id, 'w1');
    } finally {
      if (w) await stopWorker(w);
      await runs?.close();
      owner.close();
    }
  }, 300_000);
  it("PST's inputs travel with the job: the external encoder is found on the worker by its hashes, a selfFrom encoder's checkpoint comes through the queue", async () => {
    const url = urlFor(8);
    const owner = Lab.open({ dataDir: dir(), runtime: 'test' });
    const encoder = path.join(dir(), 'tinybert');
    writeTinyModel(encoder, 'bert');
    const studentsDir = dir();
    let w: WorkerProc | null = null;
    const queues: Queue[] = [];
    try {
      const spec: ExperimentSpec = {
        ...SPEC,
        name: 'external',
        methods: ['pst'],
        pstGrid: { encoder: ['external'], encoderStudent: encoder },
      };
      const e = await callOk(owner, 'experiments.create', { spec });
      await callOk(owner, 'experiments.start', { experiment: e.id, queue: { url } });
      const q = await queuedRun(owner, e.id, url);
      queues.push(q.runs);
      // The owner's folder is on this machine too, but the worker uses only what it finds by hash.
      w = startWorker('w1', url, dir(), ['--students-dir', studentsDir]);
      const refused = await until('the refusal', () => w!.events.find((ev) => ev.event === 'refused'), 120_000);
      expect(refused.message).toMatch(
        new RegExp(
          `^job ${q.jobId}: external sentence encoder ${encoder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(fingerprint [0-9a-f]{12}, \\d+ files\\) is not on this worker`,
        ),
      );
      await q.untouched();
      fs.cpSync(encoder, path.join(studentsDir, 'bert-copy'), { recursive: true });
      await q.job.promote().catch(() => undefined);
      await completes(owner, e.id, 'w1');

      // selfFrom: PST's frozen encoder is that finished run's checkpoint, which the owner sends with
      // the job (moved away here, so the worker cannot read the owner's copy).
      const source = owner.db.prepare('SELECT id, checkpoint_dir FROM runs WHERE experiment_id = ?').get(e.id) as {
        id: number;
        checkpoint_dir: string;
      };
      const selfSpec: ExperimentSpec = {
        ...SPEC,
        name: 'self from',
        methods: ['pst'],
        perMethodOptions: { pst: { encoder: 'self', selfFrom: source.id } },
      };
      await stopWorker(w);
      w = null;
      const e2 = await callOk(owner, 'experiments.create', { spec: selfSpec });
      await callOk(owner, 'experiments.start', { experiment: e2.id, queue: { url } });
      queues.push((await queuedRun(owner, e2.id, url)).runs);
      const hidden = `${source.checkpoint_dir}.away`;
      fs.renameSync(source.checkpoint_dir, hidden);
      try {
        w = startWorker('w1', url, dir(), ['--students-dir', studentsDir]);
        await completes(owner, e2.id, 'w1');
      } finally {
        fs.renameSync(hidden, source.checkpoint_dir);
      }
    } finally {
      if (w) await stopWorker(w);
      for (const r of queues) await r.close();
      owner.close();
    }
  }, 300_000);
});
