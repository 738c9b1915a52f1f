// Experiment channels (docs/methods.md, "Statistics"): plan, create and run a grid of training runs as a persistent
// queue, follow it, and read aggregated results, paired comparisons and flipping examples.
import { z } from 'zod';
import { syntheticFields } from './datasets';
import { channel, idSchema as id } from './define';
import { loraSchema, methodOptionsSchema, modelOverridesSchema, pathSchema, rangeSchema } from './runs';
import { ANSWER_TARGETS, BACKEND_NAMES, METHOD_IDS, METHOD_OPTIONS, PRESETS, RUN_RANGES, TRAINING_SUBSETS } from '../catalogue';
import { MAX_THREADS } from '../types/app';
import type {
  ExperimentDetail,
  ExperimentPlan,
  ExperimentResults,
  ExperimentSpec,
  ExperimentSummary,
  FlipsResult,
  PairedComparison,
} from '../types/experiments';

const seed = rangeSchema(RUN_RANGES.seed);

/** Rejects a list with repeated values (a duplicated factor level would double its cells silently). */
function unique<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .min(1)
    .refine((xs) => new Set(xs.map((x) => JSON.stringify(x))).size === xs.length, { message: 'has repeated values' });
}

const methodEnum = z.enum(METHOD_IDS);

/** The experiment spec file (examples/README.md documents it). Strict: a typo is an error, not a default. */
export const experimentSpecSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).optional(),
    dataset: z.union([id, z.string().trim().min(1)]).optional(),
    version: z.number().int().positive().optional(),
    synthetic: z
      .object({
        task: z.string().min(1),
        n: z.number().int().min(10).max(1_000_000),
        hallucinationRates: unique(z.number().min(0).max(1)),
        ...syntheticFields,
      })
      .strict()
      .optional(),
    subset: z.enum(TRAINING_SUBSETS).optional(),
    methods: unique(methodEnum),
    answerTargets: unique(z.enum(ANSWER_TARGETS)).optional(),
    methodOptions: methodOptionsSchema.optional(),
    perMethodOptions: z
      .object(Object.fromEntries(METHOD_IDS.map((m) => [m, methodOptionsSchema.optional()])))
      .strict()
      .optional(),
    pstGrid: z
      .object({
        lambda: unique(rangeSchema(METHOD_OPTIONS.lambda)).optional(),
        encoder: unique(z.enum(METHOD_OPTIONS.encoder.values)).optional(),
        loss: unique(z.enum(METHOD_OPTIONS.loss.values)).optional(),
        encoderStudent: z.string().trim().min(1).max(METHOD_OPTIONS.encoderStudent.maxLength).optional(),
      })
      .strict()
      .optional(),
    seeds: z.union([z.number().int().min(1).max(100), unique(seed)]).optional(),
    preset: z.enum(PRESETS).optional(),
    model: modelOverridesSchema.optional(),
    student: pathSchema.nullable().optional(),
    lora: loraSchema.nullable().optional(),
    accumulate: rangeSchema(RUN_RANGES.accumulate).optional(),
    budget: z
      .object({
        steps: rangeSchema(RUN_RANGES.steps),
        batchSize: rangeSchema(RUN_RANGES.batchSize).optional(),
        lr: rangeSchema(RUN_RANGES.lr).optional(),
      })
      .strict(),
    evaluation: z
      .object({
        evalEvery: z.number().int().min(0).optional(),
        valExamples: z.number().int().min(1).max(100_000).optional(),
        testExamples: z.number().int().min(1).nullable().optional(),
      })
      .strict()
      .optional(),
    backend: z.enum(BACKEND_NAMES).nullable().optional(),
    threads: z.number().int().min(1).max(MAX_THREADS).nullable().optional(),
    cudaLibs: pathSchema.nullable().optional(),
    concurrency: z.number().int().min(1).max(64).optional(),
    allowTruncation: z.boolean().optional(),
    randomPositions: z.boolean().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.dataset === undefined) === (s.synthetic === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dataset'],
        message: 'give either "dataset" (an existing dataset) or "synthetic" (generated variants), not both or neither',
      });
    }
    if (s.version !== undefined && s.dataset === undefined) {
      ctx.addIssue({ code: 'custom', path: ['version'], message: '"version" needs "dataset"' });
    }
    if (s.pstGrid && !s.methods.includes('pst')) {
      ctx.addIssue({
        code: 'custom',
        path: ['pstGrid'],
        message: '"pstGrid" varies PST options but "methods" does not include "pst"',
      });
    }
    if (s.answerTargets) {
      const fixed = [
        ...(s.methodOptions?.answerTarget !== undefined ? ['methodOptions'] : []),
        ...Object.entries(s.perMethodOptions ?? {})
          .filter(([, o]) => (o as { answerTarget?: unknown } | undefined)?.answerTarget !== undefined)
          .map(([m]) => `perMethodOptions.${m}`),
      ];
      for (const where of fixed)
        ctx.addIssue({
          code: 'custom',
          path: ['answerTargets'],
          message: `varies the answer target, so ${where}.answerTarget must not fix it`,
        });
      if (s.synthetic?.keepAnswerCorrect !== undefined && s.answerTargets.includes('teacher'))
        ctx.addIssue({
          code: 'custom',
          path: ['synthetic', 'keepAnswerCorrect'],
          message: 'with answerTargets the "teacher" cells let errors reach the answer and the "gold" cells keep it correct; leave keepAnswerCorrect out',
        });
    }
    if (s.pstGrid?.encoderStudent !== undefined && !s.pstGrid.encoder?.includes('external')) {
      ctx.addIssue({
        code: 'custom',
        path: ['pstGrid', 'encoderStudent'],
        message: 'is the encoder of the "external" cells, but "pstGrid.encoder" does not include "external"',
      });
    }
    const syn = s.synthetic;
    if (syn?.minSize !== undefined && syn.maxSize !== undefined && syn.minSize > syn.maxSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['synthetic', 'minSize'],
        message: `is larger than maxSize (${syn.maxSize})`,
      });
    }
  });

/** Compile-time check that the schema's output is an ExperimentSpec. */
export type ParsedExperimentSpec = z.output<typeof experimentSpecSchema>;
const _specIsExperimentSpec = (s: ParsedExperimentSpec): ExperimentSpec => s as ExperimentSpec;
void _specIsExperimentSpec;

const experimentRef = z.object({ experiment: id }).strict();
const groupRef = z.string().min(1).max(500);

export const experimentChannels = {
  'experiments.plan': channel<ExperimentPlan>()(
    z
      .object({
        spec: experimentSpecSchema,
        probe: z.boolean().optional(),
        concurrency: z.number().int().min(1).max(64).optional(),
      })
      .strict(),
    'Expands a spec into its runs and estimates the wall time from measured throughput, without side effects ' +
      '(probe: run a short measured training when no finished run matches; default false: no training).',
  ),
  'experiments.create': channel<ExperimentDetail>()(
    z.object({ spec: experimentSpecSchema }).strict(),
    'Stores an experiment and all its runs as queued (generating the synthetic dataset variants); starts nothing.',
  ),
  'experiments.start': channel<ExperimentSummary>()(
    z
      .object({
        experiment: id,
        concurrency: z.number().int().min(1).max(64).optional(),
        // Train on remote workers: the Redis URL given here, or (url omitted) the one in Settings.
        queue: z
          .object({
            url: z.string().min(1).max(2048).optional(),
            tls: z.boolean().optional(),
            /** A PEM file: the CA that signed the Redis server's certificate (a self-signed server). */
            tlsCa: z.string().min(1).max(4096).optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    'Runs the queue in this process with up to N concurrent run processes (or on the remote workers of a Redis queue): queued runs start, interrupted and cancelled ones resume.',
  ),
  'experiments.cancel': channel<ExperimentSummary>()(
    experimentRef,
    'Cancels queued runs and stops running ones (they keep their checkpoints).',
  ),
  'experiments.retry': channel<ExperimentSummary>()(
    z.object({ experiment: id, runs: z.array(id).min(1).optional(), start: z.boolean().optional() }).strict(),
    'Queues failed runs again (all, or the given ones) from scratch; starts the queue unless start is false.',
  ),
  'experiments.list': channel<ExperimentSummary[]>()(z.object({}).strict(), 'Experiments, newest first.'),
  'experiments.get': channel<ExperimentDetail>()(
    experimentRef,
    'One experiment with its spec and every run of its grid.',
  ),
  'experiments.results': channel<ExperimentResults>()(
    z.object({ experiment: id }).strict(),
    'Groups over seeds with mean, std and a 95% t-interval over seeds (not computable below 3 seeds), the no-answer share, ' +
      'majority-class and chance baselines, efficiency, loss curves with bands, reproducibility bundle.',
  ),
  'experiments.compare': channel<PairedComparison>()(
    z
      .object({
        experiment: id,
        a: groupRef,
        b: groupRef,
        resamples: z.number().int().min(100).max(100_000).optional(),
      })
      .strict(),
    'Paired comparison of two groups on their shared seeds: paired t-test and exact sign-flip test over per-seed ' +
      'differences; and, conditional on the trained models (examples as unit), a paired bootstrap and exact McNemar.',
  ),
  'experiments.flips': channel<FlipsResult>()(
    z
      .object({ experiment: id, a: groupRef, b: groupRef, limit: z.number().int().min(1).max(10_000).optional() })
      .strict(),
    'Test examples one group gets right and the other wrong, with predictions and annotation status.',
  ),
  'experiments.delete': channel<{ deleted: number }>()(
    experimentRef,
    'Deletes a stopped experiment, its runs and their checkpoints.',
  ),
} as const;
