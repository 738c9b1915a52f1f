// One wording of a generated dataset's pattern report (docs/methods.md, "Compositional split"),
// shared by the CLI and the Generate dialog so both say the same thing.
import type { SyntheticPatternReport } from './types/importing';

const share = (k: number, n: number): string => (n === 0 ? '-' : `${((100 * k) / n).toFixed(0)}%`);

/** Lines such as "Test items whose pattern occurs in training: 100 of 100 (100%)". */
export function describePatternReport(p: SyntheticPatternReport): string[] {
  const possible =
    p.split === 'compositional'
      ? `${p.possible.trainVal} for train/val items, ${p.possible.test} for test items (disjoint)`
      : `${p.possible.trainVal}`;
  return [
    `Split: ${p.split}. Pattern = ${p.definition}.`,
    `Distinct patterns possible: ${possible}; in training: ${p.inTraining}; in test: ${p.inTest}.`,
    `Test items whose pattern occurs in training: ${p.testSeenInTraining} of ${p.items.test} (${share(p.testSeenInTraining, p.items.test)}).`,
    `Validation items whose pattern occurs in training: ${p.valSeenInTraining} of ${p.items.val} (${share(p.valSeenInTraining, p.items.val)}).`,
  ];
}
