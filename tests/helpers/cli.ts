// The CLI run inside the test process (runCli, what bin/pst-lab.cjs calls), with what it prints
// captured; the CLI tests read exit codes, stdout and stderr from it.
import { expect } from 'vitest';
import { runCli } from '../../src/main/cli/main';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `pst-lab ...argv`, with `--data-dir dataDir` appended when one is given. */
export async function runCliCaptured(argv: readonly string[], dataDir?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(dataDir === undefined ? argv : [...argv, '--data-dir', dataDir], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

/** `cli(...argv)` for the tests of one data directory. */
export function cliIn(dataDir: string): (...argv: string[]) => Promise<CliResult> {
  return (...argv) => runCliCaptured(argv, dataDir);
}

/** The synthetic coin-flip dataset `coins` the CLI training tests train on; generating it must succeed. */
export async function generateCoins(dataDir: string, n: number, seed: number): Promise<void> {
  const r = await runCliCaptured(
    [
      'dataset',
      'generate',
      '--task',
      'coin_flip',
      '--n',
      String(n),
      '--seed',
      String(seed),
      '--name',
      'coins',
      '--json',
    ],
    dataDir,
  );
  expect(r.code, r.stderr).toBe(0);
}
