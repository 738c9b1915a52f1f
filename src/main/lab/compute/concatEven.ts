// concatEven: join equal-shaped tensors along one axis, differentiably (the inverse of splitEven).
//
// WHY a kernel of our own: tfjs-backend-wasm 4.22's Concat reads every input out of the heap
// (readSync copies) and concatenates in JS before writing back; attention joins 64 small
// per-head products per step several times, and that cost ~0.75 ms each time. This kernel
// copies each input's contiguous runs straight into the output with typed-array views, in one
// launch. Other backends use tf.concat. The gradient is splitEven of the output gradient.
import * as tf from '@tensorflow/tfjs';
import { splitEven } from './splitEven';
import { heapKernel, indexedInputs, onWasm, orderedInputs } from './wasmHeap';

const KERNEL = 'PstConcatEven';

interface ConcatAttrs {
  parts: number;
  axis: number;
}

const register = heapKernel<ConcatAttrs>(
  KERNEL,
  ({ inputs, be, attrs }) => {
    const { parts, axis } = attrs;
    const xs = orderedInputs(inputs, parts);
    const first = xs[0]!;
    const shape = first.shape.slice();
    shape[axis] = first.shape[axis]! * parts;
    const outer = first.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    // Floats of one input inside one outer row; an output row holds `parts` of these in turn.
    const run = first.shape.slice(axis).reduce((a, b) => a * b, 1);
    const out = be.makeOutput(shape, first.dtype);
    // Views are taken after the allocation: a heap growth detaches older views.
    const dst = be.typedArrayFromHeap(out);
    for (let p = 0; p < parts; p++) {
      const src = be.typedArrayFromHeap(xs[p]!);
      if (outer === 1) {
        dst.set(src, p * run);
      } else {
        for (let o = 0; o < outer; o++) dst.set(src.subarray(o * run, (o + 1) * run), (o * parts + p) * run);
      }
    }
    return out;
  },
  {
    gradFunc: (dy, _saved, attrs) => {
      const { parts, axis } = attrs as unknown as ConcatAttrs;
      const pieces = splitEven(dy as tf.Tensor, parts, axis);
      const grads: Record<string, () => tf.Tensor> = {};
      pieces.forEach((g, i) => {
        grads[String(i)] = () => g;
      });
      return grads;
    },
  },
);

/** Concatenates equal-shaped, same-dtype tensors along `axis`. */
export function concatEven<T extends tf.Tensor>(xs: readonly T[], axis = 0): T {
  const first = xs[0];
  if (!first) throw new Error('concatEven: no tensors to join');
  const ax = axis < 0 ? axis + first.rank : axis;
  if (ax < 0 || ax >= first.rank) throw new Error(`concatEven: axis ${axis} is out of range for shape [${first.shape}]`);
  for (const x of xs) {
    if (x.dtype !== first.dtype || x.shape.length !== first.shape.length || x.shape.some((s, i) => s !== first.shape[i])) {
      throw new Error(`concatEven: shapes differ ([${first.shape}] ${first.dtype} vs [${x.shape}] ${x.dtype})`);
    }
  }
  if (xs.length === 1) return first;
  if (!onWasm()) return tf.concat(xs as T[], ax) as T;
  register();
  return tf.engine().runKernel(KERNEL, indexedInputs(xs), { parts: xs.length, axis: ax } as unknown as tf.NamedAttrMap) as T;
}
