// Hidden confounds between the cells of a comparison (docs/methods.md, "Vocabulary" and "Random
// streams"): the vocabulary and every initial weight must not depend on the rationale text, so a
// method that never reads rationales trains identically at every hallucination rate.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/lab/compute/backends';
import { resolveMethodConfig, type TrainExample } from '../../../src/main/lab/training/methods';
import { createParams, initialValues, presetConfig } from '../../../src/main/lab/training/model';
import { buildTokenizer, validationSample } from '../../../src/main/lab/training/data';
import { evaluateExamples } from '../../../src/main/lab/training/evaluate';
import { createMethod } from '../../../src/main/lab/training/methods';
import { BASE_CHARACTERS, CharTokenizer, SPECIAL, semToken } from '../../../src/main/lab/training/tokenizer';
import { batchStartPosition, defaultTrainConfig, train } from '../../../src/main/lab/training/trainer';
import { loadCheckpoint } from '../../../src/main/lab/training/checkpoint';
import { charNet } from '../../../src/main/lab/training/student';
import { generateSynthetic } from '../../../src/main/lab/synthetic';

beforeAll(async () => {
  expect((await initBackend('wasm')).name).toBe('wasm');
});

/** A generated dataset as the trainer sees it (first completion), cut into train / val. */
function generated(rate: number): { train: TrainExample[]; val: TrainExample[] } {
  const all = generateSynthetic({
    task: 'coin_flip',
    n: 60,
    seed: 11,
    hallucinationRate: rate,
    keepAnswerCorrect: false,
    minSize: 2,
    maxSize: 3,
  }).map((e, i): TrainExample => ({
    id: String(i),
    question: e.question,
    answer: e.answer,
    answerType: e.answerType,
    choices: e.choices,
    rationale: e.completions[0]?.rationale ?? null,
    teacherAnswer: e.completions[0]?.teacherAnswer ?? null,
  }));
  return { train: all.slice(0, 48), val: all.slice(48) };
}

describe('fixed vocabulary', () => {
  it('gives every base character the same id whatever the data, extra characters or SEM tokens', () => {
    const plain = CharTokenizer.fromTexts(['yes'], 0);
    const wide = CharTokenizer.fromTexts(['yes', 'naïve €'], 4);
    for (const ch of BASE_CHARACTERS) expect(wide.encode(ch)).toEqual(plain.encode(ch));
    // Extra characters and SEM tokens only append ids.
    expect(wide.vocab.slice(0, plain.size)).toEqual(plain.vocab);
    expect(wide.vocab.slice(plain.size)).toEqual(['ï', '€', semToken(1), semToken(2), semToken(3), semToken(4)]);
    expect(wide.isSpecial(wide.id(semToken(2)))).toBe(true);
    expect(wide.isSpecial(wide.encode('ï')[0]!)).toBe(false);
    expect(wide.decode(wide.encode('a€'), true)).toBe('a€');
    expect(plain.decode(plain.encode('€'))).toBe(SPECIAL.UNK);
  });

  it('is the same at hallucination rates 0 and 0.6 although the injected text adds characters', () => {
    const clean = generated(0);
    const noisy = generated(0.6);
    const chars = (xs: TrainExample[]) => new Set(xs.flatMap((x) => [...(x.rationale ?? '')]));
    const cleanChars = chars(clean.train);
    // Precondition: a vocabulary learned from the rationales would differ between the rates.
    expect([...chars(noisy.train)].some((ch) => !cleanChars.has(ch))).toBe(true);
    const method = createMethod(resolveMethodConfig({ method: 'answer-only' }));
    expect(buildTokenizer(noisy.train, method).vocab).toEqual(buildTokenizer(clean.train, method).vocab);
  });
});

describe('per-parameter initial streams', () => {
  it('a longer vocabulary appends rows to wte and leaves every other initial value unchanged', () => {
    const small = initialValues(presetConfig('tiny', 100, { layers: 1, width: 16, heads: 2, context: 32 }), 5);
    const large = initialValues(presetConfig('tiny', 140, { layers: 1, width: 16, heads: 2, context: 48 }), 5);
    for (const [name, v] of small) {
      if (name === 'wte' || name === 'wpe')
        expect(Array.from(large.get(name)!.subarray(0, v.length))).toEqual(Array.from(v));
      else expect(Array.from(large.get(name)!)).toEqual(Array.from(v));
    }
    const otherSeed = initialValues(presetConfig('tiny', 100, { layers: 1, width: 16, heads: 2, context: 32 }), 6);
    expect(Array.from(otherSeed.get('h.0.attn.c_attn.weight')!)).not.toEqual(
      Array.from(small.get('h.0.attn.c_attn.weight')!),
    );
    // Different parameters of one shape are different draws.
    expect(Array.from(small.get('h.0.attn.c_proj.weight')!)).not.toEqual(
      Array.from(small.get('h.0.mlp.c_fc.weight')!.subarray(0, 256)),
    );
  });
});

describe('answer-only across hallucination rates', () => {
  it('gives identical per-step losses on generated datasets of one seed at rates 0 and 0.6', async () => {
    const config = defaultTrainConfig(resolveMethodConfig({ method: 'answer-only', answerTarget: 'gold' }), {
      steps: 10,
      batchSize: 8,
      lr: 3e-3,
      warmupSteps: 2,
      evalEvery: 5,
      valMaxExamples: 4,
      checkpointEvery: 0,
      seed: 3,
      model: { layers: 1, width: 16, heads: 2, context: 96, dropout: 0.1 },
    });
    const run = async (rate: number) => {
      const d = generated(rate);
      const vals: (number | null)[] = [];
      const res = await train({
        config,
        train: d.train,
        val: d.val,
        runDir: null,
        hooks: { onValidation: (v) => void vals.push(v.valLoss) },
      });
      return { losses: res.losses, vals };
    };
    const a = await run(0);
    const b = await run(0.6);
    expect(a.losses).toHaveLength(10);
    expect(b.losses).toEqual(a.losses);
    expect(b.vals).toEqual(a.vals);
  });
});

describe('checkpoint selection and answer metrics', () => {
  it('validates on the whole split when small, else on a sample stratified by answer (not storage order)', () => {
    const ex = (i: number, answer: string): TrainExample => ({
      id: String(i),
      question: `q${i}`,
      answer,
      answerType: 'yesno',
      choices: null,
      rationale: null,
    });
    // Storage order puts every "yes" first: the first 10 would all be "yes".
    const val = [
      ...Array.from({ length: 70 }, (_, i) => ex(i, 'yes')),
      ...Array.from({ length: 30 }, (_, i) => ex(70 + i, 'no')),
    ];
    expect(validationSample(val, 100)).toEqual(val);
    const s = validationSample(val, 10);
    expect(s).toHaveLength(10);
    expect(s.filter((e) => e.answer === 'no')).toHaveLength(3);
    expect(s.map((e) => e.id)).not.toEqual(val.slice(0, 10).map((e) => e.id));
    expect(validationSample(val, 10)).toEqual(s);
  });

  it('tokens to answer averages only outputs with an answer; the no-answer share is its own figure', async () => {
    const method = createMethod(resolveMethodConfig({ method: 'pre-thinking' }));
    const tok = CharTokenizer.fromTexts([], 0);
    const config = presetConfig('tiny', tok.size, { layers: 1, width: 16, heads: 2, context: 48, dropout: 0 });
    const params = createParams(config, initialValues(config, 2));
    const { train: examples } = generated(0);
    const ev = await evaluateExamples({ params, net: charNet(config), tokenizer: tok, method }, examples.slice(0, 6));
    for (const v of Object.values(params)) v.dispose();
    const answered = ev.results.filter((r) => r.prediction !== null);
    // An untrained pre-thinking student rarely reaches ANS: most outputs have no answer.
    expect(answered.length).toBeLessThan(ev.results.length);
    expect(ev.noAnswerShare).toBeCloseTo((ev.results.length - answered.length) / ev.results.length);
    expect(ev.meanTokensToAnswer).toBe(
      answered.length ? answered.reduce((a, r) => a + r.tokensToAnswer, 0) / answered.length : null,
    );
  });
});

describe('random start positions', () => {
  it('draws a start in 0..context-time from the step stream, and 0 when off', () => {
    const on = { seed: 4, randomPositions: true };
    const starts = Array.from({ length: 200 }, (_, step) => batchStartPosition(on, step, 96, 40));
    expect(Math.min(...starts)).toBe(0);
    expect(Math.max(...starts)).toBe(56);
    expect(new Set(starts).size).toBeGreaterThan(40);
    expect(Array.from({ length: 200 }, (_, step) => batchStartPosition(on, step, 96, 40))).toEqual(starts);
    expect(batchStartPosition({ seed: 4 }, 7, 96, 40)).toBe(0);
    expect(batchStartPosition(on, 7, 40, 40)).toBe(0);
  });

  it('trains position rows beyond the longest training sequence only when on', async () => {
    const d = generated(0);
    const context = 160;
    const run = async (randomPositions: boolean) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pst-lab-positions-'));
      const config = defaultTrainConfig(resolveMethodConfig({ method: 'answer-only', answerTarget: 'gold' }), {
        steps: 12,
        batchSize: 8,
        lr: 1e-2,
        warmupSteps: 1,
        evalEvery: 0,
        valMaxExamples: 4,
        checkpointEvery: 0,
        seed: 3,
        model: { layers: 1, width: 16, heads: 2, context, dropout: 0 },
        randomPositions,
      });
      const res = await train({ config, train: d.train, val: d.val, runDir: dir });
      const wpe = loadCheckpoint(path.join(dir, 'last')).weights.get('wpe')!.data as Float32Array;
      fs.rmSync(dir, { recursive: true, force: true });
      return { res, wpe };
    };
    const init = initialValues(presetConfig('tiny', 1, { layers: 1, width: 16, heads: 2, context }), 3).get('wpe')!;
    const off = await run(false);
    const on = await run(true);
    // Answer-only sequences are far shorter than 150 tokens: the last 10 rows are never a position
    // of a training token unless the start moves.
    const lastRowsChange = (w: Float32Array) => Math.max(...Array.from(w.subarray(150 * 16), (v, i) => Math.abs(v - init[150 * 16 + i]!)));
    const offChange = lastRowsChange(off.wpe);
    expect(offChange).toBeLessThan(1e-3); // weight decay only
    expect(lastRowsChange(on.wpe)).toBeGreaterThan(Math.max(2e-3, 10 * offChange)); // gradient updates
    expect(on.res.losses).not.toEqual(off.res.losses);
  }, 240_000);
});
