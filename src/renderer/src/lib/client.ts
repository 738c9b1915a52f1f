// The renderer's one way to talk to the lab. Two transports implement the same bridge: the
// Electron preload (window.pstLab) and a WebSocket to `pst-lab serve`. Pages use `lab.call`, typed
// by the shared contract, and never know which transport is underneath.
import type {
  ChannelInput,
  ChannelName,
  ChannelResult,
  EventName,
  EventPayload,
  LabEventMessage,
} from '../../../shared/contract';
import { LabCallError } from './labError';
import type { PstLabBridge } from '../../../preload/api';
import { connectWebSocketBridge, downloadUrl, uploadFiles, viewUrl } from './transports/websocket';

declare global {
  interface Window {
    pstLab?: PstLabBridge;
  }
}

export { LabCallError };

export interface LabClient {
  readonly transport: 'electron' | 'websocket';
  call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Paths the lab can read for files the user picked: their own paths in Electron; in the browser
   * the files are uploaded into the lab's data directory first.
   */
  filePaths(files: readonly File[], onProgress?: (done: number, total: number) => void): Promise<string[]>;
  /** A URL that downloads a file the lab wrote (browser only; null in the desktop app). */
  downloadUrl(path: string): string | null;
  /** Whether the lab answers, told on every change (the desktop app's lab is in-process: always). */
  onConnection(listener: (connected: boolean) => void): () => void;
  /** A URL that opens an HTML report the lab wrote in a browser tab (browser only; null otherwise). */
  viewUrl(path: string): string | null;
}

type Files = Pick<LabClient, 'filePaths' | 'downloadUrl' | 'viewUrl' | 'onConnection'>;

function clientOver(bridge: PstLabBridge, transport: LabClient['transport'], files: Files): LabClient {
  return {
    transport,
    ...files,
    async call(channel, input) {
      const result = await bridge.invoke(channel, input);
      if (!result.ok) throw new LabCallError(result.error);
      return result.value as never;
    },
    on(name, listener) {
      return bridge.onEvent((m: LabEventMessage) => {
        if (m.name === name) listener(m.payload as never);
      });
    },
  };
}

export function createClient(): LabClient {
  const desktop = window.pstLab;
  if (desktop) {
    return clientOver(desktop, 'electron', {
      filePaths: async (files) => files.map((f) => desktop.pathForFile(f)),
      downloadUrl: () => null,
      viewUrl: () => null,
      onConnection: () => () => undefined,
    });
  }
  const bridge = connectWebSocketBridge();
  return clientOver(bridge, 'websocket', {
    filePaths: uploadFiles,
    downloadUrl,
    viewUrl,
    onConnection: (l) => bridge.onConnection(l),
  });
}
