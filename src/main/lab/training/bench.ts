// `bench train`: training throughput of the reference configuration (preset tiny, batch 16,
// context 64, synthetic tokens) on the active backend, its measured dense matmul rate, the
// model-FLOP utilisation, peak memory and greedy generation speed. The training step is the
// trainer's own path (forward, weighted cross-entropy, hand-written gradients, AdamW).
import * as tf from '@tensorflow/tfjs';
import { measureMatmulGflops } from '../compute/matmulRate';
import { greedyDecode } from './generate';
import { charNet } from './student';
import { countParams, createParams, forward, initialValues, presetConfig, trainFlopsPerToken, type ModelConfig } from './model';
import { weightedCrossEntropy } from './ops';
import { AdamW } from './optimizer';
import { Rng, deriveSeed } from './rng';

export interface BenchOptions {
  /** Timed training steps (after warm-up). */
  steps?: number;
  warmupSteps?: number;
  batch?: number;
  context?: number;
  /** Synthetic vocabulary size (a character vocabulary is typically 50-100). */
  vocabSize?: number;
  /** Tokens to generate per decoding run for the generation figure. */
  generateTokens?: number;
}

export interface BenchFigures {
  backend: string;
  config: ModelConfig;
  parameters: number;
  batch: number;
  seqLen: number;
  steps: number;
  trainTokensPerSec: number;
  msPerStep: number;
  /** 6 * matmul weights + 12 * layers * seqLen * width; see trainFlopsPerToken. */
  trainFlopsPerToken: number;
  achievedGflops: number;
  matmulGflops: number;
  matmulBySize: { n: number; gflops: number }[];
  /** achievedGflops / matmulGflops. */
  mfu: number;
  /** Peak bytes held by tfjs during one training step (tf.profile) and the process RSS peak. */
  peakTensorBytes: number;
  peakRssBytes: number;
  generationTokensPerSec: number;
}

export async function benchTrain(opts: BenchOptions = {}): Promise<BenchFigures> {
  const batch = opts.batch ?? 16;
  const seqLen = opts.context ?? 64;
  const steps = opts.steps ?? 20;
  const warmup = opts.warmupSteps ?? 3;
  const cfg = presetConfig('tiny', opts.vocabSize ?? 64, { context: seqLen });
  const rng = new Rng(deriveSeed(7, 1));
  const params = createParams(cfg, initialValues(cfg, 7));
  const opt = new AdamW(
    { lr: 1e-3, minLrRatio: 0.1, warmupSteps: 0, totalSteps: steps, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1, gradClip: 1 },
    params,
  );
  const vars = Object.values(params);
  const n = batch * seqLen;
  // Synthetic data: a learnable pattern (next token = previous + 1 mod V) so the loss is meaningful.
  const ids = new Int32Array(n);
  const targets = new Int32Array(n);
  for (let b = 0; b < batch; b++) {
    const start = rng.index(cfg.vocabSize);
    for (let t = 0; t < seqLen; t++) {
      ids[b * seqLen + t] = (start + t) % cfg.vocabSize;
      targets[b * seqLen + t] = (start + t + 1) % cfg.vocabSize;
    }
  }
  const weights = new Float32Array(n).fill(1 / n);
  let peakRss = process.memoryUsage().rss;
  const step = async (s: number): Promise<number> => {
    const drop = new Rng(deriveSeed(7, 2, s));
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const out = forward(params, cfg, tf.tensor1d(ids, 'int32'), batch, seqLen, { dropout: { rate: cfg.dropout, rng: drop } });
        return weightedCrossEntropy(out.logits!, tf.tensor1d(targets, 'int32'), tf.tensor1d(weights));
      }, vars);
      opt.step(params, grads, 1e-3).dispose();
      return value;
    });
    const v = (await loss.data())[0]!;
    loss.dispose();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return v;
  };
  try {
    for (let s = 0; s < warmup; s++) await step(s);
    const prof = await tf.profile(async () => {
      await step(warmup);
    });
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) await step(warmup + 1 + s);
    const sec = (performance.now() - t0) / 1000;
    const tokensPerSec = (steps * n) / sec;
    const flopsPerToken = trainFlopsPerToken(cfg, seqLen);
    const achieved = (tokensPerSec * flopsPerToken) / 1e9;
    const mm = await measureMatmulGflops();

    const genN = opts.generateTokens ?? 48;
    const prompt = Array.from({ length: 16 }, (_, i) => (i * 7) % cfg.vocabSize);
    await greedyDecode(charNet(cfg), params, { prompt, stopTokens: [], maxNewTokens: 8 }); // warm-up
    let genTokens = 0;
    let genMs = 0;
    for (let r = 0; r < 3; r++) {
      const d = await greedyDecode(charNet(cfg), params, { prompt, stopTokens: [], maxNewTokens: genN });
      genTokens += d.tokens.length;
      genMs += d.totalMs;
    }
    return {
      backend: tf.getBackend(),
      config: cfg,
      parameters: countParams(cfg),
      batch,
      seqLen,
      steps,
      trainTokensPerSec: tokensPerSec,
      msPerStep: (sec / steps) * 1000,
      trainFlopsPerToken: flopsPerToken,
      achievedGflops: achieved,
      matmulGflops: mm.gflops,
      matmulBySize: mm.bySize,
      mfu: achieved / mm.gflops,
      peakTensorBytes: prof.peakBytes,
      peakRssBytes: peakRss,
      generationTokensPerSec: genTokens / (genMs / 1000),
    };
  } finally {
    opt.dispose();
    for (const v of vars) v.dispose();
  }
}
