// Compute backend selection for the student models. Load order:
// tfjs-node-gpu (CUDA) -> webgpu (Dawn) -> tfjs-node (native CPU) -> wasm (XNNPACK, SIMD, every
// core) -> pure-JS cpu. tfjs-node(-gpu) are optional dependencies whose native install often
// fails, so they are required lazily; every failure is kept with its reason for `doctor` and the
// run record. One module per backend: wasm.ts, webgpu.ts, cuda.ts; see docs/methods.md
// ("Compute backends").
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, type BackendName } from '../../../shared/types/app';
import { cudaLibrariesNotFound, describeCudaError } from './cuda';
import { nodeRequire } from './nodeRequire';
import { activateWasm, loadWasmPackage, machineCores } from './wasm';
import { activateWebgpu, autoSkipReason, probeWebgpu } from './webgpu';

export type { BackendName };
export { wasmBinaryDir } from './wasm';
export const BACKEND_ORDER: readonly BackendName[] = BACKEND_NAMES;

export interface BackendProbe {
  name: BackendName;
  available: boolean;
  /** Why it is not available (module missing, CUDA library missing, init failed...). */
  reason?: string;
  /** Version of the package that provides it, when loadable. */
  version?: string;
  /** Facts worth recording: wasm threads and build, the WebGPU adapter, CUDA device use. */
  details?: Record<string, unknown>;
  /** Loadable, but automatic selection skips it (a software WebGPU adapter), and why. */
  autoSkip?: string;
}

export interface BackendOptions {
  /** wasm threads; default: every core of the machine. */
  threads?: number;
}

export interface BackendSelection {
  name: BackendName;
  /** tfjs' own backend id (tfjs-node registers 'tensorflow' for both CPU and GPU builds). */
  tfBackend: string;
  /** For each better backend that was skipped: why. */
  reasons: Partial<Record<BackendName, string>>;
  probes: BackendProbe[];
}

const NATIVE_PACKAGES: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

export const BACKEND_PACKAGES: Record<BackendName, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  webgpu: '@tensorflow/tfjs-backend-webgpu + webgpu (Dawn)',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs (backend-cpu)',
};

/** Cached outcome of requiring a native package, so a failed native require is not retried. */
const nativeOutcome = new Map<BackendName, { ok: boolean; reason?: string }>();

function describeLoadError(pkg: string, err: unknown): string {
  const e = err as { code?: string; message?: string };
  const msg = String(e?.message ?? err).split('\n')[0] ?? '';
  if (e?.code === 'MODULE_NOT_FOUND' && msg.includes(pkg)) {
    return `${pkg} is not installed (optional dependency; its native build failed or was skipped)`;
  }
  const cuda = describeCudaError(msg);
  if (cuda) return `${pkg} found but ${cuda}`;
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

function version(name: BackendName): string | undefined {
  if (name === 'tensorflow-gpu' || name === 'tensorflow') return packageVersion(NATIVE_PACKAGES[name]);
  if (name === 'wasm') return packageVersion('@tensorflow/tfjs-backend-wasm');
  if (name === 'webgpu') return packageVersion('@tensorflow/tfjs-backend-webgpu');
  return tf.version_core;
}

async function setTf(id: string): Promise<string | null> {
  if (!tf.engine().registryFactory[id]) return `module loaded but did not register the '${id}' backend`;
  try {
    if (!(await tf.setBackend(id))) return `tfjs could not initialise the '${id}' backend`;
    await tf.ready();
  } catch (err) {
    return `initialisation failed: ${String((err as Error)?.message ?? err)}`;
  }
  return null;
}

/** Activates one backend; returns its probe (available with details, or the reason it is not). */
async function activate(name: BackendName, opts: BackendOptions): Promise<BackendProbe> {
  const base = { name, version: version(name) };
  try {
    if (name === 'tensorflow-gpu' || name === 'tensorflow') {
      let outcome = nativeOutcome.get(name);
      if (!outcome) {
        try {
          nodeRequire(NATIVE_PACKAGES[name]);
          outcome = { ok: true };
        } catch (err) {
          outcome = { ok: false, reason: describeLoadError(NATIVE_PACKAGES[name], err) };
        }
        nativeOutcome.set(name, outcome);
      }
      if (!outcome.ok) return { ...base, available: false, reason: outcome.reason! };
      const reason = await setTf('tensorflow');
      if (reason) return { ...base, available: false, reason };
      if (name === 'tensorflow-gpu') {
        // TensorFlow falls back to the CPU, after logging the failed dlopen, when CUDA is incomplete.
        const onGpu = (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice;
        if (onGpu === false) {
          const missing = cudaLibrariesNotFound();
          return {
            ...base,
            available: false,
            reason: `tfjs-node-gpu loaded but TensorFlow sees no GPU${missing.length ? `; not on the library path: ${missing.join(', ')}; install them and pass --cuda-libs DIR` : ' (driver or GPU missing?)'}`,
          };
        }
        return { ...base, available: true, details: { gpu: true } };
      }
      return { ...base, available: true };
    }
    if (name === 'webgpu') {
      const adapter = await activateWebgpu();
      const skip = autoSkipReason(adapter);
      return { ...base, available: true, details: { adapter }, ...(skip ? { autoSkip: skip } : {}) };
    }
    if (name === 'wasm') {
      loadWasmPackage();
      const s = await activateWasm(opts.threads ?? machineCores());
      return { ...base, available: true, details: { ...s } };
    }
    const reason = await setTf('cpu');
    return reason ? { ...base, available: false, reason } : { ...base, available: true };
  } catch (err) {
    return { ...base, available: false, reason: String((err as Error)?.message ?? err) };
  }
}

/**
 * Tries every backend (for `doctor`), then restores the backend that was active before. The
 * WebGPU adapter is only looked up, not initialised, so a software adapter costs nothing here.
 */
export async function probeBackends(opts: BackendOptions = {}): Promise<BackendProbe[]> {
  const previous = tf.getBackend() as string | undefined;
  const out: BackendProbe[] = [];
  for (const name of BACKEND_ORDER) {
    if (name === 'webgpu') {
      const p = await probeWebgpu();
      const base = { name, version: version(name) };
      if (!p.adapter) out.push({ ...base, available: false, reason: p.reason ?? 'no adapter' });
      else {
        const skip = autoSkipReason(p.adapter);
        out.push({ ...base, available: true, details: { adapter: p.adapter }, ...(skip ? { autoSkip: skip } : {}) });
      }
      continue;
    }
    out.push(await activate(name, opts));
  }
  if (previous && tf.getBackend() !== previous) await tf.setBackend(previous);
  return out;
}

/**
 * Activates the preferred backend (an explicit choice fails loudly instead of silently falling
 * back, and may use a software WebGPU adapter), or the best loadable one in BACKEND_ORDER that
 * automatic selection may take. Returns what ran and why better ones did not.
 */
export async function initBackend(preferred?: BackendName, opts: BackendOptions = {}): Promise<BackendSelection> {
  if (preferred && !BACKEND_ORDER.includes(preferred)) {
    throw new Error(`unknown backend '${String(preferred)}'; expected one of ${BACKEND_ORDER.join(', ')}`);
  }
  if (opts.threads !== undefined && (!Number.isInteger(opts.threads) || opts.threads < 1)) {
    throw new Error(`threads must be a whole number >= 1, got ${opts.threads}`);
  }
  const reasons: Partial<Record<BackendName, string>> = {};
  const probes: BackendProbe[] = [];
  for (const name of preferred ? [preferred] : BACKEND_ORDER) {
    if (!preferred && name === 'webgpu') {
      // Look at the adapter before initialising a device on it.
      const p = await probeWebgpu();
      const skip = p.adapter ? autoSkipReason(p.adapter) : p.reason;
      if (skip) {
        reasons[name] = skip;
        probes.push({
          name,
          available: false,
          reason: skip,
          ...(p.adapter ? { details: { adapter: p.adapter } } : {}),
        });
        continue;
      }
    }
    const probe = await activate(name, opts);
    probes.push(probe);
    if (probe.available) return { name, tfBackend: tf.getBackend(), reasons, probes };
    reasons[name] = probe.reason ?? 'not available';
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
  if (id === 'tensorflow') return nativeOutcome.get('tensorflow-gpu')?.ok ? 'tensorflow-gpu' : 'tensorflow';
  if (id === 'wasm' || id === 'cpu' || id === 'webgpu') return id;
  throw new Error(`unexpected active tfjs backend '${id}'`);
}
