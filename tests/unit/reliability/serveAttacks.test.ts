// Inputs that used to end `pst-lab serve`, each sent to a running server, which must answer the
// next request afterwards: protocol-violating WebSocket frames, a file that vanishes or fails
// while it streams, and an /api/invoke body whose channel nests thousands of levels deep.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Lab } from '../../../src/main/lab/lab';
import { startServer, type RunningServer } from '../../../src/main/serve/server';
import { openTempLab, tempDir } from '../../helpers/tempLab';
import { postInvoke, rawWebSocket } from './serveClient';

let lab: Lab;
let cleanupLab: () => void;
let rendererDir: string;
let server: RunningServer;

beforeAll(async () => {
  const t = openTempLab();
  lab = t.lab;
  cleanupLab = t.cleanup;
  rendererDir = tempDir('pst-lab-serve-attack-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><p>index</p>');
  server = await startServer({ lab, port: 0, rendererDir });
});
afterAll(async () => {
  await server?.close();
  cleanupLab?.();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

function get(p: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: p, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`no answer to GET ${p}`)));
  });
}

const invoke = (body: string) => postInvoke(server, body);

/** The server still answers: a static file, an API call over HTTP and one over a new WebSocket. */
async function stillAnswers(): Promise<void> {
  expect((await get('/')).status).toBe(200);
  const r = await invoke(JSON.stringify({ channel: 'app.info', input: {} }));
  expect(JSON.parse(r.body)).toMatchObject({ ok: true });
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
  const answer = await new Promise<unknown>((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'settings.get', input: {} })));
    ws.on('message', (d) => resolve(JSON.parse(String(d))));
    ws.on('error', reject);
  });
  ws.close();
  expect(answer).toMatchObject({ type: 'result', id: 1, result: { ok: true } });
}

/** A raw WebSocket connection (handshake done by hand) to write arbitrary frame bytes. */
async function rawSocket(): Promise<net.Socket> {
  const { sock, head } = await rawWebSocket(server, crypto.randomBytes(16).toString('base64'));
  expect(head).toMatch(/^HTTP\/1\.1 101/);
  return sock;
}

/** One frame: FIN + opcode (+ RSV bits), masked unless told, with the given payload. */
function frame(
  opcode: number,
  payload: Buffer,
  opts: { rsv?: number; masked?: boolean; claimedLength?: bigint } = {},
): Buffer {
  const masked = opts.masked ?? true;
  const b0 = 0x80 | ((opts.rsv ?? 0) << 4) | opcode;
  let header: Buffer;
  if (opts.claimedLength !== undefined) {
    header = Buffer.alloc(10);
    header[0] = b0;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(opts.claimedLength, 2);
  } else {
    header = Buffer.from([b0, (masked ? 0x80 : 0) | payload.length]);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = crypto.randomBytes(4);
  return Buffer.concat([header, mask, Buffer.from(payload.map((x, i) => x ^ mask[i % 4]!))]);
}

describe('serve survives what used to kill it', () => {
  const frames: [string, () => Buffer][] = [
    ['invalid UTF-8 in a text frame', () => frame(0x1, Buffer.from([0xc3, 0x28, 0xff, 0xfe]))],
    ['a message over the 64 MiB limit', () => frame(0x2, Buffer.alloc(0), { claimedLength: 64n * 1024n * 1024n + 1n })],
    ['an unmasked client frame', () => frame(0x1, Buffer.from('{"x":1}'), { masked: false })],
    ['a reserved opcode', () => frame(0x3, Buffer.from('x'))],
    ['RSV1 without an extension', () => frame(0x1, Buffer.from('x'), { rsv: 4 })],
  ];
  for (const [name, bytes] of frames) {
    it(`WebSocket: ${name} closes that socket only`, async () => {
      const sock = await rawSocket();
      const closed = new Promise<void>((resolve) => sock.on('close', () => resolve()));
      sock.write(bytes());
      await closed;
      await stillAnswers();
    });
  }

  it('a static file that fails while it streams cuts that response only', async () => {
    fs.writeFileSync(path.join(rendererDir, 'big.js'), Buffer.alloc(4 << 20, 0x61));
    const real = fs.createReadStream;
    // The file disappears between lookup and open, and another fails after its headers are sent.
    vi.spyOn(fs, 'createReadStream').mockImplementationOnce((() =>
      real(path.join(rendererDir, 'gone.js'))) as typeof fs.createReadStream);
    expect((await get('/big.js')).status).toBe(404);
    vi.spyOn(fs, 'createReadStream').mockImplementationOnce(((p: fs.PathLike) => {
      const s = real(p);
      s.once('data', () => s.destroy(new Error('EIO: simulated read error')));
      return s;
    }) as typeof fs.createReadStream);
    await expect(get('/big.js')).rejects.toThrow();
    await stillAnswers();
  });

  it('files deleted and rewritten while they are requested (a rebuild during serve)', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `chunk-${i}.js`);
    const requests: Promise<unknown>[] = [];
    for (let round = 0; round < 10; round++) {
      for (const n of names) fs.writeFileSync(path.join(rendererDir, n), Buffer.alloc(256 << 10, 0x62));
      for (const n of names) requests.push(get(`/${n}`).catch(() => null));
      for (const n of names) fs.rmSync(path.join(rendererDir, n), { force: true });
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(requests);
    await stillAnswers();
  });

  it('an export deleted while it downloads', async () => {
    const file = path.join(lab.context.dataDir, 'exports', 'big.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.alloc(8 << 20, 0x63));
    const pending = get(`/api/download?path=${encodeURIComponent(file)}`, {
      Authorization: `Bearer ${server.token}`,
    }).catch(() => null);
    fs.rmSync(file);
    await pending;
    await stillAnswers();
  });

  it('an /api/invoke body whose channel nests 5,000 deep', async () => {
    const body = `{"channel":${'['.repeat(5000)}${']'.repeat(5000)},"input":{}}`;
    expect(body.length).toBeGreaterThan(10_000);
    const r = await invoke(body);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'body nests deeper than 64 levels' },
    });
    await stillAnswers();
  });

  it('the same nesting reaching the dispatcher in-process gets a structured error', async () => {
    let deep: unknown = [];
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(await lab.dispatch(deep, {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: 'no channel named an array of 1' },
    });
    const r = await lab.dispatch('datasets.import', { paths: ['x'], mapping: deep });
    expect(r.ok).toBe(false);
  });

  it('a 20 MB nested-but-valid body is refused before parsing, over HTTP and WebSocket', async () => {
    const body = `{"channel":"app.info","input":{"x":${'['.repeat(100)}${'1,'.repeat(10_000_000)}1${']'.repeat(100)}}}`;
    expect(body.length).toBeGreaterThan(20_000_000);
    const r = await invoke(body);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { message: 'body nests deeper than 64 levels' } });
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    const answer = await new Promise<unknown>((resolve, reject) => {
      ws.on('open', () =>
        ws.send(`{"type":"invoke","id":7,"channel":"app.info","input":${'['.repeat(100_000)}${']'.repeat(100_000)}}`),
      );
      ws.on('message', (d) => resolve(JSON.parse(String(d))));
      ws.on('error', reject);
    });
    ws.close();
    expect(answer).toMatchObject({
      type: 'result',
      result: { ok: false, error: { message: 'message nests deeper than 64 levels' } },
    });
    await stillAnswers();
  });

  it('an oversized upload is refused at once, not read to the end', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/api/upload?name=huge.bin',
          headers: { Authorization: `Bearer ${server.token}`, 'Content-Length': String(64 * 1024 ** 3) },
          agent: false,
        },
        (r) => resolve(r.statusCode ?? 0),
      );
      req.on('error', reject);
      req.write(Buffer.alloc(1024));
    });
    expect(res).toBe(413);
    await stillAnswers();
  });
});
