// A local Binance market-stream server for the Binance feed's tests, the CLI tests and the bench.
// It speaks the bookTicker stream protocol for spot or USD-M futures:
//   /ws                      raw streams; streams added by SUBSCRIBE
//   /ws/<stream>[/<stream>]  raw, streams named in the path
//   /stream[?streams=a/b]    combined: every payload wrapped as {"stream","data"}
// SUBSCRIBE ({"method":"SUBSCRIBE","params":[...],"id":n}) is answered {"result":null,"id":n},
// or with an error reply when refused. Quotes go only to connections subscribed to the symbol's
// stream. `url` is the bare host (the feed picks /stream or /ws from its config).
//
// Controls (each documented on the interface below): send N quotes per symbol as fast as possible
// or at a rate, send anything (malformed, binary, truncated), cut connections without a close
// frame (also in the middle of a frame), stop answering pings, announce serverShutdown, refuse
// subscriptions, enforce Binance's 5 messages/s and 1,024 streams per connection, and count
// exactly what was sent per symbol.
import type { BinanceQuoteFields } from './binanceFormat.ts';
import { formatBookTicker } from './binanceFormat.ts';
import { startPeerServer } from './wsPeerBase.ts';
import type { PeerConnection, PeerServer } from './wsPeerBase.ts';

export interface BinancePeerOptions {
  /** futures payloads carry "e":"bookTicker", E and T; spot ones have no time. Default spot. */
  market?: 'spot' | 'futures';
  /** SUBSCRIBE for a stream this returns true for is refused (error reply, nothing subscribed). */
  refuse?: (stream: string) => boolean;
  /** Streams one connection may hold; a SUBSCRIBE beyond is refused. Default 1,024 (Binance). */
  maxStreamsPerConnection?: number;
  /**
   * Messages (text and pings) a connection may send per second; more and the peer closes it
   * with 1008 and counts a violation, as Binance does. 0: no limit. Default 5.
   */
  maxMessagesPerSec?: number;
  /** Quote times (futures E/T), ms; default Date.now(). */
  nowMs?: () => number;
}

export interface BinanceConnection extends PeerConnection {
  /** Subscribed stream names, lowercased. */
  readonly streams: Set<string>;
  readonly combined: boolean;
  /** When (Date.now()) each SUBSCRIBE arrived. */
  readonly subscribeAtMs: number[];
  /** Messages per second above the limit (the peer closed the connection). */
  rateViolations: number;
}

export interface SentQuote extends BinanceQuoteFields {
  /** How many connections it went to (2 while a client's sockets overlap). */
  to: number;
}

export interface BinancePeer extends PeerServer<BinanceConnection> {
  /**
   * Sends n quotes of each symbol, interleaved, as fast as possible, to every connection
   * subscribed to it; returns how many quotes went to at least one connection (only those count).
   */
  sendQuotes(symbols: string | string[], n?: number): number;
  /** Sends n quotes of each symbol spread evenly at `perSec` quotes per second in total. */
  sendAtRate(symbols: string[], n: number, perSec: number): Promise<number>;
  /** Sends one quote with the given fields (huge or tiny numbers, odd sizes); counted like others. */
  sendQuote(symbol: string, fields?: Partial<BinanceQuoteFields>): number;
  /** {"e":"serverShutdown","E":…} to every open connection (futures announce a restart so). */
  sendShutdown(): void;
  /** Quotes sent per symbol (to at least one connection) since the start or resetSent(). */
  sent(): Map<string, number>;
  /** Every quote sent, in order. */
  readonly sentQuotes: SentQuote[];
  resetSent(): void;
  /** Connections subscribed to this symbol's stream. */
  subscribedTo(symbol: string): BinanceConnection[];
  /** The most streams any one connection held. */
  maxStreamsOnOneConnection(): number;
  /** Violations of the messages-per-second limit, over all connections. */
  rateViolations(): number;
}

const streamOf = (symbol: string) => `${symbol.toLowerCase()}@bookticker`;

export async function startBinancePeer(opts: BinancePeerOptions = {}): Promise<BinancePeer> {
  const market = opts.market ?? 'spot';
  const maxStreams = opts.maxStreamsPerConnection ?? 1024;
  const maxRate = opts.maxMessagesPerSec ?? 5;
  const nowMs = opts.nowMs ?? Date.now;
  const sentCount = new Map<string, number>();
  const sentQuotes: SentQuote[] = [];
  const nextU = new Map<string, number>();
  const recentMessages = new WeakMap<BinanceConnection, number[]>();

  const countMessage = (c: BinanceConnection): boolean => {
    if (maxRate <= 0) return true;
    const now = Date.now();
    const list = recentMessages.get(c) ?? [];
    list.push(now);
    while (list.length > 0 && list[0] <= now - 1000) list.shift();
    recentMessages.set(c, list);
    if (list.length > maxRate) {
      c.rateViolations++;
      c.socket.close(1008, 'Too many requests');
      return false;
    }
    return true;
  };

  const server = await startPeerServer<BinanceConnection>(
    (base, req) => {
      const url = new URL(req.url ?? '/', 'ws://peer');
      const path = url.pathname.replace(/\/+$/, '');
      const streams = new Set<string>();
      const combined = /\/stream$/.test(path);
      const named = /\/ws\/(.+)$/.exec(path);
      if (named) for (const s of named[1].split('/')) if (s) streams.add(decodeURIComponent(s).toLowerCase());
      if (combined)
        for (const s of (url.searchParams.get('streams') ?? '').split('/'))
          if (s) streams.add(s.toLowerCase());
      const c: BinanceConnection = { ...base, streams, combined, subscribeAtMs: [], rateViolations: 0 };
      c.socket.on('ping', () => countMessage(c));
      return c;
    },
    (c, text) => {
      if (!countMessage(c)) return;
      let m: { method?: unknown; params?: unknown; id?: unknown };
      try {
        m = JSON.parse(text);
      } catch {
        c.socket.send(JSON.stringify({ code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }));
        return;
      }
      const id = typeof m.id === 'number' ? m.id : null;
      if (m.method !== 'SUBSCRIBE' || !Array.isArray(m.params)) {
        c.socket.send(JSON.stringify({ code: 2, msg: 'Invalid request: unknown method or params', id }));
        return;
      }
      c.subscribeAtMs.push(Date.now());
      const params = m.params.map((p) => String(p).toLowerCase());
      const refused = params.filter((p) => opts.refuse?.(p));
      if (refused.length > 0) {
        c.socket.send(JSON.stringify({ code: 2, msg: `Invalid request: refused stream ${refused[0]}`, id }));
        return;
      }
      const fresh = params.filter((p) => !c.streams.has(p));
      if (c.streams.size + fresh.length > maxStreams) {
        c.socket.send(JSON.stringify({ code: 2, msg: `Exceeded the maximum of ${maxStreams} streams`, id }));
        return;
      }
      for (const p of fresh) c.streams.add(p);
      c.socket.send(JSON.stringify({ result: null, id }));
    },
  );

  const subscribedTo = (symbol: string) => {
    const s = streamOf(symbol);
    return server.open().filter((c) => c.streams.has(s));
  };

  let price = 20_000;
  const quoteOf = (symbol: string, fields: Partial<BinanceQuoteFields> = {}): BinanceQuoteFields => {
    // Binance's u counts every book change; bookTicker shows only some, so ids skip.
    const u = fields.u ?? (nextU.get(symbol) ?? 1_000) + 1 + ((nextU.get(symbol) ?? 0) % 3);
    nextU.set(symbol, Math.max(u, nextU.get(symbol) ?? 0));
    price += 0.01;
    const t = nowMs();
    return {
      symbol,
      u,
      bid: fields.bid ?? price.toFixed(8),
      ask: fields.ask ?? (price + 0.01).toFixed(8),
      bidSize: fields.bidSize ?? (1 + (u % 7) / 10).toFixed(8),
      askSize: fields.askSize ?? (2 + (u % 5) / 10).toFixed(8),
      eventMs: fields.eventMs ?? t,
      transactMs: fields.transactMs ?? t - 1,
    };
  };

  const send = (symbol: string, fields?: Partial<BinanceQuoteFields>): number => {
    const to = subscribedTo(symbol);
    if (to.length === 0) return 0;
    const q = quoteOf(symbol, fields);
    const stream = `${symbol.toLowerCase()}@bookTicker`;
    let rawText: string | null = null;
    let combinedText: string | null = null;
    for (const c of to) {
      if (c.combined) c.socket.send((combinedText ??= formatBookTicker(q, market, stream)));
      else c.socket.send((rawText ??= formatBookTicker(q, market, null)));
    }
    sentQuotes.push({ ...q, to: to.length });
    sentCount.set(symbol, (sentCount.get(symbol) ?? 0) + 1);
    return 1;
  };

  return {
    ...server,
    sendQuotes(symbols, n = 1) {
      const list = typeof symbols === 'string' ? [symbols] : symbols;
      let count = 0;
      for (let i = 0; i < n; i++) for (const s of list) count += send(s);
      return count;
    },
    async sendAtRate(symbols, n, perSec) {
      const total = n * symbols.length;
      const start = performance.now();
      let count = 0;
      for (let k = 0; k < total; k++) {
        const due = start + (k * 1000) / perSec;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        count += send(symbols[k % symbols.length]);
      }
      return count;
    },
    sendQuote(symbol, fields) {
      return send(symbol, fields);
    },
    sendShutdown() {
      server.sendRaw(JSON.stringify({ e: 'serverShutdown', E: nowMs() }));
    },
    sent: () => new Map(sentCount),
    sentQuotes,
    resetSent() {
      sentCount.clear();
      sentQuotes.length = 0;
    },
    subscribedTo,
    maxStreamsOnOneConnection: () => Math.max(0, ...server.connections.map((c) => c.streams.size)),
    rateViolations: () => server.connections.reduce((n, c) => n + c.rateViolations, 0),
  };
}
