// Where the run queue lives: a Redis URL as researchers write it (redis://[user:password@]host:port[/db],
// rediss:// for TLS, optionally with the CA file that signed the server's certificate), parsed once
// into connection options. Credentials stay in the options object:
// everything the lab prints, logs or stores uses `redacted`, which never contains the password.
import fs from 'node:fs';
import net from 'node:net';

export interface QueueLocation {
  host: string;
  port: number;
  db: number;
  username: string | null;
  tls: boolean;
  /** The CA certificate file trusted for TLS besides the system's (a self-signed server), or null. */
  tlsCa: string | null;
  /** The URL without credentials, safe for logs, run records and reports. */
  redacted: string;
  /** ioredis/BullMQ connection options (with the password, if any). */
  connection: QueueConnection;
}

/** The connection options both ioredis and BullMQ accept. */
export interface QueueConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: { servername?: string; ca?: Buffer };
  maxRetriesPerRequest: null;
}

export class QueueUrlError extends Error {}

/**
 * Parses a queue URL; `tls` forces TLS for a redis:// URL; `tlsCa` (a PEM file, read now) is the CA
 * that signed the server's certificate and implies TLS. Throws QueueUrlError with a one-line reason.
 */
export function parseQueueUrl(raw: string, opts: { tls?: boolean; tlsCa?: string | null } = {}): QueueLocation {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new QueueUrlError(`not a Redis URL: expected redis://[user:password@]host:port[/db]`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new QueueUrlError(`unsupported scheme '${url.protocol.replace(/:$/, '')}': expected redis:// or rediss://`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new QueueUrlError('the Redis URL names no host');
  const port = url.port ? Number(url.port) : 6379;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new QueueUrlError(`invalid port '${url.port}'`);
  const dbPart = url.pathname.replace(/^\//, '');
  const db = dbPart === '' ? 0 : Number(dbPart);
  if (!/^\d*$/.test(dbPart) || !Number.isInteger(db) || db < 0 || db > 15) {
    throw new QueueUrlError(`invalid database '${dbPart}': expected a number 0-15 after the port`);
  }
  const tlsCa = opts.tlsCa ?? null;
  const tls = url.protocol === 'rediss:' || opts.tls === true || tlsCa !== null;
  let ca: Buffer | null = null;
  if (tlsCa !== null) {
    try {
      ca = fs.readFileSync(tlsCa);
    } catch (err) {
      throw new QueueUrlError(
        `cannot read the TLS CA file ${tlsCa}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    if (!ca.toString('latin1').includes('-----BEGIN CERTIFICATE-----'))
      throw new QueueUrlError(`the TLS CA file ${tlsCa} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  const username = url.username ? decodeURIComponent(url.username) : null;
  const password = url.password ? decodeURIComponent(url.password) : null;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const redacted = `${tls ? 'rediss' : 'redis'}://${username || password ? `${username ?? ''}${password ? ':***' : ''}@` : ''}${hostPart}:${port}/${db}`;
  const connection: QueueConnection = {
    host,
    port,
    db,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    // SNI names a host, never an IP address (RFC 6066); the certificate is checked against either.
    ...(tls ? { tls: { ...(net.isIP(host) ? {} : { servername: host }), ...(ca ? { ca } : {}) } } : {}),
    // BullMQ workers block on Redis; they must wait for a reconnect instead of failing commands.
    maxRetriesPerRequest: null,
  };
  return { host, port, db, username, tls, tlsCa, redacted, connection };
}

/** Replaces anything that looks like credentials in a Redis URL inside free text (error messages). */
export function redactSecrets(text: string): string {
  return text.replace(/(rediss?:\/\/)([^@\s/]*)@/g, (_m, scheme: string, cred: string) => {
    const user = cred.split(':')[0] ?? '';
    return `${scheme}${user}${cred.includes(':') ? ':***' : ''}@`;
  });
}
