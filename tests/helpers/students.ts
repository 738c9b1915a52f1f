// Tiny random Hugging Face model folders built inside the tests (config.json, safetensors written
// with the lab's writer, a byte-level BPE tokenizer.json), and the independent PyTorch reference
// (tests/reference/hf_forward.py, Debian's python3-torch).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bertFamily } from '../../src/main/lab/students/bert';
import { gpt2Family } from '../../src/main/lab/students/gpt2';
import { llamaFamily } from '../../src/main/lab/students/llama';
import { gpt2TokenizerJson } from '../../src/main/lab/students/tokenizer';
import { Rng } from '../../src/main/lab/training/rng';
import { encodeSafetensors, type SafeDtype, type SafeTensor } from '../../src/main/lab/training/safetensors';
import type { StudentNet } from '../../src/main/lab/training/student';

/** GPT-2's byte -> printable character table (bytes_to_unicode in its encoder.py). */
export function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const table: string[] = new Array(256);
  bs.forEach((b, i) => (table[b] = String.fromCodePoint(cs[i]!)));
  return table;
}

/** A byte-level BPE over all 256 bytes plus a few merges and <|endoftext|> (vocabulary 256 + merges + 1). */
export function tinyTokenizerJson(): Record<string, unknown> {
  const chars = bytesToUnicode();
  const vocab: Record<string, number> = {};
  // Ids in the table's order, as GPT-2's encoder.json has them.
  const order = [...chars.keys()].sort((a, b) => chars[a]!.codePointAt(0)! - chars[b]!.codePointAt(0)!);
  order.forEach((b, i) => (vocab[chars[b]!] = i));
  const merges = ['Ġ t', 'h e', 'Ġt he', 'Ġ a', 'i n', 'Ġ 1', 'Ġ 2'];
  for (const m of merges) vocab[m.replace(' ', '')] = Object.keys(vocab).length;
  vocab['<|endoftext|>'] = Object.keys(vocab).length;
  return gpt2TokenizerJson(vocab, merges);
}
export const TINY_VOCAB = 256 + 7 + 1;

const WORDS = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'answer', 'is', 'so', 'step', '##s', '##ed', '##ing'];

/** A BERT WordPiece tokenizer.json (lower-casing normaliser, [CLS] A [SEP] template) over letters, digits, punctuation and a few words. */
export function tinyWordPieceJson(): { json: Record<string, unknown>; size: number } {
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const chars = [..."abcdefghijklmnopqrstuvwxyz0123456789.,:;!?+-=*/()'$"];
  const tokens = [...specials, ...chars, ...chars.filter((c) => /[a-z0-9]/.test(c)).map((c) => `##${c}`), ...WORDS];
  const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]));
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const tok = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
  return {
    size: tokens.length,
    json: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: specials.map(special),
      normalizer: {
        type: 'BertNormalizer',
        clean_text: true,
        handle_chinese_chars: true,
        strip_accents: null,
        lowercase: true,
      },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [tok('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, tok('[SEP]')],
        pair: [
          tok('[CLS]'),
          { Sequence: { id: 'A', type_id: 0 } },
          tok('[SEP]'),
          { Sequence: { id: 'B', type_id: 1 } },
          { SpecialToken: { id: '[SEP]', type_id: 1 } },
        ],
        special_tokens: {
          '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
          '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
        },
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab,
      },
    },
  };
}

export type TinyKind = 'gpt2' | 'llama' | 'qwen2' | 'bert';

export interface TinyOptions {
  /** Extra or replaced config.json fields. */
  config?: Record<string, unknown>;
  dtype?: SafeDtype;
  /** Split the weights over this many shards with model.safetensors.index.json. */
  shards?: number;
  /** GPT-2 only: name tensors with the `transformer.` prefix (GPT2LMHeadModel.save_pretrained) or without (the original gpt2 files). */
  prefixed?: boolean;
  seed?: number;
  /** Rows of the embedding (vocab_size); defaults to the tiny tokenizer's size. */
  vocabSize?: number;
  /** BERT only: write the sentence-transformers pooling files. */
  pooling?: { mode: 'mean' | 'cls'; normalize: boolean; maxTokens?: number };
}

export function tinyConfig(kind: TinyKind, opts: TinyOptions = {}): Record<string, unknown> {
  const vocab_size = opts.vocabSize ?? (kind === 'bert' ? tinyWordPieceJson().size : TINY_VOCAB);
  if (kind === 'bert') {
    const bert = {
      architectures: ['BertModel'],
      model_type: 'bert',
      vocab_size,
      max_position_embeddings: 40,
      hidden_size: 24,
      intermediate_size: 40,
      num_hidden_layers: 2,
      num_attention_heads: 3,
      type_vocab_size: 2,
      hidden_act: 'gelu',
      layer_norm_eps: 1e-12,
    };
    return { ...bert, ...opts.config };
  }
  const base: Record<string, unknown> =
    kind === 'gpt2'
      ? {
          architectures: ['GPT2LMHeadModel'],
          model_type: 'gpt2',
          vocab_size,
          n_positions: 32,
          n_embd: 24,
          n_layer: 2,
          n_head: 3,
          activation_function: 'gelu_new',
          layer_norm_epsilon: 1e-5,
        }
      : {
          architectures: [kind === 'qwen2' ? 'Qwen2ForCausalLM' : 'LlamaForCausalLM'],
          model_type: kind,
          vocab_size,
          max_position_embeddings: 64,
          hidden_size: 24,
          intermediate_size: 40,
          num_hidden_layers: 2,
          num_attention_heads: 3,
          num_key_value_heads: 1,
          rms_norm_eps: 1e-6,
          rope_theta: 10000,
          hidden_act: 'silu',
          tie_word_embeddings: kind === 'qwen2',
        };
  return { ...base, ...opts.config };
}

/** Writes a tiny random model folder; returns the config written. */
export function writeTinyModel(dir: string, kind: TinyKind, opts: TinyOptions = {}): Record<string, unknown> {
  fs.mkdirSync(dir, { recursive: true });
  const config = tinyConfig(kind, opts);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  const family = kind === 'gpt2' ? gpt2Family : kind === 'bert' ? bertFamily : llamaFamily;
  const parsed = (family.parseConfig as (raw: Record<string, unknown>, s: string) => unknown)(config, 'config.json');
  const specs = (family.parameters as (c: unknown) => { name: string; shape: number[] }[])(parsed);
  const rng = new Rng(opts.seed ?? 1);
  const tensors = new Map<string, SafeTensor>();
  for (const s of specs) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    // Norm gains near 1, everything else N(0, 0.3): large enough that every nonlinearity matters.
    const isGain = s.shape.length === 1 && /(ln_|norm)\S*\.weight$/i.test(s.name);
    for (let i = 0; i < size; i++) data[i] = isGain ? 1 + 0.2 * rng.normal() : 0.3 * rng.normal();
    const name = kind === 'gpt2' && opts.prefixed === false ? s.name.replace(/^transformer\./, '') : s.name;
    tensors.set(name, { dtype: opts.dtype ?? 'F32', shape: s.shape, data });
  }
  const shards = opts.shards ?? 1;
  if (shards <= 1) {
    fs.writeFileSync(path.join(dir, 'model.safetensors'), encodeSafetensors(tensors, { format: 'pt' }));
  } else {
    const names = [...tensors.keys()].sort();
    const weightMap: Record<string, string> = {};
    for (let k = 0; k < shards; k++) {
      const file = `model-${String(k + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
      const part = new Map(names.filter((_, i) => i % shards === k).map((n) => [n, tensors.get(n)!]));
      for (const n of part.keys()) weightMap[n] = file;
      fs.writeFileSync(path.join(dir, file), encodeSafetensors(part, { format: 'pt' }));
    }
    fs.writeFileSync(
      path.join(dir, 'model.safetensors.index.json'),
      JSON.stringify({ metadata: {}, weight_map: weightMap }),
    );
  }
  fs.writeFileSync(
    path.join(dir, 'tokenizer.json'),
    JSON.stringify(kind === 'bert' ? tinyWordPieceJson().json : tinyTokenizerJson()),
  );
  if (kind === 'bert' && opts.pooling) {
    // The sentence-transformers layout: modules.json, 1_Pooling/config.json, sentence_bert_config.json.
    const modules = [
      { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
      ...(opts.pooling.normalize
        ? [{ idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' }]
        : []),
    ];
    fs.writeFileSync(path.join(dir, 'modules.json'), JSON.stringify(modules));
    fs.mkdirSync(path.join(dir, '1_Pooling'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '1_Pooling', 'config.json'),
      JSON.stringify({
        word_embedding_dimension: 24,
        pooling_mode_cls_token: opts.pooling.mode === 'cls',
        pooling_mode_mean_tokens: opts.pooling.mode === 'mean',
        pooling_mode_max_tokens: false,
      }),
    );
    if (opts.pooling.maxTokens)
      fs.writeFileSync(
        path.join(dir, 'sentence_bert_config.json'),
        JSON.stringify({ max_seq_length: opts.pooling.maxTokens, do_lower_case: false }),
      );
  }
  return config;
}

// ---------------------------------------------------------------------------------------------
// The PyTorch reference

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, '..', 'reference', 'hf_forward.py');

/** Why the reference cannot run here, or null when python3 with torch is available. */
export function torchUnavailable(): string | null {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} is absent (install Debian's python3-torch)`;
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.status !== 0)
    return `${PYTHON} cannot import torch (install Debian's python3-torch): ${(r.stderr || '').trim().split('\n').pop()}`;
  return null;
}

/** Skip locally with the reason; in CI (CI=true) a missing reference is a failure, never a skip. */
export function referenceGate(): { skip: boolean; reason: string | null } {
  const reason = torchUnavailable();
  if (reason && process.env['CI'] === 'true') throw new Error(`PyTorch reference required in CI: ${reason}`);
  if (reason) console.warn(`skipping the PyTorch reference comparisons: ${reason}`);
  return { skip: reason !== null, reason };
}

export interface ReferenceOutput {
  logits: number[][][];
  hidden: number[][][];
  /** BertModel jobs: pooled sentence embeddings [B][d]. */
  pooled?: number[][];
}

/** Reference forward passes for several (folder, ids) jobs in one Python process (torch starts slowly). */
export function torchForward(jobs: { dir: string; ids: number[][]; mask?: number[][] }[]): ReferenceOutput[] {
  const r = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`reference forward failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ReferenceOutput[];
}

/** Largest absolute difference between the lab's [B*T, n] rows and the reference's [B][T][n]. */
export function maxAbsDiff(lab: Float32Array, ref: number[][][]): number {
  let max = 0;
  let i = 0;
  for (const seq of ref) for (const row of seq) for (const v of row) max = Math.max(max, Math.abs(lab[i++]! - v));
  if (i !== lab.length) throw new Error(`shape mismatch: lab has ${lab.length} values, reference ${i}`);
  return max;
}

/** A net's initial values with every trainable parameter nudged, so LoRA's B (0 at the start) and the markers matter. */
export function perturbed(net: StudentNet, seed: number): Map<string, Float32Array> {
  const values = net.initialValues(seed);
  const rng = new Rng(seed);
  for (const s of net.parameterShapes())
    if (s.trainable)
      values.set(
        s.name,
        values.get(s.name)!.map((v) => v + 0.3 * rng.normal()),
      );
  return values;
}
