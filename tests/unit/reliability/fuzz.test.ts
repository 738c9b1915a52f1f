// Seeded fuzzing of every way in: each contract channel's input (mutated field by field from the
// channel's own schema keys), /api/invoke bodies and WebSocket messages mutated byte by byte, and
// raw WebSocket frames with random headers. Asserted: every case ends in a success or a structured
// error with a bounded message (never a throw, a hang or a dead server), the database passes its
// integrity and foreign-key checks, and no temporary file is left behind. The case counts and the
// outcome are printed. Same seed, same cases.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { z } from 'zod';
import { Rng } from '../../../src/shared/mulberry32';
import { contract, type ChannelName } from '../../../src/shared/contract';
import type { LabResult } from '../../../src/shared/result';
import { Lab } from '../../../src/main/lab/lab';
import { startServer, type RunningServer } from '../../../src/main/serve/server';
import { tempDir } from '../../helpers/tempLab';
import { expectWholeLab } from './labIntegrity';
import { postInvoke, rawWebSocket } from './serveClient';

const SEED = 20261129;
const CASES_PER_CHANNEL = 40;
const HTTP_CASES = 600;
const WS_CASES = 1500;
const FRAME_CASES = 150;

/** Channels that start processes (training, evaluation, PDF rendering): fuzzed for validation only. */
const SPAWNING = new Set<ChannelName>([
  'runs.start',
  'runs.resume',
  'runs.evaluate',
  'experiments.start',
  'experiments.retry',
  'reports.create',
]);

const rng = new Rng(SEED);
const int = (n: number): number => Math.floor(rng.next() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));

let dataDir: string;
let lab: Lab;
let server: RunningServer;
let rendererDir: string;
const outcomes = new Map<string, number>();
const internal: string[] = [];
let cases = 0;

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = int(2) ? [v] : { a: v };
  return v;
}

/** A value that is often the right type for a lab field and often hostile. */
function value(depth = 0): unknown {
  switch (int(22)) {
    case 0:
      return 1;
    case 1:
      return int(5) + 1;
    case 2:
      return -1;
    case 3:
      return 2 ** 53 + 2;
    case 4:
      return 1e308;
    case 5:
      return 0.5;
    case 6:
      return '';
    case 7:
      return 'x'.repeat(int(5000));
    case 8:
      return '__proto__';
    case 9:
      return '\ud800 lone surrogate \udfff';
    case 10:
      return pick(['head', 'draft', 'latest', 'generic', 'fine-tune-cot', 'md', 'html', 'csv', 'train', 'val', 'test']);
    case 11:
      return pick([
        '/etc/passwd',
        '../../../../etc/passwd',
        path.join(dataDir, 'exports', `f${int(9)}.jsonl`),
        '\0',
        'C:\\x',
      ]);
    case 12:
      return true;
    case 13:
      return null;
    case 14:
      return [];
    case 15:
      return depth < 3 ? Array.from({ length: int(4) }, () => value(depth + 1)) : [1];
    case 16:
      return {};
    case 17:
      return depth < 3 ? { [pick(['__proto__', 'constructor', 'a', 'text'])]: value(depth + 1) } : {};
    case 18:
      return nested(int(80));
    case 19:
      return pick(['alice', 'bob', '@gold:alice', 'machine']);
    case 20:
      return pick([-0, Number.MAX_SAFE_INTEGER, 3.14159]);
    default:
      return pick(['correct', 'incorrect', 'hallucinated', 'faithful', 'arithmetic', 'coin_flip', 'yes', 'no']);
  }
}

function shapeKeys(schema: unknown): string[] {
  const s = schema as {
    shape?: Record<string, unknown>;
    _zod?: { def?: { in?: { shape?: object }; schema?: { shape?: object } } };
  };
  const shape = s.shape ?? s._zod?.def?.in?.shape ?? s._zod?.def?.schema?.shape;
  return shape ? Object.keys(shape) : [];
}

/** A mutated input for a channel: its own keys with hostile values, sometimes extra or no keys. */
function mutatedInput(channel: ChannelName): unknown {
  const keys = shapeKeys(contract[channel].input);
  switch (int(8)) {
    case 0:
      return value();
    case 1:
      return Object.fromEntries(keys.map((k) => [k, value()]).concat([[pick(['__proto__', 'extra']), value()]]));
    default:
      return Object.fromEntries(keys.filter(() => int(3) > 0).map((k) => [k, value()]));
  }
}

function record(kind: string, r: LabResult<unknown>, what: string): void {
  cases++;
  expect(typeof r.ok, what).toBe('boolean');
  const key = r.ok ? `${kind}:ok` : `${kind}:${r.error.code}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  if (!r.ok) {
    expect(r.error.message.length, what).toBeGreaterThan(0);
    expect(r.error.message.length, what).toBeLessThan(20_000);
    if (r.error.code === 'INTERNAL') internal.push(`${what}: ${r.error.message.slice(0, 200)}`);
  }
}

beforeAll(async () => {
  dataDir = tempDir('pst-lab-fuzz-');
  // Serve mode: file channels are confined to the data folder, as they are for a browser.
  lab = Lab.open({ dataDir, runtime: 'serve' });
  const gen = await lab.dispatch('datasets.generate', { task: 'arithmetic', n: 20, seed: 1 });
  expect(gen.ok).toBe(true);
  rendererDir = tempDir('pst-lab-fuzz-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  server = await startServer({ lab, port: 0, rendererDir });
});

afterAll(async () => {
  await server?.close();
  lab?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(rendererDir, { recursive: true, force: true });
  const summary = [...outcomes]
    .sort()
    .map(([k, n]) => `${k}=${n}`)
    .join(' ');
  console.log(`fuzz (seed ${SEED}): ${cases} cases, ${internal.length} internal errors; ${summary}`);
});

const post = (body: Buffer) => postInvoke(server, body, 10_000);

/** Byte-level mutations of a valid message: flips, inserts, deletions, truncation, nesting. */
function mutateBytes(valid: string): Buffer {
  let b = Buffer.from(valid);
  const n = 1 + int(4);
  for (let i = 0; i < n; i++) {
    const at = int(b.length + 1);
    switch (int(6)) {
      case 0:
        if (b.length) b[at % b.length] = int(256);
        break;
      case 1:
        b = Buffer.concat([b.subarray(0, at), bytes(1 + int(8)), b.subarray(at)]);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + int(8))]);
        break;
      case 3:
        b = b.subarray(0, at);
        break;
      case 4:
        b = Buffer.concat([b.subarray(0, at), Buffer.from('['.repeat(int(200))), b.subarray(at)]);
        break;
      default:
        b = Buffer.concat([
          b.subarray(0, at),
          Buffer.from(pick(['"', '\\', '{', '}', ',', ':', '\\ud800', 'null', '1e999'])),
          b.subarray(at),
        ]);
    }
  }
  return b;
}

function validMessage(): string {
  const channel = pick(Object.keys(contract).filter((c) => !SPAWNING.has(c as ChannelName)));
  return JSON.stringify({ channel, input: mutatedInput(channel as ChannelName) });
}

async function serverAnswers(): Promise<void> {
  const r = await post(Buffer.from('{"channel":"app.info","input":{}}'));
  expect(JSON.parse(r.body)).toMatchObject({ ok: true });
}

describe('fuzz', () => {
  it(`every channel's input, ${CASES_PER_CHANNEL} mutations each`, async () => {
    for (const channel of Object.keys(contract) as ChannelName[]) {
      for (let i = 0; i < CASES_PER_CHANNEL; i++) {
        const input = mutatedInput(channel);
        if (SPAWNING.has(channel)) {
          // Validation only: the schema must answer (parse or refuse) without throwing.
          const parsed = (contract[channel].input as z.ZodType).safeParse(input);
          cases++;
          outcomes.set(
            `schema:${parsed.success ? 'ok' : 'INVALID_INPUT'}`,
            (outcomes.get(`schema:${parsed.success ? 'ok' : 'INVALID_INPUT'}`) ?? 0) + 1,
          );
          continue;
        }
        record('channel', await lab.dispatch(channel, input), `${channel} ${JSON.stringify(input)?.slice(0, 300)}`);
      }
    }
    expectWholeLab(lab, dataDir);
    expect(internal).toEqual([]);
  });

  it(`${HTTP_CASES} mutated /api/invoke bodies`, async () => {
    for (let i = 0; i < HTTP_CASES; i++) {
      const body = mutateBytes(validMessage());
      const r = await post(body);
      cases++;
      const key = `http:${r.status}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      const parsed = JSON.parse(r.body) as LabResult<unknown>;
      expect(typeof parsed.ok).toBe('boolean');
      if (!parsed.ok && parsed.error.code === 'INTERNAL')
        internal.push(`http ${body.toString('latin1').slice(0, 200)}: ${parsed.error.message}`);
    }
    await serverAnswers();
    expect(internal).toEqual([]);
  });

  it(`${WS_CASES} mutated WebSocket messages on one socket, every one answered`, async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    let answered = 0;
    let closed = false;
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string };
      if (m.type === 'result') answered++;
    });
    ws.on('close', () => (closed = true));
    let sent = 0;
    for (let i = 0; i < WS_CASES; i++) {
      // Text frames must be valid UTF-8 (ws refuses to send others); invalid ones are the raw-frame case.
      const text = mutateBytes(validMessage().replace('"channel"', `"type":"invoke","id":${i},"channel"`)).toString(
        'utf8',
      );
      ws.send(text);
      sent++;
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 5));
    }
    await expect.poll(() => answered, { timeout: 30_000 }).toBe(sent);
    expect(closed).toBe(false);
    cases += sent;
    outcomes.set('ws:answered', (outcomes.get('ws:answered') ?? 0) + answered);
    ws.close();
    await serverAnswers();
  });

  it(`${FRAME_CASES} raw WebSocket frames with random headers`, async () => {
    for (let i = 0; i < FRAME_CASES; i++) {
      const { sock } = await rawWebSocket(server, bytes(16).toString('base64'));
      const header = Buffer.from([int(256), int(256)]);
      sock.write(Buffer.concat([header, bytes(int(64))]));
      await new Promise((r) => setTimeout(r, 2));
      sock.destroy();
      cases++;
      outcomes.set('frame:sent', (outcomes.get('frame:sent') ?? 0) + 1);
      if (i % 50 === 49) await serverAnswers();
    }
    await serverAnswers();
  });
});
