// THE contract: every channel between the renderer and the lab, with its input schema and result
// type, and every event stream. Main (IPC), serve mode (WebSocket/HTTP), the preload and the
// renderer client are all built from this one object. Domains add their channels in their own file
// and spread them here.
import type { z } from 'zod';
import { annotationChannels } from './annotations';
import { appChannels } from './app';
import { datasetChannels } from './datasets';
import { runChannels } from './runs';
import { experimentChannels } from './experiments';
import { reportChannels } from './reports';
import { studentChannels } from './students';
import type { ChannelSpec, EventSpec } from './define';
import { labEvents } from './events';

export const contract = {
  ...appChannels,
  ...datasetChannels,
  ...runChannels,
  ...experimentChannels,
  ...annotationChannels,
  ...reportChannels,
  ...studentChannels,
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
/** What a caller may send (before defaults/coercion). */
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>;
/** What a handler receives (after parsing). */
export type ParsedInput<C extends ChannelName> = z.output<Contract[C]['input']>;
export type ChannelResult<C extends ChannelName> = Contract[C] extends ChannelSpec<z.ZodType, infer R> ? R : never;

/** Electron IPC channel that carries LabEventMessage from main to the window. */
export const IPC_EVENT_CHANNEL = 'lab:event';

export const channelNames = Object.keys(contract) as ChannelName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

export { labEvents };
export type LabEvents = typeof labEvents;
export type EventName = keyof LabEvents;
export type EventPayload<E extends EventName> = LabEvents[E] extends EventSpec<infer P> ? P : never;
export const eventNames = Object.keys(labEvents) as EventName[];
/** One event as it travels over IPC or WebSocket. */
export type LabEventMessage = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];
