// The experiment designer's state and its translation into the spec file the CLI takes
// (examples/README.md). Lists typed as text ("0, 0.3, 0.6") are parsed here; a value that is not a
// number is sent as null so the lab's validation names the exact field and position.
import { RUN_DEFAULTS } from '../../../../shared/catalogue';
import type { BackendName } from '../../../../shared/types/app';
import type { ExperimentSpec } from '../../../../shared/types/experiments';
import type { HallucinationType } from '../../../../shared/types/dataset';
import {
  ANSWER_TARGETS,
  METHOD_IDS,
  type AnswerTarget,
  type MethodId,
  type ModelOverrides,
  type PresetName,
  type PstEncoderName,
  type PstLossName,
  type TrainingSubset,
} from '../../../../shared/types/runs';
import { loraFromForm } from '../forms/students';
import type { NumberField } from '../runs/form';

export type PstEncoder = PstEncoderName;
export type PstLoss = PstLossName;

export interface DesignerForm {
  name: string;
  description: string;
  source: 'synthetic' | 'dataset';
  dataset: number | null;
  version: number | null;
  subset: TrainingSubset;
  task: string;
  n: NumberField;
  dataSeed: NumberField;
  rates: string;
  types: HallucinationType[];
  minSize: NumberField;
  maxSize: NumberField;
  /** random, or compositional: test items larger than any training item (docs/methods.md). */
  split: 'random' | 'compositional';
  testMinSize: NumberField;
  testMaxSize: NumberField;
  methods: MethodId[];
  /** Answer targets as a factor; empty = not varied (the methods train on the gold answer). */
  answerTargets: AnswerTarget[];
  seeds: NumberField;
  lambdas: string;
  encoders: PstEncoder[];
  /** The sentence encoder (registered name or folder) of the `external` cells. */
  encoderStudent: string;
  losses: PstLoss[];
  preset: PresetName;
  /** A registered pretrained student's name ('' = the preset's char GPT). */
  student: string;
  /** LoRA rank on the pretrained student (empty = full fine-tuning). */
  loraRank: NumberField;
  /** Dropout on the LoRA adapters' input while training (empty = 0). */
  loraDropout: NumberField;
  model: Record<keyof ModelOverrides, NumberField>;
  steps: NumberField;
  batchSize: NumberField;
  lr: NumberField;
  evalEvery: NumberField;
  valExamples: NumberField;
  testExamples: NumberField;
  backend: BackendName | 'auto';
  concurrency: NumberField;
  /** Every run trains at random start positions (docs/methods.md, "Random start positions"). */
  randomPositions: boolean;
}

export function defaultDesigner(cores: number | null): DesignerForm {
  return {
    name: '',
    description: '',
    source: 'synthetic',
    dataset: null,
    version: null,
    subset: RUN_DEFAULTS.subset,
    task: 'coin_flip',
    n: 200,
    dataSeed: 1,
    rates: '0, 0.3, 0.6',
    types: [],
    minSize: null,
    maxSize: null,
    split: 'random',
    testMinSize: null,
    testMaxSize: null,
    methods: ['pre-thinking', 'post-thinking', 'pst'],
    answerTargets: [],
    seeds: 5,
    lambdas: '',
    encoders: [],
    encoderStudent: '',
    losses: [],
    preset: RUN_DEFAULTS.preset,
    student: '',
    loraRank: null,
    loraDropout: null,
    model: { layers: null, width: null, heads: null, context: null, dropout: null },
    steps: 500,
    batchSize: RUN_DEFAULTS.batchSize,
    lr: RUN_DEFAULTS.lr,
    evalEvery: null,
    valExamples: 100,
    testExamples: null,
    backend: 'auto',
    concurrency: cores,
    randomPositions: false,
  };
}

const filled = (x: NumberField): x is number => typeof x === 'number' && Number.isFinite(x);
/** A required number: sent as null when empty so the lab reports the field. */
const req = (x: NumberField): number => (filled(x) ? x : (null as unknown as number));

/** "0, 0.3 0.6" -> [0, 0.3, 0.6]; an unreadable item becomes null (reported by the lab at its index). */
export function parseNumberList(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((t) => {
      const v = Number(t);
      return Number.isFinite(v) ? v : (null as unknown as number);
    });
}

/** The spec to plan or create; optional parts left empty are left out (the lab's defaults apply). */
export function specFromDesigner(f: DesignerForm): ExperimentSpec {
  const model: ModelOverrides = {};
  for (const [k, v] of Object.entries(f.model) as [keyof ModelOverrides, NumberField][]) {
    if (filled(v)) model[k] = v;
  }
  const data: Pick<ExperimentSpec, 'dataset' | 'version' | 'synthetic' | 'subset'> =
    f.source === 'dataset'
      ? {
          dataset: f.dataset ?? (null as unknown as number),
          ...(f.version !== null ? { version: f.version } : {}),
          ...(f.subset !== 'all' ? { subset: f.subset } : {}),
        }
      : {
          synthetic: {
            task: f.task,
            n: req(f.n),
            ...(filled(f.dataSeed) ? { seed: f.dataSeed } : {}),
            hallucinationRates: parseNumberList(f.rates),
            ...(f.types.length ? { hallucinationTypes: f.types } : {}),
            ...(filled(f.minSize) ? { minSize: f.minSize } : {}),
            ...(filled(f.maxSize) ? { maxSize: f.maxSize } : {}),
            ...(f.split !== 'random' ? { split: f.split } : {}),
            ...(f.split === 'compositional' && filled(f.testMinSize) ? { testMinSize: f.testMinSize } : {}),
            ...(f.split === 'compositional' && filled(f.testMaxSize) ? { testMaxSize: f.testMaxSize } : {}),
          },
          ...(f.subset !== 'all' ? { subset: f.subset } : {}),
        };
  const pstGrid: NonNullable<ExperimentSpec['pstGrid']> = {};
  if (f.methods.includes('pst')) {
    const lambdas = parseNumberList(f.lambdas);
    if (lambdas.length) pstGrid.lambda = lambdas;
    if (f.encoders.length) pstGrid.encoder = f.encoders;
    if (f.encoders.includes('external') && f.encoderStudent.trim()) pstGrid.encoderStudent = f.encoderStudent.trim();
    if (f.losses.length) pstGrid.loss = f.losses;
  }
  const evaluation: NonNullable<ExperimentSpec['evaluation']> = {};
  if (filled(f.evalEvery)) evaluation.evalEvery = f.evalEvery;
  if (filled(f.valExamples)) evaluation.valExamples = f.valExamples;
  if (filled(f.testExamples)) evaluation.testExamples = f.testExamples;
  return {
    name: f.name.trim() || defaultName(f),
    ...(f.description.trim() ? { description: f.description.trim() } : {}),
    ...data,
    // Canonical order (the order methods appear in charts and tables), whatever order they were ticked.
    methods: METHOD_IDS.filter((m) => f.methods.includes(m)),
    ...(f.answerTargets.length ? { answerTargets: ANSWER_TARGETS.filter((t) => f.answerTargets.includes(t)) } : {}),
    ...(Object.keys(pstGrid).length ? { pstGrid } : {}),
    seeds: req(f.seeds),
    preset: f.preset,
    ...(Object.keys(model).length ? { model } : {}),
    ...(f.student ? { student: f.student } : {}),
    ...loraFromForm(f.student, f.loraRank, f.loraDropout),
    budget: { steps: req(f.steps), batchSize: req(f.batchSize), lr: req(f.lr) },
    ...(Object.keys(evaluation).length ? { evaluation } : {}),
    ...(f.backend !== 'auto' ? { backend: f.backend } : {}),
    ...(filled(f.concurrency) ? { concurrency: f.concurrency } : {}),
    ...(f.randomPositions ? { randomPositions: true } : {}),
  };
}

/** A readable default name ("coin_flip: 3 methods × rates 0/0.3/0.6"). */
export function defaultName(f: DesignerForm): string {
  const what = f.source === 'synthetic' ? f.task : 'dataset';
  const rates = f.source === 'synthetic' ? ` × rates ${parseNumberList(f.rates).join('/')}` : '';
  return `${what}: ${f.methods.length} method${f.methods.length === 1 ? '' : 's'}${rates}`;
}

/** Spec paths the designer has a field for; an issue deeper down (a list item) lands on its field. */
export const DESIGNER_FIELDS: readonly string[] = [
  'name',
  'description',
  'dataset',
  'version',
  'subset',
  'synthetic',
  'synthetic.task',
  'synthetic.n',
  'synthetic.seed',
  'synthetic.hallucinationRates',
  'synthetic.hallucinationTypes',
  'synthetic.minSize',
  'synthetic.maxSize',
  'synthetic.split',
  'synthetic.testMinSize',
  'synthetic.testMaxSize',
  'methods',
  'answerTargets',
  'randomPositions',
  'seeds',
  'pstGrid',
  'pstGrid.lambda',
  'pstGrid.encoder',
  'pstGrid.encoderStudent',
  'pstGrid.loss',
  'preset',
  'student',
  'lora',
  'lora.rank',
  'lora.dropout',
  'model.layers',
  'model.width',
  'model.heads',
  'model.context',
  'model.dropout',
  'budget.steps',
  'budget.batchSize',
  'budget.lr',
  'evaluation.evalEvery',
  'evaluation.valExamples',
  'evaluation.testExamples',
  'backend',
  'concurrency',
];
