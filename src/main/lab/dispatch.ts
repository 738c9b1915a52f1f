// The single entry every transport (Electron IPC, WebSocket, HTTP, tests) goes through: look the
// channel up in the contract, validate the input with its schema, run the handler, and answer
// with a LabResult. Nothing a caller sends can crash the process: every failure is structured.
import type { z } from 'zod';
import { contract, isChannelName, type ChannelName, type ChannelResult, type ParsedInput } from '../../shared/contract';
import type { LabResult } from '../../shared/result';
import { toErrorShape } from './errors';
import { issueField, issueText } from './issueText';

export type Handler<C extends ChannelName> = (input: ParsedInput<C>) => Promise<ChannelResult<C>> | ChannelResult<C>;
export type Handlers = { [C in ChannelName]: Handler<C> };

export type Dispatch = (channel: unknown, input: unknown) => Promise<LabResult<unknown>>;

/** A short, bounded description of an untrusted value for error messages (never recursive). */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : typeof v === 'function' ? 'a function' : String(v);
}

export function createDispatch(handlers: Handlers): Dispatch {
  return async (channel, input) => {
    // Everything, validation and error formatting included, runs inside this boundary: a value
    // that makes any step throw (too deep, a hostile getter) still yields a structured result.
    try {
      if (!isChannelName(channel)) {
        return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `no channel named ${describeValue(channel)}` } };
      }
      const parsed = (contract[channel].input as z.ZodType).safeParse(input ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 20);
        return {
          ok: false,
          error: {
            code: 'INVALID_INPUT',
            message: `invalid input for ${channel}: ${issues
              .map((i) => `${i.path.length ? `${issueField(i.path.slice(0, 10))} ` : ''}${issueText(i).slice(0, 300)}`)
              .join(
                '; ',
              )}${parsed.error.issues.length > issues.length ? `; and ${parsed.error.issues.length - issues.length} more` : ''}`,
            details: issues.map((i) => ({
              path: i.path.slice(0, 10).map(String),
              message: issueText(i).slice(0, 300),
              code: i.code,
            })),
          },
        };
      }
      const handler = handlers[channel] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (err) {
      try {
        return { ok: false, error: toErrorShape(err) };
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: 'the request failed' } };
      }
    }
  };
}
