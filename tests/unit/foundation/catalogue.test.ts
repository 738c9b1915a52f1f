// The catalogue (src/shared/catalogue.ts) is the one place presets, method ids, subsets, backends
// and method option defaults/ranges are written: the contract, the CLI, the trainer and the docs
// table must list exactly its values.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BACKEND_NAMES,
  LORA_RANGES,
  METHOD_IDS,
  METHOD_OPTIONS,
  METHOD_OPTION_KEYS,
  PRESETS,
  PRESET_SHAPES,
  RUN_DEFAULTS,
  RUN_OPTION_FLAGS,
  RUN_RANGES,
  TRAINING_SUBSETS,
  methodOptionKeys,
  methodOptionsTable,
  presetsTable,
  runOptionsTable,
  type OptionSpec,
} from '../../../src/shared/catalogue';
import { experimentSpecSchema } from '../../../src/shared/contract/experiments';
import { methodOptionsSchema, runSpecSchema } from '../../../src/shared/contract/runs';
import { trainCommand } from '../../../src/main/cli/commands/train';
import { UsageError } from '../../../src/main/cli/command';
import { defaultMethodConfig } from '../../../src/main/lab/training/methods';
import { presetConfig } from '../../../src/main/lab/training/model';
import { DEFAULT_METHOD_OPTIONS, optionsFor } from '../../../src/renderer/src/lib/runs/methods';

/** The values a `[--flag a|b|c]` (or `[--flag a|b | ...]`) of the usage line offers. */
function usageChoices(flag: string): string[] {
  const m = new RegExp(`\\[--${flag} ([^\\] ]+)[\\] ]`).exec(trainCommand.usage);
  if (!m) throw new Error(`--${flag} is not in the usage line`);
  return m[1]!.split('|');
}

interface Prop {
  enum?: string[];
  anyOf?: { enum?: string[] }[];
  items?: { enum?: string[] };
}
/** The JSON-schema view of a zod schema's properties (input side, so defaults are optional). */
function props(schema: z.ZodType): Record<string, Prop> {
  return (
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as unknown as { properties: Record<string, Prop> }
  ).properties;
}
const enumOf = (p: Prop | undefined): string[] | undefined => p?.enum ?? p?.anyOf?.find((a) => a.enum)?.enum;

describe('the catalogue', () => {
  it('the CLI usage offers exactly its values (all four --subset values among them)', () => {
    expect(usageChoices('subset')).toEqual([...TRAINING_SUBSETS]);
    expect(usageChoices('subset')).toHaveLength(4);
    expect(usageChoices('preset')).toEqual([...PRESETS]);
    expect(usageChoices('backend')).toEqual([...BACKEND_NAMES]);
    expect(trainCommand.usage).toContain(`--method ${METHOD_IDS.join('|')}`);
    for (const key of METHOD_OPTION_KEYS) {
      const o: OptionSpec = METHOD_OPTIONS[key];
      expect(Object.keys(trainCommand.options), key).toContain(o.flag);
      if (o.kind === 'choice') expect(usageChoices(o.flag), key).toEqual([...o.values]);
      else expect(trainCommand.usage, key).toContain(`[--${o.flag} `);
    }
    for (const [key, o] of Object.entries(RUN_OPTION_FLAGS)) {
      expect(Object.keys(trainCommand.options), key).toContain(o.flag);
      expect(trainCommand.usage, key).toContain(o.usage);
    }
  });

  it('the CLI checks option values against its ranges before anything starts', async () => {
    const run = (values: Record<string, string>): Promise<void> =>
      trainCommand.run({
        values: { dataset: 'd', method: 'pst', ...values },
        positionals: [],
        dataDir: '/nonexistent',
        json: false,
        io: { stdout: () => {}, stderr: () => {} },
      } as never);
    await expect(run({ tau: '0' })).rejects.toThrow(/--tau must be a number > 0 <= 10/);
    await expect(run({ k: '17' })).rejects.toThrow(/--k must be a whole number >= 1 <= 16/);
    await expect(run({ head: 'conv' })).rejects.toThrow(UsageError);
    await expect(run({ subset: 'verified-faithful', alpha: '1.5' })).rejects.toThrow(
      /--alpha must be a number >= 0 <= 1/,
    );
    await expect(run({ accumulate: '0' })).rejects.toThrow(/--accumulate must be a whole number >= 1 <= 1024/);
    await expect(run({ student: 's', 'lora-rank': '1025' })).rejects.toThrow(
      /--lora-rank must be a whole number >= 1 <= 1024/,
    );
    await expect(run({ student: 's', 'lora-rank': '8', 'lora-alpha': '0' })).rejects.toThrow(
      /--lora-alpha must be a number > 0/,
    );
    for (const p of ['1', '-0.1', 'half', ''])
      await expect(run({ student: 's', 'lora-rank': '8', 'lora-dropout': p })).rejects.toThrow(
        /^--lora-dropout must be a number >= 0 < 1, got/,
      );
    await expect(run({ student: 's', 'lora-dropout': '0.1' })).rejects.toThrow(/^--lora-dropout needs --lora-rank$/);
  });

  it('the contract lists exactly its values', () => {
    const run = props(runSpecSchema);
    expect(enumOf(run.subset)).toEqual([...TRAINING_SUBSETS]);
    expect(enumOf(run.method)).toEqual([...METHOD_IDS]);
    expect(enumOf(run.preset)).toEqual([...PRESETS]);
    expect(enumOf(run.backend)).toEqual([...BACKEND_NAMES]);
    const exp = props(experimentSpecSchema);
    expect(enumOf(exp.subset)).toEqual([...TRAINING_SUBSETS]);
    expect(exp.methods?.items?.enum).toEqual([...METHOD_IDS]);
    expect(enumOf(exp.preset)).toEqual([...PRESETS]);
    const opts = props(methodOptionsSchema);
    expect(Object.keys(opts)).toEqual(METHOD_OPTION_KEYS);
    for (const key of METHOD_OPTION_KEYS) {
      const o: OptionSpec = METHOD_OPTIONS[key];
      if (o.kind === 'choice') expect(enumOf(opts[key]), key).toEqual([...o.values]);
    }
    // Ranges: the bounds pass, just outside fails.
    for (const key of METHOD_OPTION_KEYS) {
      const o: OptionSpec = METHOD_OPTIONS[key];
      if (o.kind !== 'number') continue;
      const ok = (v: number): boolean => methodOptionsSchema.safeParse({ [key]: v }).success;
      expect(ok(o.max), `${key} max`).toBe(true);
      expect(ok(o.max + 1), `${key} above max`).toBe(false);
      expect(ok(o.min), `${key} min`).toBe(!o.exclusiveMin);
      expect(ok(o.min - 1), `${key} below min`).toBe(false);
    }
  });

  it('the contract checks the run options against its ranges (single runs and experiments)', () => {
    const base = { dataset: 1, method: 'pst' };
    const ok = (extra: Record<string, unknown>): boolean => runSpecSchema.safeParse({ ...base, ...extra }).success;
    const okExp = (extra: Record<string, unknown>): boolean =>
      experimentSpecSchema.safeParse({ name: 'e', dataset: 1, methods: ['pst'], budget: { steps: 10 }, ...extra })
        .success;
    for (const check of [ok, okExp]) {
      expect(check({ accumulate: RUN_RANGES.accumulate.max })).toBe(true);
      expect(check({ accumulate: RUN_RANGES.accumulate.max + 1 })).toBe(false);
      expect(check({ accumulate: RUN_RANGES.accumulate.min - 1 })).toBe(false);
      expect(check({ student: 's', lora: { rank: LORA_RANGES.rank.max } })).toBe(true);
      expect(check({ student: 's', lora: { rank: LORA_RANGES.rank.max + 1 } })).toBe(false);
      expect(check({ student: 's', lora: { rank: 8, alpha: LORA_RANGES.alpha.min } })).toBe(false);
      expect(check({ student: 's', lora: { rank: 8, dropout: LORA_RANGES.dropout.min } })).toBe(true);
      expect(check({ student: 's', lora: { rank: 8, dropout: 0.99 } })).toBe(true);
      expect(check({ student: 's', lora: { rank: 8, dropout: LORA_RANGES.dropout.max } })).toBe(false);
      expect(check({ student: 's', lora: { rank: 8, dropout: -0.01 } })).toBe(false);
      expect(check({ student: 's', lora: { rank: 8, dropout: '0.1' } })).toBe(false);
      expect(check({ student: 's', lora: { dropout: 0.1 } })).toBe(false);
      expect(
        check({
          student: 's',
          lora: { rank: 8, targets: Array.from({ length: LORA_RANGES.maxTargets }, (_, i) => `m${i}`) },
        }),
      ).toBe(true);
      expect(
        check({
          student: 's',
          lora: { rank: 8, targets: Array.from({ length: LORA_RANGES.maxTargets + 1 }, (_, i) => `m${i}`) },
        }),
      ).toBe(false);
    }
    // A refused LoRA dropout names its field; without a rank, the rank.
    const paths = (lora: unknown) =>
      runSpecSchema.safeParse({ ...base, student: 's', lora }).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ rank: 8, dropout: 1 })).toEqual(['lora.dropout']);
    expect(paths({ dropout: 0.1 })).toEqual(['lora.rank']);
    // encoderStudent: a trimmed non-empty name within the catalogue's length.
    expect(
      methodOptionsSchema.safeParse({ encoderStudent: 'x'.repeat(METHOD_OPTIONS.encoderStudent.maxLength) }).success,
    ).toBe(true);
    expect(
      methodOptionsSchema.safeParse({ encoderStudent: 'x'.repeat(METHOD_OPTIONS.encoderStudent.maxLength + 1) })
        .success,
    ).toBe(false);
    expect(methodOptionsSchema.safeParse({ encoderStudent: '  ' }).success).toBe(false);
  });

  it('the contract fills the catalogue run defaults', () => {
    const spec = runSpecSchema.parse({ dataset: 1, method: 'pst' });
    expect(spec).toMatchObject(RUN_DEFAULTS);
  });

  it('keeps every default the trainer had before it (results stay reproducible)', () => {
    // The values defaultMethodConfig wrote literally before the catalogue existed.
    expect(defaultMethodConfig('answer-only')).toEqual({ method: 'answer-only', answerTarget: 'gold' });
    expect(defaultMethodConfig('pre-thinking')).toEqual({ method: 'pre-thinking', answerTarget: 'gold' });
    expect(defaultMethodConfig('prefix')).toEqual({ method: 'prefix', answerTarget: 'gold', alpha: 0.5 });
    expect(defaultMethodConfig('post-thinking')).toEqual({
      method: 'post-thinking',
      answerTarget: 'gold',
      answerWeight: 1,
      rationaleWeight: 1,
    });
    expect(defaultMethodConfig('pst')).toEqual({
      method: 'pst',
      answerTarget: 'gold',
      encoder: 'self',
      selfSteps: 300,
      selfFrom: null,
      selfCheckpoint: null,
      encoderStudent: null,
      external: null,
      loss: 'infonce',
      tau: 0.1,
      head: 'linear',
      k: 1,
      lambda: 1,
      beta: 0,
      embedDim: 256,
    });
    expect(presetConfig('tiny', 100)).toEqual({
      layers: 2,
      width: 128,
      heads: 4,
      context: 256,
      dropout: 0.1,
      activation: 'gelu',
      vocabSize: 100,
    });
    expect(presetConfig('small', 100)).toMatchObject({ layers: 4, width: 256, heads: 4, context: 384 });
    expect(presetConfig('base', 100)).toMatchObject({ layers: 6, width: 384, heads: 6, context: 512 });
  });

  it('the trainer, the New run form and the catalogue agree on every method', () => {
    for (const m of METHOD_IDS) {
      const trainer = defaultMethodConfig(m) as unknown as Record<string, unknown>;
      const form = optionsFor(m, DEFAULT_METHOD_OPTIONS) as Record<string, unknown>;
      for (const [k, v] of Object.entries(form)) expect(trainer[k], `${m} ${k}`).toEqual(v);
      // selfFrom and encoderStudent have no default; selfCheckpoint and external are resolved from them.
      const keys = Object.keys(trainer).filter(
        (k) => !['method', 'selfFrom', 'selfCheckpoint', 'encoderStudent', 'external'].includes(k),
      );
      expect(keys.sort(), m).toEqual(
        methodOptionKeys(m)
          .filter((k) => k !== 'selfFrom' && k !== 'encoderStudent')
          .sort(),
      );
    }
  });

  it('docs/methods.md shows its tables', () => {
    const docs = readFileSync(path.join(__dirname, '../../../docs/methods.md'), 'utf8');
    expect(docs).toContain(methodOptionsTable());
    expect(docs).toContain(presetsTable());
    expect(docs).toContain(runOptionsTable());
    for (const p of PRESETS)
      expect(presetsTable()).toContain(`| ${PRESET_SHAPES[p].layers} | ${PRESET_SHAPES[p].width} |`);
  });
});
