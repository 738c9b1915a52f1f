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
      // (A frozen weight's transpose, made for dx and freed at once, is not a gradient: skipped.)
      const made = prof.kernels
        .filter((k) => k.name !== 'Transpose')
        .flatMap((k) => k.outputShapes.map((s) => `${k.name} ${s}`));
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
