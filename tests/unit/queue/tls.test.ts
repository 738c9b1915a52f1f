// The queue over TLS with a password: redis-server with a self-signed certificate (made here with
// openssl), the worker and the owner given its CA (--tls-ca FILE / queue.tlsCa) train a tiny run,
// and the password appears in no log line, run record or database file. Without the CA the worker
// refuses the server in one line. The option parsing is checked without any server.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentSpec } from '../../../src/shared/types/experiments';
import { queueOption } from '../../../src/main/cli/parse';
import { experimentScheduler } from '../../../src/main/lab/experiments/scheduler';
import { Lab } from '../../../src/main/lab/lab';
import { parseQueueUrl } from '../../../src/main/lab/queue/redisUrl';
import { callOk } from '../../helpers/call';
import { tempDir } from '../../helpers/tempLab';
import {
  freePort,
  RedisProcess,
  redisServer,
  startWorker,
  stopWorker,
  until,
  type RedisTls,
  type WorkerProc,
  TINY_SPEC,
} from './harness';

const openssl = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => fs.existsSync(p));
const dirs: string[] = [];
const dir = (): string => {
  const d = tempDir('pst-lab-queue-tls-');
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A self-signed certificate for 127.0.0.1: the server's certificate and the clients' CA at once. */
function selfSigned(where: string): RedisTls {
  const cert = path.join(where, 'cert.pem');
  const key = path.join(where, 'key.pem');
  const r = spawnSync(
    openssl!,
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
  return { cert, key, ca: cert };
}

describe('TLS options', () => {
  it('--tls-ca reads the CA into the connection and implies TLS; bad files are one-line errors', () => {
    const d = dir();
    const pem = path.join(d, 'ca.pem');
    fs.writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const loc = parseQueueUrl('redis://u:pw@127.0.0.1:6380/2', { tlsCa: pem });
    expect(loc).toMatchObject({ tls: true, tlsCa: pem, redacted: 'rediss://u:***@127.0.0.1:6380/2' });
    expect(loc.connection.tls?.ca?.toString()).toBe(fs.readFileSync(pem, 'utf8'));
    // SNI carries host names only; an IP address is checked against the certificate without it
    expect(loc.connection.tls?.servername).toBeUndefined();
    expect(parseQueueUrl('rediss://redis.lab.example:6380/0').connection.tls).toEqual({
      servername: 'redis.lab.example',
    });
    expect(parseQueueUrl('redis://127.0.0.1:6379/0').connection.tls).toBeUndefined();
    expect(() => parseQueueUrl('rediss://h:1/0', { tlsCa: path.join(d, 'none.pem') })).toThrow(
      /^cannot read the TLS CA file .*none\.pem: ENOENT$/,
    );
    fs.writeFileSync(path.join(d, 'junk.pem'), 'not a certificate');
    expect(() => parseQueueUrl('rediss://h:1/0', { tlsCa: path.join(d, 'junk.pem') })).toThrow(
      /holds no PEM certificate/,
    );
    // the CLI's --queue/--tls/--tls-ca
    expect(queueOption({ queue: 'redis://h:1/0', tls: true }, 'usage')).toMatchObject({ tls: true, tlsCa: null });
    expect(queueOption({ queue: 'redis://h:1/0', 'tls-ca': pem }, 'usage')).toMatchObject({ tls: true, tlsCa: pem });
    expect(() => queueOption({ 'tls-ca': pem }, 'usage')).toThrow(/--tls and --tls-ca go with --queue/);
  });
});

describe.skipIf(!redisServer || !openssl)('run queue over TLS with a password', () => {
  let redis: RedisProcess;
  let tls: RedisTls;
  const password = 'tls-s3cret-pw';

  beforeAll(async () => {
    const d = dir();
    tls = selfSigned(d);
    redis = new RedisProcess(await freePort(), d, tls);
    await redis.start();
    expect(redis.cli('ACL', 'SETUSER', 'pstlab', 'on', `>${password}`, '~*', '&*', '+@all')).toBe('OK');
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('a worker and an owner given the CA train a run over rediss://; the password is nowhere', async () => {
    const url = `rediss://pstlab:${password}@127.0.0.1:${redis.port}/0`;
    // Without the CA the self-signed server is refused, in one line, without the password.
    const untrusted = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli.ts', 'worker', '--queue', url, '--data-dir', dir()],
      { cwd: path.resolve(__dirname, '../../..'), encoding: 'utf8', timeout: 60_000 },
    );
    expect(untrusted.status).not.toBe(0);
    expect(untrusted.stderr).toMatch(
      new RegExp(
        `cannot reach Redis at rediss://pstlab:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}/0: self[- ]signed certificate`,
      ),
    );
    expect(untrusted.stderr).not.toContain(password);

    const dataDir = dir();
    const owner = Lab.open({ dataDir, runtime: 'test' });
    let w: WorkerProc | null = null;
    try {
      const spec: ExperimentSpec = { ...TINY_SPEC, name: 'tls', methods: ['answer-only'] };
      const e = await callOk(owner, 'experiments.create', { spec });
      w = startWorker('tls-worker', url, dir(), ['--tls-ca', tls.ca]);
      await callOk(owner, 'experiments.start', { experiment: e.id, queue: { url, tlsCa: tls.ca } });
      await experimentScheduler(owner.context).wait(e.id);
      const run = owner.db.prepare('SELECT id, status, remote FROM runs WHERE experiment_id = ?').get(e.id) as {
        id: number;
        status: string;
        remote: string;
      };
      expect(run.status).toBe('completed');
      expect(JSON.parse(run.remote)).toMatchObject({
        queue: `rediss://pstlab:***@127.0.0.1:${redis.port}/0`,
        worker: 'tls-worker',
      });
      expect(
        (owner.db.prepare('SELECT COUNT(*) AS n FROM run_steps WHERE run_id = ?').get(run.id) as { n: number }).n,
      ).toBe(6);
      await until(
        'the worker to report the run finished',
        () => w!.events.some((ev) => ev.event === 'run-finished'),
        30_000,
      );
      expect(w.stderr).not.toContain(password);
      expect(w.stderr).toContain(`rediss://pstlab:***@127.0.0.1:${redis.port}/0`);
    } finally {
      if (w) await stopWorker(w);
      owner.close();
    }
    const dbFiles = fs
      .readdirSync(dataDir, { recursive: true })
      .map(String)
      .filter((n) => fs.statSync(path.join(dataDir, n)).isFile());
    expect(dbFiles.some((n) => n.includes('.sqlite'))).toBe(true);
    for (const f of dbFiles)
      expect(fs.readFileSync(path.join(dataDir, f)).toString('latin1'), f).not.toContain(password);
  }, 300_000);
});
