// Length-bucketed batches with right padding. Sequences of similar length share a batch so
// little compute goes to padding; the order is a pure function of (seed, epoch), so a resumed
// run sees exactly the batches the uninterrupted run would have seen.
import type { EncodedSequence, LossTerm } from './methods/types';
import { Rng, deriveSeed } from './rng';

export interface Batch {
  batch: number;
  time: number;
  /** Row-major [batch * time] input ids and next-token targets (PAD where there is no target). */
  inputs: Int32Array;
  targets: Int32Array;
  /** 1 where the target belongs to the term, else 0; [batch * time]. */
  masks: Record<LossTerm, Float32Array>;
  /** Number of target tokens per term in this batch. */
  counts: Record<LossTerm, number>;
  /** Indices into the encoded sequence list, one per row. */
  sequenceIndices: number[];
  /** PST: [batch, batch * time] pooling matrix for h_SEM (1/k at each row's SEM positions). */
  semSelect?: Float32Array;
  /** PST: 1 for rows that have SEM positions. */
  semRows?: Float32Array;
}

/** Time dimension rounded up to a multiple of 8 (fewer distinct shapes), capped at the context. */
export function paddedLength(maxLen: number, context: number): number {
  return Math.min(context, Math.ceil(maxLen / 8) * 8);
}

export function makeBatch(seqs: readonly EncodedSequence[], indices: readonly number[], pad: number, context: number): Batch {
  const rows = indices.map((i) => {
    const s = seqs[i];
    if (!s) throw new Error(`batch refers to unknown sequence ${i}`);
    return s;
  });
  const batch = rows.length;
  const time = paddedLength(Math.max(...rows.map((r) => r.tokens.length - 1)), context);
  const inputs = new Int32Array(batch * time).fill(pad);
  const targets = new Int32Array(batch * time).fill(pad);
  const masks = { answer: new Float32Array(batch * time), rationale: new Float32Array(batch * time) };
  const counts = { answer: 0, rationale: 0 };
  const hasSem = rows.some((r) => r.semPositions && r.semPositions.length > 0);
  const semSelect = hasSem ? new Float32Array(batch * batch * time) : undefined;
  const semRows = hasSem ? new Float32Array(batch) : undefined;
  rows.forEach((r, b) => {
    const n = r.tokens.length - 1;
    if (n > time) throw new Error(`sequence of ${r.tokens.length} tokens exceeds the context ${context}`);
    for (let t = 0; t < n; t++) {
      inputs[b * time + t] = r.tokens[t]!;
      targets[b * time + t] = r.tokens[t + 1]!;
      const term = r.terms[t + 1];
      if (term) {
        masks[term][b * time + t] = 1;
        counts[term]++;
      }
    }
    if (semSelect && semRows && r.semPositions && r.semPositions.length > 0) {
      for (const p of r.semPositions) semSelect[b * batch * time + b * time + p] = 1 / r.semPositions.length;
      semRows[b] = 1;
    }
  });
  return { batch, time, inputs, targets, masks, counts, sequenceIndices: [...indices], semSelect, semRows };
}

/**
 * One epoch's batches: shuffle, cut into chunks of `batchSize * bucketFactor`, sort each chunk
 * by length and slice it into batches, then shuffle the batch order. The last partial batch is
 * kept so every sequence is seen once per epoch.
 */
export function epochBatches(lengths: readonly number[], batchSize: number, seed: number, epoch: number, bucketFactor = 32): number[][] {
  const rng = new Rng(deriveSeed(seed, 0xba7c4, epoch));
  const order = rng.shuffle(lengths.map((_, i) => i));
  const chunk = batchSize * bucketFactor;
  const batches: number[][] = [];
  for (let c = 0; c < order.length; c += chunk) {
    const part = order.slice(c, c + chunk).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
    for (let i = 0; i < part.length; i += batchSize) batches.push(part.slice(i, i + batchSize));
  }
  return rng.shuffle(batches);
}

/** Deterministic batches in length order for validation loss (no shuffling). */
export function sequentialBatches(lengths: readonly number[], batchSize: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}
