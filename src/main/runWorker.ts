// Entry of a training-run process: an Electron utilityProcess in the app, a Node child process
// from the CLI and serve mode. Same module, two message ports.
import type { OwnerMessage, WorkerMessage, WorkerPort } from './lab/runs/protocol';
import { runWorker } from './lab/runs/worker';

interface ElectronParentPort {
  on(event: 'message', listener: (e: { data: OwnerMessage }) => void): void;
  postMessage(message: WorkerMessage): void;
}

const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;

const port: WorkerPort = parentPort
  ? { send: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (e) => l(e.data)) }
  : {
      send: (m) => process.send?.(m),
      onMessage: (l) => process.on('message', (m) => l(m as OwnerMessage)),
    };

// An owner that disappears (killed CLI) must not leave an orphan burning CPU.
process.on('disconnect', () => process.exit(0));
// Ctrl+C in a terminal signals the whole process group, this process included. The owner decides
// what Ctrl+C means (it sends 'cancel', and the run saves a resumable checkpoint); dying here would
// turn the run into a failure instead. If the owner itself dies, 'disconnect' above ends us.
process.on('SIGINT', () => undefined);
runWorker(port);
