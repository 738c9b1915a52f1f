// `pst-lab bench ...`: speed figures printed, never asserted.
import { benchImport } from '../../lab/bench/importBench';
import type { Command } from '../command';
import { printFields, printJson } from '../output';
import { numberOption } from '../parse';

const importUsage = 'pst-lab bench import [--n 100000] [--json]';

export const benchImportCommand: Command = {
  path: ['bench', 'import'],
  usage: importUsage,
  summary: 'Time importing a generated JSONL file (default 100,000 examples) into a throw-away lab.',
  options: { n: { type: 'string' } },
  positionals: [0, 0],
  async run({ values, json, io }) {
    const n = numberOption(values, 'n', importUsage, { integer: true, min: 1 }) ?? 100_000;
    const r = await benchImport(n);
    if (json) return printJson(io, r);
    printFields(io, [
      ['examples', r.n],
      ['file size', `${(r.fileBytes / 2 ** 20).toFixed(1)} MiB`],
      ['parse', `${r.parseMs} ms (${r.parseExamplesPerSecond} examples/s)`],
      ['store', `${r.storeMs} ms (${r.storeExamplesPerSecond} examples/s)`],
      ['total', `${r.totalMs} ms (${r.examplesPerSecond} examples/s)`],
    ]);
  },
};

export const BENCH_COMMANDS: readonly Command[] = [benchImportCommand];
