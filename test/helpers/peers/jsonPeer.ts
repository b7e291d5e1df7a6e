// A JSON quote server for the generic WebSocket feed's tests: a WebSocketServer on 127.0.0.1:0
// that sends quotes in a configurable JSON format, raw text or binary frames, can cut its
// connections without a close frame (as a dead network does) and counts what it sent per symbol.
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';

export interface PeerQuote {
  symbol: string;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
  /** ms since the epoch. */
  timeMs: number;
  /** Per symbol, from 1. */
  seq: number;
}

export interface JsonPeerOptions {
  /** The message for one quote; a string is sent as it is, anything else as JSON. */
  format?: (q: PeerQuote) => unknown;
  /** Quotes go only to clients that sent at least one message (a subscribe). */
  requireSubscribe?: boolean;
  /** The quote time; default Date.now(). */
  nowMs?: () => number;
}

export interface PeerClient {
  /** 1 for the first connection, 2 after a reconnect... */
  readonly number: number;
  /** Text messages the client sent, in order. */
  readonly received: string[];
  readonly socket: WebSocket;
}

export interface JsonPeer {
  readonly url: string;
  /** Every connection so far, open or not. */
  readonly clients: PeerClient[];
  /** Open connections. */
  openClients(): PeerClient[];
  /** Sends n quotes of each symbol (interleaved) to every open (subscribed) client; returns how many went out. */
  sendQuotes(symbols: string | string[], n?: number): number;
  /** Skips sequence numbers: the next quote of `symbol` is numbered `by` higher than it would be. */
  skipSeq(symbol: string, by: number): void;
  sendRaw(text: string): void;
  sendBinary(bytes: Uint8Array): void;
  /**
   * Destroys every connection's socket: no close frame, as when the network dies. With
   * `midQuoteOf`, first writes half of the frame of that symbol's next quote (it uses up a
   * sequence number and is listed in `lost`), so the cut falls in the middle of a message.
   */
  cut(opts?: { midQuoteOf?: string }): void;
  /** Quotes whose frame a cut broke off. */
  readonly lost: PeerQuote[];
  /** Quotes sent per symbol (to at least one client). */
  sentBySymbol(): Map<string, number>;
  /** The quotes sent, in order. */
  readonly sent: PeerQuote[];
  /** Resolves when `n` connections were made and the last one sent `messages` texts. */
  waitForClient(n: number, messages?: number, timeoutMs?: number): Promise<PeerClient>;
  close(): Promise<void>;
}

/** The default format: flat, prices as decimal strings, time in ms. */
export function defaultQuoteFormat(q: PeerQuote): unknown {
  return {
    type: 'quote',
    sym: q.symbol,
    bid: q.bid.toFixed(5),
    ask: q.ask.toFixed(5),
    bq: q.bidSize,
    aq: q.askSize,
    ts: q.timeMs,
    seq: q.seq,
  };
}

export async function startJsonPeer(opts: JsonPeerOptions = {}): Promise<JsonPeer> {
  const format = opts.format ?? defaultQuoteFormat;
  const nowMs = opts.nowMs ?? Date.now;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const port = (wss.address() as AddressInfo).port;
  const clients: PeerClient[] = [];
  const nextSeq = new Map<string, number>();
  const sentCount = new Map<string, number>();
  const sent: PeerQuote[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of waiters) w();
  };

  wss.on('connection', (socket) => {
    const client: PeerClient = { number: clients.length + 1, received: [], socket };
    clients.push(client);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) client.received.push(data.toString());
      notify();
    });
    socket.on('error', () => {
      // A cut or reset socket; the test looks at what was sent and received.
    });
    notify();
  });

  const targets = () =>
    clients.filter(
      (c) => c.socket.readyState === c.socket.OPEN && (!opts.requireSubscribe || c.received.length > 0),
    );

  let price = 1.1;
  const nextQuote = (symbol: string): { q: PeerQuote; text: string } => {
    const seq = (nextSeq.get(symbol) ?? 0) + 1;
    nextSeq.set(symbol, seq);
    price += 0.00001;
    const q: PeerQuote = {
      symbol,
      bid: Number(price.toFixed(5)),
      ask: Number((price + 0.0002).toFixed(5)),
      bidSize: 1 + (seq % 7),
      askSize: 2 + (seq % 5),
      timeMs: nowMs(),
      seq,
    };
    const f = format(q);
    return { q, text: typeof f === 'string' ? f : JSON.stringify(f) };
  };
  const lost: PeerQuote[] = [];

  return {
    url: `ws://127.0.0.1:${port}/quotes`,
    clients,
    openClients: () => clients.filter((c) => c.socket.readyState === c.socket.OPEN),
    sendQuotes(symbols, n = 1) {
      const list = typeof symbols === 'string' ? [symbols] : symbols;
      const to = targets();
      if (to.length === 0) return 0;
      let count = 0;
      for (let i = 0; i < n; i++) {
        for (const symbol of list) {
          const { q, text } = nextQuote(symbol);
          for (const c of to) c.socket.send(text);
          sent.push(q);
          sentCount.set(symbol, (sentCount.get(symbol) ?? 0) + 1);
          count++;
        }
      }
      return count;
    },
    skipSeq(symbol, by) {
      nextSeq.set(symbol, (nextSeq.get(symbol) ?? 0) + by);
    },
    sendRaw(text) {
      for (const c of targets()) c.socket.send(text);
    },
    sendBinary(bytes) {
      for (const c of targets()) c.socket.send(bytes, { binary: true });
    },
    cut(cutOpts = {}) {
      if (cutOpts.midQuoteOf !== undefined) {
        const { q, text } = nextQuote(cutOpts.midQuoteOf);
        const frame = halfTextFrame(text);
        for (const c of targets()) rawSocketOf(c.socket).write(frame);
        lost.push(q);
      }
      for (const c of clients) c.socket.terminate();
    },
    lost,
    sentBySymbol: () => new Map(sentCount),
    sent,
    waitForClient(n, messages = 0, timeoutMs = 10_000) {
      return new Promise<PeerClient>((resolve, reject) => {
        const check = () => {
          const c = clients[n - 1];
          if (c && c.received.length >= messages) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(c);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for connection ${n} with ${messages} messages`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const c of clients) c.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** The header and first half of the payload of an unmasked server text frame. */
function halfTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, payload.length])
      : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
  if (payload.length > 0xffff) throw new RangeError('the test peer cuts only frames under 64 KiB');
  return Buffer.concat([header, payload.subarray(0, Math.floor(payload.length / 2))]);
}

/** ws keeps its TCP socket private; only a cut in the middle of a frame needs to reach it. */
function rawSocketOf(ws: WebSocket): Socket {
  return (ws as unknown as { _socket: Socket })._socket;
}
