// The one catalogue of what a training run can be asked for: method ids, student presets, training
// subsets, PST encoders and losses, compute backends, every method option with its default and
// range, and the run defaults. The contract (zod), the CLI's usage and validation, the renderer's
// forms, the trainer's defaults and the docs table (docs/methods.md, "Method options") all read it;
// a value is written here and nowhere else. Plain data: the renderer imports it too.
import { BACKEND_NAMES } from './types/app';
import type { MethodOptions } from './types/runs';

export { BACKEND_NAMES };

export const METHOD_IDS = ['answer-only', 'pre-thinking', 'prefix', 'post-thinking', 'pst'] as const;
export type MethodId = (typeof METHOD_IDS)[number];

export const PRESETS = ['tiny', 'small', 'base'] as const;
export type PresetName = (typeof PRESETS)[number];

/** Architecture overrides a run may set on top of its preset. */
export interface ModelShape {
  layers: number;
  width: number;
  heads: number;
  context: number;
  dropout: number;
}

/** Each preset's shape (docs/methods.md, "Student and trainer"); the MLP activation is gelu. */
export const PRESET_SHAPES: Record<PresetName, ModelShape> = {
  tiny: { layers: 2, width: 128, heads: 4, context: 256, dropout: 0.1 },
  small: { layers: 4, width: 256, heads: 4, context: 384, dropout: 0.1 },
  base: { layers: 6, width: 384, heads: 6, context: 512, dropout: 0.1 },
};

/** Ranges of the architecture overrides. */
export const MODEL_OVERRIDE_RANGES: Record<keyof ModelShape, NumberRange> = {
  layers: { integer: true, min: 1, max: 48 },
  width: { integer: true, min: 8, max: 4096 },
  heads: { integer: true, min: 1, max: 64 },
  context: { integer: true, min: 16, max: 8192 },
  dropout: { min: 0, max: 0.9 },
};

/**
 * Which teacher completions train the student (docs/methods.md, "Training subsets"): every one,
 * only those whose answer matches gold (Fine-tune-CoT's `only_correct`), or by human annotation:
 * `verified-faithful` keeps completions whose resolved human verdict is faithful and
 * `hallucinated-only` those whose resolved verdict is hallucinated (the adjudicated verdict if
 * there is one, else the verdict every human annotator gave, on the current rationale text).
 */
export const TRAINING_SUBSETS = ['all', 'teacher-correct', 'verified-faithful', 'hallucinated-only'] as const;
export type TrainingSubset = (typeof TRAINING_SUBSETS)[number];

/**
 * PST semantic encoders (docs/methods.md, "PST semantic targets"): `self` = a frozen
 * student-architecture model that has read the rationales (pre-trained with NTP(r), or a completed
 * run's checkpoint), `hashed-tfidf` = weight-free hashed TF-IDF vectors, `external` = a pretrained
 * sentence encoder from a local folder (`encoderStudent`), `self-online` = the training student's
 * own states (uncentred, degenerate; kept to reproduce old runs).
 */
export const PST_ENCODERS = ['self', 'self-online', 'hashed-tfidf', 'external'] as const;
export type PstEncoderName = (typeof PST_ENCODERS)[number];
export const PST_LOSSES = ['cosine', 'mse', 'infonce'] as const;
export type PstLossName = (typeof PST_LOSSES)[number];
export const ANSWER_TARGETS = ['gold', 'teacher'] as const;
export type AnswerTarget = (typeof ANSWER_TARGETS)[number];
export const PST_HEADS = ['linear', 'mlp'] as const;
export type PstHead = (typeof PST_HEADS)[number];

export interface NumberRange {
  integer?: boolean;
  min: number;
  /** The minimum itself is not allowed (a value must be above it). */
  exclusiveMin?: boolean;
  max: number;
  /** The maximum itself is not allowed (a value must be below it). */
  exclusiveMax?: boolean;
}

interface OptionBase {
  /** The CLI flag (`--flag`). */
  flag: string;
  /** The methods that read the option. */
  methods: readonly MethodId[];
  /** One line for the docs table and the CLI. */
  doc: string;
}
export interface ChoiceOption<T extends string = string> extends OptionBase {
  kind: 'choice';
  values: readonly T[];
  default: T;
}
export interface NumberOption extends OptionBase, NumberRange {
  kind: 'number';
  /** null: no default (the option is only set on purpose). */
  default: number | null;
}
/** A name or a folder (a registered student or sentence encoder): trimmed, non-empty, no default. */
export interface TextOption extends OptionBase {
  kind: 'text';
  /** What the value names, for a usage line (`NAME|DIR`). */
  placeholder: string;
  maxLength: number;
  default: null;
}
export type OptionSpec = ChoiceOption | NumberOption | TextOption;

/** Longest name or folder path a spec may carry (students, sentence encoders, CUDA libraries). */
export const MAX_PATH_LENGTH = 4096;

const ALL = METHOD_IDS;

/**
 * Every method option in one place: what reads it, its default and its range. The defaults are
 * the papers' (alpha 0.5, w_y = w_r = 1, PST k 1, lambda 1, beta 0, linear head); PST's encoder
 * and loss were chosen by measurement (docs/methods.md, "Choosing the default").
 */
export const METHOD_OPTIONS = {
  answerTarget: {
    kind: 'choice',
    flag: 'answer-target',
    methods: ALL,
    values: ANSWER_TARGETS,
    default: 'gold',
    doc: "the answer trained on: the gold answer or the teacher's",
  },
  alpha: {
    kind: 'number',
    flag: 'alpha',
    methods: ['prefix'],
    min: 0,
    max: 1,
    default: 0.5,
    doc: 'weight a of the [predict] task',
  },
  answerWeight: {
    kind: 'number',
    flag: 'answer-weight',
    methods: ['post-thinking'],
    min: 0,
    max: 100,
    default: 1,
    doc: 'w_y, weight of NTP(y)',
  },
  rationaleWeight: {
    kind: 'number',
    flag: 'rationale-weight',
    methods: ['post-thinking'],
    min: 0,
    max: 100,
    default: 1,
    doc: 'w_r, weight of NTP(r)',
  },
  encoder: {
    kind: 'choice',
    flag: 'encoder',
    methods: ['pst'],
    values: PST_ENCODERS,
    default: 'self',
    doc: 'semantic encoder e(r)',
  },
  selfSteps: {
    kind: 'number',
    flag: 'self-steps',
    methods: ['pst'],
    integer: true,
    min: 1,
    max: 1_000_000,
    default: 300,
    doc: "NTP(r) pre-training steps of the frozen 'self' encoder",
  },
  selfFrom: {
    kind: 'number',
    flag: 'self-from',
    methods: ['pst'],
    integer: true,
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    default: null,
    doc: "a completed run whose checkpoint is the frozen 'self' encoder",
  },
  encoderStudent: {
    kind: 'text',
    flag: 'encoder-student',
    methods: ['pst'],
    placeholder: 'NAME|DIR',
    maxLength: MAX_PATH_LENGTH,
    default: null,
    doc: "the 'external' encoder: a registered sentence encoder (see `students list`) or its folder",
  },
  loss: {
    kind: 'choice',
    flag: 'loss',
    methods: ['pst'],
    values: PST_LOSSES,
    default: 'infonce',
    doc: 'semantic loss L_sem',
  },
  tau: {
    kind: 'number',
    flag: 'tau',
    methods: ['pst'],
    min: 0,
    exclusiveMin: true,
    max: 10,
    default: 0.1,
    doc: 'InfoNCE temperature',
  },
  head: {
    kind: 'choice',
    flag: 'head',
    methods: ['pst'],
    values: PST_HEADS,
    default: 'linear',
    doc: 'projection head P',
  },
  k: {
    kind: 'number',
    flag: 'k',
    methods: ['pst'],
    integer: true,
    min: 1,
    max: 16,
    default: 1,
    doc: 'number of SEM tokens',
  },
  lambda: { kind: 'number', flag: 'lambda', methods: ['pst'], min: 0, max: 100, default: 1, doc: 'λ, weight of L_sem' },
  beta: {
    kind: 'number',
    flag: 'beta',
    methods: ['pst'],
    min: 0,
    max: 100,
    default: 0,
    doc: 'β, weight of NTP(r) after the SEM tokens',
  },
  embedDim: {
    kind: 'number',
    flag: 'embed-dim',
    methods: ['pst'],
    integer: true,
    min: 8,
    max: 4096,
    default: 256,
    doc: "dimension of the 'hashed-tfidf' vectors",
  },
} as const satisfies Record<keyof MethodOptions, OptionSpec>;

export type MethodOptionKey = keyof typeof METHOD_OPTIONS;
export const METHOD_OPTION_KEYS = Object.keys(METHOD_OPTIONS) as MethodOptionKey[];

/** The options a method reads, in catalogue order. */
export function methodOptionKeys(method: MethodId): MethodOptionKey[] {
  return METHOD_OPTION_KEYS.filter((k) => (METHOD_OPTIONS[k].methods as readonly MethodId[]).includes(method));
}

type DefaultOf<K extends MethodOptionKey> = (typeof METHOD_OPTIONS)[K] extends { values: readonly (infer T)[] }
  ? T
  : number;
/** The options set only on purpose (no default): a run whose checkpoint, a sentence encoder. */
export type UndefaultedOptionKey = 'selfFrom' | 'encoderStudent';
/** Every option that has a default (all but `selfFrom` and `encoderStudent`), at its default. */
export type MethodOptionDefaults = { [K in Exclude<MethodOptionKey, UndefaultedOptionKey>]: DefaultOf<K> };
export const METHOD_OPTION_DEFAULTS = Object.fromEntries(
  METHOD_OPTION_KEYS.filter((k) => METHOD_OPTIONS[k].default !== null).map((k) => [k, METHOD_OPTIONS[k].default]),
) as MethodOptionDefaults;

/** What a run spec leaves out gets these values. */
export const RUN_DEFAULTS = {
  subset: 'all' as TrainingSubset,
  preset: 'tiny' as PresetName,
  steps: 1000,
  batchSize: 16,
  lr: 1e-3,
  seed: 1,
  evalEvery: 250,
  valMaxExamples: 100,
};

/** Ranges of a run's budget, shared by single runs and experiments. */
export const RUN_RANGES = {
  steps: { integer: true, min: 1, max: 10_000_000 },
  batchSize: { integer: true, min: 1, max: 4096 },
  lr: { min: 0, exclusiveMin: true, max: 1 },
  seed: { integer: true, min: 0, max: 2 ** 31 - 1 },
  /** Micro-batches accumulated into one optimizer step (effective batch = batchSize x accumulate). */
  accumulate: { integer: true, min: 1, max: 1024 },
} as const satisfies Record<string, NumberRange>;

/**
 * LoRA adapters of a pretrained `student` (docs/methods.md, "Training a pretrained student"): rank,
 * alpha (scale alpha / rank), dropout on the adapters' input while training, and the module names
 * adapted (at most `maxTargets`).
 */
export const LORA_RANGES = {
  rank: { integer: true, min: 1, max: 1024 },
  alpha: { min: 0, exclusiveMin: true, max: 100_000 },
  dropout: { min: 0, max: 1, exclusiveMax: true },
  maxTargets: 32,
} as const;

/**
 * Run options besides the method's: a pretrained student (registered name or folder) instead of a
 * preset, its LoRA adapters, gradient accumulation, and random absolute positions: the spec field,
 * the CLI flag and usage, and the values and meaning the docs table shows.
 */
export const RUN_OPTION_FLAGS = {
  student: {
    field: 'student',
    flag: 'student',
    usage: '--student NAME|DIR',
    values: 'a name or folder',
    doc: 'a registered pretrained student (or its folder) instead of a preset',
  },
  loraRank: {
    field: 'lora.rank',
    flag: 'lora-rank',
    usage: '--lora-rank R',
    values: rangeText(LORA_RANGES.rank),
    doc: 'train LoRA adapters of this rank on the pretrained student (else full fine-tuning)',
  },
  loraAlpha: {
    field: 'lora.alpha',
    flag: 'lora-alpha',
    usage: '--lora-alpha A',
    values: rangeText(LORA_RANGES.alpha),
    doc: 'LoRA scale numerator (scale alpha / rank; default: the rank)',
  },
  loraDropout: {
    field: 'lora.dropout',
    flag: 'lora-dropout',
    usage: '--lora-dropout P',
    values: rangeText(LORA_RANGES.dropout),
    doc: "dropout on the adapters' input while training, as PEFT's lora_dropout (default 0)",
  },
  loraTargets: {
    field: 'lora.targets',
    flag: 'lora-targets',
    usage: '--lora-targets q_proj,v_proj,...',
    values: `1 to ${LORA_RANGES.maxTargets} module names`,
    doc: 'the modules the adapters wrap',
  },
  accumulate: {
    field: 'accumulate',
    flag: 'accumulate',
    usage: '--accumulate N',
    values: rangeText(RUN_RANGES.accumulate),
    doc: 'micro-batches per optimizer step (effective batch = batch x N)',
  },
  randomPositions: {
    field: 'randomPositions',
    flag: 'random-positions',
    usage: '--random-positions',
    values: 'on / off',
    doc: 'start each training batch at a random absolute position',
  },
} as const;

/** The option's values for a usage line: `a|b|c`, or `N` / `X` for numbers. */
export function optionUsage(key: MethodOptionKey): string {
  const o: OptionSpec = METHOD_OPTIONS[key];
  return `[--${o.flag} ${o.kind === 'choice' ? o.values.join('|') : o.kind === 'text' ? o.placeholder : o.integer ? 'N' : 'X'}]`;
}

/** "0.5", "(none)", "0 to 1", "> 0 to 10", "whole 1 to 16" for the docs table and messages. */
export function rangeText(r: NumberRange): string {
  return `${r.integer ? 'whole ' : ''}${r.exclusiveMin ? '> ' : ''}${r.min} to ${r.exclusiveMax ? '< ' : ''}${r.max === Number.MAX_SAFE_INTEGER ? 'any' : r.max}`;
}

/** The docs table of method options (docs/methods.md, "Method options"), one row per option. */
export function methodOptionsTable(): string {
  const rows = METHOD_OPTION_KEYS.map((k) => {
    const o: OptionSpec = METHOD_OPTIONS[k];
    const values =
      o.kind === 'choice'
        ? o.values.map((v) => `\`${v}\``).join(', ')
        : o.kind === 'text'
          ? 'a name or folder'
          : rangeText(o);
    const def = o.default === null ? '(none)' : `\`${o.default}\``;
    return `| \`${k}\` | \`--${o.flag}\` | ${o.methods.length === METHOD_IDS.length ? 'all' : o.methods.join(', ')} | ${values} | ${def} | ${o.doc} |`;
  });
  return ['| option | CLI flag | methods | values | default | meaning |', '|---|---|---|---|---|---|', ...rows].join(
    '\n',
  );
}

/** The docs table of student presets (docs/methods.md, "Method options"). */
export function presetsTable(): string {
  const rows = PRESETS.map((p) => {
    const s = PRESET_SHAPES[p];
    return `| \`${p}\` | ${s.layers} | ${s.width} | ${s.heads} | ${s.context} | ${s.dropout} |`;
  });
  return ['| preset | layers | width | heads | context | dropout |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** The docs table of run options besides the method's (docs/methods.md, "Method options"). */
export function runOptionsTable(): string {
  const rows = Object.values(RUN_OPTION_FLAGS).map(
    (o) => `| \`${o.field}\` | \`--${o.flag}\` | ${o.values} | ${o.doc} |`,
  );
  return ['| spec field | CLI flag | values | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
