// The lab's pretrained-student forward pass against an independent PyTorch forward
// (tests/reference/hf_forward.py): tiny random models of each family, built here, must give the
// same logits and last hidden states within 1e-4, and cached decoding must reproduce the full
// forward pass position by position.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/lab/compute/backends';
import { loadStudent, type LoadedStudent } from '../../../src/main/lab/students/folder';
import type { LayerCache } from '../../../src/main/lab/training/model';
import { tempDir } from '../../helpers/tempLab';
import {
  maxAbsDiff,
  referenceGate,
  torchForward,
  writeTinyModel,
  type ReferenceOutput,
  type TinyKind,
  type TinyOptions,
} from '../../helpers/students';

const gate = referenceGate();
const TOL = 1e-4;
const TEXTS = ['the cat sat on 12 mats in the hall', 'Then 2 dogs ran: "in, in!"'];

let tmp = '';
beforeAll(async () => {
  await initBackend('wasm');
  tmp = tempDir('pst-students-');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Two sequences of the same length from the student's own tokenizer. */
function batchIds(s: LoadedStudent, time: number): number[][] {
  return TEXTS.map((t) => {
    const ids = s.folder.tokenizer.encode(t);
    expect(ids.length).toBeGreaterThanOrEqual(time);
    return ids.slice(0, time);
  });
}

function labForward(s: LoadedStudent, ids: number[][]): { logits: Float32Array; hidden: Float32Array } {
  return tf.tidy(() => {
    const r = s.forward(tf.tensor1d(ids.flat(), 'int32'), ids.length, ids[0]!.length);
    return { logits: r.logits!.dataSync() as Float32Array, hidden: r.hidden.dataSync() as Float32Array };
  });
}

/** Logits of decoding one position at a time with the cache, [B*T, V] in the forward's row order. */
function cachedLogits(s: LoadedStudent, ids: number[][]): Float32Array {
  const batch = ids.length;
  const time = ids[0]!.length;
  const vocab = s.folder.summary.vocabSize;
  const out = new Float32Array(batch * time * vocab);
  let past: LayerCache[] | null = null;
  for (let t = 0; t < time; t++) {
    const step = s.forward(
      tf.tensor1d(
        ids.map((seq) => seq[t]!),
        'int32',
      ),
      batch,
      1,
      { past, startPos: t },
    );
    const rows = step.logits!.dataSync();
    for (let b = 0; b < batch; b++) out.set(rows.subarray(b * vocab, (b + 1) * vocab), (b * time + t) * vocab);
    past = step.cache;
  }
  return out;
}

const CASES: { name: string; kind: TinyKind; opts: TinyOptions }[] = [
  { name: 'GPT-2, transformer.-prefixed names, f32', kind: 'gpt2', opts: {} },
  {
    name: 'GPT-2, original unprefixed names, bf16, 2 shards',
    kind: 'gpt2',
    opts: { prefixed: false, dtype: 'BF16', shards: 2, seed: 2 },
  },
  {
    name: 'GPT-2, untied head, f16',
    kind: 'gpt2',
    opts: { dtype: 'F16', config: { tie_word_embeddings: false }, seed: 3 },
  },
  { name: 'Llama, GQA 3:1, untied head', kind: 'llama', opts: { seed: 4 } },
  {
    name: 'Llama, attention and MLP biases, head_dim 12 != hidden/heads, llama3 rope scaling, 3 shards',
    kind: 'llama',
    opts: {
      seed: 5,
      shards: 3,
      config: {
        attention_bias: true,
        mlp_bias: true,
        head_dim: 12,
        num_key_value_heads: 3,
        rope_theta: 500,
        rope_scaling: {
          rope_type: 'llama3',
          factor: 8,
          low_freq_factor: 1,
          high_freq_factor: 4,
          original_max_position_embeddings: 16,
        },
      },
    },
  },
  {
    name: 'Llama, linear rope scaling, tied head',
    kind: 'llama',
    opts: { seed: 6, config: { rope_scaling: { type: 'linear', factor: 2 }, tie_word_embeddings: true } },
  },
  { name: 'Qwen2, q/k/v biases, tied head, bf16', kind: 'qwen2', opts: { seed: 7, dtype: 'BF16' } },
];

describe.skipIf(gate.skip)('pretrained students match the PyTorch reference', () => {
  const lab = new Map<string, { logits: Float32Array; hidden: Float32Array }>();
  const ref = new Map<string, ReferenceOutput>();
  beforeAll(() => {
    const jobs: { dir: string; ids: number[][] }[] = [];
    for (const c of CASES) {
      const dir = path.join(tmp, c.name.replace(/\W+/g, '-'));
      writeTinyModel(dir, c.kind, c.opts);
      const s = loadStudent(dir);
      try {
        const ids = batchIds(s, 9);
        lab.set(c.name, labForward(s, ids));
        jobs.push({ dir, ids });
      } finally {
        s.dispose();
      }
    }
    torchForward(jobs).forEach((out, i) => ref.set(CASES[i]!.name, out));
  });

  for (const c of CASES) {
    it(`${c.name}: logits and hidden states within ${TOL}`, () => {
      const mine = lab.get(c.name)!;
      const theirs = ref.get(c.name)!;
      expect(maxAbsDiff(mine.logits, theirs.logits)).toBeLessThan(TOL);
      expect(maxAbsDiff(mine.hidden, theirs.hidden)).toBeLessThan(TOL);
      // The comparison is not vacuous: logits vary widely across positions and vocabulary.
      expect(Math.max(...mine.logits) - Math.min(...mine.logits)).toBeGreaterThan(1);
    });
  }
});

describe('cached single-token decoding', () => {
  for (const c of CASES.filter((x) =>
    [
      'GPT-2, transformer.-prefixed names, f32',
      'Llama, attention and MLP biases, head_dim 12 != hidden/heads, llama3 rope scaling, 3 shards',
      'Qwen2, q/k/v biases, tied head, bf16',
    ].includes(x.name),
  )) {
    it(`${c.kind}: step by step equals the full forward pass`, () => {
      const dir = path.join(tmp, `cached-${c.name.replace(/\W+/g, '-')}`);
      writeTinyModel(dir, c.kind, c.opts);
      const s = loadStudent(dir);
      try {
        const ids = batchIds(s, 7);
        const full = labForward(s, ids).logits;
        const stepped = tf.tidy(() => cachedLogits(s, ids));
        let max = 0;
        for (let i = 0; i < full.length; i++) max = Math.max(max, Math.abs(full[i]! - stepped[i]!));
        expect(max).toBeLessThan(TOL);
      } finally {
        s.dispose();
      }
    });
  }
});
