// gatherRows: rows of a float32 table picked by int32 ids, as a wasm-heap JS kernel.
//
// WHY: the student's token and position embeddings are row lookups. With tfjs ops they were a
// one-hot matmul (3 kernels and a [N, V] one-hot) or, for positions, a Slice, which on
// tfjs-backend-wasm 4.22 first copies the whole table out of the heap. One contiguous copy per
// row is the cheapest lookup there is, which matters most when decoding one token at a time.
// Not differentiable by itself: ops.embed supplies the (one-hot matmul) gradient.
import * as tf from '@tensorflow/tfjs';
import { heapKernel, onWasm } from './wasmHeap';

const KERNEL = 'PstGatherRows';

const register = heapKernel(
  KERNEL,
  ({ inputs, be }) => {
    const [table, ids] = [inputs['table']!, inputs['ids']!];
    const [rows, d] = table.shape as [number, number];
    const n = ids.shape[0]!;
    // Checked before allocating, so a bad id leaks nothing.
    be.typedArrayFromHeap(ids).forEach((r, i) => {
      if (r < 0 || r >= rows) throw new Error(`gatherRows: id ${r} at position ${i} is outside the table's ${rows} rows`);
    });
    const out = be.makeOutput([n, d], 'float32');
    // Views are taken after the allocation: a heap growth detaches older views.
    const dst = be.typedArrayFromHeap(out) as Float32Array;
    const src = be.typedArrayFromHeap(table) as Float32Array;
    const idx = be.typedArrayFromHeap(ids) as Int32Array;
    for (let i = 0; i < n; i++) {
      const r = idx[i]!;
      dst.set(src.subarray(r * d, (r + 1) * d), i * d);
    }
    return out;
  },
);

/** table [R, d] float32, ids [N] int32 -> [N, d] with row i = table[ids[i]]. */
export function gatherRows(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  if (table.rank !== 2 || table.dtype !== 'float32') throw new Error(`gatherRows: expected a float32 table [R, d], got [${table.shape}] ${table.dtype}`);
  if (ids.rank !== 1 || ids.dtype !== 'int32') throw new Error(`gatherRows: expected int32 ids [N], got [${ids.shape}] ${ids.dtype}`);
  if (!onWasm()) return tf.gather(table, ids);
  register();
  return tf.engine().runKernel(KERNEL, { table, ids }) as tf.Tensor2D;
}
