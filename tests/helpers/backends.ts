// The compute backends the kernel, ops and trainer tests run on: cpu, wasm single-threaded, wasm
// threaded (2 threads) and webgpu when Dawn finds an adapter (on a machine without a GPU:
// Chromium's SwiftShader software driver; see docs/methods.md, "Compute backends"). A backend
// that is unavailable here is still listed, with the reason, so its tests skip saying why.
//
//   for (const b of TEST_BACKENDS)
//     describe.skipIf(b.skip !== null)(b.title, { timeout: b.timeout }, () => { beforeAll(() => useBackend(b)); ... });
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../../src/main/lab/compute/backends';
import { probeWebgpu } from '../../src/main/lab/compute/webgpu';

export interface TestBackend {
  name: BackendName;
  /** wasm threads. */
  threads?: number;
  /** Why this backend cannot run here, else null. */
  skip: string | null;
  /** A software WebGPU adapter (SwiftShader...): correct but seconds per training step. */
  software: boolean;
  /** Per-test timeout: a software adapter compiles every shader on the CPU. */
  timeout: number;
  /** Describe-block title: the backend, and why it is skipped. */
  title: string;
}

const webgpu = await probeWebgpu();

function entry(name: BackendName, label: string, skip: string | null, threads?: number): TestBackend {
  const software = name === 'webgpu' && webgpu.adapter?.software === true;
  return {
    name,
    ...(threads ? { threads } : {}),
    skip,
    software,
    timeout: software ? 300_000 : 60_000,
    title: skip ? `${label} (skipped: ${skip})` : label,
  };
}

export const TEST_BACKENDS: readonly TestBackend[] = [
  entry('cpu', 'cpu', null),
  entry('wasm', 'wasm, 1 thread', null, 1),
  entry('wasm', 'wasm, 2 threads', null, 2),
  entry(
    'webgpu',
    webgpu.adapter ? `webgpu (${webgpu.adapter.description}${webgpu.adapter.software ? ', software' : ''})` : 'webgpu',
    webgpu.adapter ? null : `webgpu unavailable: ${webgpu.reason}`,
  ),
];

/** Activates the backend; fails (not skips) when it starts as something else. */
export async function useBackend(b: TestBackend): Promise<void> {
  const sel = await initBackend(b.name, b.threads ? { threads: b.threads } : {});
  if (sel.name !== b.name || tf.getBackend() !== b.name) throw new Error(`asked for ${b.name}, got ${tf.getBackend()}`);
  const details = sel.probes.at(-1)?.details;
  if (b.threads && details?.threads !== b.threads) {
    throw new Error(`wasm runs ${String(details?.threads)} thread(s), not ${b.threads}: ${String(details?.note)}`);
  }
}

/**
 * Runs `f` in a tfjs scope whose tensors are freed at the end. Async, because webgpu reads
 * tensors asynchronously only (its dataSync needs OffscreenCanvas, which Node lacks).
 */
export async function scoped<T>(f: () => Promise<T>): Promise<T> {
  tf.engine().startScope();
  try {
    return await f();
  } finally {
    tf.engine().endScope();
  }
}

/** The first value of a tensor, read asynchronously (every backend). */
export async function scalarOf(t: tf.Tensor): Promise<number> {
  return (await t.data())[0]!;
}

/** max |a - b| over all entries, for tensors of the same shape. */
export async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shapes differ: [${a.shape}] vs [${b.shape}]`);
  return scalarOf(tf.max(tf.abs(tf.sub(a, b))));
}
