// A lab on a fresh temporary data directory, removed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { Lab } from '../../src/main/lab/lab';

export function tempDir(prefix = 'pst-lab-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A tempDir maker for a test file: every directory it made is removed after each test. */
export function tempDirsPerTest(prefix = 'pst-lab-test-'): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = tempDir(prefix);
    dirs.push(d);
    return d;
  };
}

export function openTempLab(): { lab: Lab; dataDir: string; cleanup: () => void } {
  const dataDir = tempDir();
  const lab = Lab.open({ dataDir, runtime: 'test' });
  return {
    lab,
    dataDir,
    cleanup: () => {
      lab.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
