// Seeded pseudo-random numbers for resampling. Bootstrap results must be reproducible from a
// seed (reports quote them), and Math.random cannot be seeded, so we use mulberry32: tiny, fast
// and statistically adequate for drawing resample indices.

/** A function returning uniform floats in [0, 1), fully determined by the seed. */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n). */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}
