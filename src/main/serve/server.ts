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
import { checkRequest, newToken } from './auth';
import { handleDownload, handleUpload } from './files';
import { SECURITY_HEADERS, serveStatic } from './static';
import { parseClientMessage, type ServerMessage } from '../../shared/wire';

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
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !opts.allowRemote) {
    throw new Error(`refusing to bind ${host}: it is not a loopback address; pass --allow-remote to expose the lab on the network`);
  }
  if (!LOOPBACK.has(host)) {
    opts.warn?.(`serving on ${host}: anyone who can reach this address and has the token can use the lab`);
  }
  const token = opts.token ?? newToken();
  const rendererDir = opts.rendererDir ?? path.join(findPackageRoot(), 'out', 'renderer');
  const { lab } = opts;
  // Host names that reach us, known once the port is; null in remote mode (any name, but the
  // Origin must then match the Host the browser used).
  let hostNames: Set<string> | null = null;

  const server = http.createServer((req, res) => {
    const url = parseRequestUrl(req.url);
    if (!url) return void res.writeHead(400, SECURITY_HEADERS).end('bad request URL');
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, SECURITY_HEADERS).end();
      return serveStatic(rendererDir, url.pathname, res);
    }
    const refusal = checkRequest(req, url, token, hostNames);
    if (refusal) return void sendJson(res, refusal.status, { ok: false, error: { code: 'FORBIDDEN', message: refusal.reason } });
    if (url.pathname === '/api/invoke' && req.method === 'POST') return void handleInvoke(req, res, lab);
    if (url.pathname === '/api/upload' && req.method === 'POST') return handleUpload(req, res, url, lab.context.dataDir);
    if (url.pathname === '/api/download' && req.method === 'GET') return handleDownload(res, url, lab.context.dataDir);
    sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `no API route ${req.method} ${url.pathname}` } });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
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
      socket.end(`HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status]}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refusal.reason}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws, lab));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
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

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function handleInvoke(req: http.IncomingMessage, res: http.ServerResponse, lab: Lab): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY_BYTES) {
      sendJson(res, 413, { ok: false, error: { code: 'INVALID_INPUT', message: 'request body too large' } });
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendJson(res, 400, { ok: false, error: { code: 'INVALID_INPUT', message: 'body is not JSON' } });
    }
    const { channel, input } = (body ?? {}) as { channel?: unknown; input?: unknown };
    void lab.dispatch(channel, input).then((result) => sendJson(res, 200, result));
  });
}

function attachClient(ws: WebSocket, lab: Lab): void {
  const send = (m: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const unsubscribe = lab.events.subscribe((event) => send({ type: 'event', event }));
  ws.on('close', unsubscribe);
  ws.on('message', (data) => {
    const msg = parseClientMessage(data.toString());
    if (!msg.ok) return send({ type: 'result', id: msg.id, result: { ok: false, error: msg.error } });
    void lab.dispatch(msg.channel, msg.input).then((result: LabResult<unknown>) => send({ type: 'result', id: msg.id, result }));
  });
}
