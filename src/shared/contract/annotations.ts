// Annotation channels: the labelling queue, one rationale's labels per annotator with
// machine suggestions and consistency warnings, durable saves with undo/redo, machine
// pre-annotation, agreement, adjudication with gold labels, scoring against synthetic ground
// truth, and JSONL export/import. The annotator's name comes from the caller (the UI passes
// Settings.annotatorName); an empty name is refused with a message that says where to set it.
import { z } from 'zod';
import { channel, idSchema as id, versionRefSchema as version } from './define';
import { SPLITS } from '../types/dataset';
import {
  ANSWER_SUPPORTS,
  CHECKER_NAMES,
  END_REASONS,
  ERROR_TYPES,
  QUEUE_FILTERS,
  VERDICTS,
  type AdjudicationView,
  type AgreementReport,
  type AnnotationExportReport,
  type AnnotationImportReport,
  type AnnotationView,
  type AnnotatorSummary,
  type CheckerRunReport,
  type QueuePage,
  type ScoreSummary,
  type UndoResult,
} from '../types/annotations';

const annotator = z
  .string({ error: 'annotator is required: pass Settings.annotatorName' })
  .trim()
  .min(1, 'the annotator name is empty: set your name in Settings (Annotator name) before labelling')
  .max(80);
const item = { dataset: id, example: id, completion: z.number().int().min(0).default(0), annotator };
const offset = z.number().int().min(0);
const errorType = z.enum(ERROR_TYPES);

const labelState = z.strictObject({
  verdict: z
    .strictObject({
      verdict: z.enum(VERDICTS).nullable(),
      answerSupported: z.enum(ANSWER_SUPPORTS).nullable(),
      endReason: z.enum(END_REASONS).nullable(),
    })
    .nullable(),
  steps: z
    .array(
      z.strictObject({
        start: offset,
        end: offset,
        rating: z.union([z.literal(1), z.literal(0), z.literal(-1)]).nullable(),
        errorType: errorType.nullable(),
      }),
    )
    .max(10_000),
  spans: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(64).optional(),
        start: offset,
        end: offset,
        errorType,
        comment: z.string().max(10_000).nullable().optional(),
        correction: z.string().max(10_000).nullable().optional(),
        deleted: z.boolean().optional(),
      }),
    )
    .max(10_000),
});

export const annotationChannels = {
  'annotations.queue': channel<QueuePage>()(
    z.strictObject({
      dataset: id,
      version: version.optional(),
      annotator,
      filter: z.enum(QUEUE_FILTERS).optional(),
      split: z.union([z.enum(SPLITS), z.literal('none')]).optional(),
      tag: z.string().trim().min(1).max(64).optional(),
      includeExcluded: z.boolean().optional(),
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(5000).optional(),
    }),
    "The labelling queue: a version's rationales in table order with their status for this annotator; filters unlabelled, labelled, auto-flagged, disagreement, no-gold, split, tag.",
  ),
  'annotations.get': channel<AnnotationView>()(
    z.strictObject(item),
    "One rationale with this annotator's labels, the others', machine suggestions, consistency warnings and the first error step.",
  ),
  'annotations.save': channel<AnnotationView>()(
    z.strictObject({ ...item, labels: labelState, timeSpentMs: z.number().min(0).max(86_400_000).default(0) }),
    "Saves this annotator's whole label state for one rationale (durable before it returns; undoable). timeSpentMs is the time since the last save.",
  ),
  'annotations.undo': channel<UndoResult>()(z.strictObject({ dataset: id, annotator }), "Undoes this annotator's latest change in the dataset."),
  'annotations.redo': channel<UndoResult>()(z.strictObject({ dataset: id, annotator }), "Re-applies this annotator's latest undone change."),
  'annotations.acceptSuggestion': channel<AnnotationView>()(
    z.strictObject({ ...item, spanId: z.string().min(1).max(64).optional() }),
    'Accepts one machine span suggestion (or all pending ones) into this annotator\'s labels with provenance "accepted".',
  ),
  'annotations.rejectSuggestion': channel<AnnotationView>()(
    z.strictObject({ ...item, spanId: z.string().min(1).max(64).optional() }),
    'Rejects one machine span suggestion (or all pending ones); kept with provenance "rejected" so it is not proposed again.',
  ),
  'annotations.runCheckers': channel<CheckerRunReport>()(
    z.strictObject({
      dataset: id,
      version: version.optional(),
      checkers: z.array(z.enum(CHECKER_NAMES)).min(1).optional(),
    }),
    'Machine pre-annotation: runs the checkers on every rationale of a version and stores their findings with provenance "auto".',
  ),
  'annotations.annotators': channel<AnnotatorSummary[]>()(z.strictObject({ dataset: id }), 'Who labelled this dataset, how much and for how long.'),
  'annotations.agreement': channel<AgreementReport>()(
    z.strictObject({ dataset: id, version: version.optional(), annotators: z.array(annotator).min(2).optional() }),
    "Krippendorff's alpha on verdicts, answer support and step ratings; per annotator pair Cohen's kappa and span F1.",
  ),
  'annotations.adjudication': channel<AdjudicationView>()(
    z.strictObject({ dataset: id, example: id, completion: z.number().int().min(0).default(0) }),
    "Every annotator's labels on one rationale side by side, their warnings, and the gold labels.",
  ),
  'annotations.saveGold': channel<AdjudicationView>()(
    z.strictObject({ ...item, labels: labelState.optional(), fromAnnotator: annotator.optional(), sources: z.array(annotator).max(100).optional() }),
    "Records the gold (adjudicated) labels of a rationale: the adjudicator's (annotator) label state, or one annotator's labels as they are.",
  ),
  'annotations.score': channel<ScoreSummary>()(
    z.strictObject({ dataset: id, version: version.optional(), minConfidence: z.number().min(0).max(1).optional() }),
    'Synthetic datasets: precision/recall/F1 per error type of the checkers and of each annotator against the injected errors.',
  ),
  'annotations.export': channel<AnnotationExportReport>()(
    z.strictObject({ dataset: id, out: z.string().min(1).max(4096).optional(), annotators: z.array(annotator).min(1).optional() }),
    'Writes annotations as JSONL with annotator, provenance and timestamps; default file in <data dir>/exports.',
  ),
  'annotations.import': channel<AnnotationImportReport>()(
    z.strictObject({ dataset: id, path: z.string().min(1).max(4096) }),
    'Merges an annotation JSONL file without duplicates (newer labels win); invalid lines are reported with file, line and field.',
  ),
} as const;
