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

/** A generator object over that stream: uniform uint32 and floats in [0, 1). */
export class Mulberry32 {
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
}
