// Who may talk to `pst-lab serve`: requests must carry this launch's random token, come from the
// server's own origin (no other web page may drive the lab), and name our host (DNS rebinding).
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer T` or `?token=T`. */
export function tokenOf(req: IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return url.searchParams.get('token');
}

/** One cookie's value from the Cookie header, or null. */
export function cookieOf(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export type Refusal = { status: number; reason: string } | null;

/**
 * Checks Host, Origin and token. Browsers always send Origin on WebSocket handshakes and on
 * cross-origin fetches; a request with a foreign Origin is refused even with the right token.
 */
export function checkRequest(
  req: IncomingMessage,
  url: URL,
  token: string,
  /** Host headers that name this server; null when bound to a remote interface (any name). */
  hostNames: ReadonlySet<string> | null,
  /** A second credential accepted instead of the token (the download cookie). */
  alternative?: { expected: string; given: string | null },
): Refusal {
  const host = (req.headers.host ?? '').toLowerCase();
  if (hostNames && !hostNames.has(host))
    return { status: 403, reason: `host ${JSON.stringify(host)} is not this server` };
  const allowedHosts = hostNames ?? new Set([host]);
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string;
    try {
      const o = new URL(origin);
      originHost = o.protocol === 'http:' ? o.host.toLowerCase() : '';
    } catch {
      originHost = '';
    }
    if (!allowedHosts.has(originHost)) return { status: 403, reason: `origin ${origin} is not allowed` };
  }
  if (tokenMatches(token, tokenOf(req, url))) return null;
  if (alternative && tokenMatches(alternative.expected, alternative.given)) return null;
  return { status: 401, reason: 'missing or wrong token' };
}
