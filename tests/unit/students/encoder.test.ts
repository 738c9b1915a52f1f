// PST's external sentence encoder: a BERT folder in the sentence-transformers layout, pooled as
// its files say. Pooled embeddings of padded batches must equal an independent PyTorch
// BertModel + pooling on each text alone within 1e-4.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/lab/compute/backends';
import { SentenceEncoder } from '../../../src/main/lab/students/encoder';
import { inspectStudentFolder } from '../../../src/main/lab/students/folder';
import { tempDir } from '../../helpers/tempLab';
import { referenceGate, torchForward, writeTinyModel, type TinyOptions } from '../../helpers/students';

const gate = referenceGate();
const TEXTS = [
  'The cats sat on the mat.',
  'So the answer is 42!',
  'Step 1: 3 + 4 = 7; step 2: 7 * 2 = 14, so the dog ran.',
  'ok',
  'The dog ran on.',
];

let tmp = '';
beforeAll(async () => {
  await initBackend('wasm');
  tmp = tempDir('pst-encoder-');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Renames every tensor of a safetensors file with a prefix (BertForX checkpoints prefix the encoder with "bert."). */
function prefixNames(file: string, prefix: string): void {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, unknown>;
  let json = JSON.stringify(
    Object.fromEntries(Object.entries(header).map(([k, v]) => [k === '__metadata__' ? k : prefix + k, v])),
  );
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(json), buf.subarray(8 + n)]));
}

function folder(name: string, opts: TinyOptions): string {
  const dir = path.join(tmp, name);
  writeTinyModel(dir, 'bert', opts);
  return dir;
}

describe('BERT sentence encoder', () => {
  it('tokenizes with the WordPiece tokenizer.json: [CLS] ... [SEP], lower-cased, word pieces', () => {
    const enc = SentenceEncoder.load(folder('tok', { pooling: { mode: 'mean', normalize: true, maxTokens: 6 } }));
    try {
      const ids = enc.folder.tokenizer.encode('The cats sat', true);
      expect(ids.map((id) => enc.folder.tokenizer.idToToken(id))).toEqual([
        '[CLS]',
        'the',
        'cat',
        '##s',
        'sat',
        '[SEP]',
      ]);
      // max_seq_length 6 cuts longer texts, keeping the final [SEP].
      const cut = enc.tokenize('the cat sat on the mat');
      expect(cut).toHaveLength(6);
      expect(enc.folder.tokenizer.idToToken(cut[5]!)).toBe('[SEP]');
      expect(enc.pooling).toEqual({ mode: 'mean', normalize: true, maxTokens: 6 });
      expect(enc.folder.files.map((f) => f.name)).toEqual([
        'config.json',
        'model.safetensors',
        'tokenizer.json',
        'modules.json',
        'sentence_bert_config.json',
        '1_Pooling/config.json',
      ]);
    } finally {
      enc.dispose();
    }
  });

  it('refuses the wrong kind of folder and unsupported pooling, naming the field', () => {
    const gpt2 = path.join(tmp, 'gpt2');
    writeTinyModel(gpt2, 'gpt2');
    expect(() => SentenceEncoder.load(gpt2)).toThrow(
      /config\.json: architectures: "GPT2LMHeadModel" is not a supported sentence encoder \(supported: BertModel\)/,
    );
    const bert = folder('as-student', {});
    expect(() => inspectStudentFolder(bert)).toThrow(
      /config\.json: architectures: "BertModel" is not a supported student \(supported: GPT2LMHeadModel, LlamaForCausalLM, Qwen2ForCausalLM\)/,
    );
    const maxPool = folder('max-pool', { pooling: { mode: 'mean', normalize: false } });
    fs.writeFileSync(
      path.join(maxPool, '1_Pooling', 'config.json'),
      JSON.stringify({ pooling_mode_max_tokens: true, pooling_mode_mean_tokens: false }),
    );
    expect(() => SentenceEncoder.load(maxPool)).toThrow(
      /1_Pooling\/config\.json: pooling_mode_max_tokens: the lab pools by pooling_mode_mean_tokens or pooling_mode_cls_token/,
    );
  });

  const cases: { name: string; opts: TinyOptions }[] = [
    {
      name: 'mean pooling, normalised (all-MiniLM-L6-v2 layout)',
      opts: { seed: 11, pooling: { mode: 'mean', normalize: true } },
    },
    {
      name: 'CLS pooling, not normalised, bf16 weights',
      opts: { seed: 12, dtype: 'BF16', pooling: { mode: 'cls', normalize: false } },
    },
    { name: 'plain BertModel folder (mean pooling by default), bert.-prefixed names', opts: { seed: 13 } },
  ];
  describe.skipIf(gate.skip)('against the PyTorch reference', () => {
    const lab = new Map<string, Float32Array[]>();
    const ref = new Map<string, number[][]>();
    beforeAll(() => {
      const jobs: { dir: string; ids: number[][]; mask: number[][] }[] = [];
      const owners: string[] = [];
      for (const { name, opts } of cases) {
        const dir = folder(name.replace(/\W+/g, '-'), opts);
        if (!opts.pooling) prefixNames(path.join(dir, 'model.safetensors'), 'bert.');
        const enc = SentenceEncoder.load(dir);
        try {
          lab.set(name, enc.encode(TEXTS, 3));
          for (const t of TEXTS) {
            const ids = enc.tokenize(t);
            jobs.push({ dir, ids: [ids], mask: [ids.map(() => 1)] });
            owners.push(name);
          }
        } finally {
          enc.dispose();
        }
      }
      torchForward(jobs).forEach((out, i) => ref.set(owners[i]!, [...(ref.get(owners[i]!) ?? []), out.pooled![0]!]));
    });

    it.each(cases)(
      '$name: pooled embeddings of padded batches equal the PyTorch reference within 1e-4',
      ({ name, opts }) => {
        const mine = lab.get(name)!;
        const theirs = ref.get(name)!;
        let max = 0;
        mine.forEach((v, i) => v.forEach((x, j) => (max = Math.max(max, Math.abs(x - theirs[i]![j]!)))));
        expect(max).toBeLessThan(1e-4);
        expect(mine[0]).toHaveLength(24);
        if (opts.pooling?.normalize) expect(Math.hypot(...mine[1]!)).toBeCloseTo(1, 5);
        // Different texts give clearly different vectors (the check is not vacuous).
        expect(Math.max(...mine[0]!.map((x, j) => Math.abs(x - mine[1]![j]!)))).toBeGreaterThan(1e-2);
      },
    );
  });
});
