// The wasm backend (XNNPACK, SIMD), single-threaded or on every core.
//
// WHY the threaded build is started by hand: @tensorflow/tfjs-backend-wasm 4.22 ships a threaded
// SIMD build, but (1) its Node bundle never selects it (WASM_HAS_MULTITHREAD_SUPPORT is false under
// Node), (2) it would spawn its pthread workers from a `blob:` URL, which Node's worker_threads
// refuse (ERR_WORKER_PATH), and (3) the C++ side caps the XNNPACK pool at half the logical cores
// it is told about (one thread on a 2-core machine). So we build the module ourselves from the
// package's own files: the Emscripten factory (wasm-out/…threaded-simd.js, also loaded by each
// worker by path), the worker script written once to a file in the OS temp folder (named by its
// content hash), and an `instantiateWasm` hook that reports 2 x the wanted threads as the
// machine's logical cores, so the pool gets exactly the threads asked for. tfjs' own BackendWasm
// wraps the module, so every stock kernel and our heap kernels run unchanged.
// If the threaded build cannot start, the stock single-threaded build runs and the reason is kept.
// See docs/methods.md ("Compute backends").
import * as tf from '@tensorflow/tfjs';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../fsAtomic';
import { nodeRequire } from './nodeRequire';
import { installSharedIdentity } from './sharedIdentity';

type WasmPackage = typeof import('@tensorflow/tfjs-backend-wasm');

/** The threaded build pre-creates 8 pthread workers; a larger pool would block the main thread. */
export const MAX_WASM_THREADS = 8;
/** A threaded module that has not started in this time is abandoned for the single-threaded one. */
const THREADED_START_TIMEOUT_MS = 60_000;

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread?: { terminateAllThreads(): void; runningWorkers: { unref(): void }[]; unusedWorkers: { unref(): void }[] };
  tfjs?: Record<string, unknown>;
}
/** The WebAssembly global (typed here: the Node lib typings do not declare it). */
const wasmApi = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Uint8Array, imports: unknown): Promise<{ instance: unknown; module: unknown }> };
  }
).WebAssembly;
type EmscriptenFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

export interface WasmState {
  /** Threads XNNPACK actually uses. */
  threads: number;
  requestedThreads: number;
  simd: boolean;
  build: 'threaded-simd' | 'simd';
  /** Why fewer threads than requested run (capped, or the threaded build failed), else null. */
  note: string | null;
}

let pkg: WasmPackage | null = null;
let stockFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | null = null;
let liveThreadedModule: EmscriptenModule | null = null;
let state: WasmState | null = null;

/** Directory holding the .wasm binaries, as a file path with a trailing separator. */
export function wasmBinaryDir(): string {
  return path.dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

function wasmOutDir(): string {
  return path.join(wasmBinaryDir(), '..', 'wasm-out');
}

/** Loads the package once (registers its kernels and the stock 'wasm' backend). */
export function loadWasmPackage(): WasmPackage {
  if (pkg) return pkg;
  const p = nodeRequire('@tensorflow/tfjs-backend-wasm') as WasmPackage;
  p.setWasmPaths(wasmBinaryDir());
  // The stock build stays single-threaded under Node; threads come from startThreaded below.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const entry = tf.engine().registryFactory['wasm'];
  if (!entry) throw new Error('@tensorflow/tfjs-backend-wasm loaded but did not register the wasm backend');
  stockFactory = entry.factory;
  installSharedIdentity();
  pkg = p;
  return p;
}

/**
 * The pthread worker script as a file. The package only ships it as a JS string; Node can start a
 * worker from a file path but not from the `blob:` URL tfjs makes of that string.
 */
export function threadedWorkerScript(): string {
  const contents = (
    nodeRequire(path.join(wasmOutDir(), 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string }
  ).wasmWorkerContents;
  // As tfjs does before making its blob: escaped newlines inside the script's string literals.
  const script = contents.replace(/\n/g, '\\n');
  const hash = crypto.createHash('sha256').update(script).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `pst-lab-tfjs-wasm-worker-${hash}.cjs`);
  if (!fs.existsSync(file)) writeFileAtomic(file, script);
  return file;
}

function wrapModule(module: EmscriptenModule): EmscriptenModule {
  // The same bridge tfjs' own init() builds.
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

async function threadedModule(threads: number): Promise<EmscriptenModule> {
  const factory = nodeRequire(path.join(wasmOutDir(), 'tfjs-backend-wasm-threaded-simd.js')) as EmscriptenFactory;
  const mainScript = path.join(wasmOutDir(), 'tfjs-backend-wasm-threaded-simd.js');
  const workerScript = threadedWorkerScript();
  const binary = fs.readFileSync(path.join(wasmBinaryDir(), 'tfjs-backend-wasm-threaded-simd.wasm'));
  let timer: NodeJS.Timeout | undefined;
  let failed: (err: unknown) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => {
    failed = reject;
    timer = setTimeout(
      () => reject(new Error(`its pthread workers did not start within ${THREADED_START_TIMEOUT_MS / 1000} s`)),
      THREADED_START_TIMEOUT_MS,
    );
  });
  const started = factory({
    locateFile: (p: string) => (p.endsWith('.worker.js') ? workerScript : path.join(wasmBinaryDir(), p)),
    // Each worker evaluates this file to define the factory (a path, not a blob).
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm: (
      info: { env: Record<string, unknown> },
      receive: (instance: unknown, module: unknown) => void,
    ) => {
      // The C++ side creates min(cores / 2, requested) threads; report 2 x requested as cores.
      info.env['emscripten_num_logical_cores'] = () => 2 * threads;
      wasmApi.instantiate(binary, info).then((r) => receive(r.instance, r.module), failed);
      return {};
    },
  });
  try {
    failure.catch(() => undefined);
    return wrapModule(await Promise.race([started, failure]));
  } finally {
    clearTimeout(timer);
  }
}

function endThreadedModule(): void {
  liveThreadedModule?.PThread?.terminateAllThreads();
  liveThreadedModule = null;
}

async function switchTo(factory: () => tf.KernelBackend | Promise<tf.KernelBackend>): Promise<void> {
  if (tf.engine().registryFactory['wasm']) tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, 2);
  if (!(await tf.setBackend('wasm'))) throw new Error("tfjs could not initialise the 'wasm' backend");
  await tf.ready();
}

/**
 * Activates wasm with `requested` threads (1 = the stock single-threaded build). Re-activating
 * with another count replaces the module (benchmarks and the numerics test compare counts).
 */
export async function activateWasm(requested: number): Promise<WasmState> {
  if (!Number.isInteger(requested) || requested < 1)
    throw new Error(`wasm threads must be a whole number >= 1, got ${requested}`);
  const p = loadWasmPackage();
  if (state && state.requestedThreads === requested && tf.getBackend() === 'wasm') return state;
  endThreadedModule();
  let note: string | null = null;
  if (requested > 1) {
    const threads = Math.min(requested, MAX_WASM_THREADS);
    if (threads < requested) note = `capped at ${MAX_WASM_THREADS} threads (the threaded build's worker pool)`;
    try {
      const module = await threadedModule(threads);
      liveThreadedModule = module;
      await switchTo(() => {
        p.setThreadsCount(threads);
        return new p.BackendWasm(module as never);
      });
      // Idle pool threads must not keep a process alive (CLI commands, tests).
      for (const w of [...(module.PThread?.runningWorkers ?? []), ...(module.PThread?.unusedWorkers ?? [])]) w.unref();
      state = { threads: p.getThreadsCount(), requestedThreads: requested, simd: true, build: 'threaded-simd', note };
      return state;
    } catch (err) {
      endThreadedModule();
      note = `threaded build failed (${String((err as Error)?.message ?? err)}); running single-threaded`;
    }
  }
  await switchTo(stockFactory!);
  state = {
    threads: 1,
    requestedThreads: requested,
    simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    build: 'simd',
    note,
  };
  return state;
}

/** The state of the active wasm module, or null when wasm never ran. */
export function wasmState(): WasmState | null {
  return state;
}

/** Logical cores of this machine: the default thread count. */
export function machineCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
