// PST's `external` encoder: a registered tiny random BERT computes e(r) once per (dataset version,
// rationale texts, encoder files, pooling); the targets are cached under the data dir and reused
// by a second run; the diagnostics are recorded; a missing or changed encoder file is refused.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/lab/compute/backends';
import { resolveMethodConfig } from '../../../src/main/lab/training/methods';
import { checkEncoderFiles, type ExternalEncoderRef } from '../../../src/main/lab/training/semantic';
import { benchSplits } from '../../../src/main/lab/training/semantic/bench';
import { defaultTrainConfig, train, type StartInfo } from '../../../src/main/lab/training/trainer';
import { inspectStudentFolder } from '../../../src/main/lab/students/folder';
import { studentFingerprint } from '../../../src/main/lab/students/registry';
import type { RunDetail } from '../../../src/shared/types/runs';
import type { StudentDetail } from '../../../src/shared/types/students';
import { writeTinyModel } from '../../helpers/students';
import { cliIn, generateCoins } from '../../helpers/cli';
import { tempDir } from '../../helpers/tempLab';

const dataDir = tempDir();
const models = tempDir('pst-external-');
const bert = path.join(models, 'tiny-bert');
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(models, { recursive: true, force: true });
});

const cli = cliIn(dataDir);

const MICRO = ['--method', 'pst', '--layers', '1', '--width', '32', '--heads', '2', '--steps', '4', '--batch', '4'];
const EVAL = ['--eval-every', '2', '--val-examples', '2', '--test-examples', '2', '--backend', 'wasm', '--json'];
/** A micro PST run whose targets the registered sentence encoder `encoder` computes. */
const trainExternal = (encoder: string) =>
  cli('train', '--dataset', 'coins', ...MICRO, '--encoder', 'external', '--encoder-student', encoder, ...EVAL);

beforeAll(async () => {
  // 512 positions so whole coin-flip rationales are encoded (the tiny tokenizer splits words into characters).
  writeTinyModel(bert, 'bert', {
    seed: 5,
    config: { max_position_embeddings: 512 },
    pooling: { mode: 'mean', normalize: true },
  });
  await generateCoins(dataDir, 40, 2);
});

// Each training runs in a worker process: allow for a heavily loaded machine.
describe('PST external encoder through the CLI', { timeout: 900_000 }, () => {
  let registered: StudentDetail;

  it('registers the BERT folder as a sentence encoder', async () => {
    const add = await cli('students', 'add', bert, '--name', 'tinybert', '--json');
    expect(add.code, add.stderr).toBe(0);
    registered = JSON.parse(add.stdout) as StudentDetail;
    expect(registered).toMatchObject({ kind: 'encoder', architecture: 'BertModel', family: 'bert' });
  });

  it('a run computes the targets, records the encoder hashes and cache key, and the diagnostics', async () => {
    const t = await trainExternal('tinybert');
    expect(t.code, t.stderr).toBe(0);
    const first = JSON.parse(t.stdout) as RunDetail;
    const s = first.semantic!;
    expect(s).toMatchObject({ encoder: 'external', centred: true, dim: 24 });
    expect(s.encoderConfig).toMatchObject({
      source: 'external',
      encoder: 'tinybert',
      fingerprint: registered.fingerprint,
      pooling: { mode: 'mean', normalize: true },
      cache: 'miss',
    });
    expect(s.encoderConfig['files']).toEqual(registered.files.map((f) => ({ name: f.name, sha256: f.sha256 })));
    expect(s.encodeMsPerText).toBeGreaterThan(0);
    expect(s.diagnostics.map((d) => d.step)).toEqual([0, 2, 4]);
    const d0 = s.diagnostics[0]!;
    // Raw pooled vectors of a random BERT are similar but not identical; centring spreads them.
    expect(d0.rawDiversity!).toBeLessThan(0.999);
    expect(d0.diversity!).toBeLessThan(0.5);
    expect(d0.train!.n).toBeGreaterThan(10);
    expect(d0.degenerate).toBe(false);
    const cacheFile = path.join(dataDir, 'semantic-cache', `${String(s.encoderConfig['cacheKey'])}.safetensors`);
    expect(fs.existsSync(cacheFile)).toBe(true);
    const shown = await cli('runs', 'show', String(first.id));
    expect(shown.stdout).toMatch(/PST semantic target: encoder external/);
    expect(shown.stdout).toContain(registered.fingerprint);
  });

  it('refuses external without an encoder, an unknown encoder and a causal student as encoder', async () => {
    const none = await cli('train', '--dataset', 'coins', ...MICRO, '--encoder', 'external', ...EVAL);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/encoder 'external' needs encoderStudent/);
    const unknown = await trainExternal('nope');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/methodOptions\.encoderStudent: no sentence encoder with id or name "nope"/);
    const gpt2 = path.join(models, 'gpt2');
    writeTinyModel(gpt2, 'gpt2');
    expect((await cli('students', 'add', gpt2, '--name', 'tinygpt2')).code).toBe(0);
    const causal = await trainExternal('tinygpt2');
    expect(causal.code).not.toBe(0);
    expect(causal.stderr).toMatch(/tinygpt2 is a GPT2LMHeadModel, not a sentence encoder/);
  });

  it('refuses a registered encoder whose file changed, naming the file', async () => {
    const tok = path.join(bert, 'tokenizer.json');
    const saved = fs.readFileSync(tok);
    fs.writeFileSync(tok, Buffer.concat([saved, Buffer.from(' ')]));
    try {
      const t = await trainExternal('tinybert');
      expect(t.code).not.toBe(0);
      expect(t.stderr).toContain(`${tok} has`);
      expect(t.stderr).toMatch(/register it again/);
    } finally {
      fs.writeFileSync(tok, saved);
    }
  });
});

describe('external encoder files checked before use', () => {
  const dir = path.join(models, 'checked');
  const refOf = (): ExternalEncoderRef => {
    const folder = inspectStudentFolder(dir, { kind: 'encoder' });
    return {
      name: 'checked',
      dir,
      files: folder.files,
      fingerprint: studentFingerprint(folder.files),
      cacheDir: null,
      dataVersion: null,
    };
  };

  it('a changed weight file is refused with both hashes, a missing one as missing, a new pooling file as appeared', () => {
    writeTinyModel(dir, 'bert', { seed: 9 });
    const ref = refOf();
    expect(() => checkEncoderFiles(ref)).not.toThrow();
    const weights = path.join(dir, 'model.safetensors');
    const bytes = fs.readFileSync(weights);
    const changed = Buffer.from(bytes);
    changed[changed.length - 1] = changed[changed.length - 1]! ^ 0xff;
    fs.writeFileSync(weights, changed);
    expect(() => checkEncoderFiles(ref)).toThrow(
      new RegExp(
        `external encoder checked: ${weights.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has changed since the run was created \\(SHA-256 [0-9a-f]{12}… now, [0-9a-f]{12}… then\\)`,
      ),
    );
    fs.rmSync(weights);
    expect(() => checkEncoderFiles(ref)).toThrow(
      /model\.safetensors is missing \(it was there when the run was created\)/,
    );
    fs.writeFileSync(weights, bytes);
    fs.writeFileSync(path.join(dir, 'modules.json'), '[]');
    expect(() => checkEncoderFiles(ref)).toThrow(/modules\.json appeared since the run was created/);
  });
});

describe('external targets are computed once and reused', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  const data = benchSplits('coin_flip', 40, 3, 0);
  const dir = path.join(models, 'cached');
  const cacheDir = path.join(models, 'cache');

  const run = async (seed: number): Promise<StartInfo> => {
    const folder = inspectStudentFolder(dir, { kind: 'encoder' });
    const external: ExternalEncoderRef = {
      name: 'cached',
      dir,
      files: folder.files,
      fingerprint: studentFingerprint(folder.files),
      cacheDir,
      dataVersion: 'generated coin_flip seed 3',
    };
    const method = resolveMethodConfig({ method: 'pst', encoder: 'external', encoderStudent: dir, external });
    const config = defaultTrainConfig(method, {
      steps: 2,
      batchSize: 4,
      seed,
      evalEvery: 0,
      valMaxExamples: 2,
      model: { layers: 1, width: 32, heads: 2 },
    });
    let start: StartInfo | null = null;
    await train({
      config,
      train: data.train,
      val: data.val,
      runDir: null,
      hooks: { onStart: (i) => void (start = i) },
    });
    return start!;
  };

  it('the second run (another seed) reads the cache: same key, file untouched, no encoding time', async () => {
    writeTinyModel(dir, 'bert', {
      seed: 6,
      config: { max_position_embeddings: 512 },
      pooling: { mode: 'mean', normalize: true },
    });
    const first = await run(1);
    const key = String(first.semantic!.encoderConfig['cacheKey']);
    expect(first.semantic!.encoderConfig).toMatchObject({ cache: 'miss', dataVersion: 'generated coin_flip seed 3' });
    expect(first.semantic!.encodeMsPerText).toBeGreaterThan(0);
    const d = first.semantic!.diagnostics[0]!;
    expect(d.diversity!).toBeLessThan(0.5);
    expect(d.train!.n).toBeGreaterThan(10);
    const file = path.join(cacheDir, `${key}.safetensors`);
    const mtime = fs.statSync(file).mtimeMs;
    const second = await run(2);
    expect(second.semantic!.encoderConfig).toMatchObject({ cache: 'hit', cacheKey: key });
    expect(second.semantic!.encodeMsPerText).toBeUndefined();
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
    expect(fs.readdirSync(cacheDir)).toEqual([`${key}.safetensors`]);
    // The same rows: the centred targets' raw diversity over the (seed-dependent) sample comes from cached rows equal to the first run's.
    expect(second.semantic!.diagnostics[0]!.rawDiversity).not.toBeNull();
  });
});
