// Greedy decoding of pretrained students with the weights prepared once per decoding
// (StudentNet.prepareDecoding: LoRA merged, marker rows appended, output table transposed) picks
// the same tokens as decoding by repeated full forward passes over the growing sequence with no
// cache and nothing prepared, and leaves no tensor behind. The char GPT's prepared table too.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectStudentFolder } from '../../../src/main/lab/students/folder';
import { pretrainedNet } from '../../../src/main/lab/students/trainable';
import { greedyDecode } from '../../../src/main/lab/training/generate';
import { initialValues, presetConfig } from '../../../src/main/lab/training/model';
import type { Params } from '../../../src/main/lab/training/model';
import { charNet, createNetParams, type StudentNet } from '../../../src/main/lab/training/student';
import { perturbed, writeTinyModel } from '../../helpers/students';
import { tempDir } from '../../helpers/tempLab';

const root = tempDir();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Greedy tokens by full forward passes over the whole sequence, nothing cached or prepared. */
async function referenceDecode(net: StudentNet, params: Params, prompt: number[], n: number): Promise<number[]> {
  const seq = [...prompt];
  for (let i = 0; i < n; i++) {
    const next = tf.tidy(() => {
      const logits = net.forward(params, tf.tensor1d(seq, 'int32'), 1, seq.length).logits!;
      return tf.argMax(tf.slice(logits, [seq.length - 1, 0], [1, logits.shape[1]]), 1);
    });
    seq.push((await next.data())[0]!);
    next.dispose();
  }
  return seq.slice(prompt.length);
}

/** greedyDecode's tokens equal the reference's, it leaves no tensor behind; disposes the parameters. */
async function expectSameDecode(net: StudentNet, params: Params, prompt: number[], n: number): Promise<void> {
  const want = await referenceDecode(net, params, prompt, n);
  const before = tf.memory().numTensors;
  const got = await greedyDecode(net, params, { prompt, stopTokens: [], maxNewTokens: n });
  expect(got.tokens).toEqual(want);
  expect(tf.memory().numTensors).toBe(before);
  Object.values(params).forEach((v) => v.dispose());
}

describe('decoding with prepared weights', () => {
  for (const [kind, lora] of [
    ['gpt2', null],
    ['gpt2', { rank: 2, alpha: 4, targets: ['c_attn', 'c_fc'] }],
    ['llama', { rank: 2, alpha: 2, targets: ['q_proj', 'v_proj', 'down_proj'] }],
    ['qwen2', null],
  ] as const) {
    it(`${kind}${lora ? ' with LoRA' : ''}: the same tokens as full forward passes, no tensor left`, async () => {
      const dir = path.join(root, `${kind}-${lora ? 'lora' : 'full'}`);
      writeTinyModel(dir, kind, { config: kind === 'gpt2' ? { n_positions: 64 } : { max_position_embeddings: 64 } });
      const folder = inspectStudentFolder(dir, { hash: false });
      const { net } = pretrainedNet({
        folder,
        name: null,
        semTokens: 1,
        lora: lora ? { ...lora, targets: [...lora.targets] } : null,
      });
      const params = createNetParams(net, perturbed(net, 3));
      // Markers (ids past the folder's vocabulary) in the prompt too.
      const prompt = [5, 71, 120, folder.summary.vocabSize, 33, folder.summary.vocabSize + 2];
      await expectSameDecode(net, params, prompt, 12);
    });
  }

  it('char GPT: the same tokens as full forward passes, no tensor left', async () => {
    const cfg = presetConfig('tiny', 40, { context: 32, layers: 1, width: 16, heads: 2, dropout: 0 });
    const net = charNet(cfg);
    const params = createNetParams(net, initialValues(cfg, 9));
    const prompt = [1, 7, 3, 22, 9];
    await expectSameDecode(net, params, prompt, 10);
  });
});
