// Seeded pseudo-random numbers for the synthetic generators. Math.random is never used: the same
// seed must give byte-identical datasets on every machine and Node version, so the generator is a
// small integer-only algorithm (mulberry32) whose output depends on nothing but its state.
import { Mulberry32 } from '../../../shared/mulberry32';

/** Mixes 32-bit words into one well-spread 32-bit seed (murmur3 finaliser on a running hash). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Splits a user seed (any safe integer, possibly negative or above 2^32) into two 32-bit words so
 * that seeds differing only in their high bits still give different streams.
 */
export function seedWords(seed: number): [number, number] {
  const low = seed % 0x100000000;
  const high = Math.floor(seed / 0x100000000);
  return [low >>> 0, high >>> 0];
}

/** mulberry32 (src/shared/mulberry32.ts) with what the generators need: ranges, picks, samples. */
export class Rng extends Mulberry32 {
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A shuffled copy (Fisher-Yates); the input is left untouched. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
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
