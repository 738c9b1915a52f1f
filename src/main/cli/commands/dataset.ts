// `pst-lab dataset ...`: import, generate, list, show, versions, split, export.
import { HALLUCINATION_TYPES } from '../../../shared/types/dataset';
import { describeHallucinated, describeTeacherAccuracy } from '../../../shared/teacherStats';
import type { VersionSummary } from '../../../shared/types/datasets';
import { IMPORT_FORMATS, MAPPING_FIELDS, type ColumnMapping } from '../../../shared/types/importing';
import { describePatternReport } from '../../../shared/patterns';
import { datasetIdByName } from '../../lab/datasets/store/datasets';
import type { Lab } from '../../lab/lab';
import { call, labCommand, listCommand } from '../call';
import { UsageError, type Command } from '../command';
import { printFields, printTable } from '../output';
import { choiceOption, missing, numberOption, stringOption, versionOption } from '../parse';

function datasetArg(lab: Lab, ref: string): number {
  return datasetIdByName(lab.db, ref);
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

export const datasetImportCommand = labCommand({
  usage: importUsage,
  summary: 'Import teacher-rationale files as a new dataset (all or nothing unless --skip-invalid).',
  positionals: [1, 64],
  ask({ values, positionals, json, io }) {
    const formatFlag = choiceOption(values, 'format', ['auto', ...IMPORT_FORMATS], importUsage);
    const format = formatFlag === 'auto' ? undefined : formatFlag;
    const mapping = parseMapping(stringOption(values, 'map'));
    const name = stringOption(values, 'name');
    return async (lab) => {
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
      return report;
    };
  },
  print(report, { io }) {
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
  },
});

const generateUsage =
  'pst-lab dataset generate --task coin_flip|last_letters|arithmetic|shuffled_objects --n N [--hallucination-rate P] ' +
  '[--hallucination-types t1,t2] [--answer-follows-error] [--min-size K] [--max-size K] [--split random|compositional] ' +
  '[--test-min-size K] [--test-max-size K] [--seed S] [--name N] [--json] [--data-dir DIR]';

export const datasetGenerateCommand = labCommand({
  usage: generateUsage,
  summary:
    'Generate a synthetic task with controlled teacher hallucinations (split 80/10/10; --split compositional: test items larger than any training item).',
  ask({ values }) {
    const task = stringOption(values, 'task') || missing('task', generateUsage);
    const n = numberOption(values, 'n', generateUsage, { integer: true, min: 1 }) ?? missing('n', generateUsage);
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
    const split = choiceOption(values, 'split', ['random', 'compositional'] as const, generateUsage);
    const testMinSize = numberOption(values, 'test-min-size', generateUsage, { integer: true, min: 1 });
    const testMaxSize = numberOption(values, 'test-max-size', generateUsage, { integer: true, min: 1 });
    return (lab) =>
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
      });
  },
  print(report, { io }) {
    io.stdout(`Generated dataset "${report.name}" (id ${report.datasetId}): ${describeVersion(report.version)}\n`);
    io.stdout(`${report.hallucinated} examples carry injected hallucinations; ${report.elapsedMs} ms.\n`);
    for (const line of describePatternReport(report.patterns)) io.stdout(`${line}\n`);
  },
});

export const datasetListCommand = listCommand({
  usage: 'pst-lab dataset list [--json] [--data-dir DIR]',
  summary: 'List datasets with sizes, versions, splits and teacher accuracy.',
  ask: (lab) => call(lab, 'datasets.list', {}),
  empty: 'No datasets yet. Try `pst-lab dataset generate --task coin_flip --n 1000`.',
  columns: ['id', 'name', 'source', 'version', 'examples', 'train/val/test', 'teacher acc.'],
  row(d) {
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
  },
});

/** show and versions: one dataset in; all of it, or (versionsOnly) its versions, out. */
function showCommand(versionsOnly: boolean): Command {
  const word = versionsOnly ? 'versions' : 'show';
  return labCommand({
    usage: `pst-lab dataset ${word} <dataset> [--json] [--data-dir DIR]`,
    summary: versionsOnly
      ? 'List the versions of a dataset with hashes and what each changed.'
      : 'Show one dataset (by name or id) with its versions.',
    positionals: [1, 1],
    ask: ({ positionals }) => (lab) => call(lab, 'datasets.get', { dataset: datasetArg(lab, positionals[0]!) }),
    json: (d) => (versionsOnly ? d.versions : d),
    print(d, { io }) {
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
    },
  });
}

export const datasetShowCommand = showCommand(false);
export const datasetVersionsCommand = showCommand(true);

const splitUsage =
  'pst-lab dataset split <dataset> --train .8 --val .1 --test .1 --seed S [--unassigned-only] [--no-stratify] [--allow-empty-test] [--message M] [--json] [--data-dir DIR]';

export const datasetSplitCommand = labCommand({
  usage: splitUsage,
  summary: 'Seeded, stratified train/val/test split, committed as a new version.',
  positionals: [1, 1],
  ask({ values, positionals }) {
    const ratio = (k: string): number => numberOption(values, k, splitUsage, { min: 0, max: 1 }) ?? 0;
    const train = ratio('train');
    const val = ratio('val');
    const test = ratio('test');
    if (train + val + test <= 0) throw new UsageError('give at least one of --train, --val, --test', splitUsage);
    const seed = numberOption(values, 'seed', splitUsage, { integer: true });
    if (seed === undefined) throw new UsageError('--seed is required (splits are reproducible)', splitUsage);
    return async (lab) => {
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
    };
  },
  print(out, { io }) {
    io.stdout(`Version ${out.version.number}: train ${out.assigned.train}, val ${out.assigned.val}, test ${out.assigned.test}${out.stratified ? ' (stratified by answer)' : ''}\n`);
  },
});

const exportUsage = 'pst-lab dataset export <dataset> [--version V] --out FILE [--layout generic|finetune-cot] [--include-excluded] [--json] [--data-dir DIR]';

const EXPORT_LAYOUTS = ['generic', 'finetune-cot'] as const;
export const datasetExportCommand = labCommand({
  usage: exportUsage,
  summary: 'Export a version as JSONL (generic) or as Fine-tune-CoT dataset/completion/split files.',
  positionals: [1, 1],
  ask({ values, positionals }) {
    const out = stringOption(values, 'out') || missing('out', exportUsage);
    const layout = choiceOption(values, 'layout', EXPORT_LAYOUTS, exportUsage) ?? 'generic';
    const version = versionOption(values, exportUsage);
    return (lab) =>
      call(lab, 'datasets.export', {
        dataset: datasetArg(lab, positionals[0]!),
        ...(version !== undefined ? { version } : {}),
        layout,
        out,
        includeExcluded: values['include-excluded'] === true,
      });
  },
  print(report, { io }) {
    io.stdout(`Exported ${report.examples} examples (${report.layout}) to:\n${report.files.map((f) => `  ${f}\n`).join('')}`);
  },
});

export const DATASET_COMMANDS: readonly Command[] = [
  datasetImportCommand,
  datasetGenerateCommand,
  datasetListCommand,
  datasetShowCommand,
  datasetVersionsCommand,
  datasetSplitCommand,
  datasetExportCommand,
];
