// Compute backend selection for the student models. Load order (issue 5):
// tfjs-node-gpu (CUDA) -> tfjs-node (native CPU) -> wasm (XNNPACK, SIMD) -> pure-JS cpu.
// tfjs-node(-gpu) are optional dependencies whose native install often fails, so they are
// required lazily and every failure is kept with its reason for `doctor` and the run record.
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { installSharedIdentity } from './sharedIdentity';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface BackendProbe {
  name: BackendName;
  available: boolean;
  /** Why it is not available (module missing, CUDA library missing, init failed...). */
  reason?: string;
  /** Version of the package that provides it, when loadable. */
  version?: string;
  /** Extra facts worth recording, e.g. wasm SIMD/threads. */
  details?: Record<string, unknown>;
}

export interface BackendSelection {
  name: BackendName;
  /** tfjs' own backend id (tfjs-node registers 'tensorflow' for both CPU and GPU builds). */
  tfBackend: string;
  /** For each better backend that was skipped: why. */
  reasons: Partial<Record<BackendName, string>>;
  probes: BackendProbe[];
}

// `require` exists in the CommonJS build; ESM test runners need createRequire.
const nodeRequire: NodeJS.Require =
  typeof require === 'function' ? require : createRequire(path.join(process.cwd(), 'package.json'));

const NATIVE_PACKAGES: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

/** Cached outcome per backend so a failed native require is not retried (Node caches it anyway). */
const loadOutcome = new Map<BackendName, BackendProbe>();

function describeLoadError(pkg: string, err: unknown): string {
  const e = err as { code?: string; message?: string };
  const msg = String(e?.message ?? err).split('\n')[0] ?? '';
  if (e?.code === 'MODULE_NOT_FOUND' && msg.includes(pkg)) {
    return `${pkg} is not installed (optional dependency; its native build failed or was skipped)`;
  }
  if (/libcud|cuda|libcudnn/i.test(msg)) return `${pkg} found but CUDA libraries are missing: ${msg}`;
  if (/\.node|napi|GLIBC|symbol/i.test(msg)) return `${pkg} native addon failed to load: ${msg}`;
  return `${pkg} failed to load: ${msg}`;
}

function packageVersion(pkg: string): string | undefined {
  try {
    return (nodeRequire(`${pkg}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Directory holding the .wasm binaries, as a file path with a trailing separator. */
export function wasmBinaryDir(): string {
  const entry = nodeRequire.resolve('@tensorflow/tfjs-backend-wasm');
  return path.dirname(entry) + path.sep;
}

let wasmConfigured = false;
function configureWasm(): void {
  if (wasmConfigured) return;
  const wasmPkg = nodeRequire('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  wasmPkg.setWasmPaths(wasmBinaryDir());
  // Single-threaded: the machine's cores are shared, and the threaded build needs
  // cross-origin isolation in a browser and a worker script file in Node.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  installSharedIdentity();
  wasmConfigured = true;
}

/** Loads (registers) a backend's module; does not switch to it. */
function loadModule(name: BackendName): BackendProbe {
  const cached = loadOutcome.get(name);
  if (cached) return cached;
  let probe: BackendProbe;
  try {
    if (name === 'tensorflow-gpu' || name === 'tensorflow') {
      const pkg = NATIVE_PACKAGES[name];
      nodeRequire(pkg);
      probe = { name, available: true, version: packageVersion(pkg) };
    } else if (name === 'wasm') {
      configureWasm();
      probe = { name, available: true, version: packageVersion('@tensorflow/tfjs-backend-wasm') };
    } else {
      probe = { name, available: true, version: tf.version_core };
    }
  } catch (err) {
    const pkg = name === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : name === 'cpu' ? '@tensorflow/tfjs' : NATIVE_PACKAGES[name];
    probe = { name, available: false, reason: describeLoadError(pkg, err) };
  }
  loadOutcome.set(name, probe);
  return probe;
}

function tfBackendId(name: BackendName): string {
  return name === 'tensorflow-gpu' ? 'tensorflow' : name;
}

/** Switches tfjs to a backend; returns a reason string on failure, null on success. */
async function activate(name: BackendName): Promise<string | null> {
  const loaded = loadModule(name);
  if (!loaded.available) return loaded.reason ?? 'not loadable';
  const id = tfBackendId(name);
  if (!tf.engine().registryFactory[id]) return `module loaded but did not register the '${id}' backend`;
  try {
    const ok = await tf.setBackend(id);
    if (!ok) return `tfjs could not initialise the '${id}' backend`;
    await tf.ready();
  } catch (err) {
    return `initialisation failed: ${String((err as Error)?.message ?? err)}`;
  }
  return null;
}

function details(name: BackendName): Record<string, unknown> | undefined {
  if (name !== 'wasm' || tf.getBackend() !== 'wasm') return undefined;
  return {
    simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    threads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
  };
}

/** Tries every backend (for `doctor`), then restores the backend that was active before. */
export async function probeBackends(): Promise<BackendProbe[]> {
  const previous = tf.getBackend() as string | undefined;
  const out: BackendProbe[] = [];
  for (const name of BACKEND_ORDER) {
    const reason = await activate(name);
    const base = loadModule(name);
    out.push(
      reason === null
        ? { name, available: true, version: base.version, details: details(name) }
        : { name, available: false, reason, version: base.version },
    );
  }
  if (previous) await tf.setBackend(previous);
  return out;
}

/**
 * Activates the preferred backend (an explicit choice fails loudly instead of silently falling
 * back), or the best loadable one in BACKEND_ORDER. Returns what ran and why better ones did not.
 */
export async function initBackend(preferred?: BackendName): Promise<BackendSelection> {
  const reasons: Partial<Record<BackendName, string>> = {};
  const probes: BackendProbe[] = [];
  const candidates = preferred ? [preferred] : BACKEND_ORDER;
  if (preferred && !BACKEND_ORDER.includes(preferred)) {
    throw new Error(`unknown backend '${String(preferred)}'; expected one of ${BACKEND_ORDER.join(', ')}`);
  }
  for (const name of candidates) {
    const reason = await activate(name);
    if (reason === null) {
      probes.push({ name, available: true, version: loadModule(name).version, details: details(name) });
      return { name, tfBackend: tf.getBackend(), reasons, probes };
    }
    reasons[name] = reason;
    probes.push({ name, available: false, reason });
  }
  throw new Error(
    preferred
      ? `backend '${preferred}' is not available: ${reasons[preferred] ?? 'unknown reason'}`
      : `no tfjs backend could be initialised: ${JSON.stringify(reasons)}`,
  );
}

/** Name of the active backend in this lab's vocabulary. */
export function activeBackend(): BackendName {
  const id = tf.getBackend();
  if (id === 'tensorflow') {
    return loadOutcome.get('tensorflow-gpu')?.available ? 'tensorflow-gpu' : 'tensorflow';
  }
  if (id === 'wasm' || id === 'cpu') return id;
  throw new Error(`unexpected active tfjs backend '${id}'`);
}
