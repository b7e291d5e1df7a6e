// How the contract travels. Inside Electron: a preload bridge with one function per request
// channel (no generic invoke). In a browser: one WebSocket per page carrying JSON frames.
import type { EventChannel, EventPayload, RequestChannel, RequestInput, RequestOutput } from './contract.ts';
import type { IpcResult } from './result.ts';

/** Electron IPC channel names are namespaced so nothing else in main can be reached. */
export const ELECTRON_REQUEST_PREFIX = 'tickscope:req:';
export const ELECTRON_EVENT_PREFIX = 'tickscope:evt:';

/** What the preload exposes as `window.tickscope`. */
export type TickscopeBridge = {
  readonly requests: {
    readonly [C in RequestChannel]: (input: RequestInput<C>) => Promise<IpcResult<RequestOutput<C>>>;
  };
  subscribe<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void;
};

/** WebSocket path of the headless server; the token rides in the query string (`?token=`). */
export const WS_PATH = '/ws';

export interface WsRequestFrame {
  id: number;
  channel: string;
  input: unknown;
}

export type WsServerFrame =
  { id: number; result: IpcResult<unknown> } | { event: EventChannel; payload: unknown };
