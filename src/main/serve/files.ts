// File transfer for the browser UI: a browser cannot hand the lab a local path, so files chosen
// in the page are uploaded into <data dir>/uploads/<id>/ and imported from there; exports and
// reports are offered for download, but only from the lab's own output folders, and HTML reports
// can also be opened in a tab.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { reportPolicy } from '../lab/reports/html/page';
import { SECURITY_HEADERS, sendFile } from './static';

export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
/** All uploads together; an upload that would exceed it is refused (413). */
export const UPLOAD_QUOTA_BYTES = 8 * 1024 ** 3;
/** Uploads older than this are removed when a server starts (their paths were per session). */
export const UPLOAD_MAX_AGE_MS = 24 * 3600 * 1000;
/** A slow tunnel (`ssh -L`) may stall; an upload that sends nothing for this long is dropped. */
export const UPLOAD_IDLE_MS = 5 * 60 * 1000;
/** Folders under the data directory whose files may be downloaded. */
export const DOWNLOADABLE_DIRS = ['exports', 'reports'];

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(JSON.stringify(body));
}

/** Keeps a file name readable but unable to leave its folder. */
export function safeFileName(name: string): string {
  const base = path
    .basename(name.replace(/\\/g, '/'))
    .replace(/[^\w.\- ()]+/g, '_')
    .replace(/^\.+/, '_');
  return base.slice(0, 200) || 'upload';
}

function folderBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(p);
    else if (e.isFile()) total += fs.statSync(p, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

/** Removes uploads older than `maxAgeMs` (all of them with 0); returns how many folders went. */
export function pruneUploads(dataDir: string, maxAgeMs = UPLOAD_MAX_AGE_MS, only?: ReadonlySet<string>): number {
  const root = path.join(dataDir, 'uploads');
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return 0;
  }
  const now = Date.now();
  for (const name of names) {
    const dir = path.join(root, name);
    if (only && !only.has(dir)) continue;
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    if (st && now - st.mtimeMs >= maxAgeMs) {
      fs.rmSync(dir, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

/** Channels that read their files once, to the end: an upload they were given is spent. */
const IMPORT_CHANNELS: ReadonlySet<string> = new Set(['datasets.import', 'annotations.import']);

/**
 * Deletes the uploads (of this server, in `created`) that an import named in its input, once the
 * import has answered, whether it succeeded or failed: nothing uploaded stays behind. A retry uploads
 * the file again. Uploads that were only inspected (datasets.detect) go when the server stops or
 * when they are a day old.
 */
export function releaseImportedUploads(channel: unknown, input: unknown, created: Set<string>): number {
  if (typeof channel !== 'string' || !IMPORT_CHANNELS.has(channel) || typeof input !== 'object' || !input) return 0;
  const { path: one, paths } = input as { path?: unknown; paths?: unknown };
  const named = [one, ...(Array.isArray(paths) ? (paths as unknown[]) : [])];
  let removed = 0;
  for (const p of named) {
    if (typeof p !== 'string' || p.includes('\0')) continue;
    const dir = path.dirname(path.resolve(p));
    if (!created.has(dir)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    created.delete(dir);
    removed++;
  }
  return removed;
}

/**
 * POST /api/upload?name=F: streams the body to disk; answers {ok, value: {path, bytes}}. Refusals
 * (too large, over quota) close the connection instead of reading the rest of the body.
 */
export function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  dataDir: string,
  created: Set<string>,
): void {
  const name = safeFileName(url.searchParams.get('name') ?? 'upload');
  const root = path.join(dataDir, 'uploads');
  const room = Math.min(MAX_UPLOAD_BYTES, UPLOAD_QUOTA_BYTES - folderBytes(root));
  const refuse = (status: number, message: string): void => {
    res.on('finish', () => req.destroy());
    send(res, status, { ok: false, error: { code: 'INVALID_INPUT', message } }, true);
  };
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (room <= 0 || declared > room) {
    return refuse(
      413,
      `upload larger than the ${room} bytes left (limit ${MAX_UPLOAD_BYTES} per file, ${UPLOAD_QUOTA_BYTES} for all uploads)`,
    );
  }
  const dir = path.join(root, crypto.randomUUID());
  const file = path.join(dir, name);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    // A throw here would take the whole server down: answer instead.
    return refuse(500, `cannot store the upload: ${(err as Error).message}`);
  }
  created.add(dir);
  const out = fs.createWriteStream(file, { flags: 'wx' });
  let bytes = 0;
  let failed = false;
  const fail = (status: number, message: string): void => {
    if (failed) return;
    failed = true;
    req.unpipe(out);
    out.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
    created.delete(dir);
    if (!res.headersSent) refuse(status, message);
    else req.destroy();
  };
  req.setTimeout(UPLOAD_IDLE_MS, () => fail(408, `upload stalled for ${UPLOAD_IDLE_MS / 1000} s`));
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > room) fail(413, `upload larger than the ${room} bytes left`);
  });
  req.on('error', () => fail(400, 'upload interrupted'));
  req.on('aborted', () => fail(400, 'upload interrupted'));
  out.on('error', (err) => fail(500, `cannot store the upload: ${err.message}`));
  out.on('finish', () => {
    if (!failed) send(res, 200, { ok: true, value: { path: file, bytes } });
  });
  req.pipe(out);
}

/** The real path of `p` (links resolved), or null when it does not exist or cannot be read. */
function realPath(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

/**
 * The real path of an existing file in one of the lab's `dirs` (under the data directory), or null.
 * Real paths are compared, so a symbolic link inside exports/ cannot hand out a file from elsewhere.
 */
function fileIn(asked: string, dataDir: string, dirs: readonly string[]): string | null {
  const wanted = asked.includes('\0') ? null : realPath(path.resolve(asked));
  if (wanted === null) return null;
  return dirs.some((d) => {
    const root = realPath(path.join(dataDir, d));
    return root !== null && wanted.startsWith(root + path.sep);
  })
    ? wanted
    : null;
}

/** GET /api/download?path=P: a file from the lab's exports/reports folders, as an attachment. */
export function handleDownload(res: ServerResponse, url: URL, dataDir: string): void {
  const wanted = fileIn(url.searchParams.get('path') ?? '', dataDir, DOWNLOADABLE_DIRS);
  if (wanted === null) {
    return send(res, 403, {
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: "only existing files in the lab's exports and reports folders can be downloaded",
      },
    });
  }
  sendFile(res, wanted, {
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${safeFileName(path.basename(wanted))}"`,
  });
}

/** The path of the view route (under /api/download, so the download cookie authorises it). */
export const VIEW_PATH = '/api/download/view';

/**
 * GET /api/download/view?path=P: an HTML report from the lab's reports folder, shown in the tab.
 * The page runs under the report's own policy (only its chart.js and drawing script, by hash; no
 * network) sent as a header, plus `sandbox allow-scripts`: the page gets an opaque origin, so even a
 * tampered file could not reach the lab's API, cookies or storage.
 */
export function handleView(res: ServerResponse, url: URL, dataDir: string): void {
  const wanted = fileIn(url.searchParams.get('path') ?? '', dataDir, ['reports']);
  if (wanted === null || path.extname(wanted).toLowerCase() !== '.html') {
    return send(res, 403, {
      ok: false,
      error: { code: 'FORBIDDEN', message: "only HTML reports in the lab's reports folder can be opened" },
    });
  }
  sendFile(res, wanted, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `${reportPolicy()}; sandbox allow-scripts; frame-ancestors 'none'`,
    'Cache-Control': 'no-store',
  });
}
