// Registers every contract channel with ipcMain through one wrapper: the sender frame must be our
// own page, the input is validated by the lab's dispatcher, and the answer is always a LabResult.
import { ipcMain, type BrowserWindow } from 'electron';
import { channelNames, IPC_EVENT_CHANNEL } from '../../shared/contract';
import type { Lab } from '../lab/lab';
import { isOwnPage } from './ownPage';

export function registerIpc(lab: Lab, rendererUrl: string): void {
  for (const name of channelNames) {
    ipcMain.handle(name, async (event, input: unknown) => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!isOwnPage(frameUrl, rendererUrl)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: `IPC from a foreign frame (${frameUrl}) refused` } };
      }
      return lab.dispatch(name, input);
    });
  }
}

/** Forwards lab events to a window until it closes. */
export function forwardEvents(lab: Lab, win: BrowserWindow): void {
  const unsubscribe = lab.events.subscribe((message) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, message);
  });
  win.on('closed', unsubscribe);
}
