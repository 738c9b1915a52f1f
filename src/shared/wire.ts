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
  { type: 'result'; id: number | null; result: LabResult<unknown> } | { type: 'event'; event: LabEventMessage };

export type ParsedClientMessage =
  { ok: true; id: number; channel: string; input: unknown } | { ok: false; id: number | null; error: LabErrorShape };

/** Deepest nesting of arrays/objects a client message may have; the contract needs far less. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests arrays/objects deeper than `max`, found by one linear scan before any
 * parsing: a deeply nested body must be refused before JSON.parse, schema checks or error
 * formatting recurse through it.
 */
export function jsonNestingExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** Parses one client frame; a malformed frame gets a structured error, never a crash. */
export function parseClientMessage(text: string): ParsedClientMessage {
  if (jsonNestingExceeds(text)) {
    return {
      ok: false,
      id: null,
      error: { code: 'INVALID_INPUT', message: `message nests deeper than ${MAX_JSON_DEPTH} levels` },
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: { code: 'INVALID_INPUT', message: 'message is not JSON' } };
  }
  const m = raw as Partial<ClientInvoke> | null;
  const id = typeof m?.id === 'number' ? m.id : null;
  if (!m || m.type !== 'invoke' || id === null || typeof m.channel !== 'string') {
    return {
      ok: false,
      id,
      error: { code: 'INVALID_INPUT', message: 'expected {type:"invoke", id:number, channel:string, input}' },
    };
  }
  return { ok: true, id, channel: m.channel, input: m.input };
}
