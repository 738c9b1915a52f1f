// PST's semantic objective (docs/methods.md, "PST semantic targets"): the student's hidden state at
// the SEM positions, through a small projection head P, must be close to e(r), the rationale's
// target vector (see encoder.ts). This file holds the projection head and the three loss options.
import * as tf from '@tensorflow/tfjs';
import { linear, transpose2d, weightedCrossEntropy } from '../ops';
import type { Rng } from '../rng';
import type { PstHead, PstLossName } from '../../../../shared/catalogue';

export type SemanticLoss = PstLossName;
export type ProjectionHead = PstHead;

// ---------------------------------------------------------------- projection head

/** Parameter shapes of P (width -> dim), names prefixed 'sem_proj.' in checkpoints. */
export function projectionShapes(head: ProjectionHead, width: number, dim: number): [string, number[]][] {
  if (head === 'linear')
    return [
      ['sem_proj.0.weight', [width, dim]],
      ['sem_proj.0.bias', [dim]],
    ];
  return [
    ['sem_proj.0.weight', [width, width]],
    ['sem_proj.0.bias', [width]],
    ['sem_proj.1.weight', [width, dim]],
    ['sem_proj.1.bias', [dim]],
  ];
}

export function projectionInit(head: ProjectionHead, width: number, dim: number, rng: Rng): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name, shape] of projectionShapes(head, width, dim)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (name.endsWith('.weight')) {
      const std = 1 / Math.sqrt(shape[0]!);
      for (let i = 0; i < size; i++) data[i] = rng.normal() * std;
    }
    out.set(name, data);
  }
  return out;
}

export function project(head: ProjectionHead, p: Record<string, tf.Variable>, h: tf.Tensor2D): tf.Tensor2D {
  const l0 = linear(h, p['sem_proj.0.weight']!, p['sem_proj.0.bias']!, head === 'mlp' ? 'gelu' : 'none');
  if (head === 'linear') return l0;
  return linear(l0, p['sem_proj.1.weight']!, p['sem_proj.1.bias']!);
}

// ---------------------------------------------------------------- losses

function l2normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), -1, true), 1e-12)));
}

/**
 * L_sem between projected student states z [B, D] and frozen targets e [B, D]. rowWeights [B]
 * are 1 for rows that have a rationale and 0 otherwise; the loss is their weighted mean.
 *  - cosine:  1 - cos(z, e)
 *  - mse:     mean over dimensions of (z - e)^2 (no normalisation)
 *  - infonce: in-batch contrastive: softmax over cos(z_i, e_j) / tau, target j = i; rows without
 *             a rationale are not anchors, and their zero target never matches (cos 0).
 */
export function semanticLoss(
  kind: SemanticLoss,
  z: tf.Tensor2D,
  e: tf.Tensor2D,
  rowWeights: tf.Tensor1D,
  tau = 0.1,
): tf.Scalar {
  const denom = tf.maximum(tf.sum(rowWeights), 1e-9);
  const w = tf.div(rowWeights, denom) as tf.Tensor1D;
  // e is computed outside the gradient tape (frozen target), so no gradient reaches it.
  const eConst = e;
  switch (kind) {
    case 'cosine': {
      const cos = tf.sum(tf.mul(l2normalize(z), l2normalize(eConst)), -1);
      return tf.sum(tf.mul(tf.sub(1, cos), w));
    }
    case 'mse': {
      const per = tf.mean(tf.square(tf.sub(z, eConst)), -1);
      return tf.sum(tf.mul(per, w));
    }
    case 'infonce': {
      if (!(tau > 0)) throw new Error(`infonce: temperature must be > 0, got ${tau}`);
      // One row has no negatives: the softmax over its single candidate is 1 and the loss is 0
      // (a micro-batch of 1 under gradient accumulation, or a last batch of 1).
      if (z.shape[0] < 2) return tf.mul(tf.sum(z), 0) as tf.Scalar;
      const logits = tf.div(tf.matMul(l2normalize(z), transpose2d(l2normalize(eConst))), tau) as tf.Tensor2D;
      const targets = tf.range(0, z.shape[0], 1, 'int32') as tf.Tensor1D;
      return weightedCrossEntropy(logits, targets, w);
    }
  }
}
