// The queue tests' harness: a real redis-server on a loopback port (append-only file on; TLS when
// asked) and `pst-lab worker` processes started from source, each with its own data directory,
// whose --json event lines are collected.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { ExperimentSpec } from '../../../src/shared/types/experiments';

export const ROOT = path.resolve(__dirname, '../../..');
export const redisServer = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));
if (!redisServer && process.env.CI)
  throw new Error('redis-server is required in CI (Debian package redis-server; .ci/run installs it)');
if (!redisServer) console.warn('queue tests skipped: no redis-server on this machine (apt-get install redis-server)');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until<T>(what: string, f: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** TLS for redis-server: its certificate and key, and the CA that signed them (for clients). */
export interface RedisTls {
  cert: string;
  key: string;
  ca: string;
}

export class RedisProcess {
  proc: ChildProcess | null = null;
  constructor(
    readonly port: number,
    readonly dir: string,
    readonly tls: RedisTls | null = null,
  ) {}
  async start(): Promise<void> {
    const listen = this.tls
      ? [
          '--port',
          '0',
          '--tls-port',
          String(this.port),
          '--tls-cert-file',
          this.tls.cert,
          '--tls-key-file',
          this.tls.key,
          '--tls-ca-cert-file',
          this.tls.ca,
          '--tls-auth-clients',
          'no',
        ]
      : ['--port', String(this.port)];
    this.proc = spawn(
      redisServer!,
      [
        ...listen,
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
      ],
      {
        stdio: 'ignore',
      },
    );
    await until('redis to listen', () => this.cli('ping') === 'PONG', 10_000);
  }
  /** One redis-cli command; its trimmed output. */
  cli(...args: string[]): string {
    const tls = this.tls ? ['--tls', '--cacert', this.tls.ca] : [];
    return (
      spawnSync('redis-cli', [...tls, '-p', String(this.port), ...args], { encoding: 'utf8' }).stdout?.trim() ?? ''
    );
  }
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM'); // redis writes its AOF and exits
    await exited;
  }
}

export interface WorkerProc {
  name: string;
  proc: ChildProcess;
  events: Record<string, unknown>[];
  /** Everything the worker wrote on stderr. */
  stderr: string;
}

export function startWorker(name: string, url: string, dataDir: string, extra: string[] = []): WorkerProc {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'src/main/cli.ts'),
      'worker',
      '--queue',
      url,
      '--name',
      name,
      '--json',
      '--lock-seconds',
      '3',
      '--data-dir',
      dataDir,
      ...extra,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const w: WorkerProc = { name, proc, events: [], stderr: '' };
  let buf = '';
  proc.stderr!.on('data', (d: Buffer) => {
    w.stderr += d.toString();
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        w.events.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        w.events.push({ event: 'text', message: line });
      }
    }
  });
  return w;
}

export async function stopWorker(w: WorkerProc): Promise<void> {
  if (w.proc.exitCode !== null || w.proc.signalCode !== null) return;
  const exited = new Promise((r) => w.proc.once('exit', r));
  w.proc.kill('SIGINT');
  await Promise.race([exited, sleep(15_000).then(() => w.proc.kill('SIGKILL'))]);
}

/** One tiny run (6 steps of a 1-layer char GPT): for tests about what travels, not about training. */
export const TINY_SPEC: ExperimentSpec = {
  name: 'tiny',
  synthetic: { task: 'coin_flip', n: 30, seed: 11, hallucinationRates: [0] },
  methods: ['post-thinking'],
  seeds: [1],
  preset: 'tiny',
  model: { layers: 1, width: 16, heads: 2 },
  budget: { steps: 6, batchSize: 2 },
  evaluation: { evalEvery: 3, valExamples: 2, testExamples: 2 },
  backend: 'wasm',
};
