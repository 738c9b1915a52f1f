// Greedy decoding with a key/value cache: the prompt is run once (prefill), then each new token
// costs one position's forward pass. Timing is recorded so evaluation can report how long each
// method takes until its answer is complete (answer-first methods stop early).
import * as tf from '@tensorflow/tfjs';
import type { LayerCache, Params } from './model';
import type { StudentNet } from './student';

export interface DecodeRequest {
  prompt: number[];
  stopTokens: number[];
  maxNewTokens: number;
  /** If the first stop token is this one, keep decoding (to EOS in `finalStop`) for a rationale. */
  continueAfter?: number;
  finalStop?: number[];
}

export interface DecodeResult {
  /** Generated ids, including the stop token(s) that ended decoding. */
  tokens: number[];
  /** Index in `tokens` of the first stop token, or -1 when the length limit was hit. */
  firstStop: number;
  /** Milliseconds and tokens until the first stop token (or the end). */
  msToFirstStop: number;
  tokensToFirstStop: number;
  totalMs: number;
}

function argmaxLast(logits: tf.Tensor2D): tf.Scalar {
  const rows = logits.shape[0];
  return tf.argMax(tf.slice(logits, [rows - 1, 0], [1, logits.shape[1]]), 1).reshape([]) as tf.Scalar;
}

export async function greedyDecode(net: StudentNet, params: Params, req: DecodeRequest): Promise<DecodeResult> {
  const t0 = performance.now();
  const cfg = { context: net.context };
  if (req.prompt.length === 0) throw new Error('greedyDecode: empty prompt');
  if (req.prompt.length > cfg.context)
    throw new Error(`greedyDecode: prompt of ${req.prompt.length} tokens exceeds context ${cfg.context}`);
  // Computed once per decoding rather than once per token: the transposed output table (and a
  // pretrained student's merged weights).
  const prepared = net.prepareDecoding(params);
  const withTable = prepared.options;
  let cache: LayerCache[] = [];
  let next: tf.Scalar;
  try {
    const out = tf.tidy(() => {
      const r = net.forward(params, tf.tensor1d(req.prompt, 'int32'), 1, req.prompt.length, withTable);
      return { next: argmaxLast(r.logits!), k: r.cache.map((c) => c.k), v: r.cache.map((c) => c.v) };
    });
    next = out.next;
    cache = out.k.map((k, i) => ({ k, v: out.v[i]! }));
  } catch (err) {
    prepared.dispose();
    throw err;
  }
  const tokens: number[] = [];
  let firstStop = -1;
  let msToFirstStop = 0;
  let pos = req.prompt.length;
  let limit = req.maxNewTokens;
  const stops = new Set(req.stopTokens);
  let finals: Set<number> | null = null;
  try {
    while (tokens.length < limit) {
      const id = (await next.data())[0]!;
      next.dispose();
      tokens.push(id);
      if (firstStop < 0 && stops.has(id)) {
        firstStop = tokens.length - 1;
        msToFirstStop = performance.now() - t0;
        if (req.continueAfter === undefined || id !== req.continueAfter) break;
        finals = new Set(req.finalStop ?? []);
        limit = cfg.context - req.prompt.length;
      } else if (finals && finals.has(id)) {
        break;
      }
      if (pos >= cfg.context) break;
      const step = tf.tidy(() => {
        const r = net.forward(params, tf.tensor1d([id], 'int32'), 1, 1, { past: cache, startPos: pos, ...withTable });
        return { next: argmaxLast(r.logits!), k: r.cache.map((c) => c.k), v: r.cache.map((c) => c.v) };
      });
      for (const c of cache) {
        c.k.dispose();
        c.v.dispose();
      }
      cache = step.k.map((k, i) => ({ k, v: step.v[i]! }));
      next = step.next;
      pos++;
    }
  } finally {
    prepared.dispose();
    if (!next.isDisposed) next.dispose();
    for (const c of cache) {
      c.k.dispose();
      c.v.dispose();
    }
  }
  const totalMs = performance.now() - t0;
  if (firstStop < 0) msToFirstStop = totalMs;
  return {
    tokens,
    firstStop,
    msToFirstStop,
    tokensToFirstStop: firstStop < 0 ? tokens.length : firstStop + 1,
    totalMs,
  };
}
