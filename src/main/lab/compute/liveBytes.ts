// The live tensor memory of the active backend, counted by its data buffers: each buffer once
// (tfjs's own numBytes counts a reshaped view again) and gone the moment tfjs releases it (a
// process's RSS keeps freed JavaScript arrays until the garbage collector runs). Used by the
// benchmarks to hold a training step's peak against the trainer's memory estimate.
import * as tf from '@tensorflow/tfjs';

interface Storage {
  set(id: object, value: unknown): void;
  delete(id: object): boolean;
}

/** Bytes of one stored buffer: its values (cpu), else its shape and dtype (wasm, webgpu). */
function bufferBytes(value: unknown): number {
  const v = value as { values?: ArrayBufferView | null; shape?: number[]; dtype?: string } | null;
  if (v?.values && typeof v.values.byteLength === 'number') return v.values.byteLength;
  if (Array.isArray(v?.shape) && v.dtype && v.dtype !== 'string' && v.dtype !== 'complex64')
    return v.shape.reduce((a, b) => a * b, 1) * (v.dtype === 'bool' ? 1 : 4);
  return 0;
}

export interface LiveBytes {
  /** Bytes held by buffers now. */
  current(): number;
  /** The most held at once since the last reset. */
  peak(): number;
  /** Starts a new peak from what is held now. */
  reset(): void;
  /** Stops counting (restores the backend's storage). */
  stop(): void;
}

/**
 * Counts the active backend's buffers from now on, starting from `held` bytes (buffers made before
 * are not visible to it: the caller says what it holds, e.g. its weights); null where the backend's
 * storage is not reachable.
 */
export function trackLiveBytes(held: number): LiveBytes | null {
  // The buffers' map, by backend: cpu `data`, wasm `dataIdMap`, webgpu `tensorMap`.
  const be = tf.backend() as unknown as Record<string, Storage | undefined>;
  const storage = be['data'] ?? be['dataIdMap'] ?? be['tensorMap'];
  if (!storage || typeof storage.set !== 'function' || typeof storage.delete !== 'function') return null;
  const sizes = new Map<object, number>();
  let current = held;
  let peak = held;
  const set = storage.set.bind(storage);
  const del = storage.delete.bind(storage);
  storage.set = (id, value) => {
    const bytes = bufferBytes(value);
    current += bytes - (sizes.get(id) ?? 0);
    sizes.set(id, bytes);
    if (current > peak) peak = current;
    set(id, value);
  };
  storage.delete = (id) => {
    current -= sizes.get(id) ?? 0;
    sizes.delete(id);
    return del(id);
  };
  return {
    current: () => current,
    peak: () => peak,
    reset: () => {
      peak = current;
    },
    stop: () => {
      storage.set = set;
      storage.delete = del;
    },
  };
}
