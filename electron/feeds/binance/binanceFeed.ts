// The Binance feed: spot and USD-M futures bookTicker over one or more managed sockets (1,024
// streams each). Subscribes by message at most 4 per second per socket (Binance closes a socket
// that sends more than 5 messages a second, and our own ping counts), replaces each socket before
// Binance's 24 h cut (and on a serverShutdown notice) with an overlapping one, dropping the
// updates both sockets deliver by their update id `u`.
import { defaultSource } from '../../../shared/feeds/feedConfig.ts';
import type { FeedConfigOf } from '../../../shared/feeds/feedConfig.ts';
import type { FeedStatus } from '../../../shared/feeds/feedStatus.ts';
import type { Feed } from '../feed.ts';
import type { FeedClock } from '../core/feedClock.ts';
import { systemFeedClock } from '../core/feedClock.ts';
import { PacedSender } from '../core/pacedSender.ts';
import { createLateSink } from '../core/lateSink.ts';
import { reusableTick } from '../core/reusableTick.ts';
import { createFeedTracker, MAIN_CONNECTION } from '../core/feedTracker.ts';
import type { ReconnectBackoff } from '../core/reconnectBackoff.ts';
import type { StalenessOptions } from '../core/stalenessWatchdog.ts';
import { createWsConnection } from '../core/wsConnection.ts';
import type { WsConnection, WsSession } from '../core/wsConnection.ts';
import { BINANCE_MAX_STREAMS_PER_CONNECTION, planBinanceConnections } from './binanceEndpoints.ts';
import type { BinanceShard } from './binanceEndpoints.ts';
import { emptyBookTickerQuote, parseBookTicker } from './bookTicker.ts';

/** Binance cuts a connection at 24 h; we replace it well before. */
export const BINANCE_RECYCLE_AFTER_MS = (23 * 60 + 30) * 60_000;
/** One SUBSCRIBE per this many ms per socket: 4 a second, under Binance's 5 with room for a ping. */
export const BINANCE_SUBSCRIBE_INTERVAL_MS = 250;
export const BINANCE_STREAMS_PER_SUBSCRIBE = 200;

export interface BinanceFeedDeps {
  clock?: FeedClock;
  /** Streams per socket; beyond, another socket (shard). */
  maxStreamsPerConnection?: number;
  subscribeIntervalMs?: number;
  streamsPerSubscribe?: number;
  /** Replace each socket after this long (overlapping). */
  maxLifetimeMs?: number;
  recycleOverlapMs?: number;
  pingIntervalMs?: number;
  deadAfterMs?: number;
  /** A backoff per socket. */
  backoff?: () => ReconnectBackoff;
  watchdog?: StalenessOptions;
}

interface PendingSubscribe {
  session: WsSession;
  streams: string[];
}

export interface BinanceFeed extends Feed {
  /** Updates dropped because two overlapping sockets both delivered them. */
  readonly duplicatesDropped: number;
}

export function createBinanceFeed(config: FeedConfigOf<'binance'>, deps: BinanceFeedDeps = {}): BinanceFeed {
  const clock = deps.clock ?? systemFeedClock;
  const source = defaultSource(config);
  const plan = planBinanceConnections(
    config,
    deps.maxStreamsPerConnection ?? BINANCE_MAX_STREAMS_PER_CONNECTION,
  );
  const subscribeEvery = deps.subscribeIntervalMs ?? BINANCE_SUBSCRIBE_INTERVAL_MS;
  const perSubscribe = deps.streamsPerSubscribe ?? BINANCE_STREAMS_PER_SUBSCRIBE;
  const symbols = config.symbols.map((s) => s.toUpperCase());
  const sink = createLateSink();
  const tracker = createFeedTracker({
    id: config.id,
    kind: 'binance',
    source,
    endpoint: plan.endpoint,
    symbols,
    clock,
    // Ticks and ledger entries go to the sink given to start(); before it, nowhere.
    sink,
    watchdog: deps.watchdog,
  });
  const pending = new Map<number, PendingSubscribe>();
  const pacer = new PacedSender(clock, subscribeEvery);
  let nextId = 1;
  const quote = emptyBookTickerQuote();
  const tick = reusableTick(source);
  let duplicates = 0;
  let connections: WsConnection[] = [];
  let started = false;
  let stopped: Promise<void> | null = null;

  const subscribe = (shard: BinanceShard, session: WsSession) => {
    // Requests of sockets that are gone will never be answered.
    for (const [id, p] of pending) if (!p.session.open) pending.delete(id);
    const batches: string[][] = [];
    for (let i = 0; i < shard.subscribe.length; i += perSubscribe)
      batches.push(shard.subscribe.slice(i, i + perSubscribe));
    if (batches.length === 0) {
      session.markLive();
      return;
    }
    pacer.sendAll(batches, (streams) => {
      if (!session.open) return false;
      const id = nextId++;
      pending.set(id, { session, streams });
      session.send(JSON.stringify({ method: 'SUBSCRIBE', params: streams, id }));
      return true;
    });
  };

  const settle = (id: number): PendingSubscribe | undefined => {
    const p = pending.get(id);
    if (!p) return undefined;
    pending.delete(id);
    let more = false;
    for (const q of pending.values()) if (q.session === p.session) more = true;
    if (!more) p.session.markLive();
    return p;
  };

  const onMessage = (conn: () => WsConnection, data: string | Buffer, recvUs: number, session: WsSession) => {
    if (typeof data !== 'string') {
      tracker.malformed('binary frame (Binance sends text)', data);
      return;
    }
    const r = parseBookTicker(data, quote);
    if (r === 'tick') {
      const verdict = tracker.sequence(quote.symbol, quote.updateId, 'increasing');
      if (verdict === 'repeat') {
        // Two sockets overlap while one replaces the other: the same update arrives on both.
        if (conn().overlapping) {
          duplicates++;
          return;
        }
        // Outside an overlap a lower id is the exchange's own doing (a restart): keep it and follow.
        tracker.resetSequence(quote.symbol);
        tracker.sequence(quote.symbol, quote.updateId, 'increasing');
      }
      tick.symbol = quote.symbol;
      tick.bid = quote.bid;
      tick.ask = quote.ask;
      tick.bidSize = quote.bidSize;
      tick.askSize = quote.askSize;
      tick.seq = quote.updateId;
      tick.recvUs = recvUs;
      if (quote.exchangeUs >= 0) {
        tick.tsUs = quote.exchangeUs;
        tick.noExchangeTime = false;
      } else {
        tick.tsUs = recvUs;
        tick.noExchangeTime = true;
      }
      tracker.tick(tick);
      session.markLive();
      return;
    }
    switch (r) {
      case 'ack':
        settle(quote.id);
        return;
      case 'error': {
        const p = quote.id >= 0 ? settle(quote.id) : undefined;
        const what = p
          ? ` (SUBSCRIBE ${quote.id}: ${p.streams.slice(0, 5).join(', ')}${p.streams.length > 5 ? ` and ${p.streams.length - 5} more` : ''})`
          : '';
        tracker.record({
          kind: 'rejected',
          symbol: p && p.streams.length === 1 ? p.streams[0].split('@')[0].toUpperCase() : null,
          code: quote.errorCode >= 0 ? quote.errorCode : null,
          reason: `Binance refused: ${quote.errorText}${what}`,
          fromSeq: null,
          toSeq: null,
          sinceUs: null,
        });
        return;
      }
      case 'shutdown':
        conn().recycle('the server announced serverShutdown');
        return;
      default:
        tracker.malformed(r, data);
    }
  };

  return {
    id: config.id,
    kind: 'binance',
    source,
    symbols,
    start(s) {
      if (started) return;
      started = true;
      sink.attach(s);
      connections = plan.shards.map((shard, i) => {
        const name = plan.shards.length === 1 ? MAIN_CONNECTION : `shard ${i + 1}/${plan.shards.length}`;
        const c: WsConnection = createWsConnection({
          url: shard.url,
          name,
          clock,
          tracker,
          wait: () => sink.wait(),
          awaitSubscription: true,
          pingIntervalMs: deps.pingIntervalMs,
          deadAfterMs: deps.deadAfterMs,
          maxLifetimeMs: deps.maxLifetimeMs ?? BINANCE_RECYCLE_AFTER_MS,
          recycleOverlapMs: deps.recycleOverlapMs,
          backoff: deps.backoff?.(),
          onOpen: (session) => subscribe(shard, session),
          onMessage: (data, recvUs, session) => onMessage(() => c, data, recvUs, session),
        });
        return c;
      });
      for (const c of connections) c.start();
    },
    stop() {
      if (stopped) return stopped;
      stopped = (async () => {
        pacer.stop();
        await Promise.all(connections.map((c) => c.stop()));
        tracker.stop();
      })();
      return stopped;
    },
    status(): FeedStatus {
      const st = tracker.status();
      st.connections = plan.shards.length;
      st.connectionsLive = connections.filter((c) => c.live).length;
      return st;
    },
    lastMessages: () => tracker.lastMessages(),
    checkConnection() {
      for (const c of connections) c.checkConnection();
    },
    get duplicatesDropped() {
      return duplicates;
    },
  };
}
