// Training pretrained students (docs/methods.md, "Training a pretrained student"): every method on
// tiny random GPT-2 and Llama folders built here, the marker tokenizer, LoRA (step 0 = the base
// model, only adapters train), LoRA dropout, gradient accumulation, and the memory refusal.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectStudentFolder } from '../../../src/main/lab/students/folder';
import { pretrainedNet } from '../../../src/main/lab/students/trainable';
import { loadCheckpoint } from '../../../src/main/lab/training/checkpoint';
import { resolveMethodConfig, type MethodId } from '../../../src/main/lab/training/methods';
import { gptActivationFloats } from '../../../src/main/lab/training/model';
import { Rng } from '../../../src/main/lab/training/rng';
import type { TrainExample } from '../../../src/main/lab/training/methods/types';
import { createNetParams, parameterCounts } from '../../../src/main/lab/training/student';
import { SPECIAL, semToken } from '../../../src/main/lab/training/tokenizer';
import {
  checkTrainingMemory,
  defaultTrainConfig,
  disposeStudent,
  explainWasmMemory,
  loadStudent,
  train,
} from '../../../src/main/lab/training/trainer';
import { perturbed, writeTinyModel } from '../../helpers/students';
import { tempDir } from '../../helpers/tempLab';

const root = tempDir();
const gpt2Dir = path.join(root, 'gpt2');
const llamaDir = path.join(root, 'llama');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  await tf.setBackend('cpu');
  writeTinyModel(gpt2Dir, 'gpt2', { config: { n_positions: 96 } });
  writeTinyModel(llamaDir, 'llama', { config: { max_position_embeddings: 96 } });
});

/** A small memorisable set: sums with their one-line rationale. */
function examples(n: number, offset = 0): TrainExample[] {
  return Array.from({ length: n }, (_, i) => {
    const a = (i + offset) % 7;
    const b = (i * 3 + offset) % 5;
    return {
      id: String(i + offset),
      question: `${a} plus ${b}?`,
      answer: String(a + b),
      answerType: 'number' as const,
      choices: null,
      rationale: `${a} and ${b} make ${a + b}.`,
    };
  });
}

const METHODS: MethodId[] = ['answer-only', 'pre-thinking', 'prefix', 'post-thinking', 'pst'];

function config(method: MethodId, dir: string, extra: Record<string, unknown> = {}) {
  const options = method === 'pst' ? { selfSteps: 3 } : {};
  return defaultTrainConfig(resolveMethodConfig({ method, ...options }), {
    steps: 10,
    batchSize: 4,
    lr: 1e-2,
    warmupSteps: 0,
    evalEvery: 0,
    valMaxExamples: 2,
    checkpointEvery: 0,
    student: { dir, name: null, files: null, lora: null },
    ...extra,
  });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('every method trains a pretrained student', { timeout: 900_000 }, () => {
  for (const [family, dir] of [
    ['gpt2', gpt2Dir],
    ['llama', llamaDir],
  ] as const) {
    for (const method of METHODS) {
      it(`${family} / ${method}: finite losses that fall on a memorisable set`, async () => {
        const r = await train({ config: config(method, dir), train: examples(8), val: examples(2, 20), runDir: null });
        expect(r.losses).toHaveLength(10);
        for (const l of r.losses) expect(Number.isFinite(l)).toBe(true);
        expect(mean(r.losses.slice(-3))).toBeLessThan(mean(r.losses.slice(0, 3)));
        expect(r.modelConfig).toMatchObject({ kind: 'hf', family, dir });
      });
    }
  }
});

describe('markers, LoRA and accumulation', { timeout: 900_000 }, () => {
  it('markers are one id each after the embedding rows, never produced by text', () => {
    const folder = inspectStudentFolder(gpt2Dir, { hash: false });
    const { tokenizer: tok, net } = pretrainedNet({ folder, name: null, semTokens: 2 });
    const base = folder.summary.vocabSize;
    expect(tok.id(SPECIAL.SEP)).toBe(base);
    expect(tok.id(semToken(2))).toBe(tok.size - 1);
    expect(net.vocabSize).toBe(base + 6 + 2);
    expect(tok.pad).toBe(tok.id(SPECIAL.EOS));
    // The marker's name as text is ordinary text for the folder's tokenizer.
    expect(tok.encode('<sep>').every((id) => id < base)).toBe(true);
    expect(tok.decode([...tok.encode('2 plus 3'), tok.id(SPECIAL.ANS), ...tok.encode('5')])).toBe('2 plus 3<ans>5');
    expect(tok.decode([...tok.encode('5'), tok.id(SPECIAL.EOS)], true)).toBe('5');
  });

  for (const [family, dir, targets] of [
    ['gpt2', gpt2Dir, ['c_attn', 'c_fc']],
    ['llama', llamaDir, ['q_proj', 'k_proj', 'v_proj', 'o_proj']],
  ] as const) {
    it(`${family}: LoRA starts as the base model (B = 0) and trains only adapters and marker rows`, async () => {
      const folder = inspectStudentFolder(dir, { hash: false });
      const plain = pretrainedNet({ folder, name: null, semTokens: 1 }).net;
      const lora = { rank: 2, alpha: 4, targets: [...targets] };
      const adapted = pretrainedNet({ folder, name: null, semTokens: 1, lora }).net;
      const p0 = createNetParams(plain, plain.initialValues(5), 'a/');
      const p1 = createNetParams(adapted, adapted.initialValues(5), 'b/');
      const ids = tf.tensor1d([3, 70, 12, 264, 9, 40], 'int32');
      const [l0, l1] = [plain.forward(p0, ids, 2, 3).logits!, adapted.forward(p1, ids, 2, 3).logits!];
      expect(Array.from(await tf.sub(l0, l1).abs().max().data())[0]).toBe(0);
      [p0, p1].forEach((p) => Object.values(p).forEach((v) => v.dispose()));
      const counts = parameterCounts(adapted);
      const adapters = adapted.parameterShapes().filter((s) => /lora_[AB]$/.test(s.name));
      expect(adapters.length).toBe(2 * 2 * targets.length); // 2 layers x (A, B) x targets
      expect(counts.trainable).toBe(
        adapted
          .parameterShapes()
          .filter((s) => s.trainable)
          .reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0),
      );
      expect(counts.trainable).toBeLessThan(counts.total / 4);
      expect(
        adapted
          .parameterShapes()
          .filter((s) => s.trainable)
          .every((s) => /lora_[AB]$|\.added$/.test(s.name)),
      ).toBe(true);
    });
  }

  it('a LoRA run keeps the base weights frozen: its checkpoint holds adapters, marker rows and the PST head only', async () => {
    const runDir = path.join(root, 'lora-run');
    const lora = { rank: 2, alpha: 2, targets: ['q_proj', 'v_proj'] };
    const cfg = config('pst', llamaDir, {
      steps: 4,
      student: { dir: llamaDir, name: null, files: null, lora },
    });
    const r = await train({ config: cfg, train: examples(8), val: examples(2, 20), runDir });
    for (const l of r.losses) expect(Number.isFinite(l)).toBe(true);
    const ck = loadCheckpoint(path.join(runDir, 'last'));
    const names = [...ck.weights.keys()];
    expect(names.every((n) => /lora_[AB]$|\.added$|^sem_proj\./.test(n))).toBe(true);
    expect(names.some((n) => n.endsWith('lora_B'))).toBe(true);
    // B moved away from zero: the adapters did train.
    const b = ck.weights.get('model.layers.0.self_attn.q_proj.lora_B')!.data as Float32Array;
    expect(b.some((x) => x !== 0)).toBe(true);
  });

  it('accumulate N: the effective batch is recorded and losses stay finite', async () => {
    let effective = 0;
    const r = await train({
      config: config('answer-only', gpt2Dir, { steps: 3, batchSize: 2, accumulate: 3 }),
      train: examples(8),
      val: examples(2, 20),
      runDir: null,
      hooks: { onStart: (i) => void (effective = i.effectiveBatch) },
    });
    expect(effective).toBe(6);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(r.peakRssBytes).toBeGreaterThan(0);
  });

  it('accumulate 1 is exactly the plain step (same losses as without the option)', async () => {
    const a = await train({
      config: config('answer-only', gpt2Dir, { steps: 3 }),
      train: examples(8),
      val: examples(2, 20),
      runDir: null,
    });
    const b = await train({
      config: config('answer-only', gpt2Dir, { steps: 3, accumulate: 1 }),
      train: examples(8),
      val: examples(2, 20),
      runDir: null,
    });
    expect(b.losses).toEqual(a.losses);
  });

  it('resumes and evaluates with the student folder somewhere else (a queue worker finds it by its hashes)', async () => {
    const data = { train: examples(8), val: examples(2, 20) };
    const cfg = (dir: string) =>
      config('answer-only', dir, {
        steps: 6,
        evalEvery: 3,
        student: { dir, name: null, files: null, lora: { rank: 2, alpha: 2, targets: ['c_attn'] } },
      });
    const whole = await train({ config: cfg(gpt2Dir), ...data, runDir: null });
    const here = path.join(root, 'gpt2-here');
    const there = path.join(root, 'gpt2-there');
    fs.cpSync(gpt2Dir, here, { recursive: true });
    const runDir = path.join(root, 'moved-run');
    let seen = 0;
    const first = await train({
      config: cfg(here),
      ...data,
      runDir,
      hooks: { onStep: () => void seen++, shouldCancel: () => seen >= 4 },
    });
    expect(first.status).toBe('cancelled');
    // The folder the checkpoints name is gone; the same files are at another path.
    fs.renameSync(here, there);
    const second = await train({ config: cfg(there), ...data, runDir, resume: true });
    expect(second.status).toBe('completed');
    expect([...first.losses, ...second.losses]).toEqual(whole.losses);
    // Evaluation loads the checkpoint with the run's own folder, wherever the checkpoint's is.
    const best = second.bestCheckpoint ?? second.lastCheckpoint!;
    const moved = path.join(root, 'gpt2-moved-again');
    fs.renameSync(there, moved);
    expect(() => loadStudent(best)).toThrow(/gpt2-there/);
    disposeStudent(loadStudent(best, moved));
  });

  it('wasm: a student too large for 4 GiB is refused naming the memory it needs', () => {
    const folder = inspectStudentFolder(gpt2Dir, { hash: false });
    const { net } = pretrainedNet({ folder, name: null, semTokens: 0 });
    // Views shaped like GPT-2 124M (12 x 768, 50,257 + 6 rows): full fine-tuning, and LoRA rank 8
    // on c_attn (0.3M trainable), as measured on wasm (docs/methods.md): full fine-tuning ran out
    // of memory at batch 1 x 32, LoRA runs at 1 x 32 and 4 x 64.
    const shaped = (trainable: number) => ({
      ...net,
      layers: 12,
      width: 768,
      heads: 12,
      vocabSize: 50_263,
      activationFloats: (time: number) => gptActivationFloats(768, 3072, 12, time),
      parameterShapes: () => [
        { name: 'base', shape: [124_440_000, 1], trainable: trainable === 0 },
        { name: 'adapters', shape: [Math.max(trainable, 1), 1], trainable: true },
      ],
    });
    const full = shaped(0);
    const lora = shaped(300_000);
    expect(() => checkTrainingMemory(full, 1, 32, 'wasm')).toThrow(
      /needs about \d+\.\d\d GiB of tensor memory.*packed and transposed copies.*wasm backend's 4\.00 GiB/,
    );
    expect(() => checkTrainingMemory(lora, 1, 32, 'wasm')).not.toThrow();
    // With frozen weights packed twice, not transposed afresh: 4 x 64 now fits (measured), 8 x 128 not.
    expect(() => checkTrainingMemory(lora, 4, 64, 'wasm')).not.toThrow();
    expect(() => checkTrainingMemory(lora, 8, 128, 'wasm')).toThrow(/LoRA \(--lora-rank\), a smaller batch/);
    expect(() => checkTrainingMemory(net, 8, 64, 'wasm')).not.toThrow();
    expect(() => checkTrainingMemory(full, 8, 256, 'tensorflow')).not.toThrow();
  });

  it('wasm: running out of heap mid-step is explained, other errors pass through', () => {
    const oom = explainWasmMemory(
      new Error('memory access out of bounds'),
      'wasm',
      'at step 3 (batch 4 x up to 64 tokens)',
    );
    expect(String(oom)).toMatch(
      /^Error: the wasm backend ran out of memory \(its heap holds at most 4 GiB\) at step 3 .*--lora-rank.*wasm said: memory access out of bounds/,
    );
    const other = new Error('loss became NaN at step 3');
    expect(explainWasmMemory(other, 'wasm', 'x')).toBe(other);
    const cpu = new Error('memory access out of bounds');
    expect(explainWasmMemory(cpu, 'cpu', 'x')).toBe(cpu);
  });
});

describe('LoRA dropout', { timeout: 900_000 }, () => {
  const data = { train: examples(8), val: examples(2, 20) };
  const lora = (dir: string, targets: string[], dropout?: number, extra: Record<string, unknown> = {}) =>
    config('answer-only', dir, {
      steps: 4,
      ...extra,
      student: {
        dir,
        name: null,
        files: null,
        lora: { rank: 2, alpha: 4, targets, ...(dropout !== undefined ? { dropout } : {}) },
      },
    });

  it('P = 0 draws no mask: exactly the losses of LoRA without the option', async () => {
    // GPT-2 draws its own dropout masks from the same stream, so a P = 0 run that drew any mask
    // for the adapters would shift them and change the losses.
    const before = await train({ config: lora(gpt2Dir, ['c_attn']), ...data, runDir: null });
    const zero = await train({ config: lora(gpt2Dir, ['c_attn'], 0), ...data, runDir: null });
    expect(zero.losses).toEqual(before.losses);
  });

  for (const [family, dir, targets] of [
    ['gpt2', gpt2Dir, ['c_attn', 'c_proj', 'c_fc']],
    ['llama', llamaDir, ['q_proj', 'v_proj', 'o_proj', 'down_proj']],
  ] as const) {
    it(`${family}: the adapters' own path without dropout equals the merged forward`, async () => {
      const folder = inspectStudentFolder(dir, { hash: false });
      const lora = { rank: 2, alpha: 4, targets: [...targets], dropout: 0.5 };
      const { net } = pretrainedNet({ folder, name: null, semTokens: 1, lora });
      // Every trainable value nudged (B is 0 at the start); the same values with B = 0 again.
      const values = perturbed(net, 4);
      const params = createNetParams(net, values, 'd/');
      for (const [n, v] of values) if (n.endsWith('lora_B')) values.set(n, new Float32Array(v.length));
      const withoutB = createNetParams(net, values, 'e/');
      const ids = tf.tensor1d([3, 70, 12, folder.summary.vocabSize, 9, 40], 'int32');
      const diff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.sub(a, b).abs().max().dataSync()[0]!);
      const merged = net.forward(params, ids, 2, 3).logits!;
      const separate = net.forwardLora(params, ids, 2, 3).logits!;
      const unadapted = net.forward(withoutB, ids, 2, 3).logits!;
      expect(diff(merged, unadapted)).toBeGreaterThan(1e-2);
      expect(diff(separate, merged)).toBeLessThan(1e-5);
      // With a dropout stream (training) the forward takes the adapters' path, masks and all.
      const rng = new Rng(1);
      const trainingFwd = net.forward(params, ids, 2, 3, { dropout: { rate: 0, rng } }).logits!;
      expect(diff(trainingFwd, merged)).toBeGreaterThan(1e-3);
      [merged, separate, unadapted, trainingFwd, ids].forEach((t) => t.dispose());
      [params, withoutB].forEach((p) => Object.values(p).forEach((v) => v.dispose()));
    });
  }

  it('training with P > 0 is deterministic per seed and differs from P = 0', async () => {
    // Llama has no dropout of its own: any difference is the adapters' dropout.
    const targets = ['q_proj', 'v_proj'];
    const zero = await train({ config: lora(llamaDir, targets), ...data, runDir: null });
    const a = await train({ config: lora(llamaDir, targets, 0.3), ...data, runDir: null });
    const b = await train({ config: lora(llamaDir, targets, 0.3), ...data, runDir: null });
    expect(b.losses).toEqual(a.losses);
    // Step 0 has B = 0: the adapters add exactly nothing, dropped or not.
    expect(a.losses[0]).toBe(zero.losses[0]);
    // Later steps differ by the masks, far beyond the separate path's rounding (~1e-6).
    expect(Math.max(...a.losses.map((l, i) => Math.abs(l - zero.losses[i]!)))).toBeGreaterThan(1e-3);
    expect(a.modelConfig).toMatchObject({ lora: { rank: 2, alpha: 4, dropout: 0.3, targets } });
  });

  it('a run with P > 0 resumes exactly', async () => {
    const cfg = lora(gpt2Dir, ['c_attn', 'c_fc'], 0.2, { steps: 6, evalEvery: 3 });
    const whole = await train({ config: cfg, ...data, runDir: null });
    const runDir = path.join(root, 'lora-dropout-run');
    let seen = 0;
    const first = await train({
      config: cfg,
      ...data,
      runDir,
      hooks: { onStep: () => void seen++, shouldCancel: () => seen >= 4 },
    });
    expect(first.status).toBe('cancelled');
    const second = await train({ config: cfg, ...data, runDir, resume: true });
    expect(second.status).toBe('completed');
    expect([...first.losses, ...second.losses]).toEqual(whole.losses);
  });

  it('a rate outside [0, 1) is refused naming the field', () => {
    const folder = inspectStudentFolder(gpt2Dir, { hash: false });
    for (const dropout of [1, -0.1, Number.NaN])
      expect(() =>
        pretrainedNet({ folder, name: null, semTokens: 1, lora: { rank: 2, alpha: 2, targets: ['c_attn'], dropout } }),
      ).toThrow(/^loraDropout must be in \[0, 1\)/);
  });
});
