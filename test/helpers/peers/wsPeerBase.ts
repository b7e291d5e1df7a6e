// What the exchange test peers (binancePeer, coinbasePeer) share: a WebSocketServer on
// 127.0.0.1:0 that records every connection and what the client sent, and the controls that do
// not depend on the exchange's format.
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';

export interface PeerConnection {
  /** 1 for the first connection, 2 after a reconnect... */
  readonly number: number;
  /** The request path with its query, as the client asked for it. */
  readonly path: string;
  readonly socket: WebSocket;
  /** Text messages the client sent, in order, with when (Date.now()) each arrived. */
  readonly received: string[];
  readonly receivedAtMs: number[];
  /** Pings the client sent us (its dead-socket detection). */
  pingsReceived: number;
  /** Pongs the client sent in answer to our pings. */
  pongsReceived: number;
}

export interface PeerServer<C extends PeerConnection> {
  readonly url: string;
  readonly port: number;
  /** Every connection so far, open or not. */
  readonly connections: C[];
  /** Connections whose socket is open. */
  open(): C[];
  /**
   * Destroys every open connection's socket without a close frame, as a dead network does; the
   * client sees code 1006. `halfFrame`: first write the first half of a text frame carrying it,
   * so the cut falls in the middle of a message.
   */
  cut(halfFrame?: string): void;
  /**
   * false: the peer stops answering the client's pings (a dead socket from the client's view:
   * combine with not sending anything).
   */
  answerPings(on: boolean): void;
  /** Pings every open client; resolves with how many answered (pong) within timeoutMs. */
  pingClients(timeoutMs?: number): Promise<number>;
  /** Sends text as it is to every open connection (malformed, truncated, anything). */
  sendRaw(text: string, to?: C[]): void;
  /** Sends a binary frame to every open connection. */
  sendBinary(bytes: Uint8Array, to?: C[]): void;
  /** Resolves when there are n connections (and the condition holds), or rejects after timeoutMs. */
  waitFor(what: string, cond: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startPeerServer<C extends PeerConnection>(
  make: (base: PeerConnection, req: IncomingMessage) => C,
  onText: (c: C, text: string) => void,
  urlPath = '',
): Promise<PeerServer<C>> {
  // autoPong off: the peer decides whether a client's ping is answered.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: false });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const port = (wss.address() as AddressInfo).port;
  const connections: C[] = [];
  let answering = true;
  wss.on('connection', (socket, req) => {
    const base: PeerConnection = {
      number: connections.length + 1,
      path: req.url ?? '/',
      socket,
      received: [],
      receivedAtMs: [],
      pingsReceived: 0,
      pongsReceived: 0,
    };
    const c = make(base, req);
    connections.push(c);
    socket.on('ping', (data) => {
      c.pingsReceived++;
      if (answering) socket.pong(data);
    });
    socket.on('pong', () => c.pongsReceived++);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      c.received.push(text);
      c.receivedAtMs.push(Date.now());
      onText(c, text);
    });
    socket.on('error', () => {
      // A cut or reset socket; tests look at what was sent and received.
    });
  });
  const open = () => connections.filter((c) => c.socket.readyState === c.socket.OPEN);
  return {
    url: `ws://127.0.0.1:${port}${urlPath}`,
    port,
    connections,
    open,
    cut(halfFrame) {
      for (const c of open()) {
        if (halfFrame !== undefined) rawSocketOf(c.socket).write(halfTextFrame(halfFrame));
        c.socket.terminate();
      }
    },
    answerPings(on) {
      answering = on;
    },
    async pingClients(timeoutMs = 2_000) {
      const targets = open();
      const before = targets.map((c) => c.pongsReceived);
      for (const c of targets) c.socket.ping();
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && targets.some((c, i) => c.pongsReceived === before[i]))
        await new Promise((r) => setTimeout(r, 10));
      return targets.filter((c, i) => c.pongsReceived > before[i]).length;
    },
    sendRaw(text, to) {
      for (const c of to ?? open()) c.socket.send(text);
    },
    sendBinary(bytes, to) {
      for (const c of to ?? open()) c.socket.send(bytes, { binary: true });
    },
    async waitFor(what, cond, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!cond()) {
        if (Date.now() > deadline)
          throw new Error(`peer: timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      for (const c of connections) c.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** The header and first half of the payload of an unmasked server text frame. */
export function halfTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 0xffff) throw new RangeError('the test peer cuts only frames under 64 KiB');
  const header =
    payload.length < 126
      ? Buffer.from([0x81, payload.length])
      : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, payload.subarray(0, Math.floor(payload.length / 2))]);
}

/** ws keeps its TCP socket private; only a cut in the middle of a frame needs to reach it. */
function rawSocketOf(ws: WebSocket): Socket {
  return (ws as unknown as { _socket: Socket })._socket;
}
