// The weight-free PST encoder 'hashed-tfidf' (docs/methods.md, "PST semantic targets").
import { Rng, deriveSeed } from '../rng';
import { centreNormalise, type SemanticEncoder } from './encoder';

export interface HashedTfidfOptions {
  /** Output dimension of the random projection. */
  dim: number;
  /** Number of hash buckets for word n-grams. */
  buckets?: number;
  /** Largest word n-gram (1 = unigrams only). */
  maxN?: number;
  seed?: number;
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:[.,][\p{N}]+)*/gu) ?? [];
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

function ngramBuckets(text: string, maxN: number, buckets: number): Map<number, number> {
  const w = words(text);
  const counts = new Map<number, number>();
  for (let n = 1; n <= maxN; n++) {
    for (let i = 0; i + n <= w.length; i++) {
      const b = fnv1a(`${n}:${w.slice(i, i + n).join(' ')}`) % buckets;
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * e(r) without any model weights: word 1..maxN-grams hashed into buckets, TF-IDF weighted (IDF
 * from the training rationales), projected by a fixed random +-1/sqrt(dim) matrix whose rows
 * are regenerated from the bucket id (so the matrix is never stored), then L2-normalised.
 * Similar rationales share n-grams and therefore land close together (Johnson-Lindenstrauss).
 */
export class HashedTfidfEncoder implements SemanticEncoder {
  readonly name = 'hashed-tfidf';
  readonly config: Record<string, unknown>;
  readonly dim: number;
  private readonly buckets: number;
  private readonly maxN: number;
  private readonly seed: number;
  private readonly idf: Map<number, number>;
  private readonly defaultIdf: number;

  constructor(corpus: readonly string[], opts: HashedTfidfOptions) {
    this.dim = opts.dim;
    this.buckets = opts.buckets ?? 1 << 18;
    this.maxN = opts.maxN ?? 2;
    this.seed = opts.seed ?? 1234;
    this.config = {
      dim: this.dim,
      buckets: this.buckets,
      maxN: this.maxN,
      seed: this.seed,
      idfDocuments: corpus.length,
    };
    const df = new Map<number, number>();
    for (const doc of corpus)
      for (const b of ngramBuckets(doc, this.maxN, this.buckets).keys()) df.set(b, (df.get(b) ?? 0) + 1);
    const n = corpus.length;
    this.idf = new Map([...df].map(([b, d]) => [b, Math.log((1 + n) / (1 + d)) + 1]));
    this.defaultIdf = Math.log(1 + n) + 1; // smoothed IDF of an n-gram never seen in training
  }

  encode(rationales: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(rationales.map((r) => this.encodeOne(r)));
  }

  dispose(): void {}

  /** e(r) of one text (L2-normalised projection of its TF-IDF vector). */
  encodeOne(text: string): Float32Array {
    const out = new Float32Array(this.dim);
    const counts = ngramBuckets(text, this.maxN, this.buckets);
    const scale = 1 / Math.sqrt(this.dim);
    for (const [b, c] of counts) {
      const weight = (1 + Math.log(c)) * (this.idf.get(b) ?? this.defaultIdf);
      const row = new Rng(deriveSeed(this.seed, b));
      for (let j = 0; j < this.dim; j++) out[j]! += (row.nextU32() & 1 ? scale : -scale) * weight;
    }
    return centreNormalise(out, null);
  }
}
