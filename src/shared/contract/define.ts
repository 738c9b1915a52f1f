// Building blocks of the typed contract. A channel pairs a runtime input schema (checked by main
// at the boundary) with a compile-time result type (checked by the handler and the client).
import { z } from 'zod';

export interface ChannelSpec<I extends z.ZodType, R> {
  readonly input: I;
  readonly doc: string;
  /** Phantom field carrying the result type; never set at run time. */
  readonly __result?: R;
}

/** `channel<Result>()(inputSchema, doc)`: curried so the input type is inferred, the result given. */
export function channel<R>() {
  return <I extends z.ZodType>(input: I, doc: string): ChannelSpec<I, R> => ({ input, doc });
}

export interface EventSpec<P> {
  readonly doc: string;
  readonly __payload?: P;
}

export function event<P>(doc: string): EventSpec<P> {
  return { doc };
}

/** A row id (dataset, example, run, experiment...). */
export const idSchema = z.number().int().positive();

/** A dataset version: its number, the open draft, or the head (the last committed version). */
export const versionRefSchema = z.union([idSchema, z.literal('draft'), z.literal('head')]);
