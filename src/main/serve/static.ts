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

export function serveStatic(rendererDir: string, urlPath: string, res: ServerResponse): void {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    res.writeHead(400, SECURITY_HEADERS).end('bad path');
    return;
  }
  // A NUL byte makes fs throw synchronously, which would take the whole server down.
  if (rel.includes('\0')) {
    res.writeHead(400, SECURITY_HEADERS).end('bad path');
    return;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = path.resolve(rendererDir, '.' + rel);
  if (!file.startsWith(path.resolve(rendererDir) + path.sep)) {
    res.writeHead(403, SECURITY_HEADERS).end('forbidden');
    return;
  }
  // Real paths, so a symbolic link inside the served folder cannot hand out a file from elsewhere.
  fs.realpath(rendererDir, (rootErr, root) => {
    fs.realpath(file, (err, real) => {
      if (rootErr || err || !real.startsWith(root + path.sep)) {
        res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      sendFile(res, real, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
      });
    });
  });
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
