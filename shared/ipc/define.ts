// Building blocks of the IPC contract: a request channel is an input schema plus a result type,
// an event channel is a payload type. Everything else (Electron handlers, the preload API, the
// WebSocket server and the renderer client) is derived from the table of these.
import type { z } from 'zod';

export interface RequestDef<I extends z.ZodType, O> {
  kind: 'request';
  input: I;
  /** Phantom: carries the result type; never set at run time. */
  output?: O;
}

export interface EventDef<P> {
  kind: 'event';
  payload?: P;
}

export function request<O>() {
  return <I extends z.ZodType>(input: I): RequestDef<I, O> => ({ kind: 'request', input });
}

export function event<P>(): EventDef<P> {
  return { kind: 'event' };
}
