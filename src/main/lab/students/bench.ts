// `bench train --student DIR`: full fine-tuning throughput of a pretrained student on the active
// backend (synthetic token ids from its vocabulary, next-token loss, AdamW over every weight),
// the backend's own dense matmul rate, the model-FLOP utilisation, peak memory and cached greedy
// generation speed. Figures are printed, never asserted. Full fine-tuning only: LoRA runs record
// their peak memory in the run record (docs/methods.md, "Training a pretrained student").
import * as tf from '@tensorflow/tfjs';
import { measureMatmulGflops } from '../compute/matmulRate';
import type { LayerCache } from '../training/model';
import { weightedCrossEntropy } from '../training/ops';
import { AdamW } from '../training/optimizer';
import { Rng, deriveSeed } from '../training/rng';
import type { StudentFamily, StudentParams, StudentSummary } from './family';
import { inspectStudentFolder, loadStudentParams } from './folder';

export interface StudentBenchOptions {
  steps?: number;
  warmupSteps?: number;
  batch?: number;
  seqLen?: number;
  generateTokens?: number;
}

export interface StudentBenchFigures {
  backend: string;
  student: string;
  summary: StudentSummary;
  parameters: number;
  mode: 'full';
  batch: number;
  seqLen: number;
  steps: number;
  trainTokensPerSec: number;
  msPerStep: number;
  /** 6 x (matrix weights incl. the output layer) + 12 x layers x seqLen x hidden, as for the char GPT. */
  trainFlopsPerToken: number;
  achievedGflops: number;
  matmulGflops: number;
  /** achievedGflops / matmulGflops. */
  mfu: number;
  /** Peak bytes held by tfjs during one training step (tf.profile) and the process RSS peak. */
  peakTensorBytes: number;
  peakRssBytes: number;
  generationTokensPerSec: number;
}

/** Training FLOPs per token from the family's own parameter list (embedding tables excluded, output layer included). */
function flopsPerToken(family: StudentFamily<unknown>, config: unknown, s: StudentSummary, seqLen: number): number {
  const matrices = family
    .parameters(config)
    .filter((p) => p.shape.length === 2 && !/(wte|wpe|embed_tokens|embeddings)\.weight$|lm_head\.weight$/.test(p.name))
    .reduce((a, p) => a + p.shape[0]! * p.shape[1]!, 0);
  return 6 * (matrices + s.vocabSize * s.hidden) + 12 * s.layers * seqLen * s.hidden;
}

/** Greedy decoding with the family's cache: tokens per second over `n` new tokens after a prompt. */
async function generationRate(
  family: StudentFamily<unknown>,
  config: unknown,
  params: StudentParams,
  prompt: number[],
  n: number,
): Promise<number> {
  const t0 = performance.now();
  let past: LayerCache[] | null = null;
  let next = 0;
  for (let i = 0; i < prompt.length + n - 1; i++) {
    const id = i < prompt.length ? prompt[i]! : next;
    const prev = past;
    const out = tf.tidy(() => {
      const r = family.forward(params, config, tf.tensor1d([id], 'int32'), 1, 1, { past: prev, startPos: i });
      return { top: tf.argMax(r.logits!, 1), keys: r.cache.map((c) => c.k), values: r.cache.map((c) => c.v) };
    });
    prev?.forEach((c) => (c.k.dispose(), c.v.dispose()));
    past = out.keys.map((k, l) => ({ k, v: out.values[l]! }));
    if (i >= prompt.length - 1) next = (await out.top.data())[0]!;
    out.top.dispose();
  }
  past?.forEach((c) => (c.k.dispose(), c.v.dispose()));
  return n / ((performance.now() - t0) / 1000);
}

export async function benchStudent(dir: string, opts: StudentBenchOptions = {}): Promise<StudentBenchFigures> {
  const folder = inspectStudentFolder(dir, { hash: false });
  const { family, config, summary } = folder;
  const batch = opts.batch ?? 4;
  const seqLen = Math.min(opts.seqLen ?? 64, summary.context);
  const steps = opts.steps ?? 5;
  const warmup = opts.warmupSteps ?? 1;
  const params = loadStudentParams(folder, true);
  const vars = Object.values(params);
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
    params,
  );
  const n = batch * seqLen;
  const rng = new Rng(deriveSeed(7, 3));
  const ids = Int32Array.from({ length: n }, () => rng.int(folder.tokenizer.maxId + 1));
  const targets = Int32Array.from({ length: n }, (_, i) => ids[(i + 1) % n]!);
  const weights = new Float32Array(n).fill(1 / n);
  let peakRss = process.memoryUsage().rss;
  const step = async (): Promise<void> => {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const out = family.forward(params, config, tf.tensor1d(ids, 'int32'), batch, seqLen);
        return weightedCrossEntropy(out.logits!, tf.tensor1d(targets, 'int32'), tf.tensor1d(weights));
      }, vars);
      opt.step(params, grads, 1e-5).dispose();
      return value;
    });
    await loss.data();
    loss.dispose();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  try {
    for (let s = 0; s < warmup; s++) await step();
    const prof = await tf.profile(step);
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) await step();
    const sec = (performance.now() - t0) / 1000;
    const tokensPerSec = (steps * n) / sec;
    const fpt = flopsPerToken(family, config, summary, seqLen);
    const achieved = (tokensPerSec * fpt) / 1e9;
    const mm = await measureMatmulGflops();
    const prompt = Array.from({ length: Math.min(16, summary.context >> 1) }, (_, i) => ids[i]!);
    const genTokens = Math.min(opts.generateTokens ?? 32, summary.context - prompt.length);
    const generation = await generationRate(family, config, params, prompt, genTokens);
    return {
      backend: tf.getBackend(),
      student: folder.dir,
      summary,
      parameters: folder.parameterCount,
      mode: 'full',
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
      generationTokensPerSec: generation,
    };
  } finally {
    opt.dispose();
    vars.forEach((v) => v.dispose());
  }
}
