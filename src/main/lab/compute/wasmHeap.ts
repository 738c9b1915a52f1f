// Access to tfjs-backend-wasm's heap for our own JS kernels (splitEven, concatEven, heads, ...),
// and their registration.
//
// WHY: on tfjs-backend-wasm 4.22, Slice / Concat / Transpose either copy a whole input out of the
// heap or walk elements one by one through generic strided code; moving bytes between tensors
// with typed-array views is several times cheaper for the layouts attention needs. These two
// methods are public on BackendWasm but not part of tfjs' exported typings.
import * as tf from '@tensorflow/tfjs';

export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** True when our heap kernels can run (the active backend is wasm). */
export function onWasm(): boolean {
  return tf.getBackend() === 'wasm';
}

/** Tensors as the indexed input map runKernel expects for a variable-length list ('0', '1', ...). */
export function indexedInputs(xs: readonly tf.Tensor[]): tf.NamedTensorMap {
  const out: tf.NamedTensorMap = {};
  xs.forEach((x, i) => {
    out[String(i)] = x;
  });
  return out;
}

/** Inputs of an indexed input map in order. */
export function orderedInputs(inputs: tf.NamedTensorInfoMap, count: number): tf.TensorInfo[] {
  const out: tf.TensorInfo[] = [];
  for (let i = 0; i < count; i++) {
    const t = inputs[String(i)];
    if (!t) throw new Error(`heap kernel: input ${i} of ${count} is missing`);
    out.push(t);
  }
  return out;
}

/** A wasm-heap JS kernel: its inputs, the wasm backend (for heap views and outputs), its attributes. */
export type HeapKernelFunc<A> = (args: {
  inputs: tf.NamedTensorInfoMap;
  be: WasmHeapBackend;
  attrs: A;
}) => tf.TensorInfo | tf.TensorInfo[];

/**
 * Registers a wasm-heap JS kernel (and its gradient, when it has one) the first time the returned
 * function is called: call it before each runKernel. A kernel or gradient tfjs already has under
 * the name is kept.
 */
export function heapKernel<A>(
  kernelName: string,
  run: HeapKernelFunc<A>,
  gradient?: Omit<tf.GradConfig, 'kernelName'>,
): () => void {
  let registered = false;
  return () => {
    if (registered) return;
    registered = true;
    if (!tf.getKernel(kernelName, 'wasm')) {
      tf.registerKernel({
        kernelName,
        backendName: 'wasm',
        kernelFunc: ({ inputs, backend, attrs }) =>
          run({ inputs, be: backend as unknown as WasmHeapBackend, attrs: attrs as unknown as A }),
      });
    }
    if (gradient && !tf.getGradient(kernelName)) tf.registerGradient({ kernelName, ...gradient });
  };
}
