// Shapes of the foundation channels: app info, doctor report, settings.

export type Runtime = 'electron' | 'cli' | 'serve' | 'test';
export type BackendName = 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
/** Also the automatic load order (best first). */
export const BACKEND_NAMES = [
  'tensorflow-gpu',
  'webgpu',
  'tensorflow',
  'wasm',
  'cpu',
] as const satisfies readonly BackendName[];
/** Most wasm threads a run may ask for (the threaded build's worker pool). */
export const MAX_THREADS = 8;

export interface BackendStatus {
  name: BackendName;
  /** npm package providing it. */
  package: string;
  available: boolean;
  version: string | null;
  /** Why it could not load (missing optional package, missing CUDA library...), or null. */
  reason: string | null;
  /** What ran: wasm threads and build, the WebGPU adapter (vendor, architecture, software or not). */
  details: Record<string, unknown> | null;
  /** Loads, but automatic selection never takes it (a software WebGPU adapter), and why; else null. */
  autoSkip: string | null;
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
  /** wasm threads runs use (Settings, else every core). */
  threads: number;
  /** CUDA for tfjs-node-gpu: the Settings library folder and its problem, or the libraries not on the loader path. */
  cuda: { cudaLibs: string | null; problem: string | null; missing: string[] };
  activeBackend: BackendName | null;
  activeBackendReason: string;
  database: { path: string; schemaVersion: number; latestSchemaVersion: number; sqlite: string; journalMode: string };
  dataDir: string;
}

export type ThemePreference = 'system' | 'light' | 'dark';

export interface Settings {
  annotatorName: string;
  theme: ThemePreference;
  /** Preferred compute backend, or 'auto' for the load order gpu -> webgpu -> node -> wasm -> cpu. */
  backend: BackendName | 'auto';
  /** Redis queue for experiments run on remote workers, shown without its password; null = none. */
  queueUrl: string | null;
  /** Connect to the queue over TLS (also implied by rediss://). */
  queueTls: boolean;
  /** wasm threads per run; null = every core of the machine. */
  threads: number | null;
  /** Folder with the CUDA 11 / cuDNN 8 runtime libraries for tfjs-node-gpu (run processes only), or null. */
  cudaLibs: string | null;
}

export const DEFAULT_SETTINGS: Settings = {
  annotatorName: '',
  theme: 'system',
  backend: 'auto',
  queueUrl: null,
  queueTls: false,
  threads: null,
  cudaLibs: null,
};
