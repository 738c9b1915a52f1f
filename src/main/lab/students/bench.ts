// `bench train --student DIR`: training throughput of a pretrained student on the active backend
// through the trainer's own network (students/trainable.ts: the method markers appended to the
// vocabulary, and with `lora` the adapters on the frozen base): synthetic token ids, next-token
// loss with the trainer's dropout (the folder's rate; with LoRA dropout the adapters' own path),
// AdamW over the trainable weights, the backend's own dense matmul rate, the model-FLOP
// utilisation, peak memory and cached greedy generation speed. Figures are printed, never asserted.
import * as tf from '@tensorflow/tfjs';
import { trackLiveBytes } from '../compute/liveBytes';
import { measureMatmulGflops } from '../compute/matmulRate';
import type { LayerCache, Params } from '../training/model';
import { weightedCrossEntropy } from '../training/ops';
import { AdamW } from '../training/optimizer';
import { trainingMemoryBytes } from '../training/trainer';
import { Rng, deriveSeed } from '../training/rng';
import { createNetParams, parameterCounts, type LoraConfig } from '../training/student';
import type { LoraSpec } from '../../../shared/types/runs';
import type { StudentSummary } from './family';
import { inspectStudentFolder } from './folder';
import { pretrainedNet, resolveLora, type PretrainedNet } from './trainable';

export interface StudentBenchOptions {
  steps?: number;
  warmupSteps?: number;
  batch?: number;
  seqLen?: number;
  generateTokens?: number;
  /** LoRA instead of full fine-tuning: rank, alpha (default: the rank), dropout, targets (default: the family's). */
  lora?: LoraSpec | null;
}

export interface StudentBenchFigures {
  backend: string;
  student: string;
  summary: StudentSummary;
  parameters: number;
  /** Parameters the optimizer updates (all in full fine-tuning; adapters and marker rows with LoRA). */
  trainableParameters: number;
  mode: 'full' | 'lora';
  lora: LoraConfig | null;
  batch: number;
  seqLen: number;
  steps: number;
  trainTokensPerSec: number;
  msPerStep: number;
  /**
   * 6 x (matrix weights incl. the output layer) + 12 x layers x seqLen x hidden, as for the char GPT;
   * with LoRA every frozen matrix costs 4 (forward and input gradient, no weight gradient: training
   * runs the adapters beside it), the adapters 6 each.
   */
  trainFlopsPerToken: number;
  achievedGflops: number;
  matmulGflops: number;
  /** achievedGflops / matmulGflops. */
  mfu: number;
  /** Peak bytes held by tfjs during one training step (tf.profile) and the process RSS peak. */
  peakTensorBytes: number;
  peakRssBytes: number;
  /** The process's RSS with the weights loaded, before the first step (peakRssBytes minus this is what training added). */
  loadedRssBytes: number;
  /**
   * The most tensor memory live at once during a step, each buffer counted once and freed when
   * tfjs frees it (compute/liveBytes.ts), from the weights and AdamW moments held; null where the
   * backend's storage is not reachable. The figure to hold against memoryBoundBytes.
   */
  livePeakBytes: number | null;
  /**
   * What training should need at most (the trainer's own estimate, trainingMemoryBytes): weights,
   * trainable parameters with their gradients and AdamW moments, activations and logits, plus the
   * wasm backend's packed weight copies on wasm. peakTensorBytes counts views (reshapes) again, so
   * RSS is the figure to hold against it.
   */
  memoryBoundBytes: number;
  generationTokensPerSec: number;
}

/** Training FLOPs per token of the net as trained (embedding tables excluded, output layer included). */
function flopsPerToken(net: PretrainedNet, s: StudentSummary, seqLen: number): number {
  let flops = 0;
  for (const p of net.parameterShapes()) {
    if (
      p.shape.length !== 2 ||
      /(wte|wpe|embed_tokens|embeddings)\.weight(\.added)?$|lm_head\.weight(\.added)?$/.test(p.name)
    )
      continue;
    flops += (p.trainable ? 6 : 4) * p.shape[0]! * p.shape[1]!;
  }
  // The output layer (tied or not) over the whole vocabulary, markers included; frozen under LoRA
  // except the marker rows, whose share is negligible.
  flops += (net.lora ? 4 : 6) * net.vocabSize * s.hidden;
  return flops + 12 * s.layers * seqLen * s.hidden;
}

/** Greedy decoding with the cache: tokens per second over `n` new tokens after a prompt. */
async function generationRate(net: PretrainedNet, params: Params, prompt: number[], n: number): Promise<number> {
  const t0 = performance.now();
  const prepared = net.prepareDecoding(params);
  let past: LayerCache[] | null = null;
  let next = 0;
  for (let i = 0; i < prompt.length + n - 1; i++) {
    const id = i < prompt.length ? prompt[i]! : next;
    const prev = past;
    const out = tf.tidy(() => {
      const r = net.forward(params, tf.tensor1d([id], 'int32'), 1, 1, { past: prev, startPos: i, ...prepared.options });
      return { top: tf.argMax(r.logits!, 1), keys: r.cache.map((c) => c.k), values: r.cache.map((c) => c.v) };
    });
    prev?.forEach((c) => (c.k.dispose(), c.v.dispose()));
    past = out.keys.map((k, l) => ({ k, v: out.values[l]! }));
    if (i >= prompt.length - 1) next = (await out.top.data())[0]!;
    out.top.dispose();
  }
  past?.forEach((c) => (c.k.dispose(), c.v.dispose()));
  prepared.dispose();
  return n / ((performance.now() - t0) / 1000);
}

export async function benchStudent(dir: string, opts: StudentBenchOptions = {}): Promise<StudentBenchFigures> {
  const folder = inspectStudentFolder(dir, { hash: false });
  const { summary } = folder;
  const batch = opts.batch ?? 4;
  const seqLen = Math.min(opts.seqLen ?? 64, summary.context);
  const steps = opts.steps ?? 5;
  const warmup = opts.warmupSteps ?? 1;
  const lora = resolveLora(opts.lora, folder.family.id);
  // PST's one SEM marker: the vocabulary a PST run of this student trains with.
  const { net } = pretrainedNet({ folder, name: null, semTokens: 1, lora });
  const params = createNetParams(net, net.initialValues(7));
  const trainable = Object.fromEntries(Object.entries(params).filter(([, v]) => v.trainable));
  const vars = Object.values(trainable);
  const opt = new AdamW(
    {
      lr: 1e-5,
      minLrRatio: 0.1,
      warmupSteps: 0,
      totalSteps: steps,
      beta1: 0.9,
      beta2: 0.99,
      eps: 1e-8,
      weightDecay: 0.1,
      gradClip: 1,
    },
    trainable,
  );
  const n = batch * seqLen;
  const rng = new Rng(deriveSeed(7, 3));
  const ids = Int32Array.from({ length: n }, () => rng.index(folder.tokenizer.maxId + 1));
  const targets = Int32Array.from({ length: n }, (_, i) => ids[(i + 1) % n]!);
  const weights = new Float32Array(n).fill(1 / n);
  // What the process holds with the weights loaded, before any step: training adds to this.
  const loadedRss = process.memoryUsage().rss;
  let peakRss = loadedRss;
  let stepIndex = 0;
  const step = async (): Promise<void> => {
    // The trainer's dropout: the folder's rate and, with LoRA dropout, the adapters' input.
    const dropout = { rate: net.dropout, rng: new Rng(deriveSeed(7, 0xd40b, stepIndex++)) };
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const out = net.forward(params, tf.tensor1d(ids, 'int32'), batch, seqLen, { dropout });
        return weightedCrossEntropy(out.logits!, tf.tensor1d(targets, 'int32'), tf.tensor1d(weights));
      }, vars);
      opt.step(trainable, grads, 1e-5).dispose();
      return value;
    });
    await loss.data();
    loss.dispose();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  try {
    for (let s = 0; s < warmup; s++) await step();
    // The step's live tensor memory, each buffer once, from the weights (and optimizer state) held.
    const counts = parameterCounts(net);
    const held = Object.values(params).reduce((a, v) => a + v.size * 4, 0) + 2 * 4 * counts.trainable;
    const live = trackLiveBytes(held);
    const prof = await tf.profile(step);
    const livePeak = live ? live.peak() : null;
    live?.stop();
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) await step();
    const sec = (performance.now() - t0) / 1000;
    const tokensPerSec = (steps * n) / sec;
    const fpt = flopsPerToken(net, summary, seqLen);
    const achieved = (tokensPerSec * fpt) / 1e9;
    const mm = await measureMatmulGflops();
    const prompt = Array.from({ length: Math.min(16, summary.context >> 1) }, (_, i) => ids[i]!);
    const genTokens = Math.min(opts.generateTokens ?? 32, summary.context - prompt.length);
    const generation = await generationRate(net, params, prompt, genTokens);
    return {
      backend: tf.getBackend(),
      student: folder.dir,
      summary,
      parameters: counts.total,
      trainableParameters: counts.trainable,
      mode: lora ? 'lora' : 'full',
      lora,
      batch,
      seqLen,
      steps,
      trainTokensPerSec: tokensPerSec,
      msPerStep: (sec / steps) * 1000,
      trainFlopsPerToken: fpt,
      achievedGflops: achieved,
      matmulGflops: mm.gflops,
      mfu: achieved / mm.gflops,
      peakTensorBytes: prof.peakBytes,
      peakRssBytes: peakRss,
      loadedRssBytes: loadedRss,
      livePeakBytes: livePeak,
      memoryBoundBytes: trainingMemoryBytes(net, batch, seqLen, tf.getBackend()),
      generationTokensPerSec: generation,
    };
  } finally {
    opt.dispose();
    Object.values(params).forEach((v) => v.dispose());
  }
}
