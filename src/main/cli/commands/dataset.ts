// `pst-lab dataset ...`: import, generate, list, show, versions, split, export.
import { HALLUCINATION_TYPES } from '../../../shared/types/dataset';
import { describeHallucinated, describeTeacherAccuracy } from '../../../shared/teacherStats';
import type { VersionSummary } from '../../../shared/types/datasets';
import { IMPORT_FORMATS, MAPPING_FIELDS, type ColumnMapping } from '../../../shared/types/importing';
import { describePatternReport } from '../../../shared/patterns';
import { datasetIdByName } from '../../lab/datasets/store/datasets';
import type { Lab } from '../../lab/lab';
import { call, withLab } from '../call';
import { UsageError, type Command, type CommandArgs } from '../command';
import { printFields, printJson, printTable } from '../output';
import { numberOption, stringOption } from '../parse';

function datasetArg(lab: Lab, ref: string): number {
  return datasetIdByName(lab.db, ref);
}

function versionArg(value: unknown, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--version must be a version number (1, 2, ...), got ${String(value)}`, usage);
  return n;
}

function describeVersion(v: VersionSummary): string {
  const s = v.stats;
  return (
    `${s.examples} examples (train ${s.splits.train}, val ${s.splits.val}, test ${s.splits.test}, unassigned ${s.splits.none}; excluded ${s.excluded}), ` +
    `teacher accuracy ${describeTeacherAccuracy(s)}, hallucinated ${describeHallucinated(s)}`
  );
}

const importUsage =
  'pst-lab dataset import <path...> [--format auto|' + IMPORT_FORMATS.join('|') + '] [--name N] [--skip-invalid] [--map field=column,...] [--json] [--data-dir DIR]';

/** --map question=<column>,answer=<column> (the syntax the importer's error message shows), or the same as a JSON object. */
function parseMapping(text: string | undefined): Partial<ColumnMapping> | undefined {
  if (!text) return undefined;
  const out: Partial<ColumnMapping> = {};
  if (text.trim().startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      throw new UsageError(`--map: not a JSON object: ${text}`, importUsage);
    }
    for (const [field, column] of Object.entries(obj as Record<string, unknown>)) {
      if (!(MAPPING_FIELDS as readonly string[]).includes(field) || typeof column !== 'string') {
        throw new UsageError(`--map takes fields ${MAPPING_FIELDS.join(', ')} with column names; got ${JSON.stringify(field)}: ${JSON.stringify(column)}`, importUsage);
      }
      out[field as keyof ColumnMapping] = column;
    }
    return out;
  }
  for (const pair of text.split(',')) {
    const [field, column] = pair.split('=').map((s) => s.trim());
    if (!field || !column || !(MAPPING_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(`--map takes field=column pairs with fields ${MAPPING_FIELDS.join(', ')}; got "${pair}"`, importUsage);
    }
    out[field as keyof ColumnMapping] = column;
  }
  return out;
}

export const datasetImportCommand: Command = {
  path: ['dataset', 'import'],
  usage: importUsage,
  summary: 'Import teacher-rationale files as a new dataset (all or nothing unless --skip-invalid).',
  options: { format: { type: 'string' }, name: { type: 'string' }, 'skip-invalid': { type: 'boolean' }, map: { type: 'string' } },
  positionals: [1, 64],
  async run({ values, positionals, dataDir, json, io }) {
    const formatFlag = stringOption(values, 'format');
    const format = IMPORT_FORMATS.find((f) => f === formatFlag);
    if (formatFlag && formatFlag !== 'auto' && !format) {
      throw new UsageError(`unknown --format ${formatFlag}`, importUsage);
    }
    const mapping = parseMapping(stringOption(values, 'map'));
    const name = stringOption(values, 'name');
    await withLab(dataDir, async (lab) => {
      let lastPct = -1;
      const off = lab.events.subscribe((m) => {
        if (m.name !== 'job.progress' || json || !m.payload.total) return;
        const pct = Math.floor((100 * m.payload.done) / m.payload.total);
        if (pct !== lastPct && pct % 10 === 0) io.stderr(`\r${m.payload.label}: ${pct}%`);
        lastPct = pct;
      });
      const report = await call(lab, 'datasets.import', {
        paths: positionals,
        ...(format ? { format } : {}),
        ...(mapping ? { mapping } : {}),
        ...(name ? { name } : {}),
        skipInvalid: values['skip-invalid'] === true,
      }).finally(off);
      if (!json && lastPct >= 0) io.stderr('\n');
      if (json) return printJson(io, report);
      io.stdout(`Imported dataset "${report.name}" (id ${report.datasetId}) as version ${report.version.number}: ${describeVersion(report.version)}\n`);
      io.stdout(`Format ${report.format}; parsed in ${report.parseMs} ms, stored in ${report.storeMs} ms.\n`);
      if (report.summary) {
        const m = report.summary;
        io.stdout(`${m.completions} teacher completions; ${m.withoutRationale} examples without any rationale; ${m.teacherNoAnswer} completions without a teacher answer (counted wrong); ${m.teacherHedged} hedged answers (counted wrong).\n`);
      }
      if (report.skipped.length) {
        io.stdout(`Skipped ${report.skipped.length} invalid records:\n`);
        for (const s of report.skipped) io.stdout(`  ${s.file}:${s.line}${s.field ? ` (${s.field})` : ''}: ${s.reason}\n`);
      }
      for (const w of report.warnings.slice(0, 20)) io.stderr(`warning: ${w.file}:${w.line}${w.field ? ` (${w.field})` : ''}: ${w.reason}\n`);
      if (report.warnings.length > 20) io.stderr(`... and ${report.warnings.length - 20} more warnings (--json lists them all)\n`);
    });
  },
};

const generateUsage =
  'pst-lab dataset generate --task coin_flip|last_letters|arithmetic|shuffled_objects --n N [--hallucination-rate P] ' +
  '[--hallucination-types t1,t2] [--answer-follows-error] [--min-size K] [--max-size K] [--split random|compositional] ' +
  '[--test-min-size K] [--test-max-size K] [--seed S] [--name N] [--json] [--data-dir DIR]';

export const datasetGenerateCommand: Command = {
  path: ['dataset', 'generate'],
  usage: generateUsage,
  summary:
    'Generate a synthetic task with controlled teacher hallucinations (split 80/10/10; --split compositional: test items larger than any training item).',
  options: {
    task: { type: 'string' },
    n: { type: 'string' },
    'hallucination-rate': { type: 'string' },
    'hallucination-types': { type: 'string' },
    'answer-follows-error': { type: 'boolean' },
    'min-size': { type: 'string' },
    'max-size': { type: 'string' },
    split: { type: 'string' },
    'test-min-size': { type: 'string' },
    'test-max-size': { type: 'string' },
    seed: { type: 'string' },
    name: { type: 'string' },
  },
  positionals: [0, 0],
  async run({ values, dataDir, json, io }) {
    const task = stringOption(values, 'task');
    if (!task) throw new UsageError('--task is required', generateUsage);
    const n = numberOption(values, 'n', generateUsage, { integer: true, min: 1 });
    if (n === undefined) throw new UsageError('--n is required', generateUsage);
    const rate = numberOption(values, 'hallucination-rate', generateUsage, { min: 0, max: 1 });
    const seed = numberOption(values, 'seed', generateUsage, { integer: true });
    const typesText = stringOption(values, 'hallucination-types');
    const types = typesText?.split(',').map((text) => {
      const t = HALLUCINATION_TYPES.find((h) => h === text.trim());
      if (!t) throw new UsageError(`unknown hallucination type "${text.trim()}" (known: ${HALLUCINATION_TYPES.join(', ')})`, generateUsage);
      return t;
    });
    const name = stringOption(values, 'name');
    const minSize = numberOption(values, 'min-size', generateUsage, { integer: true, min: 1 });
    const maxSize = numberOption(values, 'max-size', generateUsage, { integer: true, min: 1 });
    const split = stringOption(values, 'split');
    if (split !== undefined && split !== 'random' && split !== 'compositional') {
      throw new UsageError(`--split must be random or compositional, got "${split}"`, generateUsage);
    }
    const testMinSize = numberOption(values, 'test-min-size', generateUsage, { integer: true, min: 1 });
    const testMaxSize = numberOption(values, 'test-max-size', generateUsage, { integer: true, min: 1 });
    const report = await withLab(dataDir, (lab) =>
      call(lab, 'datasets.generate', {
        ...(minSize !== undefined ? { minSize } : {}),
        ...(maxSize !== undefined ? { maxSize } : {}),
        ...(split !== undefined ? { split } : {}),
        ...(testMinSize !== undefined ? { testMinSize } : {}),
        ...(testMaxSize !== undefined ? { testMaxSize } : {}),
        task,
        n,
        ...(seed !== undefined ? { seed } : {}),
        ...(rate !== undefined ? { hallucinationRate: rate } : {}),
        ...(types ? { hallucinationTypes: types } : {}),
        ...(values['answer-follows-error'] ? { keepAnswerCorrect: false } : {}),
        ...(name ? { name } : {}),
      }),
    );
    if (json) return printJson(io, report);
    io.stdout(`Generated dataset "${report.name}" (id ${report.datasetId}): ${describeVersion(report.version)}\n`);
    io.stdout(`${report.hallucinated} examples carry injected hallucinations; ${report.elapsedMs} ms.\n`);
    for (const line of describePatternReport(report.patterns)) io.stdout(`${line}\n`);
  },
};

export const datasetListCommand: Command = {
  path: ['dataset', 'list'],
  usage: 'pst-lab dataset list [--json] [--data-dir DIR]',
  summary: 'List datasets with sizes, versions, splits and teacher accuracy.',
  options: {},
  positionals: [0, 0],
  async run({ dataDir, json, io }) {
    const list = await withLab(dataDir, (lab) => call(lab, 'datasets.list', {}));
    if (json) return printJson(io, list);
    if (list.length === 0) return void io.stdout('No datasets yet. Try `pst-lab dataset generate --task coin_flip --n 1000`.\n');
    printTable(
      io,
      ['id', 'name', 'source', 'version', 'examples', 'train/val/test', 'teacher acc.'],
      list.map((d) => {
        const s = d.headVersion?.stats;
        return [
          d.id,
          d.name,
          d.source,
          d.hasDraft ? `${d.versionCount} + draft` : String(d.versionCount),
          s?.examples ?? 0,
          s ? `${s.splits.train}/${s.splits.val}/${s.splits.test}` : '-',
          s?.teacherJudged ? `${((100 * s.teacherCorrect) / s.teacherJudged).toFixed(1)}%` : '-',
        ];
      }),
    );
  },
};

async function showDataset({ positionals, dataDir, json, io }: CommandArgs, versionsOnly: boolean): Promise<void> {
  const d = await withLab(dataDir, (lab) => call(lab, 'datasets.get', { dataset: datasetArg(lab, positionals[0]!) }));
  if (json) return printJson(io, versionsOnly ? d.versions : d);
  if (!versionsOnly) {
    printFields(io, [
      ['Dataset', `${d.name} (id ${d.id})`],
      ['Source', d.source],
      ['Created', d.createdAt],
      ['Head', d.headVersion ? `${d.headVersion.number ?? 'draft'}: ${describeVersion(d.headVersion)}` : null],
    ]);
    if (d.patterns) {
      io.stdout('Patterns (version 1 as generated):\n');
      for (const line of describePatternReport(d.patterns)) io.stdout(`  ${line}\n`);
    }
    io.stdout('\n');
  }
  printTable(
    io,
    ['version', 'committed', 'hash', 'examples', 'changes', 'message'],
    d.versions.map((v) => [
      v.number ?? 'draft',
      v.committedAt ?? '(open)',
      v.contentHash ? v.contentHash.slice(0, 12) : '-',
      v.stats.examples,
      Object.entries(v.changes)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || '-',
      v.message || '-',
    ]),
  );
}

export const datasetShowCommand: Command = {
  path: ['dataset', 'show'],
  usage: 'pst-lab dataset show <dataset> [--json] [--data-dir DIR]',
  summary: 'Show one dataset (by name or id) with its versions.',
  options: {},
  positionals: [1, 1],
  run: (args) => showDataset(args, false),
};

export const datasetVersionsCommand: Command = {
  path: ['dataset', 'versions'],
  usage: 'pst-lab dataset versions <dataset> [--json] [--data-dir DIR]',
  summary: 'List the versions of a dataset with hashes and what each changed.',
  options: {},
  positionals: [1, 1],
  run: (args) => showDataset(args, true),
};

const splitUsage =
  'pst-lab dataset split <dataset> --train .8 --val .1 --test .1 --seed S [--unassigned-only] [--no-stratify] [--allow-empty-test] [--message M] [--json] [--data-dir DIR]';

export const datasetSplitCommand: Command = {
  path: ['dataset', 'split'],
  usage: splitUsage,
  summary: 'Seeded, stratified train/val/test split, committed as a new version.',
  options: {
    train: { type: 'string' },
    val: { type: 'string' },
    test: { type: 'string' },
    seed: { type: 'string' },
    'unassigned-only': { type: 'boolean' },
    'no-stratify': { type: 'boolean' },
    'allow-empty-test': { type: 'boolean' },
    message: { type: 'string' },
  },
  positionals: [1, 1],
  async run({ values, positionals, dataDir, json, io }) {
    const ratio = (k: string): number => numberOption(values, k, splitUsage, { min: 0, max: 1 }) ?? 0;
    const train = ratio('train');
    const val = ratio('val');
    const test = ratio('test');
    if (train + val + test <= 0) throw new UsageError('give at least one of --train, --val, --test', splitUsage);
    const seed = numberOption(values, 'seed', splitUsage, { integer: true });
    if (seed === undefined) throw new UsageError('--seed is required (splits are reproducible)', splitUsage);
    const out = await withLab(dataDir, async (lab) => {
      const dataset = datasetArg(lab, positionals[0]!);
      const split = await call(lab, 'datasets.split', {
        dataset,
        train,
        val,
        test,
        seed,
        scope: values['unassigned-only'] ? 'unassigned' : 'all',
        stratify: values['no-stratify'] !== true,
        allowEmptyTest: values['allow-empty-test'] === true,
      });
      const message = stringOption(values, 'message') ?? `split train ${train} / val ${val} / test ${test}, seed ${seed}${split.stratified ? ', stratified by answer' : ''}`;
      const version = await call(lab, 'datasets.commit', { dataset, message });
      return { ...split, version };
    });
    if (json) return printJson(io, out);
    io.stdout(`Version ${out.version.number}: train ${out.assigned.train}, val ${out.assigned.val}, test ${out.assigned.test}${out.stratified ? ' (stratified by answer)' : ''}\n`);
  },
};

const exportUsage = 'pst-lab dataset export <dataset> [--version V] --out FILE [--layout generic|finetune-cot] [--include-excluded] [--json] [--data-dir DIR]';

export const datasetExportCommand: Command = {
  path: ['dataset', 'export'],
  usage: exportUsage,
  summary: 'Export a version as JSONL (generic) or as Fine-tune-CoT dataset/completion/split files.',
  options: { version: { type: 'string' }, out: { type: 'string' }, layout: { type: 'string' }, 'include-excluded': { type: 'boolean' } },
  positionals: [1, 1],
  async run({ values, positionals, dataDir, json, io }) {
    const out = stringOption(values, 'out');
    if (!out) throw new UsageError('--out is required', exportUsage);
    const layout = stringOption(values, 'layout') ?? 'generic';
    if (layout !== 'generic' && layout !== 'finetune-cot') throw new UsageError(`unknown --layout ${layout}`, exportUsage);
    const version = versionArg(values.version, exportUsage);
    const report = await withLab(dataDir, async (lab) =>
      call(lab, 'datasets.export', {
        dataset: datasetArg(lab, positionals[0]!),
        ...(version !== undefined ? { version } : {}),
        layout,
        out,
        includeExcluded: values['include-excluded'] === true,
      }),
    );
    if (json) return printJson(io, report);
    io.stdout(`Exported ${report.examples} examples (${report.layout}) to:\n${report.files.map((f) => `  ${f}\n`).join('')}`);
  },
};

export const DATASET_COMMANDS: readonly Command[] = [
  datasetImportCommand,
  datasetGenerateCommand,
  datasetListCommand,
  datasetShowCommand,
  datasetVersionsCommand,
  datasetSplitCommand,
  datasetExportCommand,
];
