// The students registry through the CLI (same contract channels as the app): add validates and
// records hashes, list/show/remove, a moved or changed folder is detected, a bad folder leaves
// the registry untouched, and `students forward --json` prints the logits the PyTorch reference
// computes for the same ids.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../src/main/lab/lab';
import { cliIn } from '../../helpers/cli';
import { tempDir } from '../../helpers/tempLab';
import { maxAbsDiff, referenceGate, torchForward, writeTinyModel } from '../../helpers/students';

const root = tempDir('pst-registry-');
const dataDir = path.join(root, 'lab');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const cli = cliIn(dataDir);

async function json<T>(...argv: string[]): Promise<T> {
  const r = await cli(...argv, '--json');
  if (r.code !== 0) throw new Error(`pst-lab ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

interface Row {
  id: number;
  name: string;
  architecture: string;
  parameterCount: number;
  vocabSize: number;
  context: number;
  tokenizer: string;
  status: string;
  statusReason: string | null;
  fingerprint: string;
  files: { name: string; bytes: number; sha256: string }[];
}

describe('pst-lab students', () => {
  const gpt2 = path.join(root, 'tiny-gpt2');
  const llama = path.join(root, 'tiny-llama');
  writeTinyModel(gpt2, 'gpt2');
  writeTinyModel(llama, 'llama', { shards: 2, dtype: 'BF16' });

  it('adds folders with their architecture, sizes, tokenizer and file hashes; lists and shows them', async () => {
    const a = await json<Row>('students', 'add', gpt2);
    expect(a).toMatchObject({
      name: 'tiny-gpt2',
      architecture: 'GPT2LMHeadModel',
      vocabSize: 264,
      context: 32,
      tokenizer: 'tokenizer.json',
      status: 'ok',
    });
    expect(a.files.map((f) => f.name)).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
    expect(a.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    const b = await json<Row>('students', 'add', llama, '--name', 'llama-bf16');
    expect(b).toMatchObject({ name: 'llama-bf16', architecture: 'LlamaForCausalLM', context: 64 });
    const list = await json<Row[]>('students', 'list');
    expect(list.map((r) => r.name)).toEqual(['llama-bf16', 'tiny-gpt2']);
    const text = await cli('students', 'list');
    expect(text.stdout).toMatch(/tiny-gpt2\s+GPT2LMHeadModel/);
    const shown = await json<Row>('students', 'show', 'llama-bf16');
    expect(shown.fingerprint).toBe(b.fingerprint);
    expect(shown.status).toBe('ok');
    // Names are unique.
    const again = await cli('students', 'add', gpt2);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/a student named "tiny-gpt2" is already registered/);
  });

  it('refuses a bad folder in one line and registers nothing', async () => {
    const bad = path.join(root, 'bad');
    writeTinyModel(bad, 'gpt2', { vocabSize: 100 });
    const r = await cli('students', 'add', bad);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /tokenizer\.json: the tokenizer has ids up to 263 \(264 tokens\) but the embedding has 100 rows/,
    );
    const notDir = await cli('students', 'add', path.join(bad, 'config.json'));
    expect(notDir.stderr).toMatch(/config\.json: not a directory/);
    expect((await json<Row[]>('students', 'list')).map((x) => x.name)).toEqual(['llama-bf16', 'tiny-gpt2']);
  });

  it('detects a changed or moved folder', async () => {
    const copy = path.join(root, 'copy');
    fs.cpSync(gpt2, copy, { recursive: true });
    await json<Row>('students', 'add', copy, '--name', 'copy');
    // Same size, different bytes: only the rehash in `show` (and before any use) sees it.
    const cfg = path.join(copy, 'config.json');
    const text = fs.readFileSync(cfg, 'utf8');
    fs.writeFileSync(cfg, text.replace('"n_layer": 2', '"n_layer": 3'));
    expect((await json<Row[]>('students', 'list')).find((x) => x.name === 'copy')!.status).toBe('ok');
    const shown = await json<Row>('students', 'show', 'copy');
    expect(shown.status).toBe('changed');
    expect(shown.statusReason).toMatch(/config\.json has a different SHA-256 than when registered/);
    const fwd = await cli('students', 'forward', 'copy', '--text', 'the cat');
    expect(fwd.code).toBe(1);
    expect(fwd.stderr).toMatch(
      /student copy: .*config\.json has a different SHA-256 than when registered; register it again/,
    );
    fs.renameSync(copy, `${copy}-moved`);
    const moved = (await json<Row[]>('students', 'list')).find((x) => x.name === 'copy')!;
    expect(moved.status).toBe('missing');
    expect(moved.statusReason).toMatch(/is not there any more/);
    expect(await json('students', 'remove', 'copy')).toEqual({ removed: 'copy' });
    expect((await json<Row[]>('students', 'list')).map((x) => x.name)).toEqual(['llama-bf16', 'tiny-gpt2']);
    expect((await cli('students', 'show', 'copy')).stderr).toMatch(/no student with id or name "copy"/);
  });

  it('in serve mode, reads folders only inside the data folder and the allowed folders', async () => {
    const serveData = path.join(root, 'serve-data');
    const allowed = path.join(root, 'allowed');
    fs.mkdirSync(serveData);
    fs.cpSync(gpt2, path.join(allowed, 'g'), { recursive: true });
    const lab = Lab.open({ dataDir: serveData, runtime: 'serve', allowedFolders: [allowed] });
    try {
      expect(await lab.dispatch('students.add', { dir: gpt2 })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await lab.dispatch('students.list', {})).toMatchObject({ ok: true, value: [] });
      expect(await lab.dispatch('students.add', { dir: path.join(allowed, 'g') })).toMatchObject({
        ok: true,
        value: { name: 'g' },
      });
    } finally {
      lab.close();
    }
  });

  const gate = referenceGate();
  it.skipIf(gate.skip)('forward --json prints ids and logits equal to the PyTorch reference', async () => {
    const runs: { dir: string; logits: number[][]; ids: number[] }[] = [];
    for (const [ref, dir] of [
      ['tiny-gpt2', gpt2],
      ['llama-bf16', llama],
    ] as const) {
      const r = await json<{ ids: number[]; tokens: string[]; logits: number[][] }>(
        'students',
        'forward',
        ref,
        '--text',
        'the 12 cats in the hall',
      );
      expect(r.ids.length).toBeGreaterThan(5);
      expect(r.tokens.slice(0, 2)).toEqual(['t', 'he']); // the tiny BPE merges 'h e' but not 't h'
      runs.push({ dir, ids: r.ids, logits: r.logits });
    }
    const want = torchForward(runs.map(({ dir, ids }) => ({ dir, ids: [ids] })));
    runs.forEach((r, i) => expect(maxAbsDiff(new Float32Array(r.logits.flat()), want[i]!.logits)).toBeLessThan(1e-4));
  });
});
