// splitHeads / mergeHeads: move attention heads between the projection layout and per-head
// matrices, in one launch, optionally transposed and scaled.
//
// The qkv projection gives rows [B*T, W] in which column block c (width d = W / blocks) holds
// H heads side by side (hd = d / H columns each). Attention wants, per sequence b and head h, a
// small dense matrix [T, hd] (or its transpose [hd, T]) to feed plain 2-D matmuls, the only
// matmuls that reach XNNPACK on tfjs-backend-wasm 4.22. Doing that with reshape + transpose +
// split costs a full strided Transpose plus the whole-input copies of wasm's Slice; these kernels
// copy each element once, straight between heap views. Other backends use the tfjs ops.

import * as tf from '@tensorflow/tfjs';
import { heapKernel, indexedInputs, onWasm, orderedInputs } from './wasmHeap';

const SPLIT = 'PstSplitHeads';
const MERGE = 'PstMergeHeads';

/** One group of per-head matrices: which column block of the rows, transposed or not, times what. */
export interface HeadGroup {
  /** Column block index (block c covers columns [c*d, (c+1)*d)); for merging, the group's position. */
  block: number;
  /** Pieces are [hd, T] instead of [T, hd]. */
  transposed?: boolean;
  /** Every copied value is multiplied by this (default 1). */
  scale?: number;
}

export interface HeadLayout {
  batch: number;
  time: number;
  heads: number;
  /** Width d of one column block (all heads of one of q, k, v). */
  width: number;
}

interface HeadAttrs {
  batch: number;
  time: number;
  heads: number;
  width: number;
  blocks: number[];
  transposed: number[];
  scales: number[];
}

function attrsOf(layout: HeadLayout, groups: readonly HeadGroup[]): HeadAttrs {
  return {
    ...layout,
    blocks: groups.map((g) => g.block),
    transposed: groups.map((g) => (g.transposed ? 1 : 0)),
    scales: groups.map((g) => g.scale ?? 1),
  };
}

function groupsOf(a: HeadAttrs): HeadGroup[] {
  return a.blocks.map((block, i) => ({ block, transposed: a.transposed[i] === 1, scale: a.scales[i]! }));
}

/**
 * Copies between rows [B*T, stride] (column offset `col`) and one head matrix, either way.
 * `toPiece` true reads rows into the piece; false writes the piece into the rows.
 */
function copyHead(
  rows: Float32Array,
  stride: number,
  col: number,
  piece: Float32Array,
  rowBase: number,
  time: number,
  hd: number,
  transposed: boolean,
  scale: number,
  toPiece: boolean,
): void {
  for (let t = 0; t < time; t++) {
    const r = (rowBase + t) * stride + col;
    if (!transposed) {
      // Element loops, not subarray + set: runs are only hd floats, and a subarray view per
      // run costs more than the copy (measured ~1.5x slower).
      const p = t * hd;
      if (toPiece) {
        for (let j = 0; j < hd; j++) piece[p + j] = rows[r + j]! * scale;
      } else {
        for (let j = 0; j < hd; j++) rows[r + j] = piece[p + j]! * scale;
      }
    } else if (toPiece) {
      for (let j = 0; j < hd; j++) piece[j * time + t] = rows[r + j]! * scale;
    } else {
      for (let j = 0; j < hd; j++) rows[r + j] = piece[j * time + t]! * scale;
    }
  }
}

function pieceShape(a: HeadAttrs, transposed: boolean): [number, number] {
  const hd = a.width / a.heads;
  return transposed ? [hd, a.time] : [a.time, hd];
}

const registerSplit = heapKernel<HeadAttrs>(
  SPLIT,
  ({ inputs, be, attrs: a }) => {
    const x = inputs['x']!;
    const groups = groupsOf(a);
    const hd = a.width / a.heads;
    const outs: tf.TensorInfo[] = [];
    for (const g of groups) for (let i = 0; i < a.batch * a.heads; i++) outs.push(be.makeOutput(pieceShape(a, !!g.transposed), 'float32'));
    // Views are taken after every allocation: a heap growth detaches older views.
    const src = be.typedArrayFromHeap(x) as Float32Array;
    const stride = x.shape[1]!;
    let o = 0;
    for (const g of groups) {
      for (let b = 0; b < a.batch; b++) {
        for (let h = 0; h < a.heads; h++) {
          const dst = be.typedArrayFromHeap(outs[o++]!) as Float32Array;
          copyHead(src, stride, g.block * a.width + h * hd, dst, b * a.time, a.time, hd, !!g.transposed, g.scale ?? 1, true);
        }
      }
    }
    return outs;
  },
  {
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const a = attrs as unknown as HeadAttrs;
      const x = saved[0]!;
      return { x: () => splitHeadsGradient(Array.isArray(dy) ? dy : [dy], a, x.shape[1]!) };
    },
  },
);

const registerMerge = heapKernel<HeadAttrs>(
  MERGE,
  ({ inputs, be, attrs: a }) => {
    const groups = groupsOf(a);
    const per = a.batch * a.heads;
    const pieces = orderedInputs(inputs, groups.length * per);
    const hd = a.width / a.heads;
    const stride = groups.length * a.width;
    const out = be.makeOutput([a.batch * a.time, stride], 'float32');
    const dst = be.typedArrayFromHeap(out) as Float32Array;
    groups.forEach((g, gi) => {
      for (let b = 0; b < a.batch; b++) {
        for (let h = 0; h < a.heads; h++) {
          const src = be.typedArrayFromHeap(pieces[gi * per + b * a.heads + h]!) as Float32Array;
          copyHead(dst, stride, gi * a.width + h * hd, src, b * a.time, a.time, hd, !!g.transposed, g.scale ?? 1, false);
        }
      }
    });
    return out;
  },
  {
    gradFunc: (dy, _saved, attrs) => {
      const a = attrs as unknown as HeadAttrs;
      const groups = groupsOf(a).map((g, i) => ({ ...g, block: i }));
      const pieces = splitHeads(dy as tf.Tensor2D, a, groups);
      const grads: Record<string, () => tf.Tensor> = {};
      pieces.flat().forEach((g, i) => {
        grads[String(i)] = () => g;
      });
      return grads;
    },
  },
);

function register(): void {
  registerSplit();
  registerMerge();
}

/** Gradient of splitHeads: every group's piece gradients merged back into its column block, summed. */
function splitHeadsGradient(dys: (tf.Tensor | null)[], a: HeadAttrs, rowWidth: number): tf.Tensor2D {
  const groups = groupsOf(a);
  const per = a.batch * a.heads;
  const blockCount = rowWidth / a.width;
  const byBlock: tf.Tensor2D[][] = Array.from({ length: blockCount }, () => []);
  groups.forEach((g, gi) => {
    const ds = dys.slice(gi * per, (gi + 1) * per);
    if (ds.every((d) => d == null)) return;
    const filled = ds.map((d) => (d ?? tf.zeros(pieceShape(a, !!g.transposed))) as tf.Tensor2D);
    byBlock[g.block]!.push(mergeHeads([filled], a, [{ ...g, block: 0 }]));
  });
  const rows = a.batch * a.time;
  const cols = byBlock.map((ts) => (ts.length === 0 ? tf.zeros([rows, a.width]) : ts.length === 1 ? ts[0]! : tf.addN(ts)));
  return (cols.length === 1 ? cols[0]! : tf.concat(cols, 1)) as tf.Tensor2D;
}

function checkLayout(layout: HeadLayout, rows: number, what: string): void {
  const { batch, time, heads, width } = layout;
  if (width % heads !== 0) throw new Error(`${what}: width ${width} is not a multiple of ${heads} heads`);
  if (rows !== batch * time) throw new Error(`${what}: ${rows} rows, expected ${batch} x ${time}`);
}

/**
 * Per-head matrices of x [B*T, W]: for each group, B*H tensors ordered by sequence then head,
 * each [T, hd] (or [hd, T] when transposed) = scale * x[b*T + t, block*d + h*hd + j].
 */
export function splitHeads(x: tf.Tensor2D, layout: HeadLayout, groups: readonly HeadGroup[]): tf.Tensor2D[][] {
  checkLayout(layout, x.shape[0], 'splitHeads');
  const blocks = x.shape[1] / layout.width;
  for (const g of groups) {
    if (!Number.isInteger(g.block) || g.block < 0 || g.block >= blocks) throw new Error(`splitHeads: column block ${g.block} is outside [0, ${blocks}) for rows of width ${x.shape[1]}`);
  }
  const per = layout.batch * layout.heads;
  const a = attrsOf(layout, groups);
  if (!onWasm()) return groups.map((g) => splitHeadsWithOps(x, a, g));
  register();
  const flat = tf.engine().runKernel(SPLIT, { x }, a as unknown as tf.NamedAttrMap) as unknown as tf.Tensor2D[];
  return groups.map((_, gi) => flat.slice(gi * per, (gi + 1) * per));
}

/**
 * Inverse of splitHeads: groups[g] (B*H pieces each, as splitHeads orders them) times its scale
 * goes to column block g of the result [B*T, groups * d]; the groups' `block` is ignored.
 */
export function mergeHeads(pieces: readonly (readonly tf.Tensor2D[])[], layout: HeadLayout, groups: readonly HeadGroup[]): tf.Tensor2D {
  checkLayout(layout, layout.batch * layout.time, 'mergeHeads');
  if (pieces.length !== groups.length) throw new Error(`mergeHeads: ${pieces.length} piece groups for ${groups.length} group specs`);
  const per = layout.batch * layout.heads;
  const a = attrsOf(layout, groups);
  pieces.forEach((ps, gi) => {
    const want = pieceShape(a, !!groups[gi]!.transposed);
    if (ps.length !== per) throw new Error(`mergeHeads: group ${gi} has ${ps.length} pieces, expected ${per}`);
    for (const p of ps) if (p.shape[0] !== want[0] || p.shape[1] !== want[1]) throw new Error(`mergeHeads: group ${gi} piece is [${p.shape}], expected [${want}]`);
  });
  if (!onWasm()) return mergeHeadsWithOps(pieces, a, groups);
  register();
  return tf.engine().runKernel(MERGE, indexedInputs(pieces.flat()), a as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}

// Plain-tfjs versions for other backends (and the definition the kernels must match).
function splitHeadsWithOps(x: tf.Tensor2D, a: HeadAttrs, g: HeadGroup): tf.Tensor2D[] {
  const hd = a.width / a.heads;
  const cols = tf.slice(x, [0, g.block * a.width], [a.batch * a.time, a.width]);
  const perm = g.transposed ? [0, 2, 3, 1] : [0, 2, 1, 3];
  const heads = tf.mul(tf.transpose(tf.reshape(cols, [a.batch, a.time, a.heads, hd]), perm), g.scale ?? 1);
  const [r, c] = pieceShape(a, !!g.transposed);
  return tf.unstack(tf.reshape(heads, [a.batch * a.heads, r, c])) as tf.Tensor2D[];
}

function mergeHeadsWithOps(pieces: readonly (readonly tf.Tensor2D[])[], a: HeadAttrs, groups: readonly HeadGroup[]): tf.Tensor2D {
  const hd = a.width / a.heads;
  const cols = groups.map((g, gi) => {
    const stacked = tf.stack(pieces[gi] as tf.Tensor2D[]);
    const bh = g.transposed ? tf.reshape(stacked, [a.batch, a.heads, hd, a.time]) : tf.reshape(stacked, [a.batch, a.heads, a.time, hd]);
    const perm = g.transposed ? [0, 3, 1, 2] : [0, 2, 1, 3];
    return tf.mul(tf.reshape(tf.transpose(bh, perm), [a.batch * a.time, a.width]), g.scale ?? 1);
  });
  return (cols.length === 1 ? cols[0]! : tf.concat(cols, 1)) as tf.Tensor2D;
}
