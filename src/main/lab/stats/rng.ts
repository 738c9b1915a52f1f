// Seeded pseudo-random numbers for resampling. Bootstrap results must be reproducible from a
// seed (reports quote them), and Math.random cannot be seeded, so we use mulberry32: tiny, fast
// and statistically adequate for drawing resample indices.
import { Mulberry32 } from '../../../shared/mulberry32';

/** A function returning uniform floats in [0, 1), fully determined by the seed. */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  const g = new Mulberry32(seed);
  return () => g.next();
}

/** Uniform integer in [0, n). */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}
