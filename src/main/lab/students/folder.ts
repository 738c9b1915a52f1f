// A Hugging Face model folder as a student: config.json, model.safetensors (or shards listed in
// model.safetensors.index.json) and the tokenizer files. `inspectStudentFolder` checks
// everything that can be checked without loading the weights (headers, names, shapes, dtypes,
// tokenizer against the embedding) and hashes the files; `loadStudentParams` then reads the
// tensors. Every refusal is one line naming the file and the field or tensor.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LabError } from '../errors';
import { SafetensorsFile } from '../training/safetensors';
import { variableFrom } from '../training/model';
import type { ParamSpec, StudentFamily, StudentParams, StudentSummary } from './family';
import { familyFor, kindOfConfig, type FamilyKind } from './families';
import { readJsonFile } from './jsonFile';
import { HfTokenizer, TOKENIZER_FILES, type TokenizerSource } from './tokenizer';

export interface StudentFileInfo {
  /** Path relative to the folder. */
  name: string;
  bytes: number;
  sha256: string;
}

export interface StudentFolder {
  dir: string;
  family: StudentFamily<unknown>;
  config: unknown;
  summary: StudentSummary;
  parameterCount: number;
  /** Dtypes of the weight tensors on disk (e.g. ["BF16"]). */
  dtypes: string[];
  /** Whether the folder used the family's canonical name prefix (kept on export). */
  prefixed: boolean;
  /** Canonical parameter name -> the file holding it and its name there. */
  tensors: Map<string, { file: string; name: string; spec: ParamSpec }>;
  tokenizer: HfTokenizer;
  tokenizerSource: TokenizerSource;
  /** Every file the student consists of, hashed (config, weights, index, tokenizer files). */
  files: StudentFileInfo[];
}

/** sentence-transformers' files that decide how token states become one vector. */
export const ENCODER_FILES = ['modules.json', 'sentence_bert_config.json', '1_Pooling/config.json'] as const;

function bad(file: string, message: string, details: Record<string, unknown> = {}): LabError {
  return new LabError('BAD_FILE', `${file}: ${message}`, { file, ...details });
}

/** Streams a file through sha256 (weights can be gigabytes). */
export function sha256File(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 22);
    let n: number;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** The safetensors files of the folder: one model.safetensors, or the shards its index lists. */
function weightFiles(dir: string): { files: string[]; index: string | null; weightMap: Map<string, string> | null } {
  const single = path.join(dir, 'model.safetensors');
  const indexFile = path.join(dir, 'model.safetensors.index.json');
  if (fs.existsSync(indexFile)) {
    const index = readJsonFile(indexFile) as { weight_map?: unknown } | null;
    const map = index?.weight_map;
    if (map === null || typeof map !== 'object' || Array.isArray(map))
      throw bad(indexFile, 'weight_map: missing or not an object of tensor name -> shard file', {
        field: 'weight_map',
      });
    const weightMap = new Map<string, string>();
    for (const [name, shard] of Object.entries(map as Record<string, unknown>)) {
      if (typeof shard !== 'string' || shard.includes('/') || shard.includes('\\') || !shard.endsWith('.safetensors'))
        throw bad(
          indexFile,
          `weight_map.${name}: ${JSON.stringify(shard)} is not a safetensors file name in this folder`,
          { field: `weight_map.${name}` },
        );
      weightMap.set(name, shard);
    }
    const files = [...new Set(weightMap.values())].sort();
    for (const f of files)
      if (!fs.existsSync(path.join(dir, f)))
        throw bad(path.join(dir, f), `missing (listed in model.safetensors.index.json)`);
    return { files, index: 'model.safetensors.index.json', weightMap };
  }
  if (fs.existsSync(single)) return { files: ['model.safetensors'], index: null, weightMap: null };
  const bin = fs.existsSync(path.join(dir, 'pytorch_model.bin'))
    ? ' (pytorch_model.bin is not read: save the model with safe_serialization=True)'
    : '';
  throw bad(dir, `no model.safetensors or model.safetensors.index.json${bin}`, { field: 'model.safetensors' });
}

export interface InspectOptions {
  /** Hash every file (the registry does; a quick look may not). Default true. */
  hash?: boolean;
  /** A student (causal LM, the default), a sentence encoder, or whichever config.json describes. */
  kind?: FamilyKind | 'auto';
}

/** Validates a model folder without loading its weights. */
export function inspectStudentFolder(dirIn: string, opts: InspectOptions = {}): StudentFolder {
  const dir = path.resolve(dirIn);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw bad(dir, 'does not exist');
  }
  if (!stat.isDirectory()) throw bad(dir, 'not a directory (give the folder that holds config.json)');
  const configFile = path.join(dir, 'config.json');
  if (!fs.existsSync(configFile))
    throw bad(
      configFile,
      'missing (a Hugging Face model folder has config.json, model.safetensors and tokenizer.json)',
    );
  const raw = readJsonFile(configFile);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw bad(configFile, 'not a JSON object');
  const kind = opts.kind === 'auto' ? kindOfConfig(raw as Record<string, unknown>) : (opts.kind ?? 'causal');
  const { family } = familyFor(raw as Record<string, unknown>, configFile, kind);
  const config = family.parseConfig(raw as Record<string, unknown>, configFile);
  const summary = family.summary(config);
  const specs = new Map(family.parameters(config).map((s) => [s.name, s]));

  const { files, index, weightMap } = weightFiles(dir);
  const tensors = new Map<string, { file: string; name: string; spec: ParamSpec }>();
  const dtypes = new Set<string>();
  const headers = files.map((f) => {
    const st = SafetensorsFile.open(path.join(dir, f));
    st.close();
    return { f, file: path.join(dir, f), entries: st.header.entries };
  });
  const prefixed = family.prefixed(headers.flatMap((h) => [...h.entries.keys()]));
  for (const { f, file, entries } of headers) {
    for (const [name, e] of entries) {
      if (weightMap && weightMap.get(name) !== f) {
        throw bad(
          file,
          `tensor ${name} is here but model.safetensors.index.json ${weightMap.has(name) ? `puts it in ${weightMap.get(name)}` : 'does not list it'}`,
          { tensor: name },
        );
      }
      const canonical = family.canonicalName(name, config);
      if (canonical === null) continue;
      const spec = specs.get(canonical);
      if (!spec)
        throw bad(
          file,
          `tensor ${name} is not a parameter of ${summary.architecture} as config.json describes it (${summary.layers} layers, hidden ${summary.hidden})`,
          { tensor: name },
        );
      if (tensors.has(canonical))
        throw bad(file, `tensor ${name} appears twice (also in ${tensors.get(canonical)!.file})`, { tensor: name });
      if (e.shape.length !== spec.shape.length || e.shape.some((n, i) => n !== spec.shape[i]))
        throw bad(file, `tensor ${name} has shape [${e.shape}] but config.json implies [${spec.shape}]`, {
          tensor: name,
        });
      if (!['F32', 'F16', 'BF16'].includes(e.dtype))
        throw bad(file, `tensor ${name} has dtype ${e.dtype}; weights must be F32, F16 or BF16`, { tensor: name });
      dtypes.add(e.dtype);
      tensors.set(canonical, { file, name, spec });
    }
  }
  if (weightMap) {
    for (const [name, shard] of weightMap) {
      if (!headers.find((h) => h.f === shard)!.entries.has(name))
        throw bad(
          path.join(dir, shard),
          `tensor ${name} is listed in model.safetensors.index.json but not in this shard`,
          { tensor: name },
        );
    }
  }
  for (const spec of specs.values()) {
    if (!tensors.has(spec.name)) {
      const shown = family.exportName(spec.name, prefixed);
      throw bad(dir, `tensor ${shown} [${spec.shape}] is missing from the weights (config.json expects it)`, {
        tensor: shown,
      });
    }
  }

  const tokenizer = HfTokenizer.fromFolder(dir);
  const tokFile = path.join(dir, tokenizer.source === 'tokenizer.json' ? 'tokenizer.json' : 'vocab.json');
  if (tokenizer.maxId >= summary.vocabSize) {
    throw bad(
      tokFile,
      `the tokenizer has ids up to ${tokenizer.maxId} (${tokenizer.size} tokens) but the embedding has ${summary.vocabSize} rows (vocab_size)`,
      { field: 'vocab_size' },
    );
  }

  const used = [
    'config.json',
    ...(index ? [index] : []),
    ...files,
    ...TOKENIZER_FILES.filter((f) => fs.existsSync(path.join(dir, f))),
    // A sentence encoder's pooling is part of what it computes.
    ...(family.kind === 'encoder' ? ENCODER_FILES.filter((f) => fs.existsSync(path.join(dir, f))) : []),
  ];
  const hash = opts.hash ?? true;
  const fileInfo = used.map((name) => {
    const p = path.join(dir, name);
    return { name, bytes: fs.statSync(p).size, sha256: hash ? sha256File(p) : '' };
  });
  const parameterCount = [...specs.values()].reduce((acc, s) => acc + s.shape.reduce((a, b) => a * b, 1), 0);
  return {
    dir,
    family,
    config,
    summary,
    parameterCount,
    dtypes: [...dtypes].sort(),
    prefixed,
    tensors,
    tokenizer,
    tokenizerSource: tokenizer.source,
    files: fileInfo,
  };
}

/** [rows, cols] row-major -> its transpose. */
export function transposeMatrix(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[base + c]!;
  }
  return out;
}

/**
 * Calls `fn` with every parameter as f32 values in its in-memory layout (nn.Linear weights
 * transposed to [in, out], see family.ts), one tensor at a time so large folders are never held twice.
 */
export function forEachStudentTensor(
  folder: StudentFolder,
  fn: (name: string, data: Float32Array, shape: number[]) => void,
): void {
  const open = new Map<string, SafetensorsFile>();
  try {
    for (const [canonical, { file, name, spec }] of folder.tensors) {
      let st = open.get(file);
      if (!st) open.set(file, (st = SafetensorsFile.open(file)));
      const t = st.read(name);
      const data = spec.transpose
        ? transposeMatrix(t.data as Float32Array, spec.shape[0]!, spec.shape[1]!)
        : (t.data as Float32Array);
      fn(canonical, data, memoryShape(spec));
    }
  } finally {
    for (const st of open.values()) st.close();
  }
}

/** The in-memory shape of a parameter ([in, out] for transposed nn.Linear weights). */
export function memoryShape(spec: ParamSpec): number[] {
  return spec.transpose ? [spec.shape[1]!, spec.shape[0]!] : spec.shape;
}

/** Reads every parameter into tf variables (nn.Linear weights transposed to [in, out]). */
export function loadStudentParams(folder: StudentFolder, trainable = true): StudentParams {
  const params: StudentParams = {};
  try {
    forEachStudentTensor(folder, (name, data, shape) => (params[name] = variableFrom(data, shape, name, trainable)));
  } catch (err) {
    for (const v of Object.values(params)) v.dispose();
    throw err;
  }
  return params;
}

/** A student ready to run: its folder, config and weights. */
export interface LoadedStudent {
  folder: StudentFolder;
  params: StudentParams;
  forward: (
    ids: tf.Tensor1D,
    batch: number,
    time: number,
    opts?: Parameters<StudentFamily<unknown>['forward']>[5],
  ) => ReturnType<StudentFamily<unknown>['forward']>;
  dispose: () => void;
}

export function loadStudent(dir: string, opts: InspectOptions & { trainable?: boolean } = {}): LoadedStudent {
  const folder = inspectStudentFolder(dir, opts);
  const params = loadStudentParams(folder, opts.trainable ?? false);
  return {
    folder,
    params,
    forward: (ids, batch, time, fopts) => folder.family.forward(params, folder.config, ids, batch, time, fopts),
    dispose: () => Object.values(params).forEach((v) => v.dispose()),
  };
}
