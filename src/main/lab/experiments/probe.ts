// A short measured training run in a throw-away worker process: how long a run process takes to
// start, how long a training step takes, and how long evaluating one example takes, on this
// machine, for one method's real sequences. Nothing is written to the database; the checkpoint
// directory is a temporary one that is removed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunSpec } from '../../../shared/types/runs';
import type { RunManager } from '../runs/manager';
import type { TrainingData } from '../runs/trainingData';

export const PROBE_STEPS = 6;
const PROBE_EVAL_EXAMPLES = 4;
const PROBE_TIMEOUT_MS = 120_000;

export interface ProbeFigures {
  /** Process start-up to the first step, without the PST targets' setup (measured apart). */
  startupMs: number;
  msPerStep: number;
  msPerEvalExample: number;
  tokensPerSec: number;
  /** PST: what building the targets measured (the self encoder's ms per NTP(r) step, the external encoder's ms per text). */
  selfStepMs: number | null;
  encodeMsPerText: number | null;
}

/** How long a probe's figures stay valid: long enough for a designer session, short enough to follow load changes. */
const PROBE_CACHE_MS = 10 * 60_000;
const probeCache = new Map<string, { at: number; figures: Promise<ProbeFigures> }>();

/**
 * The probe's figures depend on the method, its options, the model, the batch, the backend and the
 * length of the sequences; the designer asks again on every edit, so identical questions share one
 * measurement (and one in flight is awaited, not started twice).
 */
function probeKey(spec: RunSpec, data: Pick<TrainingData, 'train'>): string {
  const meanChars = data.train.reduce((n, e) => n + e.question.length + (e.rationale?.length ?? 0), 0) / Math.max(1, data.train.length);
  return JSON.stringify([spec.method, spec.methodOptions, spec.preset, spec.model ?? null, spec.batchSize, spec.backend, Math.round(meanChars / 10)]);
}

export function probeThroughput(
  runs: RunManager,
  spec: RunSpec,
  data: Pick<TrainingData, 'train' | 'val' | 'test'>,
): Promise<ProbeFigures> {
  const key = probeKey(spec, data);
  const hit = probeCache.get(key);
  if (hit && Date.now() - hit.at < PROBE_CACHE_MS) return hit.figures;
  const figures = measureThroughput(runs, spec, data);
  probeCache.set(key, { at: Date.now(), figures });
  figures.catch(() => probeCache.delete(key));
  return figures;
}

function measureThroughput(
  runs: RunManager,
  spec: RunSpec,
  data: Pick<TrainingData, 'train' | 'val' | 'test'>,
): Promise<ProbeFigures> {
  const config = runs.configFor({ ...spec, steps: PROBE_STEPS, evalEvery: 0 });
  // No warm-up: the probe measures full-rate steps (warm-up changes the lr, not the step time).
  config.warmupSteps = 0;
  // PST targets: a few self-encoder steps give its ms/step; the external encoder encodes without
  // the cache, so its ms/text is measured (and the probe's text set does not enter the cache).
  if (config.method.method === 'pst') {
    if (config.method.encoder === 'self' && config.method.selfFrom === null) config.method.selfSteps = PROBE_STEPS;
    if (config.method.external) config.method = { ...config.method, external: { ...config.method.external, cacheDir: null } };
  }
  config.checkpointEvery = PROBE_STEPS * 10;
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pst-lab-probe-'));
  const test = (data.test.length ? data.test : data.val).slice(0, PROBE_EVAL_EXAMPLES);
  const compute = runs.computeFor(spec);
  const worker = runs.spawnWorker(compute.env);
  const t0 = Date.now();
  return new Promise<ProbeFigures>((resolve, reject) => {
    let startedAt: number | null = null;
    let semantic: { setupMs?: number; selfStepMs?: number | null; encodeMsPerText?: number | null } | null = null;
    const steps: { step: number; elapsedMs: number; tokensPerSec: number }[] = [];
    let trainedAt: number | null = null;
    let settled = false;
    const finish = (err: Error | null, value?: ProbeFigures): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.kill();
      fs.rmSync(runDir, { recursive: true, force: true });
      if (err) reject(err);
      else resolve(value!);
    };
    const timer = setTimeout(
      () => finish(new Error(`the throughput probe took longer than ${PROBE_TIMEOUT_MS / 1000}s`)),
      PROBE_TIMEOUT_MS,
    );
    worker.onMessage((m) => {
      if (m.type === 'started') {
        startedAt = Date.now();
        semantic = m.info.semantic;
      }
      else if (m.type === 'step') {
        steps.push({ step: m.metrics.step, elapsedMs: m.metrics.elapsedMs, tokensPerSec: m.metrics.tokensPerSec });
        if (m.metrics.step === m.metrics.totalSteps) trainedAt = Date.now();
      } else if (m.type === 'failed') finish(new Error(m.error));
      else if (m.type === 'finished') {
        const end = Date.now();
        if (steps.length < 2 || startedAt === null) return finish(new Error('the probe recorded too few steps'));
        // The first step includes one-off kernel compilation: time the steady ones.
        const first = steps[0]!;
        const last = steps.at(-1)!;
        const msPerStep = (last.elapsedMs - first.elapsedMs) / (last.step - first.step);
        const evalCount = m.test?.count ?? test.length;
        const sem = semantic;
        finish(null, {
          startupMs: Math.max(0, startedAt - t0 + first.elapsedMs - (sem?.setupMs ?? 0)),
          msPerStep,
          msPerEvalExample: evalCount ? (end - (trainedAt ?? end)) / evalCount : 0,
          tokensPerSec: last.tokensPerSec,
          selfStepMs: sem?.selfStepMs ?? null,
          encodeMsPerText: sem?.encodeMsPerText ?? null,
        });
      }
    });
    worker.onExit((code) => finish(new Error(`the probe process exited (code ${code ?? 'signal'})`)));
    worker.send({
      type: 'start',
      runId: 0,
      config,
      train: data.train,
      val: data.val.slice(0, 1),
      test,
      runDir,
      resume: false,
      backend: spec.backend,
      threads: compute.threads,
      cudaLibs: compute.cudaLibs,
    });
  });
}
