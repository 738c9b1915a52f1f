// The one seeded generator (src/shared/mulberry32.ts) replaced three `Rng`s (training, synthetic
// data, bootstrap) and dropout's inlined copy. These draws were recorded from the three old
// generators before they were merged: every existing stream must stay bit-identical, so old runs,
// datasets and bootstrap intervals reproduce (docs/methods.md, "Random streams").
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/shared/mulberry32';
import { dropoutMask } from '../../../src/main/lab/training/model';
import { batchStartPosition } from '../../../src/main/lab/training/trainer';

describe('the seeded generator keeps every old stream', () => {
  it("training's draws (next, uint32, normal, integer index, shuffle)", () => {
    const t = new Rng(42);
    expect([t.next(), t.next(), t.next()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect([t.nextU32(), t.nextU32()]).toEqual([2876485805, 750819978]);
    expect([t.normal(), t.normal()]).toEqual([-0.1778509189597297, 0.9290347816728559]);
    expect([t.index(10), t.index(1000)]).toEqual([4, 249]);
    expect(t.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([9, 4, 0, 7, 5, 3, 1, 2, 6, 8]);
    expect(t.state).toBe(2271577934);
  });

  it("the synthetic generators' draws (inclusive int, pick, chance, sample, shuffle, weighted)", () => {
    const s = new Rng(42);
    expect([s.int(1, 6), s.int(1, 6), s.int(-5, 5), s.int(0, 100)]).toEqual([4, 3, 4, 67]);
    expect(s.pick(['a', 'b', 'c', 'd'])).toBe('a');
    expect([s.chance(0.5), s.chance(0.1)]).toEqual([false, false]);
    expect(s.sample([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([4, 2, 7]);
    expect(s.shuffle(['a', 'b', 'c', 'd', 'e'])).toEqual(['d', 'c', 'e', 'a', 'b']);
    expect([s.weightedIndex([1, 2, 3]), s.weightedIndex([0, 5, 1])]).toEqual([2, 1]);
    expect(s.state).toBe(440012121);
  });

  it("the bootstrap's resample indices", () => {
    const r = new Rng(42);
    expect([r.index(10), r.index(10), r.index(1000), r.next()]).toEqual([6, 4, 852, 0.6697340414393693]);
  });

  it('random batch start positions (randomPositions)', () => {
    // Recorded from the old training Rng's int(context - time + 1) on the (seed, 0x5057, step) stream.
    const draws = [1, 7].flatMap((seed) =>
      [0, 1, 2, 3, 4, 5].map((step) => batchStartPosition({ seed, randomPositions: true }, step, 256, 40)),
    );
    expect(draws).toEqual([50, 153, 33, 20, 158, 113, 145, 212, 88, 159, 93, 60]);
    expect(batchStartPosition({ seed: 1, randomPositions: false }, 3, 256, 40)).toBe(0);
  });

  it('dropout masks', () => {
    const k = Math.fround(1 / 0.7);
    expect(Array.from(dropoutMask(16, { rate: 0.3, rng: new Rng(7) }))).toEqual([
      k,
      k,
      0,
      k,
      k,
      k,
      k,
      k,
      k,
      k,
      k,
      k,
      0,
      k,
      k,
      0,
    ]);
  });

  it('shuffle leaves its input untouched', () => {
    const xs = [1, 2, 3, 4];
    new Rng(1).shuffle(xs);
    expect(xs).toEqual([1, 2, 3, 4]);
  });
});
