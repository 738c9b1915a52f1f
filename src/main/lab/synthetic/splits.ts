// Which split each generated example lands in. Both splits deal positions 0..n-1 with the same
// seeded shuffle and 80/10/10 counts (the curation store's assignSplits), so the random split is
// exactly what it was before the compositional split existed, and a compositional dataset has
// the same positions in test as the random one with the same seed.
import type { Split } from '../../../shared/types/dataset';
import { assignSplits, splitRatios, splitRng } from '../datasets/store/curation';

/** Split proportions of every generated dataset. */
export const GENERATED_SPLIT = { train: 0.8, val: 0.1, test: 0.1 } as const;

/** The split of positions 0..n-1 of a dataset generated with `seed`. */
export function dealSplits(n: number, seed: number): Split[] {
  const out = new Array<Split>(n);
  const positions = Array.from({ length: n }, (_, i) => i);
  for (const [i, split] of assignSplits(positions, splitRatios(GENERATED_SPLIT), splitRng(seed))) out[i] = split;
  return out;
}
