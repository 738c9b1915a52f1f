// The single entry every transport (Electron IPC, WebSocket, HTTP, tests) goes through: look the
// channel up in the contract, validate the input with its schema, run the handler, and answer
// with a LabResult. Nothing a caller sends can crash the process: every failure is structured.
import type { z } from 'zod';
import {
  contract,
  isChannelName,
  type ChannelName,
  type ChannelResult,
  type ParsedInput,
} from '../../shared/contract';
import type { LabResult } from '../../shared/result';
import { toErrorShape } from './errors';

export type Handler<C extends ChannelName> = (input: ParsedInput<C>) => Promise<ChannelResult<C>> | ChannelResult<C>;
export type Handlers = { [C in ChannelName]: Handler<C> };

export type Dispatch = (channel: unknown, input: unknown) => Promise<LabResult<unknown>>;

export function createDispatch(handlers: Handlers): Dispatch {
  return async (channel, input) => {
    if (!isChannelName(channel)) {
      return {
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `no channel named ${JSON.stringify(channel)}` },
      };
    }
    const parsed = (contract[channel].input as z.ZodType).safeParse(input ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: `invalid input for ${channel}: ${parsed.error.issues
            .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
            .join('; ')}`,
          details: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })),
        },
      };
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: toErrorShape(err) };
    }
  };
}
