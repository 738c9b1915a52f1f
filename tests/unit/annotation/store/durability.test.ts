// An acknowledged save survives the process being killed: a child process saves a label through
// lab.dispatch, says "saved", and is SIGKILLed at once without closing the database; reopening
// the lab finds the label.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../../../src/main/lab/lab';
import { tempDir } from '../../../helpers/tempLab';
import { ok } from './helpers';

const CHILD = path.join(__dirname, 'fixtures', 'saveThenWait.ts');

describe('durability of acknowledged saves', () => {
  it('finds the label after the saving process is killed right after the acknowledgement', async () => {
    const dataDir = tempDir();
    try {
      let lab = Lab.open({ dataDir, runtime: 'test' });
      const dataset = (await ok(lab, 'datasets.generate', { task: 'arithmetic', n: 5, seed: 2 })).datasetId;
      const example = (await ok(lab, 'annotations.queue', { dataset, annotator: 'kim' })).items[0]!.example;
      lab.close();

      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(dataset), String(example)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('saved')) child.kill('SIGKILL');
        });
        child.on('exit', (code, sig) => (sig ? resolve(sig) : reject(new Error(`child exited with ${code}: ${stderr}`))));
      });
      expect(signal).toBe('SIGKILL');
      // The killed process left its WAL behind: nothing was checkpointed or closed cleanly.
      expect(fs.existsSync(path.join(dataDir, 'pst-lab.sqlite-wal'))).toBe(true);

      lab = Lab.open({ dataDir, runtime: 'test' });
      try {
        const view = await ok(lab, 'annotations.get', { dataset, example, annotator: 'kim' });
        expect(view.mine).not.toBeNull();
        expect(view.mine!.verdict).toMatchObject({ verdict: 'hallucinated', endReason: 'found_error' });
        expect(view.mine!.steps[0]).toMatchObject({ rating: -1, errorType: 'arithmetic' });
        expect(view.mine!.spans[0]).toMatchObject({ comment: 'killed right after', provenance: 'human' });
        expect(view.mine!.timeSpentMs).toBe(4321);
        expect(view.canUndo).toBe(true);
      } finally {
        lab.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
