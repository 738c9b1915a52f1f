// The lab's connection to a run queue: at most one per open lab, made on first use (opening a lab
// never connects anywhere) and closed with the lab. Experiments started "on the queue" go through it.
import type { Db } from '../db/database';
import { LabError } from '../errors';
import type { LabContext } from '../lab';
import { QueueOwner, type OwnerLogEntry } from './owner';
import { QueueUrlError, parseQueueUrl, type QueueLocation } from './redisUrl';

export { QueueOwner } from './owner';
export { QueueWorker } from './worker';
export { parseQueueUrl, redactSecrets, QueueUrlError } from './redisUrl';

const owners = new WeakMap<LabContext, Promise<QueueOwner>>();

/**
 * Without a listener of its own, the owner's refusals (a result it will not record, and why) go to
 * stderr, one line each; connection errors while Redis restarts are not repeated there.
 */
function stderrLog(e: OwnerLogEntry): void {
  if (e.level === 'refused') process.stderr.write(`pst-lab queue: ${e.message}\n`);
}

/** The stored queue URL (with its credentials; never shown: Settings show it redacted). */
export function storedQueueUrl(db: Db): { url: string; tls: boolean } | null {
  const row = db.prepare(`SELECT value FROM settings WHERE key = 'queueUrl'`).get() as { value: string } | undefined;
  const tlsRow = db.prepare(`SELECT value FROM settings WHERE key = 'queueTls'`).get() as { value: string } | undefined;
  const url = row ? (JSON.parse(row.value) as unknown) : null;
  return typeof url === 'string' && url ? { url, tls: tlsRow ? JSON.parse(tlsRow.value) === true : false } : null;
}

export function locate(url: string, tls: boolean, tlsCa: string | null = null): QueueLocation {
  try {
    return parseQueueUrl(url, { tls, tlsCa });
  } catch (err) {
    if (err instanceof QueueUrlError) throw new LabError('INVALID_INPUT', `queue: ${err.message}`);
    throw err;
  }
}

/**
 * The lab's queue owner for `target` (else the queue in Settings), connecting on first use. A lab
 * follows one queue at a time.
 */
export async function queueOwner(
  ctx: LabContext,
  target?: { url: string; tls?: boolean; tlsCa?: string },
  log?: (e: OwnerLogEntry) => void,
): Promise<QueueOwner> {
  const chosen = target ?? storedQueueUrl(ctx.db);
  if (!chosen)
    throw new LabError(
      'INVALID_INPUT',
      'no queue: give a Redis URL or set one in Settings ("Run experiments on a queue")',
    );
  const location = locate(chosen.url, chosen.tls ?? false, target?.tlsCa ?? null);
  const existing = owners.get(ctx);
  if (existing) {
    const owner = await existing;
    if (owner.location.redacted !== location.redacted) {
      throw new LabError(
        'CONFLICT',
        `this lab already follows the queue at ${owner.location.redacted}; restart it to use ${location.redacted}`,
      );
    }
    return owner;
  }
  const connecting = QueueOwner.connect({ db: ctx.db, runs: ctx.runs, location, log: log ?? stderrLog }).catch(
    (err: unknown) => {
      owners.delete(ctx);
      throw new LabError('UNAVAILABLE', err instanceof Error ? err.message : String(err));
    },
  );
  owners.set(ctx, connecting);
  const owner = await connecting;
  ctx.runs.onClose(() => void owner.close());
  return owner;
}
