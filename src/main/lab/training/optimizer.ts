// AdamW (decoupled weight decay, Loshchilov & Hutter) with global-norm gradient clipping and a
// warmup + cosine learning-rate schedule. Written out instead of tf.train.adam because tfjs has
// no AdamW and because its moments must be saved and restored exactly for resumable runs.
import * as tf from '@tensorflow/tfjs';

export interface OptimizerConfig {
  lr: number;
  /** The schedule decays to lr * minLrRatio. */
  minLrRatio: number;
  warmupSteps: number;
  totalSteps: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Global gradient norm limit; 0 disables clipping. */
  gradClip: number;
}

/** Linear warmup to lr, then cosine decay to lr * minLrRatio at totalSteps. step is 0-based. */
export function learningRate(step: number, c: OptimizerConfig): number {
  if (c.warmupSteps > 0 && step < c.warmupSteps) return (c.lr * (step + 1)) / c.warmupSteps;
  const span = Math.max(1, c.totalSteps - c.warmupSteps);
  const progress = Math.min(1, (step - c.warmupSteps) / span);
  const minLr = c.lr * c.minLrRatio;
  return minLr + 0.5 * (c.lr - minLr) * (1 + Math.cos(Math.PI * progress));
}

function zerosVariable(like: tf.Tensor, name: string): tf.Variable {
  const z = tf.zerosLike(like);
  const v = tf.variable(z, false, name);
  z.dispose(); // tf.variable holds its own reference to the data
  return v;
}

export class AdamW {
  readonly config: OptimizerConfig;
  /** Number of updates applied so far (Adam's bias-correction t). */
  t = 0;
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();

  constructor(config: OptimizerConfig, params: Record<string, tf.Variable>) {
    this.config = config;
    for (const [name, p] of Object.entries(params)) {
      this.m.set(name, zerosVariable(p, `adam_m/${name}`));
      this.v.set(name, zerosVariable(p, `adam_v/${name}`));
    }
  }

  /** Weight decay applies to matrices (weights and embeddings), not to biases and LayerNorm gains. */
  static decays(name: string, p: tf.Variable): boolean {
    return p.rank >= 2 && !name.includes('ln_');
  }

  /**
   * Clips, updates parameters in place and returns the pre-clipping global gradient norm as a
   * scalar tensor (the caller reads it asynchronously and disposes it).
   */
  step(params: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>, lr: number): tf.Scalar {
    const c = this.config;
    this.t += 1;
    const t = this.t;
    return tf.tidy(() => {
      const names = Object.keys(params).filter((n) => grads[n]);
      const sq = names.map((n) => tf.sum(tf.square(grads[n]!)));
      const norm = tf.sqrt(tf.addN(sq)) as tf.Scalar;
      const clip = c.gradClip > 0 ? tf.minimum(1, tf.div(c.gradClip, tf.add(norm, 1e-6))) : tf.scalar(1);
      const bc1 = 1 - Math.pow(c.beta1, t);
      const bc2 = 1 - Math.pow(c.beta2, t);
      const stepSize = lr / bc1;
      for (const n of names) {
        const p = params[n]!;
        const g = tf.mul(grads[n]!, clip);
        const m = this.m.get(n)!;
        const v = this.v.get(n)!;
        const mNew = tf.add(tf.mul(m, c.beta1), tf.mul(g, 1 - c.beta1));
        const vNew = tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(g), 1 - c.beta2));
        m.assign(mNew);
        v.assign(vNew);
        const denom = tf.add(tf.sqrt(tf.div(vNew, bc2)), c.eps);
        let next = tf.sub(p, tf.mul(tf.div(mNew, denom), stepSize));
        if (c.weightDecay > 0 && AdamW.decays(n, p)) next = tf.sub(next, tf.mul(p, lr * c.weightDecay));
        p.assign(next);
      }
      return norm;
    });
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
    this.m.clear();
    this.v.clear();
  }
}
