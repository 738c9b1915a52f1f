// The New run form's state, its translation into a `runs.start` spec, and the mapping of the lab's
// validation errors (error.details: [{path, message}]) back onto the form's fields.
import { RUN_DEFAULTS } from '../../../../shared/catalogue';
import type { ChannelInput } from '../../../../shared/contract';
import type { BackendName } from '../../../../shared/types/app';
import type { MethodId, ModelOverrides, PresetName, TrainingSubset } from '../../../../shared/types/runs';
import { loraFromForm } from '../forms/students';
import { DEFAULT_METHOD_OPTIONS, optionsFor, type FullMethodOptions } from './methods';

/** Number inputs bind to null (or undefined) while empty. */
export type NumberField = number | null | undefined;

export interface RunForm {
  dataset: number | null;
  version: number | null;
  subset: TrainingSubset;
  method: MethodId;
  options: FullMethodOptions;
  preset: PresetName;
  /** A registered pretrained student's name ('' = the preset's char GPT). */
  student: string;
  /** LoRA rank on the pretrained student (empty = full fine-tuning). */
  loraRank: NumberField;
  /** Dropout on the LoRA adapters' input while training (empty = 0). */
  loraDropout: NumberField;
  /** Micro-batches per optimizer step (gradient accumulation). */
  accumulate: NumberField;
  advanced: boolean;
  model: Record<keyof ModelOverrides, NumberField>;
  steps: NumberField;
  batchSize: NumberField;
  lr: NumberField;
  seed: NumberField;
  backend: BackendName | 'auto';
  evalEvery: NumberField;
  valMaxExamples: NumberField;
  earlyStopPatience: NumberField;
  testMaxExamples: NumberField;
  name: string;
  /** Start even when the context would cut over 1 % of training rationales or questions. */
  allowTruncation: boolean;
  /** Train at random start positions (docs/methods.md, "Random start positions"). */
  randomPositions: boolean;
}

export function defaultForm(): RunForm {
  return {
    dataset: null,
    version: null,
    subset: RUN_DEFAULTS.subset,
    method: 'pst',
    options: { ...DEFAULT_METHOD_OPTIONS },
    preset: RUN_DEFAULTS.preset,
    student: '',
    loraRank: null,
    loraDropout: null,
    accumulate: 1,
    advanced: false,
    model: { layers: null, width: null, heads: null, context: null, dropout: null },
    steps: RUN_DEFAULTS.steps,
    batchSize: RUN_DEFAULTS.batchSize,
    lr: RUN_DEFAULTS.lr,
    seed: RUN_DEFAULTS.seed,
    backend: 'auto',
    evalEvery: RUN_DEFAULTS.evalEvery,
    valMaxExamples: RUN_DEFAULTS.valMaxExamples,
    earlyStopPatience: null,
    testMaxExamples: null,
    name: '',
    allowTruncation: false,
    randomPositions: false,
  };
}

const filled = (x: NumberField): x is number => typeof x === 'number' && !Number.isNaN(x);

/**
 * The spec to send. Required numbers are sent even when empty (as null) so the lab's validation
 * names the field; optional ones are left out (or null: "no limit") when empty.
 */
export function specFromForm(f: RunForm): ChannelInput<'runs.start'> {
  const model: ModelOverrides = {};
  if (f.advanced) {
    for (const [k, v] of Object.entries(f.model) as [keyof ModelOverrides, NumberField][]) {
      if (filled(v)) model[k] = v;
    }
  }
  const req = (x: NumberField): number => (filled(x) ? x : (null as unknown as number));
  return {
    dataset: f.dataset ?? (null as unknown as number),
    ...(f.version !== null ? { version: f.version } : {}),
    subset: f.subset,
    method: f.method,
    methodOptions: optionsFor(f.method, f.options),
    preset: f.preset,
    ...(Object.keys(model).length ? { model } : {}),
    ...(f.student ? { student: f.student } : {}),
    ...loraFromForm(f.student, f.loraRank, f.loraDropout),
    ...(filled(f.accumulate) && f.accumulate !== 1 ? { accumulate: f.accumulate } : {}),
    steps: req(f.steps),
    batchSize: req(f.batchSize),
    lr: req(f.lr),
    seed: req(f.seed),
    backend: f.backend === 'auto' ? null : f.backend,
    evalEvery: req(f.evalEvery),
    valMaxExamples: req(f.valMaxExamples),
    earlyStopPatience: filled(f.earlyStopPatience) ? f.earlyStopPatience : null,
    testMaxExamples: filled(f.testMaxExamples) ? f.testMaxExamples : null,
    ...(f.name.trim() ? { name: f.name.trim() } : {}),
    ...(f.allowTruncation ? { allowTruncation: true } : {}),
    ...(f.randomPositions ? { randomPositions: true } : {}),
  };
}
