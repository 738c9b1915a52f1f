// `pst-lab bench semantic`: short PST trainings on a generated task for each (encoder, loss)
// candidate, printing the target diagnostics at the start and end and the test accuracy. This is
// how the default target was chosen (docs/methods.md, "Choosing the default"); figures are printed,
// never asserted.
import type { PstEncoderName, PstLossName, SemanticDiagnostics } from '../../../../shared/types/runs';
import { generateSynthetic, type SyntheticTaskName } from '../../synthetic';
import { evaluateExamples } from '../evaluate';
import { resolveMethodConfig, type PstConfig, type TrainExample } from '../methods';
import { defaultTrainConfig, disposeStudent, loadStudent, train } from '../trainer';
import { Rng, deriveSeed } from '../rng';
import { inspectStudentFolder } from '../../students/folder';
import { studentFingerprint } from '../../students/registry';
import type { ExternalEncoderRef } from './external';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SemanticBenchOptions {
  task: SyntheticTaskName;
  /** Generated examples (split 70 / 10 / 20 into train / val / test). */
  n: number;
  steps: number;
  seed: number;
  candidates: { encoder: PstEncoderName; loss: PstLossName }[];
  /** Pre-training steps of the self encoder. */
  selfSteps?: number;
  /** The sentence encoder folder of `external` candidates (encoded afresh: no cache). */
  encoderDir?: string;
  hallucinationRate?: number;
  evalEvery?: number;
  valMaxExamples?: number;
  onProgress?(message: string): void;
}

export interface SemanticBenchRow {
  encoder: PstEncoderName;
  loss: PstLossName;
  start: SemanticDiagnostics | null;
  end: SemanticDiagnostics | null;
  testAccuracy: number;
  testCount: number;
  seconds: number;
  warnings: string[];
}

/** Generated examples split deterministically into train / val / test (70 / 10 / 20 %). */
export function benchSplits(
  task: SyntheticTaskName,
  n: number,
  seed: number,
  hallucinationRate: number,
): { train: TrainExample[]; val: TrainExample[]; test: TrainExample[] } {
  const examples = generateSynthetic({ task, n, seed, hallucinationRate }).map((e, i): TrainExample => {
    const c = e.completions[0];
    return {
      id: String(i),
      question: e.question,
      answer: e.answer,
      answerType: e.answerType,
      choices: e.choices,
      rationale: c?.rationale ?? null,
      teacherAnswer: c?.teacherAnswer ?? null,
    };
  });
  const order = new Rng(deriveSeed(seed, 0x5b17)).shuffle(examples.map((_, i) => i));
  const nTrain = Math.round(0.7 * n);
  const nVal = Math.round(0.1 * n);
  const pick = (a: number, b: number): TrainExample[] => order.slice(a, b).map((i) => examples[i]!);
  return { train: pick(0, nTrain), val: pick(nTrain, nTrain + nVal), test: pick(nTrain + nVal, n) };
}

/** An external encoder folder as a run would use it, without the registry and without a cache. */
export function benchEncoderRef(dir: string): ExternalEncoderRef {
  const folder = inspectStudentFolder(dir, { kind: 'encoder' });
  return {
    name: folder.dir,
    dir: folder.dir,
    files: folder.files,
    fingerprint: studentFingerprint(folder.files),
    cacheDir: null,
    dataVersion: null,
  };
}

export async function benchSemantic(o: SemanticBenchOptions): Promise<SemanticBenchRow[]> {
  const data = benchSplits(o.task, o.n, o.seed, o.hallucinationRate ?? 0);
  const rows: SemanticBenchRow[] = [];
  if (o.candidates.some((c) => c.encoder === 'external') && !o.encoderDir)
    throw new Error('bench semantic: the external encoder needs a sentence encoder folder (--encoder-student DIR)');
  const external = o.encoderDir ? benchEncoderRef(o.encoderDir) : null;
  for (const c of o.candidates) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pst-sem-bench-'));
    try {
      const method = resolveMethodConfig({
        method: 'pst',
        encoder: c.encoder,
        loss: c.loss,
        ...(o.selfSteps ? { selfSteps: o.selfSteps } : {}),
        ...(c.encoder === 'external' ? { encoderStudent: external!.dir, external } : {}),
      }) as PstConfig;
      const config = defaultTrainConfig(method, {
        steps: o.steps,
        seed: o.seed,
        evalEvery: o.evalEvery ?? 0,
        valMaxExamples: o.valMaxExamples ?? 32,
        checkpointEvery: 0,
      });
      const t0 = performance.now();
      let start: SemanticDiagnostics | null = null;
      let end: SemanticDiagnostics | null = null;
      const warnings: string[] = [];
      o.onProgress?.(`${c.encoder} + ${c.loss}: training ${o.steps} steps`);
      const result = await train({
        config,
        train: data.train,
        val: data.val,
        runDir: dir,
        hooks: {
          onStart: (info) => {
            start = info.semantic?.diagnostics[0] ?? null;
            warnings.push(...info.warnings);
          },
          onValidation: (v) => {
            end = v.semantic;
            warnings.push(...v.warnings);
          },
        },
      });
      const student = loadStudent(result.bestCheckpoint ?? result.lastCheckpoint!);
      let acc: { accuracy: number; count: number };
      try {
        acc = await evaluateExamples(student, data.test);
      } finally {
        disposeStudent(student);
      }
      rows.push({
        encoder: c.encoder,
        loss: c.loss,
        start,
        end,
        testAccuracy: acc.accuracy,
        testCount: acc.count,
        seconds: (performance.now() - t0) / 1000,
        warnings,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
