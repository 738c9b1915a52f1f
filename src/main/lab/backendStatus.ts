// Which tfjs backends load here, probed once per process (loading tfjs and wasm is not free) and
// shared by the doctor report, the status bar and run records.
import type { BackendStatus } from '../../shared/types/app';
import { BACKEND_PACKAGES, probeBackends } from './compute/backends';

let cached: Promise<BackendStatus[]> | null = null;

/** `threads`: the wasm thread count runs will use (Settings), so doctor shows what they get. */
export function getBackendStatuses(threads?: number | null): Promise<BackendStatus[]> {
  cached ??= probeBackends(threads ? { threads } : {}).then((probes) =>
    probes.map((p) => ({
      name: p.name,
      package: BACKEND_PACKAGES[p.name],
      available: p.available,
      version: p.version ?? null,
      reason: p.available ? null : (p.reason ?? 'unavailable'),
      details: p.details ?? null,
      autoSkip: p.autoSkip ?? null,
    })),
  );
  return cached;
}
