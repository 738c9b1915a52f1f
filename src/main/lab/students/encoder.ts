// A frozen sentence encoder from a local folder (BERT family, sentence-transformers layout such as
// all-MiniLM-L6-v2): text -> one vector, pooled as its `1_Pooling/config.json` says (mean of the
// token states over real tokens, or the [CLS] state) and L2-normalised when its `modules.json`
// lists a Normalize module. This is what PST's `external` e(r) encodes rationales with
// (docs/methods.md, "Pretrained students").
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LabError } from '../errors';
import type { BertConfig } from './bert';
import { bertEncode } from './bert';
import type { StudentParams } from './family';
import { inspectStudentFolder, loadStudentParams, type StudentFolder } from './folder';
import { readJsonFile } from './jsonFile';
import { studentFingerprint } from './registry';

export interface Pooling {
  mode: 'mean' | 'cls';
  normalize: boolean;
  /** Longest input in tokens (sentence_bert_config.json's max_seq_length, else the context). */
  maxTokens: number;
}

/** Reads the pooling the folder declares; a folder without sentence-transformers files pools by mean (documented). */
export function readPooling(dir: string, context: number): Pooling {
  let mode: Pooling['mode'] = 'mean';
  const poolFile = path.join(dir, '1_Pooling', 'config.json');
  if (fs.existsSync(poolFile)) {
    const cfg = readJsonFile(poolFile) as Record<string, unknown>;
    const on = Object.entries(cfg)
      .filter(([k, v]) => k.startsWith('pooling_mode_') && v === true)
      .map(([k]) => k);
    if (on.length !== 1 || !['pooling_mode_mean_tokens', 'pooling_mode_cls_token'].includes(on[0]!)) {
      throw new LabError(
        'BAD_FILE',
        `${poolFile}: ${on.join(', ') || 'no pooling mode'}: the lab pools by pooling_mode_mean_tokens or pooling_mode_cls_token, exactly one`,
        {
          file: poolFile,
          field: on[0] ?? 'pooling_mode_mean_tokens',
        },
      );
    }
    mode = on[0] === 'pooling_mode_cls_token' ? 'cls' : 'mean';
  }
  const modulesFile = path.join(dir, 'modules.json');
  const modules = fs.existsSync(modulesFile) ? (readJsonFile(modulesFile) as { type?: string }[]) : [];
  if (!Array.isArray(modules))
    throw new LabError('BAD_FILE', `${modulesFile}: expected a list of modules`, { file: modulesFile });
  const normalize = modules.some((m) => typeof m?.type === 'string' && m.type.endsWith('.Normalize'));
  const sbFile = path.join(dir, 'sentence_bert_config.json');
  const sb = fs.existsSync(sbFile) ? (readJsonFile(sbFile) as { max_seq_length?: unknown }) : {};
  const maxTokens =
    typeof sb.max_seq_length === 'number' && sb.max_seq_length > 0 ? Math.min(sb.max_seq_length, context) : context;
  return { mode, normalize, maxTokens };
}

export class SentenceEncoder {
  private constructor(
    readonly folder: StudentFolder,
    readonly pooling: Pooling,
    private readonly params: StudentParams,
  ) {}

  static load(dir: string): SentenceEncoder {
    return SentenceEncoder.open(inspectStudentFolder(dir, { kind: 'encoder' }));
  }

  /** Loads the weights of a folder already inspected as a sentence encoder. */
  static open(folder: StudentFolder): SentenceEncoder {
    const pooling = readPooling(folder.dir, folder.summary.context);
    return new SentenceEncoder(folder, pooling, loadStudentParams(folder, false));
  }

  get dim(): number {
    return this.folder.summary.hidden;
  }

  /** One hash for the encoder's files (weights, config, tokenizer, pooling): the cache key with the dataset version. */
  get fingerprint(): string {
    return studentFingerprint(this.folder.files);
  }

  /** Token ids with the tokenizer's special tokens ([CLS] ... [SEP]), cut to maxTokens keeping the final [SEP]. */
  tokenize(text: string): number[] {
    const ids = this.folder.tokenizer.encode(text, true);
    const max = this.pooling.maxTokens;
    return ids.length <= max ? ids : [...ids.slice(0, max - 1), ids[ids.length - 1]!];
  }

  /** Whether a text is longer than maxTokens (its end is not encoded). */
  cuts(text: string): boolean {
    return this.folder.tokenizer.encode(text, true).length > this.pooling.maxTokens;
  }

  /** Pooled embeddings, one Float32Array [dim] per text; batches padded to their longest text. */
  encode(texts: readonly string[], batchSize = 16): Float32Array[] {
    const out: Float32Array[] = [];
    const c = this.folder.config as BertConfig;
    for (let s = 0; s < texts.length; s += batchSize) {
      const seqs = texts.slice(s, s + batchSize).map((t) => this.tokenize(t));
      const time = Math.max(...seqs.map((q) => q.length));
      const ids = new Int32Array(seqs.length * time);
      const mask = new Float32Array(seqs.length * time);
      seqs.forEach((q, b) => {
        ids.set(q, b * time);
        mask.fill(1, b * time, b * time + q.length);
      });
      const pooled = tf.tidy(() => {
        const m = tf.tensor2d(mask, [seqs.length, time]);
        const states = tf.reshape(bertEncode(this.params, c, tf.tensor1d(ids, 'int32'), seqs.length, time, m), [
          seqs.length,
          time,
          c.width,
        ]);
        let v: tf.Tensor2D;
        if (this.pooling.mode === 'cls')
          v = tf.reshape(tf.slice(states, [0, 0, 0], [seqs.length, 1, c.width]), [seqs.length, c.width]);
        else v = tf.div(tf.sum(tf.mul(states, tf.expandDims(m, 2)), 1), tf.sum(m, 1, true));
        if (this.pooling.normalize) v = tf.div(v, tf.maximum(tf.norm(v, 2, 1, true), 1e-12));
        return v.dataSync() as Float32Array;
      });
      for (let b = 0; b < seqs.length; b++) out.push(pooled.slice(b * c.width, (b + 1) * c.width));
    }
    return out;
  }

  dispose(): void {
    Object.values(this.params).forEach((v) => v.dispose());
  }
}
