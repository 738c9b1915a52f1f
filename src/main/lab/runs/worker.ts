// The body of a run process: activate a backend, train with the shared trainer, evaluate the best
// checkpoint on the test split, and report everything to the owner as messages. It never touches
// the database: the owner is the single writer.
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../compute/backends';
import { rougeL, tokenF1 } from '../stats';
import { evaluateExamples } from '../training/evaluate';
import { disposeStudent, loadStudent, train } from '../training/trainer';
import type { TrainExample } from '../training/methods/types';
import type { EvaluatedExample, EvaluationFigures, OwnerMessage, WorkerPort } from './protocol';

export function runWorker(port: WorkerPort): void {
  let paused = false;
  let cancelled = false;
  let wake: (() => void) | null = null;
  let started = false;

  port.onMessage((m) => {
    if (m.type === 'pause') {
      paused = true;
      port.send({ type: 'paused' });
    } else if (m.type === 'resume') {
      paused = false;
      wake?.();
      port.send({ type: 'resumed' });
    } else if (m.type === 'cancel') {
      cancelled = true;
      paused = false;
      wake?.();
    } else if ((m.type === 'start' || m.type === 'evaluate') && !started) {
      started = true;
      void (m.type === 'start' ? execute(m) : evaluateOnly(m)).then(
        () => process.exit(0),
        (err: unknown) => {
          port.send({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
          // Give the message time to leave before the process ends.
          setTimeout(() => process.exit(1), 50);
        },
      );
    }
  });
  port.send({ type: 'ready' });

  async function execute(m: Extract<OwnerMessage, { type: 'start' }>): Promise<void> {
    const backend = await initBackend(m.backend ?? undefined, m.threads ? { threads: m.threads } : {});
    const ran = backend.probes.find((p) => p.available);
    port.send({
      type: 'backend',
      name: backend.name,
      reasons: backend.reasons as Record<string, string>,
      environment: {
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        platform: `${process.platform} ${process.arch}`,
        cpus: os.cpus().length,
        tfjs: ran?.version ?? null,
        backend: backend.name,
        // wasm: threads used, requested, build and why fewer; webgpu: the adapter.
        backendDetails: ran?.details ?? null,
        threadsRequested: m.threads ?? 'all cores',
        cudaLibs: m.cudaLibs,
      },
    });
    const result = await train({
      config: m.config,
      train: m.train,
      val: m.val,
      runDir: m.runDir,
      resume: m.resume,
      hooks: {
        onStart: (info) =>
          port.send({
            type: 'started',
            info,
            resolved: { ...m.config, model: info.modelConfig } as unknown as Record<string, unknown>,
          }),
        onStep: (metrics) => port.send({ type: 'step', metrics }),
        onValidation: (metrics) => port.send({ type: 'validation', metrics }),
        onCheckpoint: (c) => port.send({ type: 'checkpoint', kind: c.kind, dir: c.dir, step: c.step }),
        shouldCancel: () => cancelled,
        waitWhilePaused: async () => {
          // tfjs reads on wasm/cpu resolve as microtasks, so a training loop never reaches the
          // event loop by itself: yield once per step so pause/cancel messages get delivered.
          await new Promise<void>((resolve) => setImmediate(resolve));
          while (paused && !cancelled) await new Promise<void>((resolve) => (wake = resolve));
        },
      },
    });
    if (result.status === 'cancelled') {
      port.send({
        type: 'finished',
        status: 'cancelled',
        steps: result.steps,
        bestStep: result.bestStep,
        bestValAccuracy: result.bestValAccuracy,
        test: null,
        predictions: [],
        peakRssBytes: result.peakRssBytes,
      });
      return;
    }
    // Evaluate the best checkpoint (by validation accuracy) when there is one, else the last.
    const checkpoint = result.bestCheckpoint ?? result.lastCheckpoint ?? path.join(m.runDir, 'last');
    const { summary, predictions } = await evaluateCheckpoint(checkpoint, m.test, true, m.config.student?.dir);
    port.send({
      type: 'finished',
      status: result.status,
      steps: result.steps,
      bestStep: result.bestStep,
      bestValAccuracy: result.bestValAccuracy,
      test: summary,
      predictions,
      peakRssBytes: result.peakRssBytes,
    });
  }

  async function evaluateOnly(m: Extract<OwnerMessage, { type: 'evaluate' }>): Promise<void> {
    await initBackend(m.backend ?? undefined, m.threads ? { threads: m.threads } : {});
    const { summary, predictions } = await evaluateCheckpoint(m.checkpoint, m.examples, m.generateRationale);
    port.send({ type: 'evaluated', summary, predictions });
  }

  /** Greedy-decodes the examples with a checkpoint; adds rationale similarity to the teacher's. */
  async function evaluateCheckpoint(
    checkpoint: string,
    examples: TrainExample[],
    generateRationale: boolean,
    studentDir?: string,
  ): Promise<{ summary: EvaluationFigures; predictions: EvaluatedExample[] }> {
    const student = loadStudent(checkpoint, studentDir);
    // Say at once that the evaluation phase began (the first count follows after 10 examples).
    port.send({ type: 'evaluating', done: 0, total: examples.length });
    try {
      const summary = await evaluateExamples(student, examples, {
        generateRationale,
        onExample: (done, total) => {
          if (done === total || done % 10 === 0) port.send({ type: 'evaluating', done, total });
        },
        shouldCancel: () => cancelled,
      });
      const teacher = new Map(examples.map((e) => [e.id, e.rationale]));
      const predictions = summary.results.map((r) => {
        const ref = teacher.get(r.id);
        const sim =
          r.generatedRationale && ref
            ? { f1: tokenF1(r.generatedRationale, ref).f1, rl: rougeL(r.generatedRationale, ref).f1 }
            : null;
        return { ...r, tokenF1: sim?.f1 ?? null, rougeL: sim?.rl ?? null };
      });
      return {
        summary: {
          accuracy: summary.accuracy,
          count: summary.count,
          meanTokensToAnswer: summary.meanTokensToAnswer,
          meanMsToAnswer: summary.meanMsToAnswer,
          noAnswerShare: summary.noAnswerShare,
          generationTokensPerSec: summary.generationTokensPerSec,
          checkpoint,
        },
        predictions,
      };
    } finally {
      disposeStudent(student);
    }
  }
}
