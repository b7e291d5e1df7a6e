// The shape every request handler has, derived from the contract so that a channel without a
// handler, or a handler returning the wrong thing, is a compile error rather than a runtime 404.
import type { z } from 'zod';
import type { Requests, RequestChannel, RequestOutput } from '../../shared/ipc/contract.ts';
import type { IpcErrorCode } from '../../shared/ipc/result.ts';
import type { EventChannel, EventPayload } from '../../shared/ipc/contract.ts';

/** The argument after validateRequest: defaults applied, unknown keys refused. */
export type ParsedInput<C extends RequestChannel> = Requests[C]['input'] extends z.ZodType
  ? z.output<Requests[C]['input']>
  : never;

/** Whoever receives events: an Electron window or a WebSocket. */
export interface Subscriber {
  send<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
}

/** One connected client, so per-client state (live subscriptions) has an owner. */
export interface CallerContext {
  readonly id: number;
  /** Replaces the set of symbols whose every tick this caller gets on `live.ticks`. */
  setLiveSymbols(symbols: string[]): void;
  /** Sends an event to this caller only (per-caller sessions such as a replay). */
  send?<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
  /** Runs fn when this caller's window or socket closes. */
  onClose?(fn: () => void): void;
}

export type Handler<C extends RequestChannel> = (
  input: ParsedInput<C>,
  caller: CallerContext | null,
) => Promise<RequestOutput<C>>;

export type HandlerMap<C extends RequestChannel = RequestChannel> = { [K in C]: Handler<K> };

/** A failure a handler reports on purpose, with the envelope code the client should see. */
export class HandlerError extends Error {
  readonly code: IpcErrorCode;
  constructor(code: IpcErrorCode, message: string) {
    super(message);
    this.name = 'HandlerError';
    this.code = code;
  }
}
