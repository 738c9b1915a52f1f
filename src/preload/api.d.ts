// The shape of window.pstLab, shared by the preload (which implements it) and the renderer.
import type { LabEventMessage } from '../shared/contract';
import type { LabResult } from '../shared/result';

export interface PstLabBridge {
  invoke(channel: string, input: unknown): Promise<LabResult<unknown>>;
  onEvent(listener: (message: LabEventMessage) => void): () => void;
  /** The local path of a file the user picked or dropped (Electron knows it; browsers do not). */
  pathForFile(file: File): string;
}
