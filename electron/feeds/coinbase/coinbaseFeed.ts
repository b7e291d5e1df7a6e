// The Coinbase Advanced Trade feed: the public ticker channel (best bid/ask with sizes) plus the
// heartbeats channel, which keeps a connection whose products are quiet from being cut after a
// minute or so and proves liveness. One stored tick per ticker entry; a message may batch several
// events of several tickers, and all of them share the message's sequence_num, so each entry's
// seq is sequence_num × 1000 + its index in the message (distinct, and ordered as sent).
// sequence_num counts every message on a connection (heartbeats and acks included): a skip is a
// lost message, ledgered as a sequence_gap of the connection (symbol null), never a reset of any
// product's state. A new connection starts its own numbering.
import { DEFAULT_FEED_URLS, defaultSource } from '../../../shared/feeds/feedConfig.ts';
import type { FeedConfigOf } from '../../../shared/feeds/feedConfig.ts';
import type { FeedStatus } from '../../../shared/feeds/feedStatus.ts';
import type { Feed } from '../feed.ts';
import type { FeedClock } from '../core/feedClock.ts';
import { systemFeedClock } from '../core/feedClock.ts';
import { PacedSender } from '../core/pacedSender.ts';
import { createLateSink } from '../core/lateSink.ts';
import { reusableTick } from '../core/reusableTick.ts';
import { createFeedTracker } from '../core/feedTracker.ts';
import type { ReconnectBackoff } from '../core/reconnectBackoff.ts';
import type { StalenessOptions } from '../core/stalenessWatchdog.ts';
import { createWsConnection } from '../core/wsConnection.ts';
import type { WsConnection, WsSession } from '../core/wsConnection.ts';
import { emptyCoinbaseMessage, parseCoinbaseMessage } from './coinbaseMessages.ts';

/** Products per subscribe message; more are sent in further messages, paced. */
export const COINBASE_PRODUCTS_PER_SUBSCRIBE = 500;
export const COINBASE_SUBSCRIBE_INTERVAL_MS = 250;

export interface CoinbaseFeedDeps {
  clock?: FeedClock;
  pingIntervalMs?: number;
  deadAfterMs?: number;
  backoff?: ReconnectBackoff;
  watchdog?: StalenessOptions;
  productsPerSubscribe?: number;
  subscribeIntervalMs?: number;
}

export function createCoinbaseFeed(config: FeedConfigOf<'coinbase'>, deps: CoinbaseFeedDeps = {}): Feed {
  const clock = deps.clock ?? systemFeedClock;
  const source = defaultSource(config);
  const url = config.url ?? DEFAULT_FEED_URLS.coinbase;
  const perSubscribe = deps.productsPerSubscribe ?? COINBASE_PRODUCTS_PER_SUBSCRIBE;
  const subscribeEvery = deps.subscribeIntervalMs ?? COINBASE_SUBSCRIBE_INTERVAL_MS;
  const products = [...config.symbols];
  const sink = createLateSink();
  const tracker = createFeedTracker({
    id: config.id,
    kind: 'coinbase',
    source,
    endpoint: url.replace(/\?.*$/, ''),
    symbols: products,
    clock,
    sink,
    watchdog: deps.watchdog,
  });
  const msg = emptyCoinbaseMessage();
  const tick = reusableTick(source);
  const pacer = new PacedSender(clock, subscribeEvery);
  let conn: WsConnection | null = null;
  let generation = 0;
  let started = false;
  let stopped: Promise<void> | null = null;

  const subscribe = (session: WsSession) => {
    // Numbering restarts with every connection.
    tracker.resetSequence(null);
    generation = session.generation;
    const messages: string[] = [];
    for (let i = 0; i < products.length; i += perSubscribe) {
      const ids = products.slice(i, i + perSubscribe);
      messages.push(JSON.stringify({ type: 'subscribe', product_ids: ids, channel: 'ticker' }));
    }
    messages.push(JSON.stringify({ type: 'subscribe', product_ids: products, channel: 'heartbeats' }));
    pacer.sendAll(messages, (text) => {
      if (!session.open) return false;
      session.send(text);
      return true;
    });
  };

  const onMessage = (data: string | Buffer, recvUs: number, session: WsSession) => {
    if (typeof data !== 'string') {
      tracker.malformed('binary frame (Coinbase sends text)', data);
      return;
    }
    const r = parseCoinbaseMessage(data, msg);
    if (msg.sequenceNum >= 0 && session.generation === generation) tracker.sequence(null, msg.sequenceNum);
    switch (r) {
      case 'ticker':
        break;
      case 'heartbeat':
        // Liveness only: the connection saw a message (wsConnection counts it as heard).
        session.markLive();
        return;
      case 'subscriptions':
        session.markLive();
        return;
      case 'other_channel':
        return;
      case 'error':
        tracker.record({
          kind: 'rejected',
          symbol: null,
          code: null,
          reason: `Coinbase refused: ${msg.errorText}`,
          fromSeq: null,
          toSeq: null,
          sinceUs: null,
        });
        return;
      default:
        tracker.malformed(r, data);
        return;
    }
    if (msg.badEntries > 0) for (let i = 0; i < msg.badEntries; i++) tracker.malformed(msg.badReason, data);
    const base = msg.sequenceNum * 1000;
    for (let i = 0; i < msg.count; i++) {
      const t = msg.tickers[i];
      tick.symbol = t.productId;
      tick.bid = t.bid;
      tick.ask = t.ask;
      tick.bidSize = Number.isNaN(t.bidSize) ? undefined : t.bidSize;
      tick.askSize = Number.isNaN(t.askSize) ? undefined : t.askSize;
      tick.seq = base + t.index;
      tick.tsUs = msg.timestampUs;
      tick.recvUs = recvUs;
      tracker.tick(tick);
    }
    if (msg.count > 0) session.markLive();
  };

  return {
    id: config.id,
    kind: 'coinbase',
    source,
    symbols: products,
    start(s) {
      if (started) return;
      started = true;
      sink.attach(s);
      conn = createWsConnection({
        url,
        clock,
        tracker,
        wait: () => sink.wait(),
        awaitSubscription: true,
        pingIntervalMs: deps.pingIntervalMs,
        deadAfterMs: deps.deadAfterMs,
        backoff: deps.backoff,
        onOpen: subscribe,
        onMessage,
      });
      conn.start();
    },
    stop() {
      if (stopped) return stopped;
      stopped = (async () => {
        pacer.stop();
        await conn?.stop();
        tracker.stop();
      })();
      return stopped;
    },
    status(): FeedStatus {
      return tracker.status();
    },
    lastMessages: () => tracker.lastMessages(),
    checkConnection() {
      conn?.checkConnection();
    },
  };
}
