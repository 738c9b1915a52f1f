// Connecting to the queue's Redis with a one-line answer when it cannot be reached or refuses the
// credentials (BullMQ itself would retry forever), and reading which lab owns the queue.
import { Redis } from 'ioredis';
import { LAB_KEY, type QueueLabMeta } from './protocol';
import { redactSecrets, type QueueLocation } from './redisUrl';

const CONNECT_TIMEOUT_MS = 5_000;

/** A connected client, or an Error whose message names the problem (never the password). */
export async function connectChecked(loc: QueueLocation): Promise<Redis> {
  const probe = new Redis({
    ...loc.connection,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The reason (e.g. WRONGPASS) arrives as an 'error' event; the promise only says the connection closed.
  let reported: Error | null = null;
  probe.on('error', (e: Error) => (reported = e));
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    probe.disconnect();
    const first = reported as Error | null;
    const msg = first?.message ?? (err instanceof Error ? err.message : String(err));
    if (/WRONGPASS|NOAUTH|invalid username-password|AUTH/i.test(msg)) {
      throw new Error(
        `Redis at ${loc.redacted} refused the credentials${loc.username ? ` of user '${loc.username}'` : ''} (${redactSecrets(msg.split('\n')[0]!)})`,
      );
    }
    if (/ECONNREFUSED|Connection is closed/.test(msg))
      throw new Error(`cannot reach Redis at ${loc.redacted}: connection refused (is redis-server running there?)`);
    if (/ENOTFOUND|EAI_AGAIN/.test(msg)) throw new Error(`cannot reach Redis at ${loc.redacted}: unknown host`);
    throw new Error(`cannot reach Redis at ${loc.redacted}: ${redactSecrets(msg.split('\n')[0]!)}`);
  }
  probe.disconnect();
  const client = new Redis(loc.connection);
  client.on('error', () => undefined);
  await client.ping();
  return client;
}

export async function readLabMeta(redis: Redis): Promise<QueueLabMeta | null> {
  const raw = await redis.get(LAB_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as QueueLabMeta;
  } catch {
    return null;
  }
}
