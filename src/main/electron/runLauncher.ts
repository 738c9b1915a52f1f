// Run processes in the desktop app are Electron utility processes (Node without a window, managed
// by Electron), started from the same worker module the CLI forks with Node.
import { utilityProcess } from 'electron';
import type { WorkerLauncher } from '../lab/runs/launcher';
import type { WorkerMessage } from '../lab/runs/protocol';

export function electronWorkerLauncher(entry: string): WorkerLauncher {
  return (env) => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: 'PST Lab training run',
      stdio: 'inherit',
      ...(env ? { env } : {}),
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (m) => child.postMessage(m),
      onMessage: (l) => child.on('message', (m: WorkerMessage) => l(m)),
      onExit: (l) => child.on('exit', (code) => l(code)),
      kill: () => {
        child.kill();
      },
    };
  };
}
