// A whole generated dataset: examples with their splits dealt, and the pattern report that says
// how much of it a student could answer from memory (docs/methods.md, "Compositional split").
// `datasets.generate`, experiment variants and experiment plans all go through here, so a dataset
// made by hand equals the variant an experiment makes with the same settings.
import type { ExampleInput } from '../../../shared/types/dataset';
import type { SyntheticPatternReport } from '../../../shared/types/importing';
import { getSyntheticTask } from './catalog';
import { generateExample } from './generate';
import { resolveSyntheticOptions, type SyntheticOptions, type SyntheticSettings } from './options';
import { dealSplits } from './splits';

export interface SyntheticDataset {
  settings: SyntheticSettings;
  /** Every example with its split set. */
  examples: ExampleInput[];
  patterns: SyntheticPatternReport;
}

/** Distinct patterns the settings can produce for train/val items and for test items. */
export function possiblePatterns(settings: SyntheticSettings): SyntheticPatternReport['possible'] {
  const task = getSyntheticTask(settings.task);
  const sum = (lo: number, hi: number, heldOut: boolean): number => {
    let total = 0;
    for (let size = lo; size <= hi; size++) total += task.patternCount(size, heldOut);
    return total;
  };
  const trainVal = sum(settings.minSize, settings.maxSize, false);
  const test = settings.split === 'compositional' ? sum(settings.testMinSize!, settings.testMaxSize!, true) : trainVal;
  return { trainVal, test };
}

/** Pattern counts of split examples (each carries `metadata.pattern`, set by the generator). */
export function patternReport(settings: SyntheticSettings, examples: readonly ExampleInput[]): SyntheticPatternReport {
  const of = (e: ExampleInput): string => {
    const p = e.metadata['pattern'];
    if (typeof p !== 'string') throw new Error(`synthetic example ${e.externalId} has no pattern`);
    return p;
  };
  const training = new Set(examples.filter((e) => e.split === 'train').map(of));
  const items = { train: 0, val: 0, test: 0 };
  const inTest = new Set<string>();
  let valSeenInTraining = 0;
  let testSeenInTraining = 0;
  for (const e of examples) {
    if (e.split === null) throw new Error(`synthetic example ${e.externalId} has no split`);
    items[e.split]++;
    const p = of(e);
    if (e.split === 'val' && training.has(p)) valSeenInTraining++;
    if (e.split === 'test') {
      inTest.add(p);
      if (training.has(p)) testSeenInTraining++;
    }
  }
  return {
    split: settings.split,
    definition: getSyntheticTask(settings.task).patternDefinition,
    possible: possiblePatterns(settings),
    items,
    inTraining: training.size,
    inTest: inTest.size,
    valSeenInTraining,
    testSeenInTraining,
  };
}

/** Generates a dataset with its splits dealt (80/10/10, seeded) and its pattern report. */
export function generateSyntheticDataset(options: SyntheticOptions): SyntheticDataset {
  const settings = resolveSyntheticOptions(options);
  const splits = dealSplits(settings.n, settings.seed);
  const examples = splits.map((split, i) => generateExample(settings, settings.startIndex + i, split));
  return { settings, examples, patterns: patternReport(settings, examples) };
}
