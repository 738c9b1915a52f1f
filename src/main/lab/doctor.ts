// The doctor report: everything a user or a bug report needs to know about this installation.
import os from 'node:os';
import type { BackendName, DoctorReport, Settings } from '../../shared/types/app';
import type { BackendStatus } from '../../shared/types/app';
import { getBackendStatuses } from './backendStatus';
import { cudaLibrariesNotFound, resolveCudaLibs } from './compute/cuda';
import { machineCores } from './compute/wasm';
import { LATEST_SCHEMA_VERSION } from './db/migrations';
import { electronBinaryStatus } from './electronBinary';
import type { LabContext } from './lab';
import { appVersion } from './paths';
import { readSettings } from './settingsStore';

/**
 * The user's backend if it loads, else the first that loads in the order gpu -> webgpu -> node ->
 * wasm -> cpu and that automatic selection may take (never a software WebGPU adapter).
 */
export function chooseActiveBackend(
  statuses: readonly BackendStatus[],
  preference: Settings['backend'],
): { name: BackendName | null; reason: string } {
  if (preference !== 'auto') {
    const wanted = statuses.find((s) => s.name === preference);
    if (wanted?.available) return { name: wanted.name, reason: `chosen in Settings` };
    const best = statuses.find((s) => s.available && !s.autoSkip);
    return {
      name: best?.name ?? null,
      reason: `Settings ask for ${preference}, which does not load (${wanted?.reason ?? 'unknown backend'}); using ${best?.name ?? 'nothing'}`,
    };
  }
  const best = statuses.find((s) => s.available && !s.autoSkip);
  if (!best) return { name: null, reason: 'no tfjs backend loads' };
  const skipped = statuses
    .slice(0, statuses.indexOf(best))
    .map((s) => `${s.name}: ${s.autoSkip ?? s.reason ?? 'unavailable'}`);
  return {
    name: best.name,
    reason: skipped.length ? `best available; ${skipped.join('; ')}` : 'best available',
  };
}

export async function buildDoctorReport(ctx: LabContext): Promise<DoctorReport> {
  const settings = readSettings(ctx.db);
  const backends = await getBackendStatuses(settings.threads);
  const active = chooseActiveBackend(backends, settings.backend);
  const electron = electronBinaryStatus();
  const sqlite = (ctx.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  return {
    appVersion: appVersion(),
    runtime: ctx.runtime,
    node: process.versions.node,
    electron: {
      // Inside the app the running Electron's version is authoritative.
      version: process.versions.electron ?? electron.version,
      binaryPresent: process.versions.electron !== undefined || electron.binaryPresent,
      binaryPath: electron.binaryPath,
      note: process.versions.electron !== undefined ? 'running inside Electron' : electron.note,
    },
    platform: process.platform,
    arch: process.arch,
    cpus: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    backends,
    threads: settings.threads ?? machineCores(),
    cuda: cudaReport(settings.cudaLibs),
    activeBackend: active.name,
    activeBackendReason: active.reason,
    database: {
      path: ctx.dbPath,
      schemaVersion: ctx.schemaVersion(),
      latestSchemaVersion: LATEST_SCHEMA_VERSION,
      sqlite,
      journalMode: String(ctx.db.pragma('journal_mode', { simple: true })),
    },
    dataDir: ctx.dataDir,
  };
}

/** The CUDA library folder from Settings (checked), or which libraries the loader path lacks. */
function cudaReport(dir: string | null): DoctorReport['cuda'] {
  if (dir) {
    try {
      return { cudaLibs: resolveCudaLibs(dir).dir, problem: null, missing: [] };
    } catch (err) {
      return { cudaLibs: dir, problem: (err as Error).message, missing: [] };
    }
  }
  return { cudaLibs: null, problem: null, missing: process.platform === 'darwin' ? [] : cudaLibrariesNotFound() };
}
