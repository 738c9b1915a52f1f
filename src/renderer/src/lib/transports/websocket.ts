// Serve-mode transport: the contract over one WebSocket to the server that served this page.
// The launch token arrives in the page URL once; it is kept in sessionStorage (so a reload
// works) and removed from the address bar.
import type { LabEventMessage } from '../../../../shared/contract';
import type { LabResult } from '../../../../shared/result';
import type { ServerMessage } from '../../../../shared/wire';
import type { PstLabBridge } from '../../../../preload/api';

const TOKEN_KEY = 'pst-lab-token';

export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Uploads files to the lab (POST /api/upload) and returns where the lab stored them. */
export async function uploadFiles(
  files: readonly File[],
  onProgress?: (done: number, total: number) => void,
): Promise<string[]> {
  const token = takeToken();
  const total = files.reduce((n, f) => n + f.size, 0);
  let done = 0;
  const paths: string[] = [];
  for (const f of files) {
    const res = await fetch(`/api/upload?name=${encodeURIComponent(f.name)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token ?? ''}`, 'Content-Type': 'application/octet-stream' },
      body: f,
    });
    const body = (await res.json()) as LabResult<{ path: string }>;
    if (!body.ok) throw new Error(`upload of ${f.name} failed: ${body.error.message}`);
    paths.push(body.value.path);
    done += f.size;
    onProgress?.(done, total);
  }
  return paths;
}

/** Download links carry no secret: an HttpOnly cookie set by POST /api/session authorises them. */
export function downloadUrl(path: string): string {
  return `/api/download?path=${encodeURIComponent(path)}`;
}

/** An HTML report opened in a tab (sandboxed by the server); the same cookie authorises it. */
export function viewUrl(path: string): string | null {
  return /\.html$/i.test(path) ? `/api/download/view?path=${encodeURIComponent(path)}` : null;
}

/** How long to wait before trying the server again after the connection closed. */
const RETRY_MS = 2000;

/** The bridge plus whether the server answers: told on every change (false when the socket closed). */
export interface WebSocketBridge extends PstLabBridge {
  onConnection(listener: (connected: boolean) => void): () => void;
}

export function connectWebSocketBridge(): WebSocketBridge {
  const token = takeToken();
  if (token)
    void fetch('/api/session', { method: 'POST', headers: { Authorization: `Bearer ${token}` } }).catch(
      () => undefined,
    );
  const pending = new Map<number, (r: LabResult<unknown>) => void>();
  const listeners = new Set<(m: LabEventMessage) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;
  const watchers = new Set<(connected: boolean) => void>();
  let connected: boolean | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const setConnected = (c: boolean): void => {
    if (c === connected) return;
    connected = c;
    for (const w of watchers) w(c);
  };
  // A lost server is retried in the background, so the page notices when it is back (with the
  // same launch token: a restarted `pst-lab serve` prints a new URL) and events flow again.
  const scheduleRetry = (): void => {
    if (retry || !token) return;
    retry = setTimeout(() => {
      retry = null;
      connect().catch(scheduleRetry);
    }, RETRY_MS);
  };

  const failAll = (message: string): void => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'FORBIDDEN', message } });
    pending.clear();
  };

  const connect = (): Promise<WebSocket> => {
    if (ready) return ready;
    ready = new Promise((resolve, reject) => {
      if (!token) {
        reject(new Error('no access token: open the URL printed by `pst-lab serve`'));
        return;
      }
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      const ws = new WebSocket(`${proto}//${location.host}/ws?token=${encodeURIComponent(token)}`);
      ws.onopen = () => {
        socket = ws;
        setConnected(true);
        resolve(ws);
      };
      ws.onmessage = (e) => {
        const m = JSON.parse(String(e.data)) as ServerMessage;
        if (m.type === 'event') for (const l of listeners) l(m.event);
        else if (m.id !== null) {
          pending.get(m.id)?.(m.result);
          pending.delete(m.id);
        }
      };
      ws.onclose = () => {
        socket = null;
        ready = null;
        failAll('the connection to pst-lab serve closed');
        setConnected(false);
        scheduleRetry();
        reject(new Error('cannot connect to pst-lab serve (stopped, or the token is wrong)'));
      };
    });
    return ready;
  };

  return {
    async invoke(channel, input) {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch (err) {
        return { ok: false, error: { code: 'FORBIDDEN', message: (err as Error).message } };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ type: 'invoke', id, channel, input }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
    pathForFile() {
      throw new Error('a browser cannot see local file paths; upload the file instead');
    },
    onConnection(listener) {
      watchers.add(listener);
      if (connected !== null) listener(connected);
      void connect().catch(() => undefined);
      return () => watchers.delete(listener);
    },
  };
}
