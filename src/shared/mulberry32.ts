// mulberry32, the one seeded generator of the lab (synthetic data, training, bootstrap). Math.random
// cannot be seeded; this tiny integer-only algorithm gives the same stream on every machine and
// Node version, and its whole state is one uint32 (so a checkpoint can store it).

/** The next state after `state`. */
export function mulberry32Next(state: number): number {
  return (state + 0x6d2b79f5) >>> 0;
}

/** The uint32 output for a state (call after advancing with mulberry32Next). */
export function mulberry32Output(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/**
 * The lab's one seeded generator over that stream (training, synthetic data, bootstrap): uniform
 * uint32 and floats in [0, 1), normals, integers, picks and shuffles. Every draw is a fixed
 * function of next(), so a stream is the same wherever it is used (docs/methods.md, "Random streams").
 */
export class Rng {
  protected s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** The full generator state. */
  get state(): number {
    return this.s;
  }

  nextU32(): number {
    this.s = mulberry32Next(this.s);
    return mulberry32Output(this.s);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Standard normal (Box-Muller; one value per call keeps the state a single number). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Uniform index in [0, n). */
  index(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[this.index(items.length)]!;
  }

  /** A shuffled copy (Fisher-Yates); the input is left untouched. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.index(i + 1);
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }

  /** `count` distinct items drawn without replacement, in draw order. */
  sample<T>(items: readonly T[], count: number): T[] {
    if (count > items.length) throw new Error(`Rng.sample: asked for ${count} of ${items.length} items`);
    return this.shuffle(items).slice(0, count);
  }

  /** Index drawn with probability proportional to its (non-negative) weight. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    if (!(total > 0)) throw new Error('Rng.weightedIndex: weights must have a positive sum');
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    // Floating-point rounding can leave r at ~0 after the loop: return the last positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return 0;
  }
}
