// A lab on a fresh temporary data directory, removed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Lab } from '../../src/main/lab/lab';

export function tempDir(prefix = 'pst-lab-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
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
