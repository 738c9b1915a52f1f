// Seeded pseudo-random numbers for everything random in training (weight init, shuffling,
// dropout masks). tfjs' own random ops keep hidden global state, which would make a resumed run
// diverge from the uninterrupted one; this generator's whole state is one uint32 we can save.
export { Rng } from '../../../shared/mulberry32';

/** Mixes several integers into one seed, so streams for (seed, epoch) or (seed, step) are independent. */
export function deriveSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/**
 * Seed of a named stream, e.g. one parameter's initial values: deriveSeed over the seed and the
 * name's code points. Streams of different names are independent, so adding or resizing one
 * parameter (a longer vocabulary, say) leaves every other parameter's values as they were.
 */
export function namedSeed(seed: number, name: string): number {
  return deriveSeed(seed, ...Array.from(name, (ch) => ch.codePointAt(0)!));
}
