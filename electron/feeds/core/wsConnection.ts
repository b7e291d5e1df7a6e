// A managed WebSocket: connects, reconnects forever with backoff (each attempt counted and
// ledgered), finds a dead socket with its own pings, re-runs onOpen (resubscribe) after every
// reconnect, stops reading while the sink asks producers to wait, and can replace itself before a
// server's connection-lifetime cut with an overlapping socket so no quote is missed.
import WebSocket from 'ws';
import type { FeedClock, FeedTimer } from './feedClock.ts';
import type { FeedTracker } from './feedTracker.ts';
import { MAIN_CONNECTION } from './feedTracker.ts';
import { createReconnectBackoff } from './reconnectBackoff.ts';
import type { ReconnectBackoff } from './reconnectBackoff.ts';

export const DEFAULT_PING_INTERVAL_MS = 10_000;
/** A connection that stayed up this long proved healthy: the backoff starts over. */
export const DEFAULT_HEALTHY_AFTER_MS = 10_000;
/** Exchanges send small messages; a huge frame is a broken or hostile peer, not a quote. */
export const DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;
const CLOSE_WAIT_MS = 2_000;
/** After the replacement socket is subscribed, both run this much longer before the old closes. */
const POST_LIVE_OVERLAP_MS = 1_000;
/** A failed replacement is tried again after this (the old socket keeps working meanwhile). */
const RECYCLE_RETRY_MS = 10_000;

/** One socket of a managed connection (a connection has two while it recycles). */
export interface WsSession {
  /** Counts sockets of this connection from 1; per-connection state (sequence numbers) keys on it. */
  readonly generation: number;
  send(text: string): void;
  /** Bytes queued to send (the OS buffer is full when this grows). */
  readonly bufferedAmount: number;
  /** Subscribed / first good message: the connection is live and the backoff starts over. */
  markLive(): void;
  /** The socket is open (sending works). */
  readonly open: boolean;
}

export interface WsConnectionOptions {
  url: string;
  /** The connection's key in the tracker (a shard name); default the feed's only connection. */
  name?: string;
  clock: FeedClock;
  tracker: FeedTracker;
  /** Backpressure: the sink's wait(). */
  wait: () => Promise<void> | null;
  /** After each (re)connect, before any message is handled: subscribe here. */
  onOpen(session: WsSession): void;
  /** A text frame as a string, a binary frame as a Buffer; recvUs is when it arrived. */
  onMessage(data: string | Buffer, recvUs: number, session: WsSession): void;
  /** true: the connection is `subscribing` after open until the adapter calls markLive(). */
  awaitSubscription?: boolean;
  pingIntervalMs?: number;
  /** No pong and no message for this long: dead. Default 2.5 × pingIntervalMs. */
  deadAfterMs?: number;
  healthyAfterMs?: number;
  /** Replace the socket (overlapping) this long after it opened: Binance cuts at 24 h. */
  maxLifetimeMs?: number;
  /**
   * While recycling, both sockets run at most this long after the new one opened (less once the
   * new one is marked live: then one more second).
   */
  recycleOverlapMs?: number;
  backoff?: ReconnectBackoff;
  maxPayload?: number;
  handshakeTimeoutMs?: number;
}

export interface WsConnection {
  start(): void;
  /** Closes (close frame, then terminate after a bound); resolves when the socket is gone. */
  stop(): Promise<void>;
  /** Verify now (after sleep / network change): ping with a short deadline, or retry at once. */
  checkConnection(): void;
  /** Open a new socket, let it overlap, then close the old one (planned, no gap). */
  recycle(reason: string): void;
  /** Sends on the current socket; false when there is none open. */
  send(text: string): boolean;
  readonly live: boolean;
  /** Two sockets deliver (recycling): the same update may arrive twice, so adapters dedupe. */
  readonly overlapping: boolean;
  readonly bufferedAmount: number;
  /** Sockets opened so far. */
  readonly generation: number;
}

interface Session extends WsSession {
  ws: WebSocket;
  opened: boolean;
  openedAtUs: number;
  lastHeardUs: number;
  lastPingUs: number;
  killReason: string | null;
  errorText: string | null;
  timer: FeedTimer | null;
  healthyTimer: FeedTimer | null;
  lifetimeTimer: FeedTimer | null;
  probeTimer: FeedTimer | null;
  probeDeadlineUs: number | null;
  closed: Promise<void>;
  isLive: boolean;
}

interface Queued {
  data: string | Buffer;
  recvUs: number;
  session: Session;
}

const CLOSE_CODE_TEXT: Record<number, string> = {
  1000: 'closed normally',
  1001: 'server going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1006: 'connection lost without a close frame',
  1007: 'invalid message data',
  1008: 'policy violation',
  1009: 'message too big',
  1011: 'server error',
  1012: 'server restarting',
  1013: 'try again later',
};

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export function createWsConnection(opts: WsConnectionOptions): WsConnection {
  const { clock, tracker, url } = opts;
  const name = opts.name ?? MAIN_CONNECTION;
  const pingIntervalMs = opts.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
  const deadAfterMs = opts.deadAfterMs ?? pingIntervalMs * 2.5;
  // Checked often enough that death is found within deadAfterMs plus a fifth of it.
  const checkEveryMs = Math.max(1, Math.min(pingIntervalMs, deadAfterMs / 5));
  const healthyAfterMs = opts.healthyAfterMs ?? DEFAULT_HEALTHY_AFTER_MS;
  const overlapMs = opts.recycleOverlapMs ?? 5_000;
  const backoff = opts.backoff ?? createReconnectBackoff();
  let current: Session | null = null;
  let next: Session | null = null;
  let generation = 0;
  let started = false;
  let stopping = false;
  let retryTimer: FeedTimer | null = null;
  let promoteTimer: FeedTimer | null = null;
  let recycleRetryTimer: FeedTimer | null = null;
  /** The replaced socket until its close completes: its last messages may repeat the new one's. */
  let retiring: Session | null = null;
  let recycleReason = '';
  const queue: Queued[] = [];
  let draining = false;
  let pausedForSink = false;

  const secs = (ms: number) => `${Math.round(ms / 100) / 10}`;

  const deliver = (q: Queued) => {
    try {
      tracker.message(q.data, q.recvUs);
      opts.onMessage(q.data, q.recvUs, q.session);
    } catch (err) {
      // An adapter bug must not kill the socket handler; it is counted like a bad message.
      tracker.malformed('handler_error', q.data);
      tracker.setError(`message handler failed: ${(err as Error)?.message ?? String(err)}`);
    }
  };

  const setReading = (reading: boolean) => {
    for (const s of [current, next]) {
      if (!s || s.ws.readyState !== WebSocket.OPEN) continue;
      if (reading) s.ws.resume();
      else s.ws.pause();
      // The silence while reads are paused is ours, not the peer's.
      s.lastHeardUs = clock.nowUs();
    }
  };

  // Messages that arrived while the sink asked to wait are handled in order once it can take more.
  const drain = (w: Promise<void>) => {
    draining = true;
    pausedForSink = true;
    tracker.setPaused(true);
    setReading(false);
    const resume = () => {
      if (stopping) return;
      while (queue.length > 0) {
        const again = opts.wait();
        if (again) {
          again.then(resume, resume);
          return;
        }
        deliver(queue.shift()!);
      }
      draining = false;
      pausedForSink = false;
      tracker.setPaused(false);
      setReading(true);
    };
    w.then(resume, resume);
  };

  const onData = (s: Session, raw: WebSocket.RawData, isBinary: boolean) => {
    const recvUs = clock.nowUs();
    s.lastHeardUs = recvUs;
    s.probeDeadlineUs = null;
    const buf = toBuffer(raw);
    const q: Queued = { data: isBinary ? buf : buf.toString('utf8'), recvUs, session: s };
    if (draining) {
      queue.push(q);
      return;
    }
    let w: Promise<void> | null;
    try {
      w = opts.wait();
    } catch {
      w = null;
    }
    if (w) {
      queue.push(q);
      drain(w);
      return;
    }
    deliver(q);
  };

  const kill = (s: Session, reason: string) => {
    if (s.killReason) return;
    s.killReason = reason;
    s.ws.terminate();
  };

  const scheduleCheck = (s: Session) => {
    s.timer = clock.setTimeout(() => {
      s.timer = null;
      if (stopping || s.ws.readyState !== WebSocket.OPEN) return;
      const now = clock.nowUs();
      if (pausedForSink) s.lastHeardUs = now;
      if (now - s.lastHeardUs > deadAfterMs * 1000) {
        kill(s, `no pong for ${secs((now - s.lastHeardUs) / 1000)} s`);
        return;
      }
      if (now - s.lastPingUs >= pingIntervalMs * 1000 - 1) {
        s.lastPingUs = now;
        try {
          s.ws.ping();
        } catch {
          // The close event that follows a failed send reports the problem.
        }
      }
      scheduleCheck(s);
    }, checkEveryMs);
  };

  const markLive = (s: Session) => {
    if (s.isLive || stopping || s.ws.readyState !== WebSocket.OPEN) return;
    s.isLive = true;
    backoff.reset();
    if (s === current) tracker.setState('live', undefined, name);
    else if (s === next) {
      // The replacement is subscribed: keep both a moment longer for what is in flight, then switch.
      clock.clearTimeout(promoteTimer);
      promoteTimer = clock.setTimeout(promote, Math.min(overlapMs, POST_LIVE_OVERLAP_MS));
    }
  };

  const armLifetime = (s: Session, ms: number) => {
    clock.clearTimeout(s.lifetimeTimer);
    s.lifetimeTimer = clock.setTimeout(() => {
      s.lifetimeTimer = null;
      if (s === current)
        recycle(`the connection reached its planned lifetime of ${secs(opts.maxLifetimeMs!)} s`);
      // Still the replacement of an earlier recycle: try again once it has taken over.
      else if (s === next) armLifetime(s, POST_LIVE_OVERLAP_MS * 2);
    }, ms);
  };

  const promote = () => {
    promoteTimer = null;
    const old = current;
    const fresh = next;
    if (!fresh || stopping) return;
    next = null;
    current = fresh;
    if (old) {
      retiring = old;
      old.killReason = 'replaced';
      try {
        old.ws.close(1000, 'recycled');
      } catch {
        old.ws.terminate();
      }
    }
    if (!opts.awaitSubscription) fresh.isLive = true;
    tracker.connected(name, `replaced the connection without a gap: ${recycleReason}`);
    tracker.setState(fresh.isLive || !opts.awaitSubscription ? 'live' : 'subscribing', undefined, name);
  };

  const open = (asNext: boolean) => {
    generation++;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, {
        maxPayload: opts.maxPayload ?? DEFAULT_MAX_PAYLOAD,
        handshakeTimeout: opts.handshakeTimeoutMs ?? 10_000,
        perMessageDeflate: false,
      });
    } catch (err) {
      // A URL ws refuses: retrying will not help, but never giving up is the rule; the backoff caps it.
      tracker.setError(`cannot open ${url}: ${(err as Error).message}`);
      if (!asNext) scheduleReconnect(`cannot open: ${(err as Error).message}`);
      return;
    }
    let closedResolve!: () => void;
    const s: Session = {
      ws,
      generation,
      opened: false,
      openedAtUs: 0,
      lastHeardUs: clock.nowUs(),
      lastPingUs: clock.nowUs(),
      killReason: null,
      errorText: null,
      timer: null,
      healthyTimer: null,
      lifetimeTimer: null,
      probeTimer: null,
      probeDeadlineUs: null,
      closed: new Promise<void>((r) => (closedResolve = r)),
      isLive: false,
      send(text) {
        if (ws.readyState === WebSocket.OPEN) ws.send(text);
      },
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      get open() {
        return ws.readyState === WebSocket.OPEN;
      },
      markLive() {
        markLive(s);
      },
    };
    if (asNext) next = s;
    else current = s;
    if (!asNext) tracker.setState('connecting', undefined, name);

    ws.on('open', () => {
      try {
        if (stopping) return;
        const now = clock.nowUs();
        s.opened = true;
        s.openedAtUs = now;
        s.lastHeardUs = now;
        s.lastPingUs = now;
        if (pausedForSink) ws.pause();
        if (s === current) {
          tracker.connected(name);
          tracker.setState(opts.awaitSubscription ? 'subscribing' : 'live', undefined, name);
          if (!opts.awaitSubscription) s.isLive = true;
        }
        s.healthyTimer = clock.setTimeout(() => {
          s.healthyTimer = null;
          if (s.ws.readyState === WebSocket.OPEN) backoff.reset();
        }, healthyAfterMs);
        if (opts.maxLifetimeMs !== undefined) armLifetime(s, opts.maxLifetimeMs);
        scheduleCheck(s);
        opts.onOpen(s);
        if (s === next) promoteTimer = clock.setTimeout(promote, overlapMs);
      } catch (err) {
        tracker.setError(`subscribing failed: ${(err as Error).message}`);
      }
    });
    ws.on('message', (data, isBinary) => {
      try {
        onData(s, data, isBinary);
      } catch (err) {
        tracker.setError(`receiving failed: ${(err as Error).message}`);
      }
    });
    ws.on('pong', () => {
      s.lastHeardUs = clock.nowUs();
      s.probeDeadlineUs = null;
    });
    // ws answers pings itself (autoPong); a ping still proves the peer is alive.
    ws.on('ping', () => {
      s.lastHeardUs = clock.nowUs();
    });
    ws.on('error', (err) => {
      s.errorText = err.message || String(err);
    });
    ws.on('close', (code, reasonBuf) => {
      try {
        closedResolve();
        clock.clearTimeout(s.timer);
        clock.clearTimeout(s.healthyTimer);
        clock.clearTimeout(s.lifetimeTimer);
        clock.clearTimeout(s.probeTimer);
        if (s === retiring) retiring = null;
        if (stopping || s.killReason === 'replaced') return;
        const peerReason = reasonBuf.toString('utf8');
        const why =
          s.killReason ??
          (s.opened
            ? `${CLOSE_CODE_TEXT[code] ?? 'closed'}${peerReason ? `: ${peerReason}` : ''}`
            : `could not connect: ${s.errorText ?? CLOSE_CODE_TEXT[code] ?? `close code ${code}`}`);
        if (s === next) {
          // The replacement failed; the old socket keeps working and the next lifetime check retries.
          next = null;
          clock.clearTimeout(promoteTimer);
          promoteTimer = null;
          tracker.setError(`replacing the connection failed: ${why}`);
          clock.clearTimeout(recycleRetryTimer);
          recycleRetryTimer = clock.setTimeout(() => {
            recycleRetryTimer = null;
            recycle(recycleReason);
          }, RECYCLE_RETRY_MS);
          return;
        }
        if (s !== current) return;
        current = null;
        if (s.opened) tracker.disconnected(code, why, name);
        if (next && next.opened) {
          // The old socket died while its replacement was already up: switch now.
          clock.clearTimeout(promoteTimer);
          promote();
          return;
        }
        if (next) {
          const n = next;
          next = null;
          current = n;
          return;
        }
        scheduleReconnect(why);
      } catch (err) {
        tracker.setError(`close handling failed: ${(err as Error).message}`);
      }
    });
  };

  const scheduleReconnect = (after: string) => {
    if (stopping) return;
    const delay = backoff.nextDelayMs();
    tracker.reconnectScheduled(delay, backoff.attempts, after, name);
    retryTimer = clock.setTimeout(() => {
      retryTimer = null;
      if (!stopping) open(false);
    }, delay);
  };

  const recycle = (reason: string) => {
    if (stopping || !started || next) return;
    if (!current || !current.opened) return;
    recycleReason = reason;
    open(true);
  };

  return {
    start() {
      if (started) return;
      started = true;
      open(false);
    },
    async stop() {
      if (stopping) {
        await Promise.all([current?.closed, next?.closed, retiring?.closed]);
        return;
      }
      stopping = true;
      clock.clearTimeout(retryTimer);
      clock.clearTimeout(promoteTimer);
      clock.clearTimeout(recycleRetryTimer);
      // What was received is handed over even if the sink still asks to wait: it is already ours.
      while (queue.length > 0) deliver(queue.shift()!);
      const sockets = [current, next, retiring].filter((s): s is Session => s !== null);
      for (const s of sockets) {
        clock.clearTimeout(s.timer);
        clock.clearTimeout(s.healthyTimer);
        clock.clearTimeout(s.lifetimeTimer);
        clock.clearTimeout(s.probeTimer);
        try {
          if (s.ws.readyState === WebSocket.CONNECTING) s.ws.terminate();
          else s.ws.close(1000, 'recorder stopped');
        } catch {
          s.ws.terminate();
        }
      }
      await Promise.all(
        sockets.map(
          (s) =>
            new Promise<void>((resolve) => {
              // Real time: this bounds a real socket's close handshake, whatever clock the feed uses.
              const t = setTimeout(() => {
                s.ws.terminate();
                resolve();
              }, CLOSE_WAIT_MS);
              s.closed.then(() => {
                clearTimeout(t);
                resolve();
              });
            }),
        ),
      );
      tracker.setState('stopped', undefined, name);
    },
    checkConnection() {
      if (stopping || !started) return;
      if (retryTimer) {
        clock.clearTimeout(retryTimer);
        retryTimer = null;
        backoff.reset();
        open(false);
        return;
      }
      const s = current;
      if (!s || s.ws.readyState !== WebSocket.OPEN) return;
      // Half the dead bound: a check answers sooner than the periodic pings would.
      const probeMs = Math.min(deadAfterMs / 2, 5_000);
      const now = clock.nowUs();
      s.probeDeadlineUs = now + probeMs * 1000;
      s.lastPingUs = now;
      try {
        s.ws.ping();
      } catch {
        kill(s, 'the connection check could not send a ping');
        return;
      }
      clock.clearTimeout(s.probeTimer);
      s.probeTimer = clock.setTimeout(() => {
        s.probeTimer = null;
        if (s.probeDeadlineUs !== null && !pausedForSink && s.ws.readyState === WebSocket.OPEN)
          kill(s, `no answer to a connection check within ${secs(probeMs)} s`);
      }, probeMs);
    },
    recycle,
    send(text) {
      const s = current;
      if (!s || s.ws.readyState !== WebSocket.OPEN) return false;
      s.ws.send(text);
      return true;
    },
    get live() {
      return current?.isLive ?? false;
    },
    get overlapping() {
      return next !== null || retiring !== null;
    },
    get bufferedAmount() {
      return current?.ws.bufferedAmount ?? 0;
    },
    get generation() {
      return generation;
    },
  };
}
