// Settings kept as one JSON value per key in the settings table; unknown or invalid stored values
// fall back to the defaults instead of breaking start-up.
import type { Db } from './db/database';
import { parseQueueUrl } from './queue/redisUrl';
import { BACKEND_NAMES, DEFAULT_SETTINGS, MAX_THREADS, type Settings } from '../../shared/types/app';

export function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const stored: Record<string, unknown> = {};
  for (const r of rows) {
    try {
      stored[r.key] = JSON.parse(r.value);
    } catch {
      // a corrupt value is ignored: the default stands
    }
  }
  const s: Settings = { ...DEFAULT_SETTINGS };
  if (typeof stored.annotatorName === 'string') s.annotatorName = stored.annotatorName;
  if (stored.theme === 'system' || stored.theme === 'light' || stored.theme === 'dark') s.theme = stored.theme;
  if (typeof stored.backend === 'string' && (stored.backend === 'auto' || (BACKEND_NAMES as readonly string[]).includes(stored.backend))) {
    s.backend = stored.backend as Settings['backend'];
  }
  if (Number.isInteger(stored.threads) && (stored.threads as number) >= 1 && (stored.threads as number) <= MAX_THREADS) s.threads = stored.threads as number;
  if (typeof stored.cudaLibs === 'string' && stored.cudaLibs.length > 0) s.cudaLibs = stored.cudaLibs;
  if (typeof stored.queueTls === 'boolean') s.queueTls = stored.queueTls;
  // The queue URL may carry a password: settings show it redacted (the queue reads the stored one).
  if (typeof stored.queueUrl === 'string' && stored.queueUrl) {
    try {
      s.queueUrl = parseQueueUrl(stored.queueUrl, { tls: s.queueTls }).redacted;
    } catch {
      s.queueUrl = null;
    }
  }
  return s;
}

export function writeSettings(db: Db, patch: Partial<Settings>): Settings {
  const upsert = db.prepare(
    `INSERT INTO settings(key, value) VALUES (?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  );
  db.transaction(() => {
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) upsert.run(k, JSON.stringify(v));
  })();
  return readSettings(db);
}
