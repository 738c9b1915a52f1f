// Which tfjs backends load here, probed once per process (loading tfjs and wasm is not free) and
// shared by the doctor report, the status bar and run records.
import type { BackendStatus } from '../../shared/types/app';
import { probeBackends } from './compute/backends';

const PACKAGES: Record<BackendStatus['name'], string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs (backend-cpu)',
};

let cached: Promise<BackendStatus[]> | null = null;

export function getBackendStatuses(): Promise<BackendStatus[]> {
  cached ??= probeBackends().then((probes) =>
    probes.map((p) => ({
      name: p.name,
      package: PACKAGES[p.name],
      available: p.available,
      version: p.version ?? null,
      reason: p.available ? null : (p.reason ?? 'unavailable'),
    })),
  );
  return cached;
}
