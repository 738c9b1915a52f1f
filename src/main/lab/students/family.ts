// A student family: one architecture (GPT-2, Llama/Qwen2...) read from a Hugging Face folder.
// Each family is one small module that parses and checks its config.json, names its parameters
// in the folder's own naming (so exports keep the original tensor names) and runs the forward
// pass with the ops shared by every family (docs/methods.md, "Pretrained students").
import type * as tf from '@tensorflow/tfjs';
import type { DropoutSource, LayerCache } from '../training/model';
import { LabError } from '../errors';

/** One parameter as stored in the folder. */
export interface ParamSpec {
  /** Tensor name in the folder's safetensors files (canonical prefix, see StudentFamily.canonicalName). */
  name: string;
  /** Shape on disk. */
  shape: number[];
  /**
   * True for PyTorch nn.Linear weights ([out, in] on disk): the lab keeps them as [in, out] so
   * every product is a plain x @ W (see training/ops.ts for why), and transposes back on export.
   */
  transpose: boolean;
}

/** What every family's config says, for the registry, the CLI and the trainer. */
export interface StudentSummary {
  architecture: string;
  modelType: string;
  vocabSize: number;
  /** Maximum sequence length (position table or max_position_embeddings). */
  context: number;
  hidden: number;
  layers: number;
  heads: number;
  tiedEmbeddings: boolean;
}

/** The dimensions every family's parsed config carries (named alike so one summary serves all). */
export interface StudentDims {
  architecture: string;
  modelType: string;
  vocabSize: number;
  context: number;
  width: number;
  layers: number;
  heads: number;
  tied: boolean;
}

export function summarise(c: StudentDims): StudentSummary {
  return {
    architecture: c.architecture,
    modelType: c.modelType,
    vocabSize: c.vocabSize,
    context: c.context,
    hidden: c.width,
    layers: c.layers,
    heads: c.heads,
    tiedEmbeddings: c.tied,
  };
}

export type StudentParams = Record<string, tf.Variable>;

/**
 * LoRA adapters beside their frozen weights instead of merged into them: each adapted linear layer
 * adds drop(x) A B scale to x W0 (docs/methods.md, "LoRA dropout"). The parameters then carry
 * `<module>.lora_A` and `<module>.lora_B` next to `<module>.weight`.
 */
export interface LoraPath {
  /** alpha / rank. */
  scale: number;
  /** Dropout on the adapters' input (null: none, e.g. at evaluation). */
  dropout: DropoutSource | null;
}

export interface StudentForwardOptions {
  dropout?: DropoutSource | null;
  /** Run the LoRA adapters as a separate path (else any adapters are already merged into the weights). */
  lora?: LoraPath | null;
  /** Per-layer caches from earlier positions (decoding); `startPos` is their length. */
  past?: LayerCache[] | null;
  startPos?: number;
  skipLogits?: boolean;
  /** The output table transposed ([hidden, vocab]), precomputed by a decoding loop; must equal the current table. */
  headT?: tf.Tensor2D;
}

export interface StudentForwardResult {
  /** [B*T, vocab]; row b*T + t predicts the token after position t of sequence b. */
  logits: tf.Tensor2D | null;
  /** Last-layer hidden states after the final norm, [B*T, hidden]. */
  hidden: tf.Tensor2D;
  cache: LayerCache[];
}

export interface StudentFamily<C> {
  /** Short id recorded with runs and registry rows. */
  id: string;
  /** causal: a student (next-token logits); encoder: a frozen sentence encoder (PST's external e(r)). */
  kind: 'causal' | 'encoder';
  /** `architectures[0]` values in config.json this family reads. */
  architectures: readonly string[];
  /** Parses config.json (already JSON-parsed); throws a located error naming the field. */
  parseConfig(raw: Record<string, unknown>, source: string): C;
  summary(c: C): StudentSummary;
  parameters(c: C): ParamSpec[];
  /** Folder tensor name -> canonical name, or null for buffers that are not parameters. */
  canonicalName(fileName: string, c: C): string | null;
  /** Canonical name -> the name to write on export, given how the folder named things. */
  exportName(name: string, prefixed: boolean): string;
  /** Whether the folder used the canonical prefix (e.g. GPT-2's `transformer.`). */
  prefixed(fileNames: readonly string[]): boolean;
  forward(
    p: StudentParams,
    c: C,
    ids: tf.Tensor1D,
    batch: number,
    time: number,
    opts?: StudentForwardOptions,
  ): StudentForwardResult;
  /**
   * f32 values per token and layer that a training forward of `time` positions keeps for the
   * backward pass (the trainer's memory estimate; docs/methods.md, "Memory"). An upper bound
   * counted from the live buffers of this family's forward (cpu backend), not a theory.
   */
  activationFloats(c: C, time: number): number;
}

// ---------------------------------------------------------------------------------------------
// Config reading helpers: every refusal names the file and the field.

export function configError(source: string, field: string, reason: string): LabError {
  return new LabError('BAD_FILE', `${source}: ${field}: ${reason}`, { file: source, field });
}

export class ConfigReader {
  constructor(
    readonly raw: Record<string, unknown>,
    readonly source: string,
  ) {}

  has(field: string): boolean {
    return this.raw[field] !== undefined && this.raw[field] !== null;
  }

  posInt(field: string, fallback?: number): number {
    const v = this.raw[field] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      throw configError(this.source, field, `must be a positive integer, got ${JSON.stringify(v)}`);
    return v;
  }

  num(field: string, fallback?: number): number {
    const v = this.raw[field] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw configError(this.source, field, `must be a number, got ${JSON.stringify(v)}`);
    return v;
  }

  bool(field: string, fallback: boolean): boolean {
    const v = this.raw[field] ?? fallback;
    if (typeof v !== 'boolean')
      throw configError(this.source, field, `must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  str(field: string, fallback?: string): string {
    const v = this.raw[field] ?? fallback;
    if (typeof v !== 'string') throw configError(this.source, field, `must be a string, got ${JSON.stringify(v)}`);
    return v;
  }

  /** Refuses a field whose value the lab does not implement. */
  refuse(field: string, ok: (v: unknown) => boolean, reason: string): void {
    const v = this.raw[field];
    if (v !== undefined && v !== null && !ok(v))
      throw configError(this.source, field, `${JSON.stringify(v)} is not supported (${reason})`);
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], fallback: T): T {
    const v = this.raw[field] ?? fallback;
    if (!allowed.includes(v as T))
      throw configError(this.source, field, `${JSON.stringify(v)} is not supported (expected ${allowed.join(' or ')})`);
    return v as T;
  }
}
