// A pretrained student trained through the CLI (registry, LoRA with dropout, accumulation), its run record
// (file hashes, peak memory), and the round trip `runs export-student` (or its first name
// `students export`) -> register -> identical logits, checked against the PyTorch reference where
// python3-torch is installed (docs/methods.md, "Export").
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../src/main/lab/lab';
import { exportStudent } from '../../../src/main/lab/students/export';
import { loadStudent as loadFolder } from '../../../src/main/lab/students/folder';
import { resolveMethodConfig } from '../../../src/main/lab/training/methods';
import type { TrainExample } from '../../../src/main/lab/training/methods/types';
import { SPECIAL } from '../../../src/main/lab/training/tokenizer';
import { defaultTrainConfig, disposeStudent, loadStudent, train } from '../../../src/main/lab/training/trainer';
import type { RunDetail } from '../../../src/shared/types/runs';
import type { StudentDetail, StudentExport } from '../../../src/shared/types/students';
import { maxAbsDiff, referenceGate, torchForward, writeTinyModel } from '../../helpers/students';
import { cliIn, generateCoins } from '../../helpers/cli';
import { tempDir } from '../../helpers/tempLab';

const dataDir = tempDir();
const models = tempDir();
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(models, { recursive: true, force: true });
});

const cli = cliIn(dataDir);

/** Logits [rows, vocab] of a forward over ids (one sequence). */
async function logitsOf(
  fwd: (ids: tf.Tensor1D, b: number, t: number) => { logits: tf.Tensor2D | null },
  ids: number[],
): Promise<Float32Array> {
  const t = tf.tidy(() => fwd(tf.tensor1d(ids, 'int32'), 1, ids.length).logits!);
  const out = (await t.data()) as Float32Array;
  t.dispose();
  return out;
}

/** The trained checkpoint's logits and the exported folder's, for the same ids (markers included). */
async function compare(
  checkpoint: string,
  exported: string,
  text: number[],
): Promise<{ lab: Float32Array; diff: number; ids: number[] }> {
  const trained = loadStudent(checkpoint);
  const ids = [...text, trained.tokenizer.id(SPECIAL.SEP), ...text.slice(0, 2), trained.tokenizer.id(SPECIAL.EOS)];
  const lab = await logitsOf((i, b, t) => trained.net.forward(trained.params, i, b, t), ids);
  disposeStudent(trained);
  const folder = loadFolder(exported);
  const back = await logitsOf((i, b, t) => folder.forward(i, b, t), ids);
  folder.dispose();
  let diff = 0;
  for (let i = 0; i < lab.length; i++) diff = Math.max(diff, Math.abs(lab[i]! - back[i]!));
  expect(back.length).toBe(lab.length);
  return { lab, diff, ids };
}

const gpt2Dir = path.join(models, 'gpt2');
const llamaDir = path.join(models, 'llama');

beforeAll(async () => {
  await tf.setBackend('cpu');
  writeTinyModel(gpt2Dir, 'gpt2', { config: { n_positions: 512 } });
  writeTinyModel(llamaDir, 'llama', { config: { max_position_embeddings: 96 } });
  await generateCoins(dataDir, 30, 3);
});

describe('a pretrained student through the CLI, exported and read back', { timeout: 600_000 }, () => {
  it('gpt2 + PST + LoRA with dropout + accumulation: the run records the student and its hashes; the export reloads with identical logits', async () => {
    const added = await cli('students', 'add', gpt2Dir, '--name', 'tiny-gpt2', '--json');
    expect(added.code).toBe(0);
    const registered = JSON.parse(added.stdout) as StudentDetail;
    const t = await cli(
      'train',
      '--dataset',
      'coins',
      '--method',
      'pst',
      '--encoder',
      'hashed-tfidf',
      '--student',
      'tiny-gpt2',
      '--lora-rank',
      '2',
      '--lora-dropout',
      '0.1',
      '--lora-targets',
      'c_attn,c_fc',
      '--accumulate',
      '2',
      '--steps',
      '4',
      '--batch',
      '2',
      '--lr',
      '0.01',
      '--eval-every',
      '0',
      '--val-examples',
      '2',
      '--test-examples',
      '2',
      '--backend',
      'cpu',
      '--json',
    );
    expect(t.stderr).not.toMatch(/failed/);
    expect(t.code).toBe(0);
    const run = JSON.parse(t.stdout) as RunDetail;
    expect(run.status).toBe('completed');
    const start = (run.resolved as { start: Record<string, unknown> }).start;
    const student = start['modelConfig'] as {
      kind: string;
      name: string;
      family: string;
      dir: string;
      files: StudentDetail['files'];
      lora: unknown;
    };
    expect(student).toMatchObject({ kind: 'hf', name: 'tiny-gpt2', family: 'gpt2', dir: registered.dir });
    expect(student.lora).toEqual({ rank: 2, alpha: 2, dropout: 0.1, targets: ['c_attn', 'c_fc'] });
    // The SHA-256 of every file as registered (config, weights, tokenizer).
    expect(student.files).toEqual(registered.files);
    expect(student.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json']),
    );
    expect(start['effectiveBatch']).toBe(4);
    expect(start['trainableParameters'] as number).toBeLessThan(start['parameters'] as number);
    expect((run.final as { peakRssBytes: number }).peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
    const shown = await cli('runs', 'show', String(run.id));
    expect(shown.stdout).toMatch(/student\s+tiny-gpt2 \(GPT2LMHeadModel/);
    expect(shown.stdout).toMatch(/LoRA rank 2 alpha 2 dropout 0\.1 on c_attn,c_fc/);
    expect(shown.stdout).toMatch(/effective batch\s+2 x 2 = 4/);
    expect(shown.stdout).toMatch(/peak memory\s+\d+ MiB/);

    const out = path.join(models, 'exported-gpt2');
    const ex = await cli('runs', 'export-student', String(run.id), '--out', out, '--json');
    expect(ex.stderr).toBe('');
    expect(ex.code).toBe(0);
    const exported = JSON.parse(ex.stdout) as StudentExport;
    expect(exported.files.map((f) => f.name)).toEqual([
      'README.md',
      'config.json',
      'model.safetensors',
      'tokenizer.json',
    ]);
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toMatch(/method: pst/);
    // It is a valid student folder again: the registry accepts it.
    expect((await cli('students', 'add', out, '--name', 'tiny-gpt2-pst', '--json')).code).toBe(0);
    // A second export to the same folder is refused and leaves it as it was.
    expect((await cli('runs', 'export-student', String(run.id), '--out', out)).code).not.toBe(0);
    // `students export` is the same command under its first name: the same files (the README's
    // title is the folder's name).
    const alias = await cli('students', 'export', String(run.id), '--out', path.join(models, 'alias'), '--json');
    expect(alias.code).toBe(0);
    const model = (e: StudentExport) => e.files.filter((f) => f.name !== 'README.md');
    expect(model(JSON.parse(alias.stdout) as StudentExport)).toEqual(model(exported));
    expect((await cli('runs', 'export-student', '--help')).stdout).toMatch(
      /^usage: pst-lab runs export-student RUN --out DIR/,
    );
    // The run page's button (serve mode, paths confined to the data folder): without `out` each
    // export goes to a new folder under exports/students; a folder outside is refused.
    const served = Lab.open({ dataDir, runtime: 'serve' });
    try {
      const dirs: string[] = [];
      for (let i = 0; i < 2; i++) {
        const r = await served.dispatch('students.export', { run: run.id });
        if (!r.ok) throw new Error(r.error.message);
        dirs.push((r.value as StudentExport).dir);
      }
      const base = path.join(fs.realpathSync(dataDir), 'exports', 'students', `run-${run.id}`);
      expect(dirs.map((d) => fs.realpathSync(d))).toEqual([base, `${base}-2`]);
      expect(fs.readdirSync(dirs[1]!).sort()).toEqual(exported.files.map((f) => f.name));
      const outside = await served.dispatch('students.export', { run: run.id, out: path.join(models, 'elsewhere') });
      expect(outside.ok ? null : outside.error.code).toBe('FORBIDDEN');
      expect(fs.existsSync(path.join(models, 'elsewhere'))).toBe(false);
    } finally {
      served.close();
    }

    const { lab, diff, ids } = await compare(exported.checkpoint, out, [40, 71, 72, 12, 99]);
    expect(diff).toBeLessThan(1e-5);
    const gate = referenceGate();
    if (!gate.skip) {
      // float64 PyTorch forward of the exported folder vs the lab's f32 logits of the trained run.
      const [ref] = torchForward([{ dir: out, ids: [ids] }]);
      expect(maxAbsDiff(lab, ref!.logits)).toBeLessThan(1e-4);
    }
  });

  it('llama (untied head) full fine-tuning, trained in process: export merges the marker rows of both tables', async () => {
    const runDir = path.join(models, 'llama-run');
    const examples: TrainExample[] = Array.from({ length: 6 }, (_, i) => ({
      id: String(i),
      question: `${i} plus 1?`,
      answer: String(i + 1),
      answerType: 'number',
      choices: null,
      rationale: `${i} and 1 make ${i + 1}.`,
    }));
    const cfg = defaultTrainConfig(resolveMethodConfig({ method: 'post-thinking' }), {
      steps: 3,
      batchSize: 3,
      lr: 1e-2,
      warmupSteps: 0,
      evalEvery: 0,
      valMaxExamples: 1,
      checkpointEvery: 0,
      student: { dir: llamaDir, name: null, files: null, lora: null },
    });
    await train({ config: cfg, train: examples, val: examples.slice(0, 2), runDir });
    const out = path.join(models, 'exported-llama');
    const r = await exportStudent(path.join(runDir, 'last'), out, { about: [['method', 'post-thinking']] });
    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as {
      vocab_size: number;
      tie_word_embeddings: boolean;
    };
    expect(config.tie_word_embeddings).toBe(false);
    expect(config.vocab_size).toBe(r.vocabSize);
    const tokenizer = JSON.parse(fs.readFileSync(path.join(out, 'tokenizer.json'), 'utf8')) as {
      added_tokens: { id: number; content: string }[];
    };
    expect(tokenizer.added_tokens.map((t) => t.content)).toEqual(expect.arrayContaining(['<sep>', '<rat>', '<eos>']));
    const { lab, diff, ids } = await compare(path.join(runDir, 'last'), out, [40, 71, 72, 12]);
    expect(diff).toBeLessThan(1e-5);
    const gate = referenceGate();
    if (!gate.skip) {
      const [ref] = torchForward([{ dir: out, ids: [ids] }]);
      expect(maxAbsDiff(lab, ref!.logits)).toBeLessThan(1e-4);
    }
  });
});
