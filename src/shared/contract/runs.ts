// Training-run channels (docs/methods.md, "Student and trainer"): start, list, inspect, pause/resume/cancel, metrics, predictions.
import { z } from 'zod';
import { channel, idSchema as id } from './define';
import {
  BACKEND_NAMES,
  LORA_RANGES,
  MAX_PATH_LENGTH,
  METHOD_IDS,
  METHOD_OPTIONS,
  MODEL_OVERRIDE_RANGES,
  PRESETS,
  RUN_DEFAULTS,
  RUN_RANGES,
  TRAINING_SUBSETS,
  type MethodOptionKey,
  type NumberRange,
} from '../catalogue';
import { MAX_THREADS } from '../types/app';
import type { EvaluationFigures, Prediction, RunDetail, RunMetrics, RunSummary } from '../types/runs';


/** A number schema for a catalogue range. */
export function rangeSchema(r: NumberRange): z.ZodNumber {
  const n = r.integer ? z.number().int() : z.number();
  const low = r.exclusiveMin ? n.gt(r.min) : n.min(r.min);
  return r.exclusiveMax ? low.lt(r.max) : low.max(r.max);
}

/** A name or folder (a registered student or sentence encoder, a CUDA library folder). */
export const pathSchema = z.string().trim().min(1).max(MAX_PATH_LENGTH);

const O = METHOD_OPTIONS;
export const methodOptionsSchema = z
  .object({
    answerTarget: z.enum(O.answerTarget.values),
    alpha: rangeSchema(O.alpha),
    answerWeight: rangeSchema(O.answerWeight),
    rationaleWeight: rangeSchema(O.rationaleWeight),
    encoder: z.enum(O.encoder.values),
    selfSteps: rangeSchema(O.selfSteps),
    selfFrom: rangeSchema(O.selfFrom),
    encoderStudent: z.string().trim().min(1).max(O.encoderStudent.maxLength),
    loss: z.enum(O.loss.values),
    tau: rangeSchema(O.tau),
    head: z.enum(O.head.values),
    k: rangeSchema(O.k),
    lambda: rangeSchema(O.lambda),
    beta: rangeSchema(O.beta),
    embedDim: rangeSchema(O.embedDim),
  } satisfies Record<MethodOptionKey, z.ZodType>)
  .partial()
  .strict();

const M = MODEL_OVERRIDE_RANGES;
/** Overrides of a preset's architecture; shared by single runs and experiment specs. */
export const modelOverridesSchema = z
  .object({ layers: rangeSchema(M.layers), width: rangeSchema(M.width), heads: rangeSchema(M.heads), context: rangeSchema(M.context), dropout: rangeSchema(M.dropout) })
  .partial()
  .strict();

/** LoRA options of a pretrained student (docs/methods.md, "Training a pretrained student"). */
export const loraSchema = z
  .object({
    rank: rangeSchema(LORA_RANGES.rank),
    alpha: rangeSchema(LORA_RANGES.alpha).optional(),
    dropout: rangeSchema(LORA_RANGES.dropout).optional(),
    targets: z
      .array(z.string().regex(/^[A-Za-z_][\w]*$/, 'a module name such as q_proj or c_attn'))
      .min(1)
      .max(LORA_RANGES.maxTargets)
      .optional(),
  })
  .strict();

export const runSpecSchema = z
  .object({
    dataset: id,
    version: z.number().int().positive().optional(),
    subset: z.enum(TRAINING_SUBSETS).default(RUN_DEFAULTS.subset),
    method: z.enum(METHOD_IDS),
    methodOptions: methodOptionsSchema.default({}),
    preset: z.enum(PRESETS).default(RUN_DEFAULTS.preset),
    model: modelOverridesSchema.optional(),
    steps: rangeSchema(RUN_RANGES.steps).default(RUN_DEFAULTS.steps),
    batchSize: rangeSchema(RUN_RANGES.batchSize).default(RUN_DEFAULTS.batchSize),
    lr: rangeSchema(RUN_RANGES.lr).default(RUN_DEFAULTS.lr),
    seed: rangeSchema(RUN_RANGES.seed).default(RUN_DEFAULTS.seed),
    backend: z.enum(BACKEND_NAMES).nullable().default(null),
    threads: z.number().int().min(1).max(MAX_THREADS).nullable().optional(),
    cudaLibs: pathSchema.nullable().optional(),
    evalEvery: z.number().int().min(0).default(RUN_DEFAULTS.evalEvery),
    valMaxExamples: z.number().int().min(1).max(100_000).default(RUN_DEFAULTS.valMaxExamples),
    earlyStopPatience: z.number().int().min(1).nullable().default(null),
    testMaxExamples: z.number().int().min(1).nullable().default(null),
    name: z.string().trim().min(1).max(200).optional(),
    allowTruncation: z.boolean().optional(),
    randomPositions: z.boolean().optional(),
    student: pathSchema.nullable().optional(),
    lora: loraSchema.nullable().optional(),
    accumulate: rangeSchema(RUN_RANGES.accumulate).optional(),
  })
  .strict();

export const runChannels = {
  'runs.start': channel<RunSummary>()(runSpecSchema, 'Starts a training run in its own process; returns at once.'),
  'runs.list': channel<RunSummary[]>()(
    z.object({ dataset: id.optional(), experiment: id.optional(), limit: z.number().int().min(1).max(10_000).optional() }).strict(),
    'Runs, newest first.',
  ),
  'runs.get': channel<RunDetail>()(z.object({ run: id }).strict(), 'One run with its full configuration and environment.'),
  'runs.metrics': channel<RunMetrics>()(
    z.object({ run: id, sinceStep: z.number().int().min(0).optional() }).strict(),
    'Per-step losses and validation points of a run.',
  ),
  'runs.predictions': channel<{ total: number; correct: number; rows: Prediction[] }>()(
    z
      .object({
        run: id,
        split: z.enum(['test', 'val']).optional(),
        correct: z.boolean().optional(),
        offset: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    'Per-example evaluation of a run.',
  ),
  'runs.cancel': channel<RunSummary>()(z.object({ run: id }).strict(), 'Stops a run after saving its last checkpoint.'),
  'runs.pause': channel<RunSummary>()(z.object({ run: id }).strict(), 'Pauses a running run.'),
  'runs.resume': channel<RunSummary>()(
    z.object({ run: id }).strict(),
    'Continues a paused run, or restarts a cancelled/interrupted one from its last checkpoint.',
  ),
  'runs.evaluate': channel<EvaluationFigures>()(
    z.object({ run: id, split: z.enum(['test', 'val']).optional() }).strict(),
    'Re-evaluates a stopped run\'s best checkpoint on a split (in a run process) and stores the predictions.',
  ),
  'runs.delete': channel<{ deleted: number }>()(z.object({ run: id }).strict(), 'Deletes a finished run and its checkpoints.'),
} as const;
