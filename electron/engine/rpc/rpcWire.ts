// The messages of the worker RPC, shared by both ends. A worker's API is one TypeScript interface
// (method name -> function type); the client's `call` and the worker's handlers are both typed
// from it, as Signal Desktop derives its SQL client and server from one `Interface`.
import type { MessagePort, Worker } from 'node:worker_threads';

/** A worker's API: method name -> function type. */
export type RpcApi = { [method: string]: (...args: never[]) => unknown };

/** Unsolicited messages a worker may post: event name -> payload. */
export type RpcEvents = { [event: string]: unknown };

/** How an error crosses the thread boundary: enough to rebuild a typed error on the other side. */
export interface ErrorEnvelope {
  /** A stable kind callers branch on (e.g. 'QueryError', 'SchemaVersionError', 'internal'). */
  kind: string;
  message: string;
  /** The file or folder concerned, when there is one. */
  path?: string;
  /** The errno or SQLite code, when there is one (ENOSPC, SQLITE_FULL...). */
  code?: string;
  /** The error's other own fields that are plain values, for a typed error to be rebuilt. */
  fields?: Record<string, string | number | boolean | null>;
}

/** The channel an RPC end talks over: a Worker, or a worker's parentPort. */
export type RpcChannel = MessagePort | Worker;

export type ToWorker =
  | { rpc: 'call'; id: number; method: string; args: unknown[] }
  /** One-way: the worker handles it in order with the calls, and never replies. */
  | { rpc: 'send'; method: string; args: unknown[] };

export type FromWorker =
  | { rpc: 'reply'; id: number; ok: true; value: unknown }
  | { rpc: 'reply'; id: number; ok: false; error: ErrorEnvelope }
  | { rpc: 'event'; event: string; payload: unknown }
  /** The worker cannot go on (its state is broken): every waiter is failed and it is terminated. */
  | { rpc: 'fatal'; error: ErrorEnvelope };

/** A handler's result together with the buffers to transfer (not copy) back. */
export class Transfer<T> {
  readonly value: T;
  readonly list: ArrayBuffer[];
  constructor(value: T, list: ArrayBuffer[]) {
    this.value = value;
    this.list = list;
  }
}

export function toEnvelope(e: unknown): ErrorEnvelope {
  const err = e as { name?: unknown; message?: unknown; path?: unknown; code?: unknown; kind?: unknown };
  const kind =
    typeof err?.kind === 'string' ? err.kind : typeof err?.name === 'string' ? err.name : 'internal';
  const env: ErrorEnvelope = {
    kind,
    message: typeof err?.message === 'string' ? err.message : String(e),
  };
  if (typeof err?.path === 'string') env.path = err.path;
  if (typeof err?.code === 'string') env.code = err.code;
  if (err !== null && typeof err === 'object') {
    const fields: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(err)) {
      if (v === null || ['string', 'number', 'boolean'].includes(typeof v))
        fields[k] = v as string | number | boolean | null;
    }
    if (Object.keys(fields).length > 0) env.fields = fields;
  }
  return env;
}
