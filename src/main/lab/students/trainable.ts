// A pretrained student as the trainer's StudentNet (docs/methods.md, "Training a pretrained
// student"): the folder's weights, the method markers' embedding rows appended after the
// vocabulary (trainable in every mode), and, with LoRA, low-rank adapters on chosen linear layers
// while the base weights stay frozen. The family module runs the forward pass on the effective
// weights: table = [base rows; marker rows], W = W0 + (alpha / rank) A B; only while training with
// LoRA dropout do the adapters run beside W0 instead, x W0 + drop(x) A B (alpha / rank).
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LabError } from '../errors';
import type { DropoutSource, ForwardOptions, ForwardResult, Params } from '../training/model';
import { transpose2d } from '../training/ops';
import { Rng, namedSeed } from '../training/rng';
import type { LoraConfig, ParamShape, PretrainedStudentRecord, StudentNet } from '../training/student';
import type { LoraSpec } from '../../../shared/types/runs';
import type { LoraPath, StudentParams } from './family';
import { forEachStudentTensor, inspectStudentFolder, memoryShape, type StudentFolder } from './folder';
import { MarkerTokenizer, markerNames } from './markers';
import { ADDED_ROWS } from './ops';

export { ADDED_ROWS };

/** Standard deviation of the noise added to the mean row for each marker's initial embedding. */
const MARKER_NOISE = 0.02;

/** Default LoRA targets per family (those of the PEFT library's defaults). */
export const DEFAULT_LORA_TARGETS: Record<string, string[]> = {
  gpt2: ['c_attn'],
  llama: ['q_proj', 'v_proj'],
};

/** A run's LoRA options with the defaults filled in (alpha = rank, the family's targets, dropout 0 left out). */
export function resolveLora(spec: LoraSpec | null | undefined, family: string): LoraConfig | null {
  if (!spec) return null;
  return {
    rank: spec.rank,
    alpha: spec.alpha ?? spec.rank,
    ...(spec.dropout ? { dropout: spec.dropout } : {}),
    targets: spec.targets ?? DEFAULT_LORA_TARGETS[family] ?? [],
  };
}

/** "LoRA rank R alpha A [dropout P] on a,b" for the CLI and the export's card. */
export function loraText(lora: LoraConfig): string {
  return `LoRA rank ${lora.rank} alpha ${lora.alpha}${lora.dropout ? ` dropout ${lora.dropout}` : ''} on ${lora.targets.join(',')}`;
}

/** Names of the tables indexed by token id (input embedding, separate output layer). */
function vocabularyTables(folder: StudentFolder): string[] {
  return [...folder.tensors.keys()].filter((n) => /(^|\.)(wte|embed_tokens)\.weight$|^lm_head\.weight$/.test(n));
}

/** Linear weights ([in, out] in memory) a LoRA target list selects: by their module's last name component. */
function loraModules(folder: StudentFolder, targets: readonly string[]): string[] {
  const tables = new Set(vocabularyTables(folder));
  const candidates = [...folder.tensors.entries()]
    .filter(([n, t]) => n.endsWith('.weight') && t.spec.shape.length === 2 && !tables.has(n) && !/wpe\.weight$/.test(n))
    .map(([n]) => n.slice(0, -'.weight'.length));
  const known = new Set(candidates.map((m) => m.split('.').pop()!));
  for (const t of targets) {
    if (!known.has(t))
      throw new LabError(
        'INVALID_INPUT',
        `loraTargets: ${JSON.stringify(t)} is not a linear layer of this ${folder.summary.architecture} (it has ${[...known].sort().join(', ')})`,
        { field: 'loraTargets' },
      );
  }
  return candidates.filter((m) => targets.includes(m.split('.').pop()!));
}

export interface PretrainedNetOptions {
  folder: StudentFolder;
  /** Registry name (null when a folder path was given). */
  name: string | null;
  semTokens: number;
  /** The run's context (at most the model's own). */
  context?: number;
  lora?: LoraConfig | null;
}

export interface PretrainedNet extends StudentNet {
  readonly folder: StudentFolder;
  readonly lora: LoraConfig | null;
  /** Module names (without `.weight`) that carry adapters. */
  readonly loraModules: string[];
  /**
   * The forward with the adapters beside the frozen weights, x W0 + drop(x) A B (alpha / rank),
   * dropout on their input from `opts.dropout`'s stream when given; `forward` takes this path while
   * training with LoRA dropout. Without dropout it computes the merged forward's function.
   */
  forwardLora(p: Params, ids: tf.Tensor1D, batch: number, time: number, opts?: ForwardOptions): ForwardResult;
  /** Base weights, marker rows and adapters merged into the folder's own parameters (for export). */
  mergedValues(p: Params): Promise<Map<string, Float32Array>>;
  describe(): PretrainedStudentRecord;
}

export function pretrainedNet(o: PretrainedNetOptions): { net: PretrainedNet; tokenizer: MarkerTokenizer } {
  const { folder } = o;
  const s = folder.summary;
  const context = Math.min(o.context ?? s.context, s.context);
  const tokenizer = new MarkerTokenizer(folder.tokenizer, s.vocabSize, o.semTokens);
  const markers = markerNames(o.semTokens);
  const lora = o.lora ?? null;
  if (lora && (!Number.isInteger(lora.rank) || lora.rank < 1))
    throw new LabError('INVALID_INPUT', `loraRank must be a positive integer, got ${lora.rank}`, { field: 'loraRank' });
  const loraDropout = lora?.dropout ?? 0;
  if (!(loraDropout >= 0 && loraDropout < 1))
    throw new LabError('INVALID_INPUT', `loraDropout must be in [0, 1), got ${loraDropout}`, { field: 'loraDropout' });
  const modules = lora ? loraModules(folder, lora.targets) : [];
  const tables = vocabularyTables(folder);
  const scale = lora ? lora.alpha / lora.rank : 0;
  // The output layer's table: a separate lm_head, else the (tied) input embedding.
  const headTable = tables.includes('lm_head.weight') ? 'lm_head.weight' : tables[0]!;
  const family = folder.family;

  const shapes: ParamShape[] = [];
  for (const [name, t] of folder.tensors) shapes.push({ name, shape: memoryShape(t.spec), trainable: !lora });
  for (const t of tables) shapes.push({ name: t + ADDED_ROWS, shape: [markers.length, s.hidden], trainable: true });
  for (const m of modules) {
    const [inDim, outDim] = memoryShape(folder.tensors.get(`${m}.weight`)!.spec) as [number, number];
    shapes.push({ name: `${m}.lora_A`, shape: [inDim, lora!.rank], trainable: true });
    shapes.push({ name: `${m}.lora_B`, shape: [lora!.rank, outDim], trainable: true });
  }

  /**
   * The weights the family's forward reads, built from the parameters (inside the caller's
   * tidy/tape): the adapters merged unless `separate` (then the forward adds them itself, see
   * LoraPath), and the marker rows appended to their tables unless `split` (then the forward reads
   * them apart, see tokenEmbedding: under LoRA, so that the frozen tables are never copied or
   * given a gradient while training).
   */
  const effective = (p: Params, separate = false, split = false): StudentParams => {
    const eff: Record<string, tf.Tensor> = { ...p };
    if (!split)
      for (const t of tables) {
        eff[t] = tf.concat([p[t]!, p[t + ADDED_ROWS]!], 0);
        delete eff[t + ADDED_ROWS];
      }
    if (!separate)
      for (const m of modules)
        eff[`${m}.weight`] = tf.add(p[`${m}.weight`]!, tf.mul(tf.matMul(p[`${m}.lora_A`]!, p[`${m}.lora_B`]!), scale));
    return eff as StudentParams;
  };

  /** The family's forward on the effective weights; `adapters`: the separate LoRA path, else merged. */
  const run = (
    p: Params,
    ids: tf.Tensor1D,
    batch: number,
    time: number,
    opts: ForwardOptions,
    adapters: LoraPath | null,
  ): ForwardResult => {
    if ((opts.startPos ?? 0) + time > context)
      throw new Error(`sequence of ${(opts.startPos ?? 0) + time} tokens exceeds the run's context ${context}`);
    const pre = adapters ? undefined : opts.inference;
    return family.forward(
      pre ? (pre.weights as StudentParams) : effective(p, adapters !== null, lora !== null),
      folder.config,
      ids,
      batch,
      time,
      {
        dropout: opts.dropout ?? null,
        lora: adapters,
        past: opts.past ?? null,
        startPos: opts.startPos ?? 0,
        skipLogits: opts.skipLogits ?? false,
        ...(pre ? { headT: pre.headT } : {}),
      },
    );
  };
  /** The adapters' path with input dropout at the run's LoRA rate, from the step's dropout stream. */
  const loraPath = (drop: DropoutSource | null | undefined): LoraPath => ({
    scale,
    dropout: drop && loraDropout > 0 ? { rate: loraDropout, rng: drop.rng } : null,
  });

  const net: PretrainedNet = {
    kind: 'hf',
    folder,
    lora,
    loraModules: modules,
    tables,
    context,
    width: s.hidden,
    dropout: (folder.config as { residDropout?: number }).residDropout ?? 0,
    vocabSize: tokenizer.size,
    layers: s.layers,
    heads: s.heads,
    parameterShapes: () => shapes,
    activationFloats: (time) => family.activationFloats(folder.config, time),
    initialValues(seed) {
      const values = new Map<string, Float32Array>();
      forEachStudentTensor(folder, (name, data) => values.set(name, data));
      // Marker rows: the mean of the table's rows plus small noise from the row's own stream, so
      // each marker starts as an "average token" and the markers differ from each other.
      for (const t of tables) {
        const base = values.get(t)!;
        const d = s.hidden;
        const rows = base.length / d;
        const mean = new Float64Array(d);
        for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) mean[j]! += base[r * d + j]!;
        const rng = new Rng(namedSeed(seed, t + ADDED_ROWS));
        const added = new Float32Array(markers.length * d);
        for (let i = 0; i < added.length; i++) added[i] = mean[i % d]! / rows + MARKER_NOISE * rng.normal();
        values.set(t + ADDED_ROWS, added);
      }
      // LoRA as in the PEFT library: A ~ U(-1/sqrt(in), 1/sqrt(in)) (kaiming-uniform, a = sqrt 5), B = 0,
      // so the adapted model equals the base model at step 0.
      for (const m of modules) {
        const [inDim, outDim] = memoryShape(folder.tensors.get(`${m}.weight`)!.spec) as [number, number];
        const rng = new Rng(namedSeed(seed, `${m}.lora_A`));
        const a = new Float32Array(inDim * lora!.rank);
        const bound = 1 / Math.sqrt(inDim);
        for (let i = 0; i < a.length; i++) a[i] = (2 * rng.next() - 1) * bound;
        values.set(`${m}.lora_A`, a);
        values.set(`${m}.lora_B`, new Float32Array(lora!.rank * outDim));
      }
      return values;
    },
    forward(p, ids, batch, time, opts = {}): ForwardResult {
      // Training (the trainer gives a dropout stream, at the net's rate even when 0): the
      // adapters' own path beside the frozen weights, as PEFT trains, with LoRA dropout when P > 0.
      // Merging there would make and keep for the backward pass several weight-sized tensors per
      // adapted layer (A B, its scaled copy, the merged weight, their gradients). Evaluation and
      // decoding use the merged weights (docs/methods.md, "LoRA dropout").
      const separate = modules.length > 0 && opts.dropout != null;
      return run(p, ids, batch, time, opts, separate ? loraPath(opts.dropout) : null);
    },
    forwardLora: (p, ids, batch, time, opts = {}) => run(p, ids, batch, time, opts, loraPath(opts.dropout)),
    prepareDecoding(p) {
      // Merging the adapters, appending the marker rows and transposing the output table cost as
      // much as a forward pass of many tokens: done once per decoding, not once per token.
      const { weights, headT } = tf.tidy(() => {
        const eff = effective(p);
        return { weights: { ...eff }, headT: transpose2d(eff[headTable]! as tf.Tensor2D) };
      });
      const made = [...tables, ...modules.map((m) => `${m}.weight`)].map((n) => weights[n]!);
      return {
        options: { inference: { weights, headT } },
        dispose: () => {
          headT.dispose();
          made.forEach((t) => t.dispose());
        },
      };
    },
    async mergedValues(p) {
      const out = new Map<string, Float32Array>();
      for (const name of folder.tensors.keys()) {
        const t = tf.tidy(() => effective(p)[name]!);
        out.set(name, (await t.data()) as Float32Array);
        t.dispose();
      }
      return out;
    },
    describe: () => ({
      kind: 'hf',
      name: o.name,
      dir: folder.dir,
      family: family.id,
      architecture: s.architecture,
      files: folder.files,
      context,
      baseVocab: s.vocabSize,
      markers,
      lora,
    }),
  };
  return { net, tokenizer };
}

/** Where a run's pretrained student is and what it was when the run was created. */
export interface PretrainedStudentSpec {
  dir: string;
  name: string | null;
  /** The files (sizes, SHA-256) as resolved when the run was created; null = take the folder as it is now. */
  files: PretrainedStudentRecord['files'] | null;
  lora: LoraConfig | null;
}

/**
 * Opens a run's student folder in the run process. The lab hashed the folder when the run was
 * created (students registry); here every file must still have its recorded size, else the run
 * stops naming the file.
 */
export function openPretrained(
  spec: PretrainedStudentSpec,
  semTokens: number,
  context?: number,
): { net: PretrainedNet; tokenizer: MarkerTokenizer } {
  const folder = inspectStudentFolder(spec.dir, { hash: spec.files === null });
  if (spec.files) {
    for (const f of spec.files) {
      const now = folder.files.find((g) => g.name === f.name);
      if (!now || now.bytes !== f.bytes)
        throw new LabError(
          'CONFLICT',
          `${path.join(folder.dir, f.name)}: ${now ? `${now.bytes} bytes, ${f.bytes} when the run was created` : 'missing'}; the student folder changed`,
        );
    }
    folder.files = spec.files;
  }
  return pretrainedNet({ folder, name: spec.name, semTokens, context, lora: spec.lora });
}
