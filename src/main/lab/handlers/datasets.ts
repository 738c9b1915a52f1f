// Dataset channels: the importers and generators produce ExampleInput records; the store writes
// them as a dataset whose first version is committed in the same transaction.
import crypto from 'node:crypto';
import path from 'node:path';
import type { datasetChannels } from '../../../shared/contract/datasets';
import type { ExportLayout, LocatedProblem } from '../../../shared/types/importing';
import { detectFormat, ImportError, parseImport } from '../datasets/import';
import { findDuplicates, editExample, updateMembers, discardDraft, resolveDuplicates, splitDraft } from '../datasets/store/curation';
import { createDataset, deleteDataset, getDataset, listDatasets, renameDataset, uniqueDatasetName } from '../datasets/store/datasets';
import { getExample, matchingIds, queryExamples } from '../datasets/store/examples';
import { exportVersion } from '../datasets/store/export';
import { commitVersion, ensureDraft, resolveVersion } from '../datasets/store/versions';
import type { Handlers } from '../dispatch';
import { LabError } from '../errors';
import type { LabContext } from '../lab';
import { GENERATED_SPLIT, generateSyntheticDataset, SYNTHETIC_TASKS, SyntheticOptionsError, type SyntheticOptions } from '../synthetic';

/** How many located problems an error carries at most (the message says how many there were). */
const MAX_PROBLEMS_REPORTED = 1000;

/** Longest field or reason quoted in a message (a reason may echo a line of the file). */
const MAX_QUOTED = 1000;
const clip = (s: string): string => (s.length > MAX_QUOTED ? `${s.slice(0, MAX_QUOTED)}… (${s.length} characters)` : s);

function describeProblem(p: LocatedProblem): string {
  return `${p.file}:${p.line}${p.field ? ` (${clip(p.field)})` : ''}: ${clip(p.reason)}`;
}

function importFailure(err: unknown): never {
  if (err instanceof ImportError) {
    const message = err.file ? `${err.file}${err.line ? `:${err.line}` : ''}: ${clip(err.reason)}` : clip(err.reason);
    throw new LabError('BAD_FILE', message, { problems: [{ file: err.file ?? '', line: err.line ?? 0, reason: clip(err.reason) }] });
  }
  throw err;
}

export function datasetHandlers(ctx: LabContext): Pick<Handlers, keyof typeof datasetChannels> {
  const { db } = ctx;
  const detail = (id: number) => getDataset(db, id);

  return {
    'datasets.list': () => listDatasets(db),
    'datasets.get': ({ dataset }) => detail(dataset),
    'datasets.detect': async ({ paths }) => {
      try {
        return await detectFormat(paths.map((p) => ctx.files.check(p, 'read')));
      } catch (err) {
        return importFailure(err);
      }
    },
    'datasets.import': async (raw) => {
      const input = { ...raw, paths: raw.paths.map((p) => ctx.files.check(p, 'read')) };
      const jobId = input.jobId ?? `import-${crypto.randomUUID()}`;
      const label = `Importing ${input.paths.map((p) => path.basename(p)).join(', ')}`;
      const t0 = Date.now();
      let result;
      try {
        result = await parseImport(input.paths, {
          ...(input.format ? { format: input.format } : {}),
          ...(input.mapping ? { mapping: input.mapping } : {}),
          ...(input.answerType ? { answerType: input.answerType } : {}),
          skipInvalid: input.skipInvalid ?? false,
          onProgress: (p) => ctx.events.emit('job.progress', { jobId, label, done: p.bytesRead, total: p.totalBytes }),
        });
      } catch (err) {
        return importFailure(err);
      }
      if (!result.ok) {
        const n = result.problems.length;
        throw new LabError(
          'BAD_FILE',
          `${n} problem${n === 1 ? '' : 's'} found, nothing was imported; first: ${describeProblem(result.problems[0]!)}` +
            ' (fix the file, or import with "skip invalid records")',
          { problems: result.problems.slice(0, MAX_PROBLEMS_REPORTED), total: n },
        );
      }
      if (result.examples.length === 0) {
        const first = result.problems[0];
        throw new LabError(
          'BAD_FILE',
          `no valid examples found; nothing was imported${first ? `; first problem: ${describeProblem(first)}` : ''}`,
          { problems: result.problems.slice(0, MAX_PROBLEMS_REPORTED), total: result.problems.length },
        );
      }
      const parseMs = Date.now() - t0;
      const name = uniqueDatasetName(db, input.name ?? result.datasetKey ?? path.basename(input.paths[0]!).replace(/\.[^.]+$/, ''));
      const { datasetId, version } = createDataset(db, {
        name,
        description: input.description ?? '',
        source: result.format,
        sourceDetail: { files: input.paths.map((p) => path.resolve(p)), mapping: result.mapping, datasetKey: result.datasetKey, stats: result.stats },
        message: `Imported ${result.examples.length} examples from ${input.paths.map((p) => path.basename(p)).join(', ')} (${result.format})` +
          (result.skipped.length ? `; skipped ${result.skipped.length} invalid records` : ''),
        examples: result.examples,
      });
      ctx.events.emit('job.progress', { jobId, label, done: 1, total: 1 });
      const skipped = result.skipped.map((s) => result.problems.find((p) => p.file === s.file && p.line === s.line) ?? { ...s, reason: 'invalid record' });
      return {
        datasetId,
        name,
        format: result.format,
        version,
        examples: result.examples.length,
        skipped,
        warnings: result.warnings,
        summary: {
          completions: result.stats.completions,
          withoutRationale: result.stats.withoutRationale,
          teacherNoAnswer: result.stats.teacherNoAnswer,
          teacherHedged: result.stats.teacherHedged,
        },
        parseMs,
        storeMs: Date.now() - t0 - parseMs,
      };
    },
    'datasets.syntheticTasks': () =>
      SYNTHETIC_TASKS.map((t) => ({
        name: t.name,
        description: t.description,
        answerType: t.answerType,
        hallucinationTypes: t.hallucinationTypes,
        size: t.size,
        patternDefinition: t.patternDefinition,
      })),
    'datasets.generate': (input) => {
      const t0 = Date.now();
      const options = {
        task: input.task,
        n: input.n,
        seed: input.seed ?? 1,
        hallucinationRate: input.hallucinationRate ?? 0,
        ...(input.hallucinationTypes ? { hallucinationTypes: input.hallucinationTypes } : {}),
        ...(input.keepAnswerCorrect !== undefined ? { keepAnswerCorrect: input.keepAnswerCorrect } : {}),
        ...(input.minSize !== undefined ? { minSize: input.minSize } : {}),
        ...(input.maxSize !== undefined ? { maxSize: input.maxSize } : {}),
        ...(input.split !== undefined ? { split: input.split } : {}),
        ...(input.testMinSize !== undefined ? { testMinSize: input.testMinSize } : {}),
        ...(input.testMaxSize !== undefined ? { testMaxSize: input.testMaxSize } : {}),
      } as SyntheticOptions;
      let generated;
      try {
        generated = generateSyntheticDataset(options);
      } catch (err) {
        if (err instanceof SyntheticOptionsError) throw new LabError('INVALID_INPUT', err.message);
        throw err;
      }
      const { settings, examples, patterns } = generated;
      const rate = options.hallucinationRate ?? 0;
      const splitName = settings.split === 'compositional' ? ' compositional' : '';
      const name = uniqueDatasetName(db, input.name ?? `${input.task} n=${input.n} p=${rate} seed=${options.seed}${splitName}`);
      const { datasetId, version } = createDataset(db, {
        name,
        source: `synthetic:${input.task}`,
        sourceDetail: { settings, split: GENERATED_SPLIT, patterns },
        message: `Generated ${input.n} ${input.task} examples (hallucination rate ${rate}, seed ${options.seed}); split 80/10/10${splitName}`,
        examples,
      });
      return {
        datasetId,
        name,
        version,
        examples: examples.length,
        hallucinated: examples.filter((e) => e.completions.some((c) => c.injected?.length)).length,
        settings: settings as unknown as Record<string, unknown>,
        patterns,
        elapsedMs: Date.now() - t0,
      };
    },
    'datasets.rename': ({ dataset, name, description }) => {
      renameDataset(db, dataset, name, description);
      return listDatasets(db).find((d) => d.id === dataset)!;
    },
    'datasets.delete': ({ dataset }) => {
      deleteDataset(db, dataset);
      return { deleted: dataset };
    },
    'datasets.examples': (q) => queryExamples(db, q),
    'datasets.matchingIds': (q) => matchingIds(db, q),
    'datasets.example': ({ dataset, version, example }) => getExample(db, resolveVersion(db, dataset, version ?? 'head').id, example),
    'datasets.tags': ({ dataset, version }) => {
      const v = resolveVersion(db, dataset, version ?? 'head');
      return db
        .prepare(
          `SELECT j.value AS tag, COUNT(*) AS count FROM version_examples ve, json_each(ve.tags) j
           WHERE ve.version_id = ? GROUP BY j.value ORDER BY count DESC, tag`,
        )
        .all(v.id) as { tag: string; count: number }[];
    },
    'datasets.editExample': ({ dataset, example, ...patch }) => {
      const id = editExample(db, dataset, example, patch as Parameters<typeof editExample>[3]);
      return getExample(db, ensureDraft(db, dataset), id);
    },
    'datasets.updateMembers': ({ dataset, examples, split, excluded, addTags, removeTags }) => ({
      updated: updateMembers(db, dataset, examples, {
        ...(split !== undefined ? { split } : {}),
        ...(excluded !== undefined ? { excluded } : {}),
        ...(addTags ? { addTags } : {}),
        ...(removeTags ? { removeTags } : {}),
      }),
    }),
    'datasets.duplicates': ({ dataset, version }) => findDuplicates(db, dataset, version ?? 'head'),
    'datasets.resolveDuplicates': ({ dataset, kind }) => {
      const groups = findDuplicates(db, dataset, 'head').filter((g) => !kind || kind === 'all' || g.kind === kind);
      return { excluded: resolveDuplicates(db, dataset, groups) };
    },
    'datasets.split': ({ dataset, train, val, test, seed, scope, stratify, allowEmptyTest }) =>
      splitDraft(db, dataset, { train, val, test, seed, scope: scope ?? 'all', stratify: stratify ?? true, allowEmptyTest: allowEmptyTest ?? false }),
    'datasets.commit': ({ dataset, message }) => {
      const draft = db.prepare('SELECT id FROM dataset_versions WHERE dataset_id = ? AND number IS NULL').get(dataset) as { id: number } | undefined;
      if (!draft) throw new LabError('CONFLICT', 'there is no draft with changes to commit');
      return commitVersion(db, draft.id, message);
    },
    'datasets.discardDraft': ({ dataset }) => {
      discardDraft(db, dataset);
      return { discarded: true };
    },
    'datasets.export': ({ dataset, version, layout, out, includeExcluded }) => {
      const d = getDataset(db, dataset);
      const v = resolveVersion(db, dataset, version ?? 'head');
      const lay: ExportLayout = layout ?? 'generic';
      const safe = d.name.replace(/[^\w.-]+/g, '_');
      const file = ctx.files.check(out ?? path.join(ctx.dataDir, 'exports', `${safe}-v${v.number ?? 'draft'}${lay === 'generic' ? '.jsonl' : '.json'}`), 'write');
      return exportVersion(db, { dataset, datasetName: d.name, version: version ?? 'head', layout: lay, out: file, includeExcluded: includeExcluded ?? false });
    },
  };
}
