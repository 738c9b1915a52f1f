// The only bridge between the sandboxed renderer and the lab: a narrow API built from the
// contract. The renderer never sees ipcRenderer, Node or process.env.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { IPC_EVENT_CHANNEL, isChannelName, type LabEventMessage } from '../shared/contract';
import type { PstLabBridge } from './api';

const bridge: PstLabBridge = {
  invoke(channel, input) {
    if (!isChannelName(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `no channel named ${String(channel)}` } });
    }
    return ipcRenderer.invoke(channel, input);
  },
  onEvent(listener) {
    const wrapped = (_e: Electron.IpcRendererEvent, message: LabEventMessage): void => listener(message);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.off(IPC_EVENT_CHANNEL, wrapped);
    };
  },
  pathForFile(file) {
    return webUtils.getPathForFile(file);
  },
};

contextBridge.exposeInMainWorld('pstLab', bridge);
