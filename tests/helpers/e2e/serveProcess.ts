// Starts the built `pst-lab serve` as a child process on a fresh temporary data directory, reads
// the URL it prints (--json), and stops it again. The child is what a user runs, so the tests
// cover the CLI wiring, the bundle and the served renderer together.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import { tempDir } from '../tempLab';
import { assertBuilt, BIN, REPO_ROOT } from './built';

export interface ServeProcess {
  /** The URL with the launch token, as printed. */
  url: string;
  /** The same URL without the token (what a stranger would open). */
  origin: string;
  token: string;
  port: number;
  dataDir: string;
  /** Everything the child wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

interface ServeJson {
  url: string;
  host: string;
  port: number;
  dataDir: string;
}

export async function startServeProcess(opts: { startTimeoutMs?: number } = {}): Promise<ServeProcess> {
  assertBuilt();
  const dataDir = tempDir('pst-lab-e2e-data-');
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--port', '0', '--json'], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));

  let info: ServeJson;
  try {
    // Generous: on a loaded CI machine (or under nice) starting Node and the lab can take a minute.
    info = await readServeJson(child, opts.startTimeoutMs ?? 90_000, () => stderr);
  } catch (err) {
    await kill(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const url = new URL(info.url);
  const token = url.searchParams.get('token');
  if (!token) throw new Error(`serve printed a URL without a token: ${info.url}`);
  return {
    url: info.url,
    origin: url.origin,
    token,
    port: info.port,
    dataDir: info.dataDir,
    stderr: () => stderr,
    async stop() {
      await kill(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function readServeJson(
  child: ChildProcessWithoutNullStreams,
  timeoutMs: number,
  stderr: () => string,
): Promise<ServeJson> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const fail = (why: string): void => {
      cleanup();
      reject(new Error(`pst-lab serve ${why}; stdout: ${JSON.stringify(buf)}; stderr: ${JSON.stringify(stderr())}`));
    };
    // --json output may be pretty-printed over several lines: parse once the whole document is in.
    const onData = (d: Buffer): void => {
      buf += d.toString();
      let parsed: Partial<ServeJson>;
      try {
        parsed = JSON.parse(buf) as Partial<ServeJson>;
      } catch {
        return; // not complete yet
      }
      if (typeof parsed.url !== 'string' || typeof parsed.port !== 'number' || typeof parsed.dataDir !== 'string') {
        return fail('printed JSON without url/port/dataDir');
      }
      cleanup();
      resolve(parsed as ServeJson);
    };
    const onExit = (code: number | null): void => fail(`exited with code ${code} before printing its URL`);
    const timer = setTimeout(() => fail(`printed no URL within ${timeoutMs} ms`), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });
}

/** SIGTERM (serve closes the lab cleanly), then SIGKILL if it hangs. */
function kill(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
