// Shapes of the foundation channels: app info, doctor report, settings.

export type Runtime = 'electron' | 'cli' | 'serve' | 'test';
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface BackendStatus {
  name: BackendName;
  /** npm package providing it. */
  package: string;
  available: boolean;
  version: string | null;
  /** Why it could not load (missing optional package, missing CUDA library...), or null. */
  reason: string | null;
}

export interface AppInfo {
  appVersion: string;
  runtime: Runtime;
  dataDir: string;
  dbPath: string;
  schemaVersion: number;
  /** The backend runs will use: the user's choice if it loads, else the best that loads. */
  activeBackend: BackendName | null;
  activeBackendReason: string;
}

export interface DoctorReport {
  appVersion: string;
  runtime: Runtime;
  node: string;
  electron: { version: string | null; binaryPresent: boolean; binaryPath: string | null; note: string };
  platform: string;
  arch: string;
  cpus: number;
  memoryGiB: number;
  backends: BackendStatus[];
  activeBackend: BackendName | null;
  activeBackendReason: string;
  database: { path: string; schemaVersion: number; latestSchemaVersion: number; sqlite: string; journalMode: string };
  dataDir: string;
}

export type ThemePreference = 'system' | 'light' | 'dark';

export interface Settings {
  annotatorName: string;
  theme: ThemePreference;
  /** Preferred compute backend, or 'auto' for the load order gpu -> node -> wasm -> cpu. */
  backend: BackendName | 'auto';
  /** Redis queue for experiments run on remote workers, shown without its password; null = none. */
  queueUrl: string | null;
  /** Connect to the queue over TLS (also implied by rediss://). */
  queueTls: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  annotatorName: '',
  theme: 'system',
  backend: 'auto',
  queueUrl: null,
  queueTls: false,
};
