// Training-run channels (issue 5): start, list, inspect, pause/resume/cancel, metrics, predictions.
import { z } from 'zod';
import { channel } from './define';
import { BACKEND_NAMES, MAX_THREADS } from '../types/app';
import { ANSWER_TARGETS, METHOD_IDS, PRESETS, PST_ENCODERS, PST_LOSSES, TRAINING_SUBSETS, type AnswerTarget, type PstEncoderName, type PstLossName, type EvaluationFigures, type Prediction, type RunDetail, type RunMetrics, type RunSummary } from '../types/runs';

const id = z.number().int().positive();

export const methodOptionsSchema = z
  .object({
    answerTarget: z.enum(ANSWER_TARGETS as [AnswerTarget, ...AnswerTarget[]]),
    alpha: z.number().min(0).max(1),
    answerWeight: z.number().min(0).max(100),
    rationaleWeight: z.number().min(0).max(100),
    encoder: z.enum(PST_ENCODERS as [PstEncoderName, ...PstEncoderName[]]),
    selfSteps: z.number().int().min(1).max(1_000_000),
    selfFrom: id,
    encoderStudent: z.string().trim().min(1).max(4096),
    loss: z.enum(PST_LOSSES as [PstLossName, ...PstLossName[]]),
    tau: z.number().positive().max(10),
    head: z.enum(['linear', 'mlp']),
    k: z.number().int().min(1).max(16),
    lambda: z.number().min(0).max(100),
    beta: z.number().min(0).max(100),
    embedDim: z.number().int().min(8).max(4096),
  })
  .partial()
  .strict();

/** Overrides of a preset's architecture; shared by single runs and experiment specs. */
export const modelOverridesSchema = z
  .object({
    layers: z.number().int().min(1).max(48),
    width: z.number().int().min(8).max(4096),
    heads: z.number().int().min(1).max(64),
    context: z.number().int().min(16).max(8192),
    dropout: z.number().min(0).max(0.9),
  })
  .partial()
  .strict();

/** LoRA options of a pretrained student (docs/methods.md, "Training a pretrained student"). */
export const loraSchema = z
  .object({
    rank: z.number().int().min(1).max(1024),
    alpha: z.number().positive().max(100_000).optional(),
    targets: z.array(z.string().regex(/^[A-Za-z_][\w]*$/, 'a module name such as q_proj or c_attn')).min(1).max(32).optional(),
  })
  .strict();

export const runSpecSchema = z
  .object({
    dataset: id,
    version: z.number().int().positive().optional(),
    subset: z.enum(TRAINING_SUBSETS as [string, ...string[]]).default('all'),
    method: z.enum(METHOD_IDS as [string, ...string[]]),
    methodOptions: methodOptionsSchema.default({}),
    preset: z.enum(PRESETS as [string, ...string[]]).default('tiny'),
    model: modelOverridesSchema.optional(),
    steps: z.number().int().min(1).max(10_000_000).default(1000),
    batchSize: z.number().int().min(1).max(4096).default(16),
    lr: z.number().positive().max(1).default(1e-3),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    backend: z.enum(BACKEND_NAMES as [string, ...string[]]).nullable().default(null),
    threads: z.number().int().min(1).max(MAX_THREADS).nullable().optional(),
    cudaLibs: z.string().trim().min(1).max(4096).nullable().optional(),
    evalEvery: z.number().int().min(0).default(250),
    valMaxExamples: z.number().int().min(1).max(100_000).default(100),
    earlyStopPatience: z.number().int().min(1).nullable().default(null),
    testMaxExamples: z.number().int().min(1).nullable().default(null),
    name: z.string().trim().min(1).max(200).optional(),
    allowTruncation: z.boolean().optional(),
    randomPositions: z.boolean().optional(),
    student: z.string().trim().min(1).max(4096).nullable().optional(),
    lora: loraSchema.nullable().optional(),
    accumulate: z.number().int().min(1).max(1024).optional(),
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
