// The one table of IPC channels. Main's handlers, the preload API, the headless server and the
// renderer client are all derived from it, so a channel exists everywhere or nowhere.
import type { z } from 'zod';
import type { EventDef, RequestDef } from './define.ts';
import { deskRequests } from './deskChannels.ts';
import { exportEvents, exportRequests } from './exportChannels.ts';
import { feedEvents, feedRequests } from './feedChannels.ts';
import { migrationEvents, migrationRequests } from './migrationChannels.ts';
import { qualityRequests } from './qualityChannels.ts';
import { replayEvents, replayRequests } from './replayChannels.ts';
import { storageEvents, storageRequests } from './storageChannels.ts';

export const requests = {
  ...storageRequests,
  ...migrationRequests,
  ...feedRequests,
  ...qualityRequests,
  ...exportRequests,
  ...replayRequests,
  ...deskRequests,
};
export const events = {
  ...storageEvents,
  ...migrationEvents,
  ...feedEvents,
  ...exportEvents,
  ...replayEvents,
};

export type Requests = typeof requests;
export type Events = typeof events;
export type RequestChannel = keyof Requests;
export type EventChannel = keyof Events;

export type RequestInput<C extends RequestChannel> =
  Requests[C] extends RequestDef<infer I, unknown> ? z.input<I> : never;
export type RequestOutput<C extends RequestChannel> =
  Requests[C] extends RequestDef<z.ZodType, infer O> ? O : never;
export type EventPayload<C extends EventChannel> = Events[C] extends EventDef<infer P> ? P : never;

export const REQUEST_CHANNELS = Object.keys(requests) as RequestChannel[];
export const EVENT_CHANNELS = Object.keys(events) as EventChannel[];

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.hasOwn(requests, name);
}

/** The typed API the renderer sees, whatever the transport (preload or WebSocket). */
export interface TickscopeApi {
  call<C extends RequestChannel>(channel: C, input: RequestInput<C>): Promise<RequestOutput<C>>;
  on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void;
}
