// A local Coinbase Advanced Trade WebSocket server for the Coinbase feed's tests, the CLI tests
// and the bench. It speaks the public channels the feed uses:
//   {"type":"subscribe","product_ids":[...],"channel":"ticker"|"heartbeats"} → a "subscriptions"
//   message listing what the connection holds (or {"type":"error",...} for a refused product);
//   ticker messages {"channel":"ticker","timestamp":<ns ISO>,"sequence_num":n,"events":[{"type":
//   "snapshot"|"update","tickers":[...]}]}; heartbeats every heartbeatMs to subscribed connections.
// Every message on a connection carries that connection's sequence_num, counting from 0.
//
// Controls (each documented on the interface below): send N tickers per product as fast as
// possible or at a rate, batch several tickers per message and several events, skip sequence
// numbers (a lost message), heartbeats on/off, refuse products, send anything (malformed,
// binary, truncated), cut connections without a close frame, stop answering pings, and count
// exactly what was sent per product.
import { startPeerServer } from './wsPeerBase.ts';
import type { PeerConnection, PeerServer } from './wsPeerBase.ts';

export interface CoinbasePeerOptions {
  /** Subscribing to a product this returns true for gets an error message instead of the product. */
  refuse?: (productId: string) => boolean;
  /** Heartbeats to connections subscribed to them, every this many ms; 0: none. Default 1,000. */
  heartbeatMs?: number;
  /** Message times, ms (ns digits are added); default Date.now(). */
  nowMs?: () => number;
}

export interface CoinbaseConnection extends PeerConnection {
  /** Products subscribed on the ticker channel. */
  readonly products: Set<string>;
  heartbeats: boolean;
  /** The sequence_num the next message on this connection carries. */
  nextSeq: number;
}

export interface SentTicker {
  productId: string;
  bid: string;
  ask: string;
  bidSize: string;
  askSize: string;
  /** The message's timestamp as sent (ns ISO). */
  timestamp: string;
  /** sequence_num of the message and the entry's index in it, on the first connection it went to. */
  sequenceNum: number;
  index: number;
}

export interface SendOptions {
  /** Tickers per message (default 1). */
  batch?: number;
  /** Split each message's tickers over this many events (default 1). */
  events?: number;
  /** Event type (default "update"). */
  type?: 'snapshot' | 'update';
}

export interface CoinbasePeer extends PeerServer<CoinbaseConnection> {
  /**
   * Sends n tickers per product, interleaved, as fast as possible, to every connection subscribed
   * to the product, `batch` per message; returns how many ticker entries went out (to ≥ 1 connection).
   */
  sendTickers(products: string | string[], n?: number, opts?: SendOptions): number;
  /** The same spread evenly at `perSec` messages per second. */
  sendAtRate(products: string[], n: number, perSec: number, opts?: SendOptions): Promise<number>;
  /** One ticker with the given fields (odd numbers, missing sizes); counted like others. */
  sendTicker(productId: string, fields: Partial<Record<string, unknown>>): number;
  /** The next message on every open connection skips this many sequence numbers (lost messages). */
  skipSequence(by: number): void;
  /** Heartbeats on or off (while on, every heartbeatMs). */
  heartbeats(on: boolean): void;
  /** {"type":"error","message":text} to every open connection. */
  sendError(text: string): void;
  /** Ticker entries sent per product since the start or resetSent(). */
  sent(): Map<string, number>;
  readonly sentTickers: SentTicker[];
  resetSent(): void;
  subscribedTo(productId: string): CoinbaseConnection[];
  /** Heartbeat messages sent so far. */
  heartbeatsSent(): number;
}

/** An ISO time with 9 fractional digits, as Coinbase writes it. */
export function nsIso(ms: number, extraNs: number): string {
  const iso = new Date(Math.floor(ms)).toISOString(); // ...SS.mmmZ
  const sub = String(Math.floor(extraNs) % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, -1)}${sub}Z`;
}

export async function startCoinbasePeer(opts: CoinbasePeerOptions = {}): Promise<CoinbasePeer> {
  const nowMs = opts.nowMs ?? Date.now;
  const heartbeatMs = opts.heartbeatMs ?? 1_000;
  const sentCount = new Map<string, number>();
  const sentTickers: SentTicker[] = [];
  let nsCounter = 0;
  let heartbeatsOn = true;
  let heartbeatCount = 0;
  let heartbeatCounter = 0;
  let price = 30_000;

  const stamp = () => nsIso(nowMs(), (nsCounter = (nsCounter + 7_919) % 1_000_000));

  const envelope = (c: CoinbaseConnection, channel: string, events: unknown[], timestamp = stamp()) => {
    const seq = c.nextSeq++;
    return { text: JSON.stringify({ channel, client_id: '', timestamp, sequence_num: seq, events }), seq };
  };

  const server = await startPeerServer<CoinbaseConnection>(
    (base) => ({ ...base, products: new Set<string>(), heartbeats: false, nextSeq: 0 }),
    (c, text) => {
      let m: { type?: unknown; product_ids?: unknown; channel?: unknown };
      try {
        m = JSON.parse(text);
      } catch {
        c.socket.send(JSON.stringify({ type: 'error', message: 'failure to parse message' }));
        return;
      }
      if (m.type !== 'subscribe' || typeof m.channel !== 'string') {
        c.socket.send(JSON.stringify({ type: 'error', message: 'unknown message type or channel' }));
        return;
      }
      const ids = Array.isArray(m.product_ids) ? m.product_ids.map(String) : [];
      if (m.channel === 'heartbeats') c.heartbeats = true;
      else if (m.channel === 'ticker') {
        const refused = ids.filter((p) => opts.refuse?.(p));
        if (refused.length > 0) {
          c.socket.send(
            JSON.stringify({
              type: 'error',
              message: 'Failed to subscribe',
              reason: `${refused[0]} is not a valid product`,
            }),
          );
          return;
        }
        for (const p of ids) c.products.add(p);
      } else {
        c.socket.send(JSON.stringify({ type: 'error', message: `unknown channel ${m.channel}` }));
        return;
      }
      const subs: Record<string, string[]> = {};
      if (c.products.size > 0) subs.ticker = [...c.products];
      if (c.heartbeats) subs.heartbeats = ['heartbeats'];
      c.socket.send(envelope(c, 'subscriptions', [{ subscriptions: subs }]).text);
    },
  );

  const timer =
    heartbeatMs > 0
      ? setInterval(() => {
          if (!heartbeatsOn) return;
          for (const c of server.open()) {
            if (!c.heartbeats) continue;
            heartbeatCounter++;
            const current = new Date(nowMs()).toISOString().replace('T', ' ').replace('Z', ' +0000 UTC');
            c.socket.send(
              envelope(c, 'heartbeats', [{ current_time: current, heartbeat_counter: heartbeatCounter }])
                .text,
            );
            heartbeatCount++;
          }
        }, heartbeatMs)
      : null;
  timer?.unref();

  const subscribedTo = (p: string) => server.open().filter((c) => c.products.has(p));

  const tickerFields = (productId: string): Record<string, unknown> => {
    price += 0.01;
    return {
      type: 'ticker',
      product_id: productId,
      price: price.toFixed(2),
      volume_24_h: '16038.28770938',
      low_24_h: '21835.29',
      high_24_h: '23011.18',
      low_52_w: '15460',
      high_52_w: '48240',
      price_percent_chg_24_h: '-4.15775596190603',
      best_bid: (price - 0.01).toFixed(2),
      best_bid_quantity: (0.0004 + (sentTickers.length % 9) / 1000).toFixed(8),
      best_ask: price.toFixed(2),
      best_ask_quantity: '0.000007',
    };
  };

  // Sends one message of tickers to every connection subscribed to all of its products.
  const sendMessage = (entries: Record<string, unknown>[], o: SendOptions): number => {
    const groups = Math.max(1, Math.min(o.events ?? 1, entries.length));
    const to = server.open().filter((c) => entries.every((e) => c.products.has(String(e.product_id))));
    if (to.length === 0) return 0;
    const timestamp = stamp();
    const events: { type: string; tickers: Record<string, unknown>[] }[] = [];
    const per = Math.ceil(entries.length / groups);
    for (let i = 0; i < entries.length; i += per)
      events.push({ type: o.type ?? 'update', tickers: entries.slice(i, i + per) });
    let first: number | null = null;
    for (const c of to) {
      const { text, seq } = envelope(c, 'ticker', events, timestamp);
      first ??= seq;
      c.socket.send(text);
    }
    entries.forEach((e, index) => {
      const productId = String(e.product_id);
      sentTickers.push({
        productId,
        bid: String(e.best_bid),
        ask: String(e.best_ask),
        bidSize: String(e.best_bid_quantity),
        askSize: String(e.best_ask_quantity),
        timestamp,
        sequenceNum: first!,
        index,
      });
      sentCount.set(productId, (sentCount.get(productId) ?? 0) + 1);
    });
    return entries.length;
  };

  const plan = (products: string[], n: number, batch: number): Record<string, unknown>[][] => {
    const all: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) for (const p of products) all.push(tickerFields(p));
    const messages: Record<string, unknown>[][] = [];
    for (let i = 0; i < all.length; i += batch) messages.push(all.slice(i, i + batch));
    return messages;
  };

  return {
    ...server,
    sendTickers(products, n = 1, o = {}) {
      const list = typeof products === 'string' ? [products] : products;
      let count = 0;
      for (const entries of plan(list, n, o.batch ?? 1)) count += sendMessage(entries, o);
      return count;
    },
    async sendAtRate(products, n, perSec, o = {}) {
      const start = performance.now();
      let count = 0;
      const messages = plan(products, n, o.batch ?? 1);
      for (let k = 0; k < messages.length; k++) {
        const wait = start + (k * 1000) / perSec - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        count += sendMessage(messages[k], o);
      }
      return count;
    },
    sendTicker(productId, fields) {
      const e = { ...tickerFields(productId), ...fields };
      for (const [k, v] of Object.entries(e)) if (v === undefined) delete e[k];
      return sendMessage([e], {});
    },
    skipSequence(by) {
      for (const c of server.open()) c.nextSeq += by;
    },
    heartbeats(on) {
      heartbeatsOn = on;
    },
    sendError(text) {
      server.sendRaw(JSON.stringify({ type: 'error', message: text }));
    },
    sent: () => new Map(sentCount),
    sentTickers,
    resetSent() {
      sentCount.clear();
      sentTickers.length = 0;
    },
    subscribedTo,
    heartbeatsSent: () => heartbeatCount,
    async close() {
      if (timer) clearInterval(timer);
      await server.close();
    },
  };
}
