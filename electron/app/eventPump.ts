// Pushes what changed to every connected client: quotes ~10/s, each client's subscribed ticks
// ~20/s, stats and health every second. It polls the store's in-memory live view, so a slow or
// absent client never slows ingest.
import type { EventChannel, EventPayload } from '../../shared/ipc/contract.ts';
import type { Health } from '../../shared/stats.ts';
import type { TickColumns } from '../../shared/tick.ts';
import type { Clock } from '../engine/clock.ts';
import type { TickStore } from '../engine/tickStoreApi.ts';
import type { CallerContext, Subscriber } from './handlerTypes.ts';

export const QUOTES_INTERVAL_MS = 100;
export const TICKS_INTERVAL_MS = 50;
export const STATS_INTERVAL_MS = 1000;

export interface PumpClient extends CallerContext {
  close(): void;
}

export interface EventPump {
  add(subscriber: Subscriber): PumpClient;
  broadcast<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
  /** Sequence numbers and quote versions belong to one store; start over on a new one. */
  storeChanged(): void;
  stop(): void;
}

interface ClientState {
  subscriber: Subscriber;
  /** symbol -> last ingest sequence already sent; null until primed on the current store. */
  seqs: Map<string, number | null>;
}

export function createEventPump(
  getStore: () => TickStore,
  clock: Clock,
  log: (message: string) => void,
  /** Health as clients see it (the store's and the feeds'); default the store's. */
  getHealth: () => Health = () => getStore().getHealth(),
): EventPump {
  const clients = new Map<number, ClientState>();
  let nextId = 1;
  let quoteVersion = 0;
  let lastFailure = '';

  function send<E extends EventChannel>(c: ClientState, event: E, payload: EventPayload<E>): void {
    try {
      c.subscriber.send(event, payload);
    } catch (err) {
      report(`event ${event} could not be sent: ${(err as Error).message}`);
    }
  }

  // A failing poll repeats every few ms; one line per distinct failure keeps the log readable.
  function report(message: string): void {
    if (message === lastFailure) return;
    lastFailure = message;
    log(message);
  }

  // Subscriptions start from now: the client loads what came before with ticks.recent.
  function currentSeq(symbol: string): number {
    return getStore().live.ticksSince(symbol, Number.MAX_SAFE_INTEGER).lastSeq;
  }

  function broadcast<E extends EventChannel>(event: E, payload: EventPayload<E>): void {
    for (const c of clients.values()) send(c, event, payload);
  }

  function guarded(name: string, fn: () => void): () => void {
    return () => {
      try {
        fn();
      } catch (err) {
        report(`${name}: ${(err as Error).message}`);
      }
    };
  }

  const pumpQuotes = guarded('live.quotes', () => {
    if (clients.size === 0) return;
    const { version, quotes } = getStore().live.quotesSince(quoteVersion);
    quoteVersion = version;
    if (quotes.length > 0) broadcast('live.quotes', { quotes });
  });

  const pumpTicks = guarded('live.ticks', () => {
    const live = getStore().live;
    for (const c of clients.values()) {
      if (c.seqs.size === 0) continue;
      const batches: TickColumns[] = [];
      for (const [symbol, seq] of c.seqs) {
        if (seq === null) {
          c.seqs.set(symbol, currentSeq(symbol));
          continue;
        }
        const r = live.ticksSince(symbol, seq);
        c.seqs.set(symbol, r.lastSeq);
        if (r.ticks.tsUs.length > 0) batches.push(r.ticks);
      }
      if (batches.length > 0) send(c, 'live.ticks', { batches });
    }
  });

  const pumpStats = guarded('storage.stats', () => {
    if (clients.size === 0) return;
    const store = getStore();
    broadcast('storage.stats', store.getStorageStats());
    broadcast('storage.health', getHealth());
  });

  const cancels = [
    clock.every(QUOTES_INTERVAL_MS, pumpQuotes),
    clock.every(TICKS_INTERVAL_MS, pumpTicks),
    clock.every(STATS_INTERVAL_MS, pumpStats),
  ];

  return {
    add(subscriber) {
      const id = nextId++;
      const state: ClientState = { subscriber, seqs: new Map() };
      clients.set(id, state);
      return {
        id,
        setLiveSymbols(symbols) {
          const next = new Map<string, number | null>();
          for (const s of symbols) {
            let seq = state.seqs.get(s) ?? null;
            if (seq === null) {
              try {
                seq = currentSeq(s);
              } catch {
                seq = null; // store is being swapped; primed on the next poll
              }
            }
            next.set(s, seq);
          }
          state.seqs = next;
        },
        close() {
          clients.delete(id);
        },
      };
    },
    broadcast,
    storeChanged() {
      quoteVersion = 0;
      // The new store numbers its ticks from scratch, so everything it holds is new to clients.
      for (const c of clients.values()) for (const s of c.seqs.keys()) c.seqs.set(s, 0);
    },
    stop() {
      for (const cancel of cancels) cancel();
      clients.clear();
    },
  };
}
