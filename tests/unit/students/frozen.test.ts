// Under LoRA the folder's weights are frozen: a training step must not make a gradient (or any
// other tensor) the size of a frozen vocabulary table or of a frozen linear weight's gradient, and
// must give the trainable parameters the gradients of the plain path (no weight taken as constant).
// (Memory: docs/methods.md, "Memory"; the 0.5B figure is the benchmark's, README.)
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectStudentFolder } from '../../../src/main/lab/students/folder';
import { pretrainedNet } from '../../../src/main/lab/students/trainable';
import { weightedCrossEntropy } from '../../../src/main/lab/training/ops';
import { createNetParams } from '../../../src/main/lab/training/student';
import { trainingMemoryBytes } from '../../../src/main/lab/training/trainer';
import { Rng } from '../../../src/main/lab/training/rng';
import { trackLiveBytes } from '../../../src/main/lab/compute/liveBytes';
import { perturbed, writeTinyModel } from '../../helpers/students';
import { tempDir } from '../../helpers/tempLab';

const root = tempDir();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('a LoRA step leaves the frozen weights alone', () => {
  for (const kind of ['gpt2', 'llama'] as const) {
    it(`${kind}: no tensor of a frozen table's or frozen weight's size, and the trainable gradients of the plain path`, async () => {
      const dir = path.join(root, kind);
      writeTinyModel(dir, kind, { config: kind === 'gpt2' ? { n_positions: 64 } : { max_position_embeddings: 64 } });
      const folder = inspectStudentFolder(dir, { hash: false });
      const targets = kind === 'gpt2' ? ['c_attn'] : ['q_proj', 'v_proj'];
      const { net } = pretrainedNet({ folder, name: null, semTokens: 1, lora: { rank: 2, alpha: 4, targets } });
      const params = createNetParams(net, perturbed(net, 5));
      const trainable = Object.values(params).filter((v) => v.trainable);
      const V = folder.summary.vocabSize;
      const d = folder.summary.hidden;
      // Markers among the inputs and the targets, so their rows get gradients.
      const ids = [3, 17, V, 40, V + 1, 9, 2, V + 2];
      const step = (): { value: tf.Scalar; grads: Record<string, tf.Tensor> } =>
        tf.variableGrads(() => {
          const out = net.forward(params, tf.tensor1d(ids, 'int32'), 2, 4);
          const next = [...ids.slice(1), ids[0]!];
          return weightedCrossEntropy(out.logits!, tf.tensor1d(next, 'int32'), tf.fill([8], 1 / 8));
        }, trainable);
      const prof = await tf.profile(() => {
        const { value, grads } = step();
        tf.dispose([value, ...Object.values(grads)]);
      });
      // Frozen shapes: the tables (alone, or with their marker rows) and every frozen non-square
      // linear weight (its gradient would have its shape; a square one's transpose is used for dx).
      // Adapted weights are excepted: merged (W0 + s A B) they are computed, and their gradient is
      // how A and B get theirs.
      const adapted = new Set(
        net.loraModules.map((m) => String(net.parameterShapes().find((p) => p.name === `${m}.weight`)!.shape)),
      );
      const frozen = new Set<string>([`${V},${d}`]);
      for (const p of net.parameterShapes())
        if (
          !p.trainable &&
          p.shape.length === 2 &&
          p.shape[0] !== p.shape[1] &&
          !/wpe/.test(p.name) &&
          !adapted.has(String(p.shape))
        )
          frozen.add(String(p.shape));
      for (const p of net.parameterShapes()) if (/\.added$/.test(p.name)) frozen.add(`${V + p.shape[0]!},${d}`);
      // Not even a frozen weight's transpose: dx = dy W^T multiplies by W as stored.
      const made = prof.kernels.flatMap((k) => k.outputShapes.map((s) => `${k.name} ${s}`));
      expect(made.filter((m) => frozen.has(m.split(' ')[1]!))).toEqual([]);

      // The same loss and trainable gradients as with every weight a plain tensor (no weight taken
      // as a constant, every gradient computed).
      const { value, grads } = step();
      const merged = tf.variableGrads(() => {
        const plain = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.trainable ? v : tf.clone(v)]));
        const out = net.forward(plain as typeof params, tf.tensor1d(ids, 'int32'), 2, 4);
        const next = [...ids.slice(1), ids[0]!];
        return weightedCrossEntropy(out.logits!, tf.tensor1d(next, 'int32'), tf.fill([8], 1 / 8));
      }, trainable);
      expect(await value.data()).toEqual(await merged.value.data());
      for (const [name, g] of Object.entries(grads)) {
        const want = await merged.grads[name]!.data();
        const got = await g.data();
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!), name).toBeLessThan(1e-6);
      }
      tf.dispose([value, merged.value, ...Object.values(grads), ...Object.values(merged.grads)]);
      Object.values(params).forEach((v) => v.dispose());
    });
  }
});

describe("a LoRA step's memory is the weights, the adapters and the activations", () => {
  // Wide layers and few tokens, so that any weight-sized tensor a step makes or keeps (a merged
  // adapter W0 + s A B, its gradient, a transposed weight) outgrows the activations' share of the
  // trainer's estimate. The live peak counts each backend buffer once (compute/liveBytes.ts).
  for (const kind of ['gpt2', 'llama'] as const) {
    it(`${kind}: a training step's live tensor peak stays within the trainer's estimate`, async () => {
      const dir = path.join(root, `${kind}-wide`);
      writeTinyModel(dir, kind, {
        config:
          kind === 'gpt2'
            ? { n_embd: 256, n_head: 4, n_layer: 2, n_positions: 64 }
            : {
                hidden_size: 256,
                intermediate_size: 1024,
                num_attention_heads: 4,
                num_key_value_heads: 2,
                num_hidden_layers: 2,
                max_position_embeddings: 64,
              },
      });
      const folder = inspectStudentFolder(dir, { hash: false });
      const lora = { rank: 4, alpha: 4, targets: kind === 'gpt2' ? ['c_attn'] : ['q_proj', 'v_proj'] };
      const { net } = pretrainedNet({ folder, name: null, semTokens: 1, lora });
      const params = createNetParams(net, perturbed(net, 6));
      const trainable = Object.values(params).filter((v) => v.trainable);
      const [batch, time] = [1, 8];
      const ids = Array.from({ length: batch * time }, (_, i) => (i * 37) % folder.summary.vocabSize);
      const weights = Object.values(params).reduce((a, v) => a + 4 * v.size, 0);
      const live = trackLiveBytes(weights)!;
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          // The trainer's forward: a dropout stream (at the folder's rate) means training.
          const out = net.forward(params, tf.tensor1d(ids, 'int32'), batch, time, {
            dropout: { rate: net.dropout, rng: new Rng(3) },
          });
          const next = [...ids.slice(1), ids[0]!];
          return weightedCrossEntropy(
            out.logits!,
            tf.tensor1d(next, 'int32'),
            tf.fill([batch * time], 1 / (batch * time)),
          );
        }, trainable);
        return Object.values(grads);
      }).forEach((g) => g.dispose());
      const peak = live.peak();
      live.stop();
      const estimate = trainingMemoryBytes(net, batch, time, 'cpu');
      // The estimate's share beyond the weights is small here (activations of 8 tokens)...
      expect(estimate - weights).toBeLessThan(0.5 * weights);
      // ...and the step stays within it.
      expect(peak).toBeGreaterThan(weights);
      expect(peak).toBeLessThanOrEqual(estimate);
      Object.values(params).forEach((v) => v.dispose());
    });
  }
});
