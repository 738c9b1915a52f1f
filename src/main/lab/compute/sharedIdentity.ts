// Identity on wasm without a copy.
//
// WHY: tfjs' engine clones every tensor a gradient function saves (customGrad's save() and the
// built-in kernels' saved inputs/outputs), and tf.clone runs the Identity kernel. On
// tfjs-backend-wasm 4.22 Identity copies the whole buffer, which cost ~5 ms per training step of
// the reference configuration (41 copies of [1024, 128..384]). Tensors are immutable and the
// wasm backend already reference-counts buffers (its Reshape shares them the same way), so the
// clone can share the buffer, as tfjs' CPU backend does. String tensors keep the stock kernel.
import * as tf from '@tensorflow/tfjs';

interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

let installed = false;

/** Replaces wasm's Identity kernel by a buffer-sharing one (idempotent; call after the wasm module loaded). */
export function installSharedIdentity(): void {
  if (installed) return;
  const stock = tf.getKernel('Identity', 'wasm');
  if (!stock) throw new Error('installSharedIdentity: the wasm backend has no Identity kernel to replace (is @tensorflow/tfjs-backend-wasm loaded?)');
  installed = true;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    ...stock,
    kernelFunc: (args) => {
      const x = args.inputs['x']!;
      if (x.dtype === 'string') return stock.kernelFunc(args);
      (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}
