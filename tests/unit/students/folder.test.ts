// Reading a Hugging Face model folder as a student: what a valid folder yields (summary,
// parameter count, hashes, shards, half precision) and every bad input refused with one located
// line (missing or corrupt file, truncated header, shape mismatch, unknown architecture or
// unsupported field, tokenizer vs embedding rows, not a directory).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/lab/compute/backends';
import { inspectStudentFolder, loadStudentParams } from '../../../src/main/lab/students/folder';
import {
  bf16ToF32,
  decodeSafetensors,
  encodeSafetensors,
  f16ToF32,
  f32ToBf16,
  f32ToF16,
} from '../../../src/main/lab/training/safetensors';
import { tempDir } from '../../helpers/tempLab';
import { TINY_VOCAB, tinyConfig, writeTinyModel, type TinyKind, type TinyOptions } from '../../helpers/students';

let tmp = '';
let n = 0;
beforeAll(async () => {
  await initBackend('wasm');
  tmp = tempDir('pst-folder-');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function model(kind: TinyKind, opts: TinyOptions = {}): string {
  const dir = path.join(tmp, `m${n++}`);
  writeTinyModel(dir, kind, opts);
  return dir;
}

/** The first line of the error, asserted to be the only one. */
function refusal(dir: string): string {
  try {
    inspectStudentFolder(dir);
  } catch (err) {
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected the folder to be refused');
}

describe('valid folders', () => {
  it('summarises a GPT-2 folder: architecture, parameters, context, tokenizer, hashes', () => {
    const dir = model('gpt2');
    const f = inspectStudentFolder(dir);
    expect(f.family.id).toBe('gpt2');
    expect(f.summary).toEqual({
      architecture: 'GPT2LMHeadModel',
      modelType: 'gpt2',
      vocabSize: TINY_VOCAB,
      context: 32,
      hidden: 24,
      layers: 2,
      heads: 3,
      tiedEmbeddings: true,
    });
    // wte + wpe + 2 blocks (2 LN, c_attn, c_proj, 2 LN, c_fc, c_proj) + ln_f
    const d = 24;
    const block = 4 * d + (d * 3 * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d);
    expect(f.parameterCount).toBe(TINY_VOCAB * d + 32 * d + 2 * block + 2 * d);
    expect(f.tokenizerSource).toBe('tokenizer.json');
    expect(f.files.map((x) => x.name)).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
    const configHash = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(dir, 'config.json')))
      .digest('hex');
    expect(f.files[0]!.sha256).toBe(configHash);
    expect(f.dtypes).toEqual(['F32']);
  });

  it('reads sharded bf16 Qwen2 weights through the index, converting to f32', () => {
    const dir = model('qwen2', { shards: 2, dtype: 'BF16' });
    const f = inspectStudentFolder(dir);
    expect(f.summary.architecture).toBe('Qwen2ForCausalLM');
    expect(f.dtypes).toEqual(['BF16']);
    expect(f.files.map((x) => x.name)).toEqual([
      'config.json',
      'model.safetensors.index.json',
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
      'tokenizer.json',
    ]);
    const params = loadStudentParams(f);
    try {
      // nn.Linear weights are held transposed: q_proj [out 24, in 24] on disk; k_proj [8, 24] -> [24, 8].
      expect(params['model.layers.0.self_attn.k_proj.weight']!.shape).toEqual([24, 8]);
      expect(params['model.layers.0.self_attn.k_proj.bias']!.shape).toEqual([8]);
      expect(params['lm_head.weight']).toBeUndefined();
    } finally {
      Object.values(params).forEach((v) => v.dispose());
    }
  });

  it('converts half precision exactly like the reference formats', () => {
    const values = new Float32Array([0, -0, 1, -2.5, 3.140625, 65504, 1e-8, 6.1e-5, -1e5, Infinity]);
    // Values representable in f16 round-trip exactly; others round to nearest even.
    expect(Array.from(f16ToF32(f32ToF16(new Float32Array([1, -2.5, 3.140625, 65504]))))).toEqual([
      1, -2.5, 3.140625, 65504,
    ]);
    expect(f16ToF32(f32ToF16(new Float32Array([1e5])))[0]).toBe(Infinity);
    expect(f16ToF32(f32ToF16(new Float32Array([2 ** -24])))[0]).toBe(2 ** -24); // smallest subnormal
    expect(f16ToF32(f32ToF16(new Float32Array([1 + 2 ** -11])))[0]).toBe(1); // tie rounds to even
    expect(bf16ToF32(f32ToBf16(new Float32Array([1 + 2 ** -8])))[0]).toBe(1); // tie rounds to even
    expect(bf16ToF32(f32ToBf16(new Float32Array([1 + 3 * 2 ** -8])))[0]).toBe(1 + 2 ** -6);
    const back = decodeSafetensors(
      encodeSafetensors(new Map([['x', { dtype: 'BF16', shape: [values.length], data: values }]])),
    );
    expect(back.tensors.get('x')!.dtype).toBe('BF16');
    expect(Array.from(back.tensors.get('x')!.data)).toEqual(Array.from(bf16ToF32(f32ToBf16(values))));
  });
});

describe('bad folders are refused with one located line', () => {
  it('not a directory, or no such path', () => {
    const file = path.join(tmp, 'plain.txt');
    fs.writeFileSync(file, 'x');
    expect(refusal(file)).toMatch(/plain\.txt: not a directory/);
    expect(refusal(path.join(tmp, 'nowhere'))).toMatch(/nowhere: does not exist/);
  });

  it('missing or corrupt config.json', () => {
    const dir = model('gpt2');
    fs.writeFileSync(path.join(dir, 'config.json'), '{\n  "n_embd": 24,\n  "n_layer": 2\n  "n_head": 3\n}');
    expect(refusal(dir)).toMatch(/config\.json:4:\d+: malformed JSON/);
    fs.rmSync(path.join(dir, 'config.json'));
    expect(refusal(dir)).toMatch(/config\.json: missing/);
  });

  it('unknown architecture, naming the field', () => {
    const dir = model('gpt2');
    fs.writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ ...tinyConfig('gpt2'), architectures: ['BertForMaskedLM'] }),
    );
    expect(refusal(dir)).toMatch(
      /config\.json: architectures: "BertForMaskedLM" is not a supported student \(supported: GPT2LMHeadModel, LlamaForCausalLM, Qwen2ForCausalLM\)/,
    );
    fs.writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ ...tinyConfig('gpt2'), architectures: undefined, model_type: 't5' }),
    );
    expect(refusal(dir)).toMatch(/config\.json: model_type: "t5" is not a supported student/);
  });

  it('unsupported config fields, naming the field', () => {
    const dir = model('llama');
    const write = (over: Record<string, unknown>) =>
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...tinyConfig('llama'), ...over }));
    write({ rope_scaling: { rope_type: 'yarn', factor: 4 } });
    expect(refusal(dir)).toMatch(
      /config\.json: rope_scaling\.rope_type: "yarn" is not supported \(the lab implements default, linear and llama3\)/,
    );
    write({ hidden_act: 'gelu' });
    expect(refusal(dir)).toMatch(/config\.json: hidden_act: "gelu" is not supported/);
    write({ num_key_value_heads: 2 });
    expect(refusal(dir)).toMatch(/config\.json: num_key_value_heads: 2 does not divide num_attention_heads 3/);
    write({ use_sliding_window: true });
    expect(refusal(dir)).toMatch(/config\.json: use_sliding_window: true is not supported/);
    const g = model('gpt2');
    fs.writeFileSync(
      path.join(g, 'config.json'),
      JSON.stringify({ ...tinyConfig('gpt2'), activation_function: 'swish' }),
    );
    expect(refusal(g)).toMatch(/config\.json: activation_function: "swish" is not supported/);
  });

  it('a config that disagrees with the weights: shape mismatch names the tensor and both shapes', () => {
    const dir = model('llama');
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...tinyConfig('llama'), intermediate_size: 48 }));
    expect(refusal(dir)).toMatch(
      /model\.safetensors: tensor model\.layers\.0\.mlp\.down_proj\.weight has shape \[24,40\] but config\.json implies \[24,48\]/,
    );
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...tinyConfig('llama'), num_hidden_layers: 3 }));
    expect(refusal(dir)).toMatch(
      /: tensor model\.layers\.2\.input_layernorm\.weight \[24\] is missing from the weights/,
    );
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...tinyConfig('llama'), num_hidden_layers: 1 }));
    expect(refusal(dir)).toMatch(
      /model\.safetensors: tensor model\.layers\.1\.\S+ is not a parameter of LlamaForCausalLM as config\.json describes it/,
    );
  });

  it('a tokenizer whose vocabulary does not fit the embedding rows', () => {
    const dir = model('gpt2', { vocabSize: 200 });
    expect(refusal(dir)).toMatch(
      /tokenizer\.json: the tokenizer has ids up to 263 \(264 tokens\) but the embedding has 200 rows \(vocab_size\)/,
    );
    // More rows than tokens is fine (Qwen2.5 pads its embedding).
    expect(() => inspectStudentFolder(model('gpt2', { vocabSize: 300 }))).not.toThrow();
  });

  it('missing files: weights, a listed shard, the tokenizer', () => {
    const dir = model('gpt2');
    fs.rmSync(path.join(dir, 'tokenizer.json'));
    expect(refusal(dir)).toMatch(/no tokenizer \(expected tokenizer\.json, or vocab\.json and merges\.txt\)/);
    fs.rmSync(path.join(dir, 'model.safetensors'));
    expect(refusal(dir)).toMatch(/: no model\.safetensors or model\.safetensors\.index\.json/);
    const sharded = model('llama', { shards: 2 });
    fs.rmSync(path.join(sharded, 'model-00002-of-00002.safetensors'));
    expect(refusal(sharded)).toMatch(
      /model-00002-of-00002\.safetensors: missing \(listed in model\.safetensors\.index\.json\)/,
    );
  });

  it('a truncated or corrupt safetensors file', () => {
    const dir = model('gpt2');
    const file = path.join(dir, 'model.safetensors');
    const buf = fs.readFileSync(file);
    const headerLen = Number(buf.readBigUInt64LE(0));
    fs.writeFileSync(file, buf.subarray(0, 8 + Math.floor(headerLen / 2)));
    expect(refusal(dir)).toMatch(
      /model\.safetensors: header length \d+ is out of range \(file has \d+ bytes\): truncated or not a safetensors file/,
    );
    fs.writeFileSync(file, buf.subarray(0, buf.length - 100));
    expect(refusal(dir)).toMatch(/model\.safetensors: tensor \S+ has inconsistent offsets/);
    fs.writeFileSync(file, Buffer.from('hello'));
    expect(refusal(dir)).toMatch(/model\.safetensors: file too short for a safetensors header/);
    const corrupt = Buffer.from(buf);
    corrupt.write('\x00\x01', 8);
    fs.writeFileSync(file, corrupt);
    expect(refusal(dir)).toMatch(/model\.safetensors: header is not valid JSON/);
  });
});
