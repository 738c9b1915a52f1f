// Where the BUILT app lives. End-to-end tests run what users run (bin/pst-lab.cjs -> out/), so a
// missing build is a setup mistake, reported as such instead of as a confusing test failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const BIN = path.join(REPO_ROOT, 'bin', 'pst-lab.cjs');

/** Throws with the fix when `electron-vite build` has not run. */
export function assertBuilt(): void {
  for (const rel of ['out/main/cli.js', 'out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html']) {
    if (!fs.existsSync(path.join(REPO_ROOT, rel))) {
      throw new Error(
        `${rel} is missing: end-to-end tests drive the built app; run \`npx electron-vite build\` first (npm test does)`,
      );
    }
  }
}

export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/pst-lab.cjs ...args` to completion (for short commands such as doctor). */
export function runBin(
  args: readonly string[],
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO_ROOT,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`pst-lab ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 60_000} ms; stderr: ${stderr}`),
      );
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
