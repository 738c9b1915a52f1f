// `pst-lab serve` in-process: the static renderer is public, every API request (HTTP and
// WebSocket) needs this launch's token, our own Origin and our own Host; malformed input gets
// structured errors and never takes the server down; paths cannot escape the renderer directory.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../../src/main/serve/server';
import type { Lab } from '../../../src/main/lab/lab';
import type { ServerMessage } from '../../../src/shared/wire';
import { openTempLab, tempDir } from '../../helpers/tempLab';

const INDEX_HTML = '<!doctype html><title>serve test</title><p id="marker">renderer index</p>';
const SECRET = 'TOP-SECRET-OUTSIDE-THE-RENDERER-DIR';

let lab: Lab;
let cleanupLab: () => void;
let root: string;
let rendererDir: string;
let server: RunningServer;
let origin: string;

beforeAll(async () => {
  const t = openTempLab();
  lab = t.lab;
  cleanupLab = t.cleanup;
  // root/secret.txt sits next to the renderer dir: a traversal that works would read it.
  root = tempDir('pst-lab-serve-');
  rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  fs.writeFileSync(path.join(root, 'secret.txt'), SECRET);
  server = await startServer({ lab, port: 0, rendererDir });
  origin = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  cleanupLab?.();
  fs.rmSync(root, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request: unlike fetch it sends the path byte for byte and lets us forge Host/Origin. */
function request(
  method: string,
  rawPath: string,
  opts: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, method, path: rawPath, headers: opts.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    // A server that died on a request never answers: fail fast instead of at the test timeout.
    req.setTimeout(5000, () => req.destroy(new Error(`no answer to ${method} ${rawPath}`)));
    req.end(opts.body);
  });
}

function invokeHttp(body: unknown, headers: Record<string, string> = {}, query = `?token=${server.token}`) {
  return request('POST', `/api/invoke${query}`, {
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Opens a WebSocket; resolves with the socket, or with the HTTP status of a refused handshake. */
function openWs(
  query: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; status: null } | { ws: null; status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
    ws.once('open', () => resolve({ ws, status: null }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ws: null, status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

/** Collects every server message of one socket, so a test can wait for the one it needs. */
function inbox(ws: WebSocket) {
  const messages: ServerMessage[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as ServerMessage);
    for (const w of waiters.splice(0)) w();
  });
  return {
    messages,
    async next(pred: (m: ServerMessage) => boolean, timeoutMs = 5000): Promise<ServerMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = messages.findIndex(pred);
        if (i >= 0) return messages.splice(i, 1)[0]!;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching message; got ${JSON.stringify(messages)}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, left);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
    },
  };
}

const resultFor = (id: number | null) => (m: ServerMessage) => m.type === 'result' && m.id === id;

describe('serve: static renderer', () => {
  it('serves index.html without a token, with security headers', async () => {
    const res = await request('GET', '/');
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX_HTML);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their type and answers 404 for missing files and directories', async () => {
    const js = await request('GET', '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await request('GET', '/nope.js')).status).toBe(404);
    expect((await request('GET', '/assets')).status).toBe(404);
  });

  it('refuses to modify static files', async () => {
    expect((await request('POST', '/index.html', { body: 'x' })).status).toBe(405);
  });

  it.each([
    '/../secret.txt',
    '/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/..%2fsecret.txt',
    '/..%2Fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/%252e%252e%252fsecret.txt',
    '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
  ])('does not escape the renderer dir: %s', async (p) => {
    const res = await request('GET', p);
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toMatch(/root:.*:0:0:/);
    expect([400, 403, 404]).toContain(res.status);
  });

  it('answers bad paths (NUL byte, bad escape, unparsable URL) with an error, not a crash', async () => {
    for (const p of ['/index.html%00.js', '/%00', '/%E0%A4%A', '//[', '//%zz', '//a:b:c']) {
      const res = await request('GET', p);
      expect([400, 403, 404], p).toContain(res.status);
    }
    expect((await request('GET', '//[')).body).toBe('bad request URL');
    // still alive
    expect((await request('GET', '/')).status).toBe(200);
  });
});

describe('serve: HTTP API', () => {
  const info = { channel: 'app.info', input: {} };

  it('refuses a request without a token (401)', async () => {
    const res = await invokeHttp(info, {}, '');
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses a wrong token (401), in the query or as a bearer header', async () => {
    expect((await invokeHttp(info, {}, '?token=wrong')).status).toBe(401);
    expect((await invokeHttp(info, {}, `?token=${server.token}x`)).status).toBe(401);
    expect((await invokeHttp(info, { Authorization: 'Bearer wrong' }, '')).status).toBe(401);
  });

  it('refuses a foreign Origin even with the right token (403)', async () => {
    for (const o of [
      'http://evil.example',
      `https://127.0.0.1:${server.port}`,
      'null',
      `http://127.0.0.1:${server.port + 1}`,
    ]) {
      const res = await invokeHttp(info, { Origin: o });
      expect(res.status, o).toBe(403);
      expect(JSON.parse(res.body).error.message).toMatch(/origin/);
    }
  });

  it('refuses a Host header that does not name this server (DNS rebinding, 403)', async () => {
    for (const h of ['evil.example', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.2:${server.port}`]) {
      const res = await invokeHttp(info, { Host: h });
      expect(res.status, h).toBe(403);
      expect(JSON.parse(res.body).error.message).toMatch(/host/);
    }
  });

  it('answers a LabResult with the right token (query or bearer) and our own Origin', async () => {
    for (const [headers, query] of [
      [{}, `?token=${server.token}`],
      [{ Authorization: `Bearer ${server.token}` }, ''],
      [{ Origin: origin }, `?token=${server.token}`],
      [{ Origin: `http://localhost:${server.port}`, Host: `localhost:${server.port}` }, `?token=${server.token}`],
    ] as const) {
      const res = await invokeHttp(info, headers, query);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(res.body);
      expect(body).toMatchObject({ ok: true, value: { dataDir: lab.context.dataDir, runtime: 'test' } });
    }
  });

  it('answers malformed bodies with structured errors', async () => {
    const notJson = await invokeHttp('{not json');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const unknown = JSON.parse((await invokeHttp({ channel: 'nope.nope', input: {} })).body);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    const badInput = JSON.parse((await invokeHttp({ channel: 'settings.update', input: { theme: 'pink' } })).body);
    expect(badInput).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    for (const b of ['null', '[]', '42', '"str"']) {
      const r = JSON.parse((await invokeHttp(b)).body);
      expect(r.ok, b).toBe(false);
      expect(r.error.code, b).toMatch(/INVALID_INPUT|UNKNOWN_CHANNEL/);
    }
  });

  it('answers 404 for other API routes and methods, still behind the token', async () => {
    expect((await request('GET', '/api/invoke')).status).toBe(401);
    const res = await request('GET', `/api/invoke?token=${server.token}`);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('serve: WebSocket', () => {
  it('refuses a handshake without a token (401)', async () => {
    expect((await openWs('')).status).toBe(401);
  });

  it('refuses a wrong token (401)', async () => {
    expect((await openWs('?token=wrong')).status).toBe(401);
    expect((await openWs(`?token=${server.token.slice(0, -1)}`)).status).toBe(401);
  });

  it('refuses a foreign Origin with the right token (403)', async () => {
    expect((await openWs(`?token=${server.token}`, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await openWs(`?token=${server.token}`, { Origin: 'null' })).status).toBe(403);
  });

  it('refuses a foreign Host (403) and other upgrade paths (404)', async () => {
    expect((await openWs(`?token=${server.token}`, { Host: 'evil.example' })).status).toBe(403);
    const other = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/invoke?token=${server.token}`);
      ws.once('unexpected-response', (_q, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('open', () => reject(new Error('upgrade on a non-/ws path was accepted')));
      ws.once('error', reject);
    });
    expect(other).toBe(404);
  });

  it('answers an unparsable upgrade target with an error, not a crash', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(server.port, '127.0.0.1', () => {
        sock.write(
          `GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
        );
      });
      let text = '';
      sock.on('data', (d) => (text += d.toString()));
      sock.on('end', () => resolve(text));
      sock.on('error', reject);
      sock.setTimeout(5000, () => sock.destroy(new Error('no answer to a bad upgrade')));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('bad request URL');
    expect((await request('GET', '/')).status).toBe(200);
  });

  it('with the right token invokes channels and receives settings.changed events', async () => {
    const a = await openWs(`?token=${server.token}`, { Origin: origin });
    const b = await openWs(`?token=${server.token}`);
    if (!a.ws || !b.ws) throw new Error('handshake refused');
    const boxA = inbox(a.ws);
    const boxB = inbox(b.ws);
    try {
      a.ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'settings.get', input: {} }));
      const got = await boxA.next(resultFor(1));
      expect(got).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { theme: 'system' } } });

      a.ws.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'settings.update', input: { theme: 'dark' } }));
      expect(await boxA.next(resultFor(2))).toMatchObject({ result: { ok: true, value: { theme: 'dark' } } });
      // Every connected client hears about the change, not only the one that made it.
      for (const box of [boxA, boxB]) {
        const ev = await box.next((m) => m.type === 'event');
        expect(ev).toEqual({
          type: 'event',
          event: { name: 'settings.changed', payload: expect.objectContaining({ theme: 'dark' }) },
        });
      }
    } finally {
      a.ws.close();
      b.ws.close();
    }
  });

  it('answers malformed frames with structured errors and keeps the socket usable', async () => {
    const { ws } = await openWs(`?token=${server.token}`);
    if (!ws) throw new Error('handshake refused');
    const box = inbox(ws);
    try {
      ws.send('{not json');
      expect(await box.next(resultFor(null))).toMatchObject({
        result: { ok: false, error: { code: 'INVALID_INPUT' } },
      });
      ws.send('null');
      expect(await box.next(resultFor(null))).toMatchObject({
        result: { ok: false, error: { code: 'INVALID_INPUT' } },
      });
      ws.send(Buffer.from([0xff, 0x00, 0x13]));
      expect(await box.next(resultFor(null))).toMatchObject({
        result: { ok: false, error: { code: 'INVALID_INPUT' } },
      });
      ws.send(JSON.stringify({ type: 'invoke', id: 7 }));
      expect(await box.next(resultFor(7))).toMatchObject({ result: { ok: false, error: { code: 'INVALID_INPUT' } } });
      ws.send(JSON.stringify({ type: 'subscribe', id: 8, channel: 'app.info' }));
      expect(await box.next(resultFor(8))).toMatchObject({ result: { ok: false, error: { code: 'INVALID_INPUT' } } });
      ws.send(JSON.stringify({ type: 'invoke', id: 9, channel: 'no.such.channel', input: {} }));
      expect(await box.next(resultFor(9))).toMatchObject({ result: { ok: false, error: { code: 'UNKNOWN_CHANNEL' } } });
      ws.send(JSON.stringify({ type: 'invoke', id: 10, channel: 'settings.update', input: { theme: 42, extra: 1 } }));
      const bad = await box.next(resultFor(10));
      expect(bad).toMatchObject({
        result: { ok: false, error: { code: 'INVALID_INPUT', details: expect.any(Array) } },
      });
      ws.send(JSON.stringify({ type: 'invoke', id: 11, channel: 'app.info', input: 'not an object' }));
      expect(await box.next(resultFor(11))).toMatchObject({ result: { ok: false, error: { code: 'INVALID_INPUT' } } });

      // After all that the socket still works.
      expect(ws.readyState).toBe(WebSocket.OPEN);
      ws.send(JSON.stringify({ type: 'invoke', id: 12, channel: 'app.info', input: {} }));
      expect(await box.next(resultFor(12))).toMatchObject({ result: { ok: true, value: { runtime: 'test' } } });
    } finally {
      ws.close();
    }
  });
});

describe('serve: binding', () => {
  it('refuses a non-loopback host without allowRemote', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
      await expect(startServer({ lab, host, port: 0, rendererDir })).rejects.toThrow(
        /not a loopback address.*--allow-remote/,
      );
    }
  });

  it('binds a remote interface only when asked, warns, and still requires token and a matching Origin', async () => {
    const warnings: string[] = [];
    const remote = await startServer({
      lab,
      host: '0.0.0.0',
      port: 0,
      rendererDir,
      allowRemote: true,
      warn: (m) => warnings.push(m),
    });
    try {
      expect(warnings.join('\n')).toMatch(/0\.0\.0\.0/);
      const call = (headers: Record<string, string>, token: string | null) =>
        new Promise<number>((resolve, reject) => {
          const req = http.request(
            {
              host: '127.0.0.1',
              port: remote.port,
              method: 'POST',
              path: '/api/invoke' + (token ? `?token=${token}` : ''),
              headers,
              agent: false,
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify({ channel: 'app.info', input: {} }));
        });
      const host = `gpu-box.lan:${remote.port}`;
      expect(await call({ Host: host }, null)).toBe(401);
      expect(await call({ Host: host, Origin: 'http://evil.example' }, remote.token)).toBe(403);
      expect(await call({ Host: host, Origin: `http://${host}` }, remote.token)).toBe(200);
    } finally {
      await remote.close();
    }
  });

  it('uses a fresh random token per launch', async () => {
    const other = await startServer({ lab, port: 0, rendererDir });
    try {
      expect(other.token).not.toBe(server.token);
      expect(other.token.length).toBeGreaterThanOrEqual(24);
      expect(other.url).toBe(`http://127.0.0.1:${other.port}/?token=${other.token}`);
    } finally {
      await other.close();
    }
  });
});
