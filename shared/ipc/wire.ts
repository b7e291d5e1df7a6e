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

/** WebSocket path of the headless server. */
export const WS_PATH = '/ws';
/**
 * The page's WebSocket asks for these subprotocols: `tickscope`, which the server echoes, and
 * `token.<token>`, which carries the token in the Sec-WebSocket-Protocol header instead of the
 * URL (browsers print a failed socket's URL to the console). Tools may still use `?token=`.
 */
export const WS_PROTOCOL = 'tickscope';
export const WS_TOKEN_PROTOCOL_PREFIX = 'token.';
/** Answers 204 with a valid credential and 401 without: how the page tells a refused token from a server that is down. */
export const ACCESS_CHECK_PATH = '/access-check';

export interface WsRequestFrame {
  id: number;
  channel: string;
  input: unknown;
}

export type WsServerFrame =
  { id: number; result: IpcResult<unknown> } | { event: EventChannel; payload: unknown };
