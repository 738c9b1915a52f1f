// `pst-lab serve`: the built renderer over HTTP plus the lab contract over a WebSocket (/ws) and
// plain HTTP (POST /api/invoke), so the full app runs in a browser. Loopback by default; every
// API request needs this launch's token and our own origin.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LabResult } from '../../shared/result';
import type { Lab } from '../lab/lab';
import { findPackageRoot } from '../lab/paths';
import { checkRequest, cookieOf, newToken } from './auth';
import { handleDownload, handleUpload, handleView, pruneUploads, releaseImportedUploads, VIEW_PATH } from './files';
import { SECURITY_HEADERS, serveStatic } from './static';
import { jsonNestingExceeds, MAX_JSON_DEPTH, parseClientMessage, type ServerMessage } from '../../shared/wire';

export interface ServeOptions {
  lab: Lab;
  host?: string;
  port?: number;
  /** Binding a non-loopback address exposes the lab to the network: it must be asked for. */
  allowRemote?: boolean;
  rendererDir?: string;
  token?: string;
  warn?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
/** The contract accepts annotation edits this large, so bodies and frames may be too. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Time for request headers; bodies have their own idle timeouts (uploads through slow tunnels). */
const HEADERS_TIMEOUT_MS = 60_000;
const BODY_IDLE_MS = 5 * 60_000;

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !opts.allowRemote) {
    throw new Error(
      `refusing to bind ${host}: it is not a loopback address; pass --allow-remote to expose the lab on the network`,
    );
  }
  if (!LOOPBACK.has(host)) {
    opts.warn?.(`serving on ${host}: anyone who can reach this address and has the token can use the lab`);
  }
  const token = opts.token ?? newToken();
  // Download links carry no secret: the page exchanges the token for this key, kept in an
  // HttpOnly SameSite=Strict cookie that only /api/download (and its /view) reads, so a shared link grants nothing.
  const downloadKey = newToken();
  const rendererDir = opts.rendererDir ?? path.join(findPackageRoot(), 'out', 'renderer');
  const { lab } = opts;
  const dataDir = lab.context.dataDir;
  const uploads = new Set<string>();
  pruneUploads(dataDir);
  // Host names that reach us, known once the port is; null in remote mode (any name, but the
  // Origin must then match the Host the browser used).
  let hostNames: Set<string> | null = null;
  let cookieName = 'pst-lab-download';
  // Every call from a page goes through here: after an import has answered, its uploads are deleted.
  const dispatch: Dispatch = (channel, input) =>
    lab
      .dispatch(channel, input)
      .catch(internal)
      .finally(() => {
        try {
          releaseImportedUploads(channel, input, uploads);
        } catch {
          // a folder that cannot be removed now goes when the server stops
        }
      });

  const server = http.createServer((req, res) => {
    // Nothing a request does may end the process: any throw becomes a 500 for that request.
    try {
      route(req, res);
    } catch (err) {
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: (err as Error).message } });
      else res.destroy();
    }
  });
  server.requestTimeout = 0;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  function route(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    const url = parseRequestUrl(req.url);
    if (!url) return void res.writeHead(400, SECURITY_HEADERS).end('bad request URL');
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, SECURITY_HEADERS).end();
      return serveStatic(rendererDir, url.pathname, res);
    }
    const isDownload = (url.pathname === '/api/download' || url.pathname === VIEW_PATH) && req.method === 'GET';
    const refusal = checkRequest(
      req,
      url,
      token,
      hostNames,
      isDownload ? { expected: downloadKey, given: cookieOf(req, cookieName) } : undefined,
    );
    if (refusal) {
      req.resume();
      return void sendJson(res, refusal.status, { ok: false, error: { code: 'FORBIDDEN', message: refusal.reason } });
    }
    if (url.pathname === '/api/invoke' && req.method === 'POST') return handleInvoke(req, res, dispatch);
    if (url.pathname === '/api/upload' && req.method === 'POST') return handleUpload(req, res, url, dataDir, uploads);
    if (isDownload)
      return url.pathname === VIEW_PATH ? handleView(res, url, dataDir) : handleDownload(res, url, dataDir);
    if (url.pathname === '/api/session' && req.method === 'POST') {
      req.resume();
      res.setHeader('Set-Cookie', `${cookieName}=${downloadKey}; HttpOnly; SameSite=Strict; Path=/api/download`);
      return sendJson(res, 200, { ok: true, value: { download: 'cookie' } });
    }
    req.resume();
    sendJson(res, 404, {
      ok: false,
      error: { code: 'NOT_FOUND', message: `no API route ${req.method} ${url.pathname}` },
    });
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  wss.on('error', () => undefined);
  server.on('upgrade', (req, socket, head) => {
    // Node drops its own error listener from upgrade sockets: a client that resets the connection
    // would otherwise raise an unhandled 'error' and stop the server.
    socket.on('error', () => socket.destroy());
    const url = parseRequestUrl(req.url);
    const refusal = !url
      ? { status: 400, reason: 'bad request URL' }
      : url.pathname === '/ws'
        ? checkRequest(req, url, token, hostNames)
        : { status: 404, reason: 'not found' };
    if (refusal) {
      socket.end(
        `HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status]}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refusal.reason}`,
      );
      return;
    }
    try {
      wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws, lab, dispatch));
    } catch {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Cookies are shared by every port of a host: one name per server.
  cookieName = `pst-lab-download-${port}`;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  hostNames = LOOPBACK.has(host) ? new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) : null;

  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    host,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        // This session's uploads were only reachable through its paths: remove them.
        pruneUploads(dataDir, 0, uploads);
        server.close(() => resolve());
      }),
  };
}

/** The request target as a URL, or null when it does not parse (e.g. `//[`): never a throw. */
function parseRequestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://placeholder');
  } catch {
    return null;
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(JSON.stringify(body));
}

/** A LabResult for a dispatch that rejected (it never should: the dispatcher has its own boundary). */
function internal(err: unknown): LabResult<unknown> {
  return { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : 'the request failed' } };
}

/** Parses a request body, refusing deep nesting before JSON.parse sees it. */
function parseBody(text: string): { ok: true; body: unknown } | { ok: false; message: string } {
  if (jsonNestingExceeds(text)) return { ok: false, message: `body nests deeper than ${MAX_JSON_DEPTH} levels` };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false, message: 'body is not JSON' };
  }
}

type Dispatch = (channel: unknown, input: unknown) => Promise<LabResult<unknown>>;

function handleInvoke(req: http.IncomingMessage, res: http.ServerResponse, dispatch: Dispatch): void {
  const tooLarge = (): void => {
    res.on('finish', () => req.destroy());
    sendJson(
      res,
      413,
      { ok: false, error: { code: 'INVALID_INPUT', message: `request body larger than ${MAX_BODY_BYTES} bytes` } },
      true,
    );
  };
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.setTimeout(BODY_IDLE_MS, () => req.destroy());
  req.on('data', (c: Buffer) => {
    if (refused) return;
    size += c.length;
    if (size > MAX_BODY_BYTES) {
      refused = true;
      chunks.length = 0;
      req.pause();
      return tooLarge();
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (refused) return;
    const parsed = parseBody(Buffer.concat(chunks).toString('utf8'));
    if (!parsed.ok) return sendJson(res, 400, { ok: false, error: { code: 'INVALID_INPUT', message: parsed.message } });
    const { channel, input } = (parsed.body ?? {}) as { channel?: unknown; input?: unknown };
    dispatch(channel, input)
      .then((result) => sendJson(res, 200, result))
      .catch(() => sendJson(res, 500, internal(new Error('the result could not be sent'))));
  });
}

function attachClient(ws: WebSocket, lab: Lab, dispatch: Dispatch): void {
  // Protocol violations (invalid UTF-8, oversized or unmasked frames, reserved opcodes or bits)
  // arrive here: the socket is closed by ws with the right code; the server carries on.
  ws.on('error', () => ws.terminate());
  const send = (m: ServerMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    try {
      ws.send(JSON.stringify(m));
    } catch (err) {
      if (m.type === 'result')
        ws.send(JSON.stringify({ type: 'result', id: m.id, result: internal(err) } satisfies ServerMessage));
    }
  };
  const unsubscribe = lab.events.subscribe((event) => send({ type: 'event', event }));
  ws.on('close', unsubscribe);
  ws.on('message', (data) => {
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const msg = parseClientMessage(bytes.toString('utf8'));
    if (!msg.ok) return send({ type: 'result', id: msg.id, result: { ok: false, error: msg.error } });
    void dispatch(msg.channel, msg.input).then((result) => send({ type: 'result', id: msg.id, result }));
  });
}
