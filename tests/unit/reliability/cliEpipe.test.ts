// `pst-lab ... | head`: when the reader closes the pipe early the CLI stops quietly with success,
// not with an EPIPE stack trace and exit code 1.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ENTRY = path.join(__dirname, '..', '..', '..', 'src', 'main', 'cli.ts');

describe('CLI with a closed stdout', () => {
  it('exits 0 without a stack trace when the reader is gone', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Like `head -c 0`: the read end closes before the command prints anything.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
