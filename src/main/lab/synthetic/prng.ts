// Seeds for the synthetic generators (the generator is src/shared/mulberry32.ts). Math.random is never used: the same
// seed must give byte-identical datasets on every machine and Node version, so the generator is a
// small integer-only algorithm (mulberry32) whose output depends on nothing but its state.
export { Rng } from '../../../shared/mulberry32';

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
