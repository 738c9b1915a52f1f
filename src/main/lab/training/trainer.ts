// One trainer for every method: AdamW + warmup/cosine LR + global-norm clipping over
// length-bucketed batches, periodic validation (loss and greedy-decoding accuracy), best and
// last checkpoints, optional early stopping, cancel/pause hooks and a progress callback.
// Determinism: each weight comes from its own stream of (seed, name), batch order from
// (seed, epoch) and dropout masks from (seed, step), so the same seed on the same backend gives
// the same loss curve, and a run resumed from a checkpoint continues exactly as if it had never
// stopped (docs/methods.md, "Random streams").
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { epochBatches, makeBatch, sequentialBatches, type Batch } from './batching';
import { CHECKPOINT_FORMAT, loadCheckpoint, saveCheckpoint, type CheckpointState } from './checkpoint';
import { buildTokenizer, encodeExamples, validationSample, type EncodedSet } from './data';
import { evaluateExamples, type StudentModel } from './evaluate';
import { createMethod, type MethodConfig, type PstConfig } from './methods';
import type { EncodeStats, TrainExample } from './methods/types';
import { presetConfig, variableFrom, type ModelConfig, type Params, type PresetName } from './model';
import { linear, weightedCrossEntropy } from './ops';
import { AdamW, learningRate, type OptimizerConfig } from './optimizer';
import { Rng, deriveSeed, namedSeed } from './rng';
import {
  degenerateWarning,
  measureSemantic,
  preparePstTargets,
  project,
  projectionInit,
  projectionShapes,
  semanticLoss,
  type PstTargets,
} from './semantic';
import type { SemanticDiagnostics, SemanticRecord } from '../../../shared/types/runs';
import { CharTokenizer, type Tokenizer } from './tokenizer';
import {
  charNet,
  checkpointValues,
  createNetParams,
  parameterCounts,
  studentOfCheckpoint,
  type PretrainedStudentRecord,
  type StudentNet,
} from './student';
import { openPretrained, type PretrainedStudentSpec } from '../students/trainable';
import { LabError } from '../errors';

export interface TrainConfig {
  preset: PresetName;
  /** Overrides of the preset (e.g. context, dropout). vocabSize always comes from the tokenizer. */
  model?: Partial<Omit<ModelConfig, 'vocabSize'>>;
  method: MethodConfig;
  steps: number;
  batchSize: number;
  lr: number;
  warmupSteps: number;
  minLrRatio: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  gradClip: number;
  seed: number;
  /** Validate every N steps (and at the end); 0 = only at the end. */
  evalEvery: number;
  /**
   * Validation accuracy is computed on the whole validation split when it has at most this many
   * examples, else on a sample of this size stratified by answer (greedy decoding is slow).
   */
  valMaxExamples: number;
  /** Stop after this many validations without improvement; null = never. */
  earlyStopPatience: number | null;
  /** Save the 'last' checkpoint every N steps (and on cancel and at the end); 0 = only then. */
  checkpointEvery: number;
  /**
   * Characters the vocabulary holds besides the base set and those of train/val: the run's test
   * split, an experiment's other dataset variants (docs/methods.md, "Vocabulary").
   */
  characters?: string;
  /**
   * A pretrained student (a Hugging Face folder) instead of the char GPT of `preset`; `model`
   * may then only lower the context (docs/methods.md, "Training a pretrained student").
   */
  student?: PretrainedStudentSpec | null;
  /** Micro-batches of `batchSize` per optimizer step (gradient accumulation); effective batch = batchSize x accumulate. */
  accumulate?: number;
  /** Train at random start positions (RunSpec.randomPositions; docs/methods.md, "Random start positions"). */
  randomPositions?: boolean;
}

/**
 * Where a training batch starts in the position table: 0, or with `randomPositions` a draw from
 * 0..context-time of the step's own stream, the same for every sequence of the batch.
 */
export function batchStartPosition(
  cfg: Pick<TrainConfig, 'seed' | 'randomPositions'>,
  step: number,
  context: number,
  time: number,
): number {
  if (!cfg.randomPositions) return 0;
  return new Rng(deriveSeed(cfg.seed, 0x5057, step)).index(context - time + 1);
}

export function defaultTrainConfig(method: MethodConfig, overrides: Partial<TrainConfig> = {}): TrainConfig {
  const steps = overrides.steps ?? 2000;
  return {
    preset: 'tiny',
    method,
    steps,
    batchSize: 16,
    lr: 1e-3,
    warmupSteps: Math.min(100, Math.floor(steps / 10)),
    minLrRatio: 0.1,
    weightDecay: 0.1,
    beta1: 0.9,
    beta2: 0.99,
    eps: 1e-8,
    gradClip: 1,
    seed: 1,
    evalEvery: 250,
    valMaxExamples: 100,
    earlyStopPatience: null,
    checkpointEvery: 500,
    ...overrides,
  };
}

export interface StepMetrics {
  /** Steps completed (1-based). */
  step: number;
  totalSteps: number;
  epoch: number;
  /** Total weighted loss that was optimised. */
  loss: number;
  /** Unweighted terms: NTP(y), NTP(r), L_sem; null when the batch has no such term. */
  answerLoss: number | null;
  rationaleLoss: number | null;
  semanticLoss: number | null;
  lr: number;
  gradNorm: number;
  /** Non-padding tokens in this batch and the recent throughput. */
  tokens: number;
  tokensPerSec: number;
  elapsedMs: number;
  etaSec: number;
}

export interface ValidationMetrics {
  step: number;
  valLoss: number | null;
  valAccuracy: number | null;
  valCount: number;
  isBest: boolean;
  bestStep: number | null;
  /** PST: the semantic-target diagnostics at this step (docs/methods.md, "PST diagnostics"). */
  semantic: SemanticDiagnostics | null;
  /** Warnings raised by this validation (e.g. the PST target became degenerate). */
  warnings: string[];
}

export interface TrainHooks {
  onStart?(info: StartInfo): void | Promise<void>;
  onStep?(m: StepMetrics): void | Promise<void>;
  onValidation?(v: ValidationMetrics): void | Promise<void>;
  onCheckpoint?(info: { kind: 'last' | 'best'; dir: string; step: number }): void | Promise<void>;
  /** Polled before every step; true stops the run after saving the 'last' checkpoint. */
  shouldCancel?(): boolean;
  /** Awaited before every step; resolve when the run may continue. */
  waitWhilePaused?(): Promise<void>;
}

export interface StartInfo {
  /** The char GPT's config, or the pretrained student's record (folder, file hashes, markers, LoRA). */
  modelConfig: ModelConfig | PretrainedStudentRecord;
  parameters: number;
  /** Parameters the optimizer updates (all, except with LoRA). */
  trainableParameters: number;
  /** batchSize x accumulate. */
  effectiveBatch: number;
  vocabSize: number;
  trainSequences: number;
  valSequences: number;
  encodeStats: EncodeStats;
  startStep: number;
  /** Set when the newest checkpoint was torn and the previous complete one was resumed instead. */
  resumeNotice: string | null;
  backend: string;
  /** PST: the semantic target's encoder and its diagnostics at the start (one entry). */
  semantic: SemanticRecord | null;
  /** Problems a reader must see (e.g. a degenerate PST target). */
  warnings: string[];
}

export interface TrainInput {
  config: TrainConfig;
  train: readonly TrainExample[];
  val: readonly TrainExample[];
  /** Checkpoints go to <runDir>/last and <runDir>/best; null = keep nothing on disk. */
  runDir: string | null;
  /** Continue from <runDir>/last. The config must match the checkpoint's. */
  resume?: boolean;
  hooks?: TrainHooks;
}

export interface TrainResult {
  status: 'completed' | 'cancelled' | 'early-stopped';
  /** Steps completed in total (including before a resume). */
  steps: number;
  /** Losses of the steps run in this call, in order. */
  losses: number[];
  bestStep: number | null;
  bestValAccuracy: number | null;
  lastCheckpoint: string | null;
  bestCheckpoint: string | null;
  encodeStats: EncodeStats;
  modelConfig: ModelConfig | PretrainedStudentRecord;
  /** Highest resident set size of the process seen during the run (bytes; sampled every step). */
  peakRssBytes: number;
}

/** Everything that stays fixed during a run. */
interface Setup {
  cfg: TrainConfig;
  net: StudentNet;
  tok: Tokenizer;
  method: ReturnType<typeof createMethod>;
  pst: PstConfig | null;
  trainSet: EncodedSet;
  valSet: EncodedSet;
  trainTargets: (Float32Array | null)[] | null;
  valTargets: (Float32Array | null)[] | null;
  semDim: number;
  semTargets: PstTargets | null;
}

function validateTrainConfig(c: TrainConfig): void {
  const pos = (k: keyof TrainConfig) => {
    const v = c[k] as number;
    if (!(typeof v === 'number' && v > 0)) throw new Error(`train config: ${k} must be > 0, got ${String(v)}`);
  };
  (['steps', 'batchSize', 'lr'] as const).forEach(pos);
  if (!Number.isInteger(c.steps) || !Number.isInteger(c.batchSize))
    throw new Error('train config: steps and batchSize must be integers');
  if (!Number.isInteger(c.seed) || c.seed < 0)
    throw new Error(`train config: seed must be a non-negative integer, got ${c.seed}`);
  const acc = c.accumulate ?? 1;
  if (!Number.isInteger(acc) || acc < 1)
    throw new Error(`train config: accumulate must be a positive integer, got ${String(acc)}`);
}

/** The run's network and tokenizer: the char GPT of the preset, or the pretrained student's folder. */
export function buildStudent(
  cfg: Pick<TrainConfig, 'preset' | 'model' | 'student' | 'characters'>,
  method: ReturnType<typeof createMethod>,
  examples: readonly TrainExample[],
  tokFromCheckpoint: CharTokenizer | null = null,
): { net: StudentNet; tok: Tokenizer } {
  if (cfg.student) {
    const extra = Object.keys(cfg.model ?? {}).filter((k) => k !== 'context');
    if (extra.length)
      throw new LabError(
        'INVALID_INPUT',
        `model.${extra[0]}: a pretrained student's architecture comes from its config.json (only model.context may be set)`,
        { field: `model.${extra[0]}` },
      );
    const { net, tokenizer } = openPretrained(cfg.student, method.semTokens, cfg.model?.context);
    return { net, tok: tokenizer };
  }
  const tok = tokFromCheckpoint ?? buildTokenizer(examples, method, cfg.characters);
  return { net: charNet(presetConfig(cfg.preset, tok.size, cfg.model ?? {})), tok };
}

/** Largest memory a wasm backend can address (wasm32): 4 GiB. */
const WASM_MEMORY_BYTES = 4 * 2 ** 30;
/**
 * f32 copies of a weight the wasm backend holds beyond the weight itself (the heap only grows).
 * A frozen weight (LoRA): XNNPACK's packed copies for the forward product and for dx = dy W^T,
 * measured ~2 (docs/methods.md, "Memory": GPT-2 124M with LoRA at 1 x 32 and 4 x 64, peak RSS
 * minus the live tensors, at 1918849). A trained weight is also transposed and packed afresh
 * each step, beside its gradient and moments: 7, as measured before LoRA kept weights frozen
 * (GPT-2 124M at 4f53a9e: a 3.9 GiB heap at 1 x 32).
 */
const WASM_FROZEN_COPIES = 2;
const WASM_TRAINED_COPIES = 7;

/**
 * An estimate of the f32 tensor memory one training step needs: every weight; a gradient and two
 * AdamW moments per trainable weight; the activations the forward keeps for the backward pass
 * (the net's own count per token and layer) and as much again for their gradients (tfjs keeps
 * both until the backward pass ends); the logits and up to three logits-sized terms of the loss's
 * gradient at once; three more copies of each trainable vocabulary table. On wasm, the packed
 * copies of every weight (WASM_FROZEN_COPIES, WASM_TRAINED_COPIES).
 */
export function trainingMemoryBytes(net: StudentNet, batchSize: number, time: number, backend: string): number {
  const { total, trainable } = parameterCounts(net);
  const bt = batchSize * time;
  const activations = 2 * net.layers * bt * net.activationFloats(time);
  const logits = 4 * bt * net.vocabSize;
  // A trainable vocabulary table's gradient comes from each use (embedding, output layer) and
  // their sum, and the method markers' rows are appended to it: measured ~2.8 table-sized
  // buffers beyond its own gradient (a Qwen2-shaped folder, full fine-tuning).
  const trainableTables = net
    .parameterShapes()
    .filter((p) => p.trainable && net.tables.includes(p.name))
    .reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0);
  const copies = backend === 'wasm' ? WASM_FROZEN_COPIES * (total - trainable) + WASM_TRAINED_COPIES * trainable : 0;
  return 4 * (total + copies + 3 * trainable + 3 * trainableTables + activations + logits);
}

/**
 * Refuses, naming the memory needed, a pretrained student the wasm backend cannot hold (instead of
 * crashing mid-step). The char GPT presets are left alone: they always fit.
 */
export function checkTrainingMemory(net: StudentNet, batchSize: number, time: number, backend: string): void {
  if (backend !== 'wasm' || net.kind !== 'hf') return;
  const need = trainingMemoryBytes(net, batchSize, time, backend);
  if (need <= WASM_MEMORY_BYTES) return;
  const { total, trainable } = parameterCounts(net);
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
  throw new Error(
    `this student needs about ${gib(need)} of tensor memory to train (estimated from ${total} weights, ${trainable} trainable with gradients and AdamW moments, ` +
      `the wasm backend's packed and transposed copies of the weights, activations of ${net.layers} layers and logits for a batch of ${batchSize} x ${time} tokens), more than the wasm backend's ${gib(WASM_MEMORY_BYTES)}; ` +
      'use LoRA (--lora-rank), a smaller batch with --accumulate, or the tfjs-node backend',
  );
}

/**
 * The wasm heap exhausted mid-step surfaces as a bare "memory access out of bounds" or an XNNPACK
 * status; when the estimate above let a run start that then hit it, say what it means and what to do.
 */
export function explainWasmMemory(err: unknown, backend: string, where: string): unknown {
  const message = String((err as Error)?.message ?? err);
  if (backend !== 'wasm' || !/memory access out of bounds|out of memory|Aborted\(OOM\)|XNN status/i.test(message))
    return err;
  return new Error(
    `the wasm backend ran out of memory (its heap holds at most 4 GiB) ${where}; use LoRA (--lora-rank), a smaller batch with --accumulate, ` +
      `a shorter context, or the tfjs-node backend (wasm said: ${message})`,
  );
}

function setupRun(input: TrainInput, tokFromCheckpoint: CharTokenizer | null): Setup {
  const cfg = input.config;
  validateTrainConfig(cfg);
  if (input.train.length === 0) throw new Error('training set is empty');
  const method = createMethod(cfg.method);
  const { net, tok } = buildStudent(cfg, method, [...input.train, ...input.val], tokFromCheckpoint);
  const trainSet = encodeExamples(input.train, method, tok, net.context);
  if (trainSet.sequences.length === 0) throw new Error(`no training example fits the context of ${net.context} tokens`);
  const valSet = encodeExamples(input.val, method, tok, net.context);
  const pst = cfg.method.method === 'pst' ? cfg.method : null;
  return {
    cfg,
    net,
    tok,
    method,
    pst,
    trainSet,
    valSet,
    trainTargets: null,
    valTargets: null,
    semDim: net.width,
    semTargets: null,
  };
}

/** PST: the run's frozen targets (centred, normalised) from its encoder (docs/methods.md, "PST semantic targets"). */
async function setupSemantic(s: Setup, input: TrainInput): Promise<void> {
  if (!s.pst) return;
  const t = await preparePstTargets({
    pst: s.pst,
    seed: s.cfg.seed,
    net: s.net,
    tok: s.tok,
    lr: s.cfg.lr,
    batchSize: s.cfg.batchSize,
    train: input.train,
    val: input.val,
    trainSet: s.trainSet,
    valSet: s.valSet,
    runDir: input.runDir,
  });
  Object.assign(s, { semTargets: t, trainTargets: t.train, valTargets: t.val, semDim: t.dim });
}

function optimizerConfig(c: TrainConfig): OptimizerConfig {
  return {
    lr: c.lr,
    minLrRatio: c.minLrRatio,
    warmupSteps: c.warmupSteps,
    totalSteps: c.steps,
    beta1: c.beta1,
    beta2: c.beta2,
    eps: c.eps,
    weightDecay: c.weightDecay,
    gradClip: c.gradClip,
  };
}

/** e(r) for the rows of a batch: [B, D] and which rows have one. Computed outside the gradient tape. */
function semanticTargets(
  s: Setup,
  params: Params,
  set: EncodedSet,
  targets: (Float32Array | null)[] | null,
  b: Batch,
): { e: tf.Tensor2D; rows: tf.Tensor1D } {
  const rowsArr = new Float32Array(b.batch);
  const exIdx = b.sequenceIndices.map((i) => set.sequences[i]!.exampleIndex);
  if (targets) {
    const e = new Float32Array(b.batch * s.semDim);
    exIdx.forEach((ex, r) => {
      const v = targets[ex];
      if (v && b.semRows?.[r]) {
        e.set(v, r * s.semDim);
        rowsArr[r] = 1;
      }
    });
    return { e: tf.tensor2d(e, [b.batch, s.semDim]), rows: tf.tensor1d(rowsArr) };
  }
  // 'self-online': the student's own last-layer states over `RAT r`, mean-pooled over r, no gradient.
  const rats = exIdx.map((ex) => set.rationaleTokens[ex]);
  const time = Math.max(2, ...rats.map((r) => r?.length ?? 0));
  const ids = new Int32Array(b.batch * time).fill(s.tok.pad);
  const pool = new Float32Array(b.batch * b.batch * time);
  rats.forEach((r, row) => {
    if (!r || r.length < 2 || !b.semRows?.[row]) return;
    r.forEach((t, i) => (ids[row * time + i] = t));
    for (let i = 1; i < r.length; i++) pool[row * b.batch * time + row * time + i] = 1 / (r.length - 1);
    rowsArr[row] = 1;
  });
  const out = s.net.forward(params, tf.tensor1d(ids, 'int32'), b.batch, time, { skipLogits: true });
  const e = tf.matMul(tf.tensor2d(pool, [b.batch, b.batch * time]), out.hidden);
  return { e: e as tf.Tensor2D, rows: tf.tensor1d(rowsArr) };
}

/**
 * The method's loss on one batch. Token terms are each averaged over their own tokens and
 * weighted by the method's term weights; PST adds lambda * L_sem. `report` receives the
 * unweighted [NTP(y), NTP(r), L_sem] (NaN when absent), as a kept tensor.
 */
function batchLoss(
  s: Setup,
  params: Params,
  b: Batch,
  sem: { e: tf.Tensor2D; rows: tf.Tensor1D } | null,
  dropRng: Rng | null,
  report: (terms: tf.Tensor1D) => void,
  startPos = 0,
): tf.Scalar {
  const { termWeights } = s.method;
  const n = b.batch * b.time;
  const w = new Float32Array(n);
  const wa = b.counts.answer > 0 ? termWeights.answer / b.counts.answer : 0;
  const wr = b.counts.rationale > 0 ? termWeights.rationale / b.counts.rationale : 0;
  for (let i = 0; i < n; i++) w[i] = b.masks.answer[i]! * wa + b.masks.rationale[i]! * wr;
  const out = s.net.forward(params, tf.tensor1d(b.inputs, 'int32'), b.batch, b.time, {
    dropout: dropRng ? { rate: s.net.dropout, rng: dropRng } : null,
    startPos,
  });
  let tokenTerms: tf.Tensor1D | null = null;
  let loss: tf.Scalar = weightedCrossEntropy(out.logits!, tf.tensor1d(b.targets, 'int32'), tf.tensor1d(w), (ce) => {
    const term = (mask: Float32Array, count: number) =>
      count > 0 ? tf.div(tf.sum(tf.mul(ce, tf.tensor1d(mask))), count) : tf.scalar(NaN);
    tokenTerms = tf.keep(
      tf.stack([term(b.masks.answer, b.counts.answer), term(b.masks.rationale, b.counts.rationale)]) as tf.Tensor1D,
    );
  });
  let semTerm: tf.Scalar = tf.scalar(NaN);
  if (s.pst && sem && b.semSelect) {
    const pooled = linear(tf.tensor2d(b.semSelect, [b.batch, n]), out.hidden, null);
    const z = project(s.pst.head, params, pooled);
    semTerm = semanticLoss(s.pst.loss, z, sem.e, sem.rows, s.pst.tau);
    loss = tf.add(loss, tf.mul(semTerm, s.pst.lambda));
  }
  const terms = tf.keep(tf.concat([tokenTerms ?? tf.tensor1d([NaN, NaN]), tf.reshape(semTerm, [1])]) as tf.Tensor1D);
  if (tokenTerms) (tokenTerms as tf.Tensor).dispose();
  report(terms);
  return loss;
}

function allParams(s: Setup, values: Map<string, Float32Array>): Params {
  const params = createNetParams(s.net, values);
  if (s.pst) {
    for (const [name, shape] of projectionShapes(s.pst.head, s.net.width, s.semDim)) {
      const data = values.get(name);
      if (!data) throw new Error(`missing PST projection parameter ${name}`);
      params[name] = variableFrom(data, shape, name);
    }
  }
  return params;
}

function nanToNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

export async function train(input: TrainInput): Promise<TrainResult> {
  const hooks = input.hooks ?? {};
  const cfg = input.config;
  const lastDir = input.runDir ? path.join(input.runDir, 'last') : null;
  const bestDir = input.runDir ? path.join(input.runDir, 'best') : null;

  // ---- state: fresh or from the last checkpoint
  const ckpt = input.resume ? (lastDir ? loadCheckpoint(lastDir) : null) : null;
  if (input.resume && !ckpt) throw new Error('resume requested but the run has no directory');
  const s = setupRun(
    input,
    ckpt && ckpt.state.tokenizer.kind === 'char' ? CharTokenizer.fromJSON(ckpt.state.tokenizer) : null,
  );
  const accumulate = cfg.accumulate ?? 1;
  checkTrainingMemory(
    s.net,
    cfg.batchSize,
    Math.max(...s.trainSet.sequences.map((q) => q.tokens.length)),
    tf.getBackend(),
  );
  await setupSemantic(s, input);
  if (ckpt) {
    // A pretrained student is the same one wherever its folder is (its files' hashes are recorded).
    if (JSON.stringify(withoutFolder(ckpt.state.model)) !== JSON.stringify(withoutFolder(s.net.describe())))
      throw new Error(`${lastDir}: checkpoint model config differs from the run's`);
    if (JSON.stringify(ckpt.state.method) !== JSON.stringify(cfg.method))
      throw new Error(`${lastDir}: checkpoint method config differs from the run's`);
  }
  // A pretrained student's checkpoint holds only what trains; the rest comes from its folder.
  const values = !ckpt || s.net.kind === 'hf' ? s.net.initialValues(cfg.seed) : new Map<string, Float32Array>();
  if (ckpt) {
    for (const [n, t] of ckpt.weights) values.set(n, t.data as Float32Array);
  } else {
    // The projection head's shapes never depend on the vocabulary; one stream of its own serves it.
    const projRng = new Rng(namedSeed(cfg.seed, 'sem_proj'));
    if (s.pst) for (const [n, v] of projectionInit(s.pst.head, s.net.width, s.semDim, projRng)) values.set(n, v);
  }
  const params = allParams(s, values);
  values.clear();
  const trainable: Params = Object.fromEntries(Object.entries(params).filter(([, v]) => v.trainable));
  const opt = new AdamW(optimizerConfig(cfg), trainable);
  if (ckpt) {
    if (!ckpt.moments) throw new Error(`${lastDir}: optimizer state missing, cannot resume exactly`);
    const moments = ckpt.moments;
    const restore = (vars: Map<string, tf.Variable>, from: Map<string, { data: Float32Array | Int32Array }>) => {
      for (const [n, target] of vars) {
        const src = from.get(n);
        if (!src) throw new Error(`${lastDir}: optimizer state lacks ${n}`);
        tf.tidy(() => target.assign(tf.tensor(src.data, target.shape)));
      }
    };
    restore(opt.m, moments.m);
    restore(opt.v, moments.v);
    opt.t = ckpt.state.optimizer.t;
  }
  let step = ckpt?.state.training.step ?? 0;
  const valState = ckpt?.state.validation ?? {
    bestScore: null as number | null,
    bestStep: null as number | null,
    bestAccuracy: null as number | null,
    sinceBest: 0,
  };
  const backend = tf.getBackend();

  const stateFor = (atStep: number): CheckpointState => ({
    format: CHECKPOINT_FORMAT,
    model: s.net.describe(),
    method: cfg.method,
    tokenizer: s.tok.toJSON(),
    optimizer: { ...opt.config, t: opt.t },
    training: {
      seed: cfg.seed,
      batchSize: cfg.batchSize,
      step: atStep,
      rng: { seed: cfg.seed, derivation: 'deriveSeed(seed, stream, step|epoch)' },
    },
    validation: { ...valState },
    backend,
    savedAt: new Date().toISOString(),
  });
  const save = async (kind: 'last' | 'best', dir: string | null) => {
    if (!dir) return;
    await saveCheckpoint(dir, trainable, opt, stateFor(step));
    await hooks.onCheckpoint?.({ kind, dir, step });
  };

  const lengths = s.trainSet.sequences.map((q) => q.tokens.length);
  const perEpoch = epochBatches(lengths, cfg.batchSize, cfg.seed, 0).length;
  let scheduleEpoch = -1;
  let schedule: number[][] = [];
  const vars = Object.values(trainable);
  const student: StudentModel = { params, net: s.net, tokenizer: s.tok, method: s.method };

  const measure = (): SemanticDiagnostics | null =>
    s.pst && s.semTargets
      ? measureSemantic(step, {
          targets: s.semTargets,
          pst: s.pst,
          net: s.net,
          pad: s.tok.pad,
          params,
          trainSet: s.trainSet,
          valSet: s.valSet,
          targetsFor: (set, b) =>
            semanticTargets(s, params, set, set === s.trainSet ? s.trainTargets : s.valTargets, b),
        })
      : null;
  // A degenerate target is reported once per run process (at the first step it is seen).
  let warnedDegenerate = false;
  const warningsFor = (d: SemanticDiagnostics | null): string[] => {
    const w = d && s.semTargets && !warnedDegenerate ? degenerateWarning(d, s.semTargets.record.encoder) : null;
    if (w) warnedDegenerate = true;
    return w ? [w] : [];
  };
  const startSemantic = measure();
  const warnings = warningsFor(startSemantic);

  await hooks.onStart?.({
    modelConfig: s.net.describe(),
    parameters: parameterCounts(s.net).total,
    trainableParameters: vars.reduce((a, v) => a + v.size, 0),
    effectiveBatch: cfg.batchSize * accumulate,
    vocabSize: s.tok.size,
    trainSequences: s.trainSet.sequences.length,
    valSequences: s.valSet.sequences.length,
    encodeStats: s.trainSet.stats,
    startStep: step,
    resumeNotice: ckpt?.fallback ?? null,
    backend,
    semantic: s.semTargets && startSemantic ? { ...s.semTargets.record, diagnostics: [startSemantic] } : null,
    warnings,
  });

  const valSubset = validationSample(input.val, cfg.valMaxExamples);
  const validate = async (): Promise<ValidationMetrics> => {
    let valLoss: number | null = null;
    if (s.valSet.sequences.length > 0) {
      let sum = 0;
      let count = 0;
      for (const idx of sequentialBatches(
        s.valSet.sequences.map((q) => q.tokens.length),
        cfg.batchSize,
      )) {
        const b = makeBatch(s.valSet.sequences, idx, s.tok.pad, s.net.context);
        let terms: tf.Tensor1D | null = null;
        const l = tf.tidy(() => {
          const sem = s.pst ? semanticTargets(s, params, s.valSet, s.valTargets, b) : null;
          return batchLoss(s, params, b, sem, null, (t) => (terms = t));
        });
        sum += (await l.data())[0]!;
        count++;
        l.dispose();
        (terms as tf.Tensor | null)?.dispose();
      }
      valLoss = count ? sum / count : null;
    }
    const subset = valSubset;
    const acc = subset.length
      ? (await evaluateExamples(student, subset, { shouldCancel: hooks.shouldCancel })).accuracy
      : null;
    // Score: accuracy first; the loss breaks ties (its weight is below one example's worth).
    const score = acc !== null ? acc - (valLoss ?? 0) * 1e-4 : valLoss !== null ? -valLoss : null;
    const isBest = score !== null && (valState.bestScore === null || score > valState.bestScore);
    if (isBest) {
      valState.bestScore = score;
      valState.bestStep = step;
      valState.bestAccuracy = acc;
      valState.sinceBest = 0;
    } else {
      valState.sinceBest++;
    }
    const semantic = measure();
    return {
      step,
      valLoss,
      valAccuracy: acc,
      valCount: subset.length,
      isBest,
      bestStep: valState.bestStep,
      semantic,
      warnings: warningsFor(semantic),
    };
  };

  const losses: number[] = [];
  let peakRss = process.memoryUsage().rss;
  let status: TrainResult['status'] = 'completed';
  const t0 = performance.now();
  let windowStart = performance.now();
  let windowTokens = 0;
  let rate = 0;
  let secPerStep = 0;
  try {
    while (step < cfg.steps) {
      await hooks.waitWhilePaused?.();
      if (hooks.shouldCancel?.()) {
        status = 'cancelled';
        break;
      }
      // Micro-batch m = step * accumulate + j walks the epochs' batch orders in turn, so
      // accumulate 1 is exactly the plain loop; each micro-batch has its own dropout stream.
      const lr = learningRate(step, opt.config);
      const stepStart = performance.now();
      let epoch = 0;
      let tokens = 0;
      const sums: number[] = [0, 0, 0, 0];
      const termCounts = [0, 0, 0];
      let summed: Record<string, tf.Tensor> | null = null;
      for (let j = 0; j < accumulate; j++) {
        const micro = step * accumulate + j;
        epoch = Math.floor(micro / perEpoch);
        if (epoch !== scheduleEpoch) {
          schedule = epochBatches(lengths, cfg.batchSize, cfg.seed, epoch);
          scheduleEpoch = epoch;
        }
        const b = makeBatch(s.trainSet.sequences, schedule[micro % perEpoch]!, s.tok.pad, s.net.context);
        const dropRng = new Rng(deriveSeed(cfg.seed, 0xd40b, micro));
        const startPos = batchStartPosition(cfg, micro, s.net.context, b.time);
        let terms: tf.Tensor1D | null = null;
        const prev: Record<string, tf.Tensor> | null = summed;
        const out = tf.tidy(() => {
          const sem = s.pst ? semanticTargets(s, params, s.trainSet, s.trainTargets, b) : null;
          const { value, grads } = tf.variableGrads(
            () => batchLoss(s, params, b, sem, dropRng, (t) => (terms = t), startPos),
            vars,
          );
          // Gradients keyed by parameter name (variableGrads keys them by variable name).
          const named: Record<string, tf.Tensor> = {};
          for (const [n, v] of Object.entries(trainable)) {
            const raw = grads[v.name];
            if (!raw) continue; // not on this batch's path
            const g = accumulate > 1 ? tf.div(raw, accumulate) : raw;
            named[n] = prev?.[n] ? tf.add(prev[n], g) : g;
          }
          if (prev) for (const n of Object.keys(prev)) named[n] ??= tf.clone(prev[n]!);
          return { value, named };
        });
        if (prev) Object.values(prev).forEach((t) => t.dispose());
        summed = out.named;
        const packed = tf.tidy(() => tf.concat([tf.reshape(out.value, [1]), terms!]));
        const vals = Array.from(await packed.data());
        packed.dispose();
        out.value.dispose();
        (terms as tf.Tensor | null)?.dispose();
        sums[0]! += vals[0]! / accumulate;
        for (let k = 0; k < 3; k++) {
          if (!Number.isNaN(vals[k + 1]!)) {
            sums[k + 1]! += vals[k + 1]!;
            termCounts[k]!++;
          }
        }
        tokens += b.sequenceIndices.reduce((a, i) => a + s.trainSet.sequences[i]!.tokens.length - 1, 0);
      }
      const normT = opt.step(trainable, summed!, lr);
      Object.values(summed!).forEach((t) => t.dispose());
      const gradNorm = (await normT.data())[0]!;
      normT.dispose();
      const loss = sums[0]!;
      const [ansL, ratL, semL] = [0, 1, 2].map((k) => (termCounts[k] ? sums[k + 1]! / termCounts[k]! : NaN));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      step++;
      losses.push(loss!);
      if (!Number.isFinite(loss!)) throw new Error(`loss became ${loss} at step ${step}; try a lower learning rate`);
      windowTokens += tokens;
      const now = performance.now();
      const stepSec = (now - stepStart) / 1000;
      secPerStep = secPerStep === 0 ? stepSec : 0.9 * secPerStep + 0.1 * stepSec;
      if (now - windowStart > 2000 || rate === 0) {
        rate = windowTokens / ((now - windowStart) / 1000);
        windowStart = now;
        windowTokens = 0;
      }
      await hooks.onStep?.({
        step,
        totalSteps: cfg.steps,
        epoch,
        loss: loss!,
        answerLoss: nanToNull(ansL!),
        rationaleLoss: nanToNull(ratL!),
        semanticLoss: nanToNull(semL!),
        lr,
        gradNorm: gradNorm!,
        tokens,
        tokensPerSec: rate,
        elapsedMs: now - t0,
        etaSec: secPerStep * (cfg.steps - step),
      });
      const atEnd = step === cfg.steps;
      if ((cfg.evalEvery > 0 && step % cfg.evalEvery === 0) || atEnd) {
        const v = await validate();
        await hooks.onValidation?.(v);
        if (v.isBest) await save('best', bestDir);
        if (cfg.earlyStopPatience !== null && valState.sinceBest >= cfg.earlyStopPatience) {
          status = 'early-stopped';
          break;
        }
      }
      if (cfg.checkpointEvery > 0 && step % cfg.checkpointEvery === 0 && !atEnd) await save('last', lastDir);
    }
    await save('last', lastDir);
  } catch (err) {
    throw explainWasmMemory(
      err,
      tf.getBackend(),
      `at step ${step + 1} (batch ${cfg.batchSize} x up to ${s.net.context} tokens)`,
    );
  } finally {
    opt.dispose();
    // Every variable of the run, frozen ones too (LoRA's base weights), so a later load of a
    // checkpoint in this process can register the same names.
    for (const v of new Set([...vars, ...Object.values(params)])) v.dispose();
  }
  return {
    status,
    steps: step,
    losses,
    bestStep: valState.bestStep,
    bestValAccuracy: valState.bestAccuracy,
    lastCheckpoint: lastDir,
    bestCheckpoint: valState.bestStep !== null ? bestDir : null,
    encodeStats: s.trainSet.stats,
    modelConfig: s.net.describe(),
    peakRssBytes: peakRss,
  };
}

/** A model record without a pretrained student's folder path (which differs between machines). */
function withoutFolder(m: CheckpointState['model']): unknown {
  return 'kind' in m && m.kind === 'hf' ? { ...m, dir: null } : m;
}

/**
 * Loads a checkpoint directory as a model ready for evaluateExamples (dispose with disposeStudent);
 * `studentDir`: the run's own student folder, when it may differ from the one the checkpoint names.
 */
export function loadStudent(dir: string, studentDir?: string): StudentModel {
  const ck = loadCheckpoint(dir);
  const method = createMethod(ck.state.method);
  const { net, tok } = studentOfCheckpoint(ck.state, studentDir);
  return { params: createNetParams(net, checkpointValues(net, ck)), net, tokenizer: tok, method };
}

export function disposeStudent(m: StudentModel): void {
  for (const v of Object.values(m.params)) v.dispose();
}
