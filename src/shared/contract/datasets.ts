// Dataset channels (docs/methods.md, "Importing teacher files"): import, generate, browse, curate on a draft, commit versions, export.
import { z } from 'zod';
import { channel, idSchema as id, versionRefSchema as version } from './define';
import { HALLUCINATION_TYPES, SPLITS, ANSWER_TYPES } from '../types/dataset';
import { ANNOTATION_STATUSES } from '../types/annotations';
import type { DatasetSummary, DuplicateGroup, ExampleDetail, ExamplePage, VersionSummary } from '../types/datasets';
import {
  IMPORT_FORMATS,
  type DetectReport,
  type ExportReport,
  type GenerateReport,
  type ImportReport,
  type SyntheticPatternReport,
  type SyntheticTaskDescription,
} from '../types/importing';

const split = z.enum(SPLITS);
const paths = z.array(z.string().min(1).max(4096)).min(1).max(64);
const mapping = z
  .object({
    question: z.string().min(1),
    answer: z.string().min(1),
    rationale: z.string().min(1),
    teacher_answer: z.string().min(1),
    choices: z.string().min(1),
    id: z.string().min(1),
    split: z.string().min(1),
    answer_type: z.string().min(1),
  })
  .partial()
  .strict();
const tag = z.string().trim().min(1).max(64);
const datasetName = z.string().trim().min(1).max(200);

const exampleQuery = z
  .object({
    dataset: id,
    version: version.optional(),
    search: z.string().max(500).optional(),
    split: z.union([split, z.literal('none')]).optional(),
    teacherCorrect: z.boolean().optional(),
    excluded: z.boolean().optional(),
    tag: tag.optional(),
    hallucinated: z.boolean().optional(),
    annotationStatus: z.enum(ANNOTATION_STATUSES).optional(),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(0).optional(),
    sort: z.enum(['position', 'question', 'answer', 'length', 'teacher']).optional(),
    desc: z.boolean().optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** How a synthetic task is generated, besides task, size and rate: datasets.generate and an experiment's `synthetic`. */
export const syntheticFields = {
  seed: z.number().int().safe().optional(),
  hallucinationTypes: z.array(z.enum(HALLUCINATION_TYPES)).min(1).optional(),
  keepAnswerCorrect: z.boolean().optional(),
  /** Problem size range (people, words, steps or swaps, per task; see datasets.syntheticTasks). */
  minSize: z.number().int().min(1).max(100).optional(),
  maxSize: z.number().int().min(1).max(100).optional(),
  /** random (80/10/10) or compositional (test items with a structure training never has). */
  split: z.enum(['random', 'compositional']).optional(),
  /** Compositional split: the test items' size range (above maxSize). */
  testMinSize: z.number().int().min(1).max(100).optional(),
  testMaxSize: z.number().int().min(1).max(100).optional(),
};

export const datasetChannels = {
  'datasets.list': channel<DatasetSummary[]>()(z.object({}).strict(), 'All datasets with their head version stats.'),
  'datasets.get': channel<DatasetSummary & { versions: VersionSummary[]; patterns: SyntheticPatternReport | null }>()(
    z.object({ dataset: id }).strict(),
    'One dataset with every version and its change summary.',
  ),
  'datasets.detect': channel<DetectReport>()(
    z.object({ paths }).strict(),
    'Detects the format of files before importing.',
  ),
  'datasets.import': channel<ImportReport>()(
    z
      .object({
        paths,
        format: z.enum(IMPORT_FORMATS).optional(),
        mapping: mapping.optional(),
        answerType: z.enum(ANSWER_TYPES).optional(),
        name: datasetName.optional(),
        description: z.string().max(2000).optional(),
        skipInvalid: z.boolean().optional(),
        /** Lets the caller tell this import's job.progress events from others'. */
        jobId: z.string().min(1).max(100).optional(),
      })
      .strict(),
    'Imports teacher-rationale files as a new dataset; all or nothing unless skipInvalid.',
  ),
  'datasets.syntheticTasks': channel<SyntheticTaskDescription[]>()(
    z.object({}).strict(),
    'The built-in synthetic tasks.',
  ),
  'datasets.generate': channel<GenerateReport>()(
    z
      .object({
        task: z.string().min(1),
        n: z.number().int().min(1).max(1_000_000),
        hallucinationRate: z.number().min(0).max(1).optional(),
        ...syntheticFields,
        name: datasetName.optional(),
      })
      .strict(),
    'Generates a synthetic task dataset with controlled teacher hallucinations.',
  ),
  'datasets.rename': channel<DatasetSummary>()(
    z.object({ dataset: id, name: datasetName, description: z.string().max(2000).optional() }).strict(),
    'Renames a dataset.',
  ),
  'datasets.delete': channel<{ deleted: number }>()(
    z.object({ dataset: id }).strict(),
    'Deletes a dataset and all its versions.',
  ),
  'datasets.examples': channel<ExamplePage>()(
    exampleQuery,
    "A filtered, sorted page of a version's examples (full-text search over questions, answers, rationales).",
  ),
  'datasets.matchingIds': channel<number[]>()(
    exampleQuery.omit({ sort: true, desc: true, offset: true, limit: true }),
    'Ids of every example a query matches (for "select all matching" bulk actions).',
  ),
  'datasets.example': channel<ExampleDetail>()(
    z.object({ dataset: id, version: version.optional(), example: id }).strict(),
    'One example with its teacher completions and revision history.',
  ),
  'datasets.tags': channel<{ tag: string; count: number }[]>()(
    z.object({ dataset: id, version: version.optional() }).strict(),
    'Tags used in a version, with counts.',
  ),
  'datasets.editExample': channel<ExampleDetail>()(
    z
      .object({
        dataset: id,
        example: id,
        question: z.string().min(1).max(100_000).optional(),
        answer: z.string().min(1).max(10_000).optional(),
        answerType: z.enum(ANSWER_TYPES).optional(),
        choices: z.array(z.string()).max(26).nullable().optional(),
        completions: z
          .array(
            z
              .object({
                index: z.number().int().min(0),
                rationale: z.string().max(1_000_000).optional(),
                teacherAnswer: z.string().max(10_000).nullable().optional(),
              })
              .strict(),
          )
          .max(100)
          .optional(),
      })
      .strict(),
    'Edits an example in the draft (a new revision; committed versions never change).',
  ),
  'datasets.updateMembers': channel<{ updated: number }>()(
    z
      .object({
        dataset: id,
        examples: z.array(id).min(1).max(200_000),
        split: split.nullable().optional(),
        excluded: z.boolean().optional(),
        addTags: z.array(tag).max(50).optional(),
        removeTags: z.array(tag).max(50).optional(),
      })
      .strict(),
    'Sets split, exclusion or tags of examples in the draft.',
  ),
  'datasets.duplicates': channel<DuplicateGroup[]>()(
    z.object({ dataset: id, version: version.optional() }).strict(),
    'Exact and normalised duplicate questions among non-excluded examples.',
  ),
  'datasets.resolveDuplicates': channel<{ excluded: number }>()(
    z.object({ dataset: id, kind: z.enum(['exact', 'normalised', 'all']).optional() }).strict(),
    'Keeps the first of each duplicate group and excludes the rest (in the draft).',
  ),
  'datasets.split': channel<{ assigned: Record<'train' | 'val' | 'test', number>; stratified: boolean }>()(
    z
      .object({
        dataset: id,
        train: z.number().min(0).max(1),
        val: z.number().min(0).max(1),
        test: z.number().min(0).max(1),
        seed: z.number().int().safe(),
        scope: z.enum(['all', 'unassigned']).optional(),
        stratify: z.boolean().optional(),
        allowEmptyTest: z.boolean().optional(),
      })
      .strict(),
    'Seeded train/val/test split of the draft, stratified by answer where possible; refused when it leaves no test example unless allowEmptyTest.',
  ),
  'datasets.commit': channel<VersionSummary>()(
    z.object({ dataset: id, message: z.string().trim().min(1).max(2000) }).strict(),
    'Commits the draft as the next immutable version.',
  ),
  'datasets.discardDraft': channel<{ discarded: boolean }>()(
    z.object({ dataset: id }).strict(),
    'Throws the open draft away.',
  ),
  'datasets.export': channel<ExportReport>()(
    z
      .object({
        dataset: id,
        version: version.optional(),
        layout: z.enum(['generic', 'finetune-cot']).optional(),
        out: z.string().min(1).max(4096).optional(),
        includeExcluded: z.boolean().optional(),
      })
      .strict(),
    'Writes a version as JSONL (generic) or Fine-tune-CoT files; default folder: <data dir>/exports.',
  ),
} as const;
