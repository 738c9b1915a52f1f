// Serves the built renderer (out/renderer). The bundle holds no user data, so it needs no token;
// every request for data goes through the token-checked API.
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export type StaticLookup = { file: string; type: string } | { status: 400 | 403 | 404 };

/**
 * The file a URL path names inside `rootDir` (the built renderer), shared by `pst-lab serve` and
 * the desktop app's app:// protocol: '/' is index.html; bad escapes and NUL bytes are 400,
 * escapes from the folder 403, and real paths are compared so a symbolic link inside the folder
 * cannot hand out a file from elsewhere (404).
 */
export function lookupStatic(rootDir: string, urlPath: string): StaticLookup {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return { status: 400 };
  }
  // A NUL byte makes fs throw synchronously.
  if (rel.includes('\0')) return { status: 400 };
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = path.resolve(rootDir, '.' + rel);
  if (!file.startsWith(path.resolve(rootDir) + path.sep)) return { status: 403 };
  try {
    const root = fs.realpathSync(rootDir);
    const real = fs.realpathSync(file);
    if (!real.startsWith(root + path.sep)) return { status: 404 };
    return { file: real, type: TYPES[path.extname(file)] ?? 'application/octet-stream' };
  } catch {
    return { status: 404 };
  }
}

export function serveStatic(rendererDir: string, urlPath: string, res: ServerResponse): void {
  const found = lookupStatic(rendererDir, urlPath);
  if ('status' in found) {
    const text = found.status === 400 ? 'bad path' : found.status === 403 ? 'forbidden' : 'not found';
    res.writeHead(found.status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' }).end(text);
    return;
  }
  sendFile(res, found.file, { 'Content-Type': found.type, 'Cache-Control': 'no-cache' });
}

/**
 * Streams a regular file with the given headers; 404 when it is not one. The file may vanish or
 * fail while it streams (a rebuild empties the folder, an export is deleted): the response is
 * then cut short, never the server.
 */
export function sendFile(res: ServerResponse, file: string, headers: Record<string, string>): void {
  const stream = fs.createReadStream(file);
  stream.on('error', () => {
    if (!res.headersSent) res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' }).end('not found');
    else res.destroy();
  });
  stream.on('open', (fd) => {
    fs.fstat(fd, (err, st) => {
      if (err || !st.isFile()) {
        stream.destroy();
        if (!res.headersSent)
          res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { ...SECURITY_HEADERS, ...headers, 'Content-Length': st.size });
      stream.pipe(res);
    });
  });
  res.on('close', () => stream.destroy());
}
