// Starting a run process. The core only needs "something that runs src/main/runWorker.ts and
// exchanges messages"; Node's child_process.fork does it for the CLI, serve mode and tests, and
// the Electron main process plugs in utilityProcess.fork (src/main/electron/runLauncher.ts).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findPackageRoot } from '../paths';
import type { OwnerMessage, WorkerMessage } from './protocol';

export interface WorkerHandle {
  readonly pid: number | undefined;
  /** True for a run trained by a remote worker through the queue (it outlives this process). */
  readonly remote?: boolean;
  send(message: OwnerMessage): void;
  onMessage(listener: (message: WorkerMessage) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

/** `env`: the run process's environment (default: this process's), e.g. with a CUDA library folder. */
export type WorkerLauncher = (env?: NodeJS.ProcessEnv) => WorkerHandle;

/**
 * The built worker (out/main/runWorker.js) when this code runs from the bundle; the TypeScript
 * source through tsx when it runs from source (tests), so a test never runs a stale build.
 */
export function defaultWorkerEntry(): { file: string; execArgv: string[] } {
  return entryScript('runWorker');
}

/** A process entry of this app (the run worker, the CLI): built bundle or TypeScript source alike. */
export function entryScript(name: 'runWorker' | 'cli'): { file: string; execArgv: string[] } {
  const root = findPackageRoot();
  const runningFromSource = __filename.endsWith('.ts');
  if (!runningFromSource) return { file: path.join(root, 'out', 'main', `${name}.js`), execArgv: [] };
  return { file: path.join(root, 'src', 'main', `${name}.ts`), execArgv: ['--import', 'tsx'] };
}

export function nodeWorkerLauncher(entry = defaultWorkerEntry()): WorkerLauncher {
  return (env) => {
    if (!fs.existsSync(entry.file)) throw new Error(`the run worker ${entry.file} is missing; run \`npm run build\``);
    const child = fork(entry.file, [], {
      execArgv: entry.execArgv,
      ...(env ? { env } : {}),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    return {
      pid: child.pid,
      send: (m) => {
        if (child.connected) child.send(m);
      },
      onMessage: (l) => child.on('message', (m) => l(m as WorkerMessage)),
      onExit: (l) => child.on('exit', (code) => l(code)),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
