// Messages of the serve-mode WebSocket, shared by the server and the browser client.
import type { LabEventMessage } from './contract';
import type { LabErrorShape, LabResult } from './result';

export interface ClientInvoke {
  type: 'invoke';
  id: number;
  channel: string;
  input: unknown;
}

export type ServerMessage =
  | { type: 'result'; id: number | null; result: LabResult<unknown> }
  | { type: 'event'; event: LabEventMessage };

export type ParsedClientMessage =
  | { ok: true; id: number; channel: string; input: unknown }
  | { ok: false; id: number | null; error: LabErrorShape };

/** Parses one client frame; a malformed frame gets a structured error, never a crash. */
export function parseClientMessage(text: string): ParsedClientMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: { code: 'INVALID_INPUT', message: 'message is not JSON' } };
  }
  const m = raw as Partial<ClientInvoke> | null;
  const id = typeof m?.id === 'number' ? m.id : null;
  if (!m || m.type !== 'invoke' || id === null || typeof m.channel !== 'string') {
    return { ok: false, id, error: { code: 'INVALID_INPUT', message: 'expected {type:"invoke", id:number, channel:string, input}' } };
  }
  return { ok: true, id, channel: m.channel, input: m.input };
}
