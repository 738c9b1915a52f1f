// splitEven: cut a tensor into equal contiguous parts along one axis, differentiably.
//
// WHY a kernel of our own: on tfjs-backend-wasm 4.22 every Slice (and so split/unstack) first
// copies the WHOLE input out of the wasm heap (readSync -> HEAPU8.slice), and Gather walks its
// output element by element; cutting a [16, 128, 256] tensor into 16 pieces cost ~4 ms per piece
// either way. This kernel copies only each part's own bytes, as one typed-array copy per
// contiguous run, and does all parts in one launch. Other backends use tf.split, which is fine
// there. The gradient is the concatenation of the parts' gradients.
import * as tf from '@tensorflow/tfjs';
import { concatEven } from './concatEven';
import { heapKernel, onWasm } from './wasmHeap';

const KERNEL = 'PstSplitEven';

interface SplitAttrs {
  parts: number;
  axis: number;
}

function partShape(shape: number[], parts: number, axis: number): number[] {
  const out = shape.slice();
  out[axis] = shape[axis]! / parts;
  return out;
}

const register = heapKernel<SplitAttrs>(
  KERNEL,
  ({ inputs, be, attrs }) => {
    const x = inputs['x']!;
    const { parts, axis } = attrs;
    const shape = partShape(x.shape, parts, axis);
    const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    // Floats of one part inside one outer row; a row of x holds `parts` of these back to back.
    const run = shape.slice(axis).reduce((a, b) => a * b, 1);
    const outs: tf.TensorInfo[] = [];
    for (let p = 0; p < parts; p++) outs.push(be.makeOutput(shape, x.dtype));
    // Views are taken after every allocation: a heap growth detaches older views.
    const src = be.typedArrayFromHeap(x);
    for (let p = 0; p < parts; p++) {
      const dst = be.typedArrayFromHeap(outs[p]!);
      if (outer === 1) {
        dst.set(src.subarray(p * run, (p + 1) * run));
      } else {
        for (let o = 0; o < outer; o++) {
          const from = (o * parts + p) * run;
          dst.set(src.subarray(from, from + run), o * run);
        }
      }
    }
    return outs;
  },
  {
    gradFunc: (dy, _saved, attrs) => {
      const { axis } = attrs as unknown as SplitAttrs;
      const dys = Array.isArray(dy) ? dy : [dy];
      // Outputs that did not reach the loss have no gradient (null): they contribute zeros.
      const some = dys.find((g) => g != null)!;
      const parts = dys.map((g) => g ?? tf.zerosLike(some));
      return { x: () => concatEven(parts, axis) };
    },
  },
);

/** Splits x into `parts` equal pieces along `axis` (the axis length must divide evenly). */
export function splitEven<T extends tf.Tensor>(x: T, parts: number, axis = 0): T[] {
  const ax = axis < 0 ? axis + x.rank : axis;
  const len = x.shape[ax];
  if (len === undefined || !Number.isInteger(parts) || parts <= 0 || len % parts !== 0) {
    throw new Error(`splitEven: axis ${axis} of shape [${x.shape}] does not split into ${parts} equal parts`);
  }
  if (parts === 1) return [x];
  if (!onWasm()) return tf.split(x, parts, ax) as T[];
  register();
  return tf.engine().runKernel(KERNEL, { x }, { parts, axis: ax } as unknown as tf.NamedAttrMap) as unknown as T[];
}
