// `pst-lab train --backend webgpu` as users run it (the built CLI, a run process of its own): a
// tiny answer-only run (1 layer, width 16, 3 steps: embedding gather, matmuls, causal softmax,
// layer norm, and all their gradients through AdamW) on webgpu and on cpu with the same seed; the
// per-step training losses must agree within LOSS_TOLERANCE. On a machine without a GPU the
// adapter is the software one (Chromium's SwiftShader; see docs/methods.md, "Compute backends").
// Skips, saying why, only when `doctor` finds no WebGPU adapter, even on SwiftShader.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertBuilt, runBin } from '../helpers/e2e/built';
import { tempDir } from '../helpers/tempLab';

/** Largest allowed |webgpu loss - cpu loss| at any step, relative to max(1, cpu loss). */
const LOSS_TOLERANCE = 2e-3;
const STEPS = 3;
/** SwiftShader is slow, and the machine may be loaded: generous, not a speed check. */
const TIMEOUT_MS = 900_000;

const dataDir = tempDir('pst-lab-e2e-webgpu-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

interface DoctorBackend {
  name: string;
  available: boolean;
  reason: string | null;
  details: { adapter?: { description: string; software: boolean } } | null;
}

/** Chromium's software Vulkan driver (Debian's chromium package). */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

async function doctorWebgpu(env: NodeJS.ProcessEnv): Promise<DoctorBackend> {
  const doctor = await runBin(['doctor', '--json', '--data-dir', dataDir], { timeoutMs: 300_000, env });
  return (JSON.parse(doctor.stdout) as { backends: DoctorBackend[] }).backends.find((b) => b.name === 'webgpu')!;
}

assertBuilt();
// The machine's own drivers first. When Dawn rejects them all (e.g. Mesa's lavapipe without a GPU:
// "shaderUniform*ArrayDynamicIndexing required") and Chromium's SwiftShader is installed, the test
// names SwiftShader itself, as a user would with VK_ICD_FILENAMES, to prove correctness there.
let env: NodeJS.ProcessEnv = process.env;
let webgpu = await doctorWebgpu(env);
if (!webgpu.details?.adapter && fs.existsSync(SWIFTSHADER_ICD)) {
  env = { ...process.env, VK_ICD_FILENAMES: SWIFTSHADER_ICD };
  webgpu = await doctorWebgpu(env);
}
const adapter = webgpu.details?.adapter;

/** 24 four-letter questions whose answer is the first letter (short enough for a context of 16), split 20/2/2. */
function writeDataset(): string {
  const letters = 'abcdefgh';
  let state = 7;
  const next = (): number => (state = (state * 48271) % 2147483647);
  const rows = Array.from({ length: 24 }, (_, i) => {
    const w = Array.from({ length: 4 }, () => letters[next() % letters.length]).join('');
    const split = i < 20 ? 'train' : i < 22 ? 'val' : 'test';
    return { id: `q${i}`, question: `${w}?`, answer: w[0], rationale: `first ${w[0]}`, teacher_answer: w[0], split };
  });
  const file = path.join(dataDir, 'letters.jsonl');
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

async function trainLosses(
  backend: 'cpu' | 'webgpu',
): Promise<{ losses: number[]; environment: Record<string, unknown> }> {
  const t = await runBin(
    [
      'train',
      '--dataset',
      'letters',
      '--method',
      'answer-only',
      '--layers',
      '1',
      '--width',
      '16',
      '--heads',
      '2',
      '--context',
      '16',
      '--steps',
      String(STEPS),
      '--batch',
      '2',
      '--seed',
      '5',
      '--eval-every',
      '0',
      '--val-examples',
      '1',
      '--test-examples',
      '1',
      '--backend',
      backend,
      '--json',
      '--data-dir',
      dataDir,
    ],
    { timeoutMs: TIMEOUT_MS, env },
  );
  expect(t.stderr).not.toMatch(/error/i);
  expect(t.code).toBe(0);
  const run = JSON.parse(t.stdout) as {
    id: number;
    status: string;
    backend: string;
    environment: Record<string, unknown>;
  };
  expect(run).toMatchObject({ status: 'completed', backend });
  // Every step's loss as the run recorded it (the CLI prints only the last).
  const db = new Database(path.join(dataDir, 'pst-lab.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT step, loss FROM run_steps WHERE run_id = ? ORDER BY step').all(run.id) as {
      step: number;
      loss: number;
    }[];
    expect(rows.map((r) => r.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    return { losses: rows.map((r) => r.loss), environment: run.environment };
  } finally {
    db.close();
  }
}

describe('pst-lab train --backend webgpu', () => {
  it.skipIf(!adapter)(
    `matches cpu's losses within ${LOSS_TOLERANCE} (${adapter ? `adapter: ${adapter.description}${adapter.software ? ', software' : ''}` : `skipped: webgpu unavailable: ${webgpu.reason}`})`,
    async () => {
      const imported = await runBin(
        ['dataset', 'import', writeDataset(), '--name', 'letters', '--json', '--data-dir', dataDir],
        {
          timeoutMs: 300_000,
        },
      );
      expect(imported.code).toBe(0);
      const cpu = await trainLosses('cpu');
      const gpu = await trainLosses('webgpu');
      expect(cpu.losses.every(Number.isFinite)).toBe(true);
      const gap = Math.max(...cpu.losses.map((v, i) => Math.abs(gpu.losses[i]! - v) / Math.max(1, Math.abs(v))));
      expect(gap).toBeLessThan(LOSS_TOLERANCE);
      // The run record names the adapter that ran.
      expect(gpu.environment).toMatchObject({
        backend: 'webgpu',
        backendDetails: { adapter: { description: adapter!.description, software: adapter!.software } },
      });
    },
    TIMEOUT_MS * 2,
  );
});
