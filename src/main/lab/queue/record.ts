// What a run's `remote` column holds (kept apart from the queue client so that reading it loads no
// Redis code).
import type { RunRow } from '../runs/store';

/** What runs.remote holds for a run launched on the queue (no credentials: the URL is redacted). */
export interface RemoteRecord {
  queue: string;
  jobId: string;
  launches: number;
  dataHash: string;
  worker: string | null;
  workerHost: string | null;
}

export function remoteRecord(row: Pick<RunRow, 'remote'>): RemoteRecord | null {
  if (!row.remote) return null;
  try {
    return JSON.parse(row.remote) as RemoteRecord;
  } catch {
    return null;
  }
}
