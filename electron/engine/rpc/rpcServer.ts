// Worker end of the RPC: one handler per method of the worker's API interface. Every call gets
// exactly one reply, sent in a `finally`, so an exception anywhere in a handler still answers the
// caller (with an error envelope) instead of leaving it waiting.
import type { MessagePort } from 'node:worker_threads';
import type { FromWorker, RpcApi, RpcChannel, RpcEvents, ToWorker } from './rpcWire.ts';
import { Transfer, toEnvelope } from './rpcWire.ts';

export type RpcHandlers<A extends RpcApi> = {
  [M in keyof A]: (
    ...args: Parameters<A[M]>
  ) =>
    | Awaited<ReturnType<A[M]>>
    | Transfer<Awaited<ReturnType<A[M]>>>
    | Promise<Awaited<ReturnType<A[M]>> | Transfer<Awaited<ReturnType<A[M]>>>>;
};

export interface RpcServer<E extends RpcEvents> {
  emit<K extends keyof E & string>(event: K, payload: E[K], transfer?: ArrayBuffer[]): void;
  /** The worker's state is broken: the main thread fails every waiter and terminates it. */
  fatal(error: unknown): void;
}

/**
 * Serves `handlers` on a channel: a worker's parentPort, or (for a worker that calls back) the
 * Worker object itself. Replies to a client on the same channel are not this end's business.
 */
export function serveRpc<A extends RpcApi, E extends RpcEvents = RpcEvents>(
  port: RpcChannel,
  handlers: RpcHandlers<A>,
): RpcServer<E> {
  const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  const table = handlers as unknown as Record<string, (...args: unknown[]) => unknown>;

  async function answer(id: number, method: string, args: unknown[]): Promise<void> {
    let reply: FromWorker = {
      rpc: 'reply',
      id,
      ok: false,
      error: { kind: 'internal', message: `${method}: no reply was produced` },
    };
    let transfer: ArrayBuffer[] = [];
    try {
      const fn = table[method];
      if (typeof fn !== 'function') throw new Error(`unknown method ${JSON.stringify(method)}`);
      const out = await fn(...args);
      if (out instanceof Transfer) {
        reply = { rpc: 'reply', id, ok: true, value: out.value };
        transfer = out.list;
      } else reply = { rpc: 'reply', id, ok: true, value: out };
    } catch (e) {
      reply = { rpc: 'reply', id, ok: false, error: toEnvelope(e) };
    } finally {
      try {
        post(reply, transfer);
      } catch (e) {
        // The value could not be cloned: say so rather than leave the caller waiting.
        post({ rpc: 'reply', id, ok: false, error: toEnvelope(e) });
      }
    }
  }

  (port as MessagePort).on('message', (m: ToWorker) => {
    if (m.rpc === 'call') {
      void answer(m.id, m.method, m.args);
      return;
    }
    if (m.rpc !== 'send') return;
    const fn = table[m.method];
    try {
      const out = fn?.(...m.args);
      if (out instanceof Promise) out.catch((e: unknown) => post({ rpc: 'fatal', error: toEnvelope(e) }));
    } catch (e) {
      // A one-way message has nobody to answer: an exception here means the worker is broken.
      post({ rpc: 'fatal', error: toEnvelope(e) });
    }
  });

  return {
    emit(event, payload, transfer) {
      post({ rpc: 'event', event, payload }, transfer);
    },
    fatal(error) {
      post({ rpc: 'fatal', error: toEnvelope(error) });
    },
  };
}
