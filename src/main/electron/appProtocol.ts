// The desktop app loads its renderer from app://pst-lab/ instead of file://: a privileged standard
// scheme whose one handler serves only files of the built renderer folder (the same lookup as
// `pst-lab serve`, so no path or link leads out), with the page's security headers. file:// would
// give the page the file-system origin and its extra privileges (turned off by the fuses).
import fs from 'node:fs/promises';
import { protocol } from 'electron';
import { lookupStatic, SECURITY_HEADERS } from '../serve/static';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://pst-lab`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== new URL(APP_ORIGIN).host) return new Response('not found', { status: 404 });
    const found = lookupStatic(rendererDir, url.pathname);
    if ('status' in found) return new Response('not found', { status: found.status });
    try {
      const body = await fs.readFile(found.file);
      return new Response(body, { headers: { ...SECURITY_HEADERS, 'Content-Type': found.type } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
