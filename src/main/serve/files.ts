// File transfer for the browser UI: a browser cannot hand the lab a local path, so files chosen
// in the page are uploaded into <data dir>/uploads/<id>/ and imported from there; exports and
// reports are offered for download, but only from the lab's own output folders.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { SECURITY_HEADERS } from './static';

export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
/** Folders under the data directory whose files may be downloaded. */
export const DOWNLOADABLE_DIRS = ['exports', 'reports'];

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Keeps a file name readable but unable to leave its folder. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[^\w.\- ()]+/g, '_').replace(/^\.+/, '_');
  return base.slice(0, 200) || 'upload';
}

/** POST /api/upload?name=F: streams the body to disk; answers {ok, value: {path, bytes}}. */
export function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL, dataDir: string): void {
  const name = safeFileName(url.searchParams.get('name') ?? 'upload');
  const dir = path.join(dataDir, 'uploads', crypto.randomUUID());
  const file = path.join(dir, name);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    // A throw here would take the whole server down: answer instead.
    req.resume();
    return send(res, 500, { ok: false, error: { code: 'INTERNAL', message: `cannot store the upload: ${(err as Error).message}` } });
  }
  const out = fs.createWriteStream(file, { flags: 'wx' });
  let bytes = 0;
  let failed = false;
  const fail = (status: number, message: string): void => {
    if (failed) return;
    failed = true;
    out.destroy();
    req.unpipe(out);
    req.resume();
    fs.rmSync(dir, { recursive: true, force: true });
    send(res, status, { ok: false, error: { code: 'INVALID_INPUT', message } });
  };
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_UPLOAD_BYTES) fail(413, `upload larger than ${MAX_UPLOAD_BYTES} bytes`);
  });
  req.on('error', () => fail(400, 'upload interrupted'));
  out.on('error', (err) => fail(500, `cannot store the upload: ${err.message}`));
  out.on('finish', () => {
    if (!failed) send(res, 200, { ok: true, value: { path: file, bytes } });
  });
  req.pipe(out);
}

/** GET /api/download?path=P: a file from the lab's exports/reports folders, as an attachment. */
/** The real path of `p` (links resolved), or null when it does not exist or cannot be read. */
function realPath(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

export function handleDownload(res: ServerResponse, url: URL, dataDir: string): void {
  const asked = url.searchParams.get('path') ?? '';
  // Compare real paths, so a symbolic link inside exports/ cannot hand out a file from elsewhere.
  const wanted = asked.includes('\0') ? null : realPath(path.resolve(asked));
  const allowed =
    wanted !== null &&
    DOWNLOADABLE_DIRS.some((d) => {
      const root = realPath(path.join(dataDir, d));
      return root !== null && wanted.startsWith(root + path.sep);
    });
  if (!allowed) {
    return send(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: "only existing files in the lab's exports and reports folders can be downloaded" } });
  }
  fs.stat(wanted, (err, st) => {
    if (err || !st.isFile()) return send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `${wanted} does not exist` } });
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'application/octet-stream',
      'Content-Length': st.size,
      'Content-Disposition': `attachment; filename="${safeFileName(path.basename(wanted))}"`,
    });
    fs.createReadStream(wanted).pipe(res);
  });
}
