// Everything a feed reports about itself, kept in one place: message and tick counts and rates,
// the last raw messages (mapping preview), malformed messages by reason, per-symbol state,
// sequence checks, exchange-to-receive latency, connection state and the gap ledger. Adapters
// call it from their socket handlers; it forwards ticks and ledger entries to the sink.
import { feedEvent } from '../../../shared/feeds/feedEvents.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import type { FeedKind } from '../../../shared/feeds/feedConfig.ts';
import { MAX_MALFORMED_SAMPLE } from '../../../shared/feeds/feedStatus.ts';
import type {
  FeedState,
  FeedStatus,
  MalformedCount,
  SymbolFeedStatus,
} from '../../../shared/feeds/feedStatus.ts';
import type { TickInput } from '../../../shared/tick.ts';
import type { FeedSink } from '../feed.ts';
import { LatencyWindow } from '../../engine/metrics/latencyWindow.ts';
import { RateMeter } from '../../engine/metrics/rateMeter.ts';
import type { FeedClock } from './feedClock.ts';
import { createStalenessWatchdog } from './stalenessWatchdog.ts';
import type { StalenessOptions, SymbolWatch } from './stalenessWatchdog.ts';

export const LAST_MESSAGES_KEPT = 50;
export const MAX_LAST_MESSAGE_CHARS = 2_000;
/** Latency percentiles are over this many recent ticks that carry an exchange time. */
export const LATENCY_WINDOW = 2_048;
/** Distinct malformed reasons kept; further ones are counted under OTHER_MALFORMED. */
export const MAX_MALFORMED_REASONS = 64;
export const OTHER_MALFORMED = 'other';
/** Symbols a feed may report beyond its configured ones (the exchange sends what it sends). */
export const MAX_TRACKED_SYMBOLS = 20_000;
/** The connection key of a feed with a single connection. */
export const MAIN_CONNECTION = 'main';

export interface FeedTrackerOptions {
  id: string;
  kind: FeedKind;
  source: string;
  /** Shown in the status; never with credentials. */
  endpoint: string;
  symbols: readonly string[];
  clock: FeedClock;
  sink: FeedSink;
  watchdog?: StalenessOptions;
}

/** How a sequence number relates to the previous one of the same stream. */
export type SequenceVerdict = 'ok' | 'gap' | 'repeat';

/**
 * contiguous: each number is the previous + 1 (a skip is a gap, ledgered).
 * increasing: numbers only grow, skips are normal (Binance `u` counts every book change, the
 * bookTicker stream only the best-price ones); only a repeat or step back is reported.
 */
export type SequenceMode = 'contiguous' | 'increasing';

export interface FeedTracker {
  /** One message received (any kind); `nowUs` saves a clock read when the caller has one. */
  message(raw: string | Uint8Array, nowUs?: number): void;
  malformed(reason: string, raw: string | Uint8Array): void;
  /** Counts the tick, updates its symbol, latency and staleness, then hands it to the sink. */
  tick(t: TickInput): void;
  /** Checks `seq` against the previous one of `symbol` (null: the connection's own counter). */
  sequence(symbol: string | null, seq: number, mode?: SequenceMode): SequenceVerdict;
  /** Forget the last sequence number of a stream (a new connection restarts its numbering). */
  resetSequence(symbol: string | null): void;
  /** The state of one connection (default: the only one); the feed's state is the worst of them. */
  setState(state: FeedState, detail?: string, conn?: string): void;
  /** Ledgers `connect`, with `sinceUs` = the disconnect it ends. */
  connected(conn?: string, reason?: string): void;
  /** Ledgers `disconnect` (code null when there is none) and remembers when the gap began. */
  disconnected(code: number | null, reason: string, conn?: string): void;
  /** Ledgers `reconnect` and counts it; `after` says what failed. */
  reconnectScheduled(delayMs: number, attempt: number, after?: string, conn?: string): void;
  record(e: Omit<FeedEvent, 'feed' | 'source' | 'tsUs'> & { tsUs?: number }): void;
  setPaused(paused: boolean): void;
  setConnections(total: number, live: number): void;
  setError(text: string | null): void;
  status(): FeedStatus;
  lastMessages(): string[];
  stop(): void;
}

interface SymbolRecord {
  symbol: string;
  ticks: number;
  lastTickUs: number | null;
  lastSeq: number | null;
  seqSeen: number;
  sequenceGaps: number;
  bid: number | null;
  ask: number | null;
  watch: SymbolWatch;
}

interface ConnectionRecord {
  state: FeedState;
  live: boolean;
  downSinceUs: number | null;
  retryAtUs: number | null;
}

// Worst first: a feed with one shard reconnecting is reconnecting.
const STATE_RANK: Record<FeedState, number> = {
  reconnecting: 0,
  connecting: 1,
  subscribing: 2,
  live: 3,
  stopped: 4,
};

/** Rates are over the last few whole seconds, so they do not jump per message. */
const RATE_SECONDS = 5;

/** Text shown for a raw message: strings as they are, binary as hex. */
export function describeRaw(raw: string | Uint8Array, maxChars: number): string {
  if (typeof raw === 'string') return raw.length > maxChars ? raw.slice(0, maxChars) : raw;
  const bytes = Math.min(raw.length, Math.floor(maxChars / 2));
  let hex = '';
  for (let i = 0; i < bytes; i++) hex += raw[i].toString(16).padStart(2, '0');
  return hex;
}

export function createFeedTracker(opts: FeedTrackerOptions): FeedTracker {
  const { id, kind, source, endpoint, clock, sink } = opts;
  const symbols = new Map<string, SymbolRecord>();
  const connections = new Map<string, ConnectionRecord>();
  const malformed = new Map<string, MalformedCount>();
  const last: (string | Uint8Array)[] = new Array(LAST_MESSAGES_KEPT);
  let lastNext = 0;
  let lastCount = 0;
  const latency = new LatencyWindow(LATENCY_WINDOW);
  const startMs = clock.nowUs() / 1000;
  const tickRate = new RateMeter(RATE_SECONDS, startMs);
  const messageRate = new RateMeter(RATE_SECONDS, startMs);
  let ticks = 0;
  let messages = 0;
  let lastMessageUs: number | null = null;
  let reconnects = 0;
  let lastError: string | null = null;
  let paused = false;
  let pausedSinceUs = 0;
  let pausedTotalUs = 0;
  // The connection's own message counter (Coinbase sequence_num); kept apart from the connection
  // records so that checking it does not invent a connection.
  let connectionSeq: number | null = null;
  let connTotalOverride: number | null = null;
  let connLiveOverride: number | null = null;
  let stopped = false;
  let feedState: FeedState = 'connecting';
  let stateSinceUs = clock.nowUs();
  let notLiveSinceUs: number | null = stateSinceUs;

  const emit = (e: FeedEvent) => {
    try {
      sink.event(e);
    } catch {
      // A sink that throws must not break the socket handler that called us.
    }
  };

  const record: FeedTracker['record'] = (e) => {
    emit(feedEvent({ ...e, tsUs: e.tsUs ?? clock.nowUs(), feed: id, source }));
  };

  const watchdog = createStalenessWatchdog(
    clock,
    (c) =>
      record({
        kind: c.kind,
        symbol: c.symbol,
        reason: c.reason,
        sinceUs: c.sinceUs,
        tsUs: c.tsUs,
        code: null,
        fromSeq: null,
        toSeq: null,
      }),
    opts.watchdog,
  );

  const symbolRecord = (symbol: string): SymbolRecord | null => {
    let r = symbols.get(symbol);
    if (r) return r;
    if (symbols.size >= MAX_TRACKED_SYMBOLS) return null;
    r = {
      symbol,
      ticks: 0,
      lastTickUs: null,
      lastSeq: null,
      seqSeen: -1,
      sequenceGaps: 0,
      bid: null,
      ask: null,
      watch: watchdog.watch(symbol),
    };
    symbols.set(symbol, r);
    return r;
  };
  for (const s of opts.symbols) symbolRecord(s);

  const connection = (conn: string): ConnectionRecord => {
    let c = connections.get(conn);
    if (!c) {
      c = { state: 'connecting', live: false, downSinceUs: null, retryAtUs: null };
      connections.set(conn, c);
    }
    return c;
  };

  const recomputeState = () => {
    if (stopped) return;
    let worst: FeedState = 'stopped';
    for (const c of connections.values()) if (STATE_RANK[c.state] < STATE_RANK[worst]) worst = c.state;
    if (connections.size === 0) worst = 'connecting';
    if (worst !== feedState) {
      feedState = worst;
      stateSinceUs = clock.nowUs();
      if (worst === 'live' || worst === 'stopped') notLiveSinceUs = null;
      else notLiveSinceUs ??= stateSinceUs;
    }
    watchdog.setLive(feedState === 'live');
  };

  const gapText = (from: number, to: number) =>
    from === to
      ? `sequence number ${from} missing`
      : `sequence numbers ${from}-${to} missing (${to - from + 1})`;

  return {
    message(raw, nowUs) {
      const now = nowUs ?? clock.nowUs();
      messages++;
      lastMessageUs = now;
      messageRate.add(1, now / 1000);
      // Keep a reference, cut only when shown: a copy per message would be garbage on the hot path.
      last[lastNext] =
        raw.length > MAX_LAST_MESSAGE_CHARS * 8
          ? typeof raw === 'string'
            ? raw.slice(0, MAX_LAST_MESSAGE_CHARS)
            : raw.slice(0, MAX_LAST_MESSAGE_CHARS)
          : raw;
      lastNext = (lastNext + 1) % LAST_MESSAGES_KEPT;
      if (lastCount < LAST_MESSAGES_KEPT) lastCount++;
    },

    malformed(reason, raw) {
      const key = malformed.has(reason) || malformed.size < MAX_MALFORMED_REASONS ? reason : OTHER_MALFORMED;
      const now = clock.nowUs();
      const sample = describeRaw(raw, MAX_MALFORMED_SAMPLE);
      const m = malformed.get(key);
      if (m) {
        m.count++;
        m.sample = sample;
        m.lastAtUs = now;
      } else malformed.set(key, { reason: key, count: 1, sample, lastAtUs: now });
    },

    tick(t) {
      const now = t.recvUs ?? clock.nowUs();
      ticks++;
      tickRate.add(1, now / 1000);
      const r = symbolRecord(t.symbol);
      if (r) {
        r.ticks++;
        r.lastTickUs = now;
        r.bid = t.bid;
        r.ask = t.ask;
        if (t.seq !== undefined) r.lastSeq = t.seq;
        watchdog.tick(r.watch, now);
      }
      if (!t.noExchangeTime && t.recvUs !== undefined) {
        latency.add(t.recvUs - t.tsUs);
      }
      sink.tick(t);
    },

    sequence(symbol, seq, mode = 'contiguous') {
      let prev: number | null;
      let r: SymbolRecord | null = null;
      const perConnection = symbol === null;
      if (perConnection) {
        prev = connectionSeq;
      } else {
        r = symbolRecord(symbol);
        if (!r) return 'ok';
        prev = r.seqSeen >= 0 ? r.seqSeen : null;
      }
      if (prev !== null && seq <= prev) return 'repeat';
      if (perConnection) connectionSeq = seq;
      else if (r) r.seqSeen = seq;
      if (prev === null) return 'ok';
      if (mode === 'increasing' || seq === prev + 1) return 'ok';
      if (r) r.sequenceGaps++;
      record({
        kind: 'sequence_gap',
        symbol,
        code: null,
        reason: gapText(prev + 1, seq - 1),
        fromSeq: prev + 1,
        toSeq: seq - 1,
        sinceUs: null,
      });
      return 'gap';
    },

    resetSequence(symbol) {
      if (symbol === null) connectionSeq = null;
      else {
        const r = symbols.get(symbol);
        if (r) r.seqSeen = -1;
      }
    },

    setState(state, detail, conn = MAIN_CONNECTION) {
      if (stopped) return;
      const c = connection(conn);
      c.state = state;
      c.live = state === 'live';
      if (state !== 'reconnecting') c.retryAtUs = null;
      if (detail && state === 'reconnecting') lastError = detail;
      recomputeState();
    },

    connected(conn = MAIN_CONNECTION, reason = 'connected') {
      const c = connection(conn);
      const since = c.downSinceUs;
      c.downSinceUs = null;
      c.retryAtUs = null;
      record({
        kind: 'connect',
        symbol: null,
        code: null,
        reason: conn === MAIN_CONNECTION ? reason : `${reason} (${conn})`,
        fromSeq: null,
        toSeq: null,
        sinceUs: since,
      });
    },

    disconnected(code, reason, conn = MAIN_CONNECTION) {
      const c = connection(conn);
      const now = clock.nowUs();
      if (c.downSinceUs === null) c.downSinceUs = now;
      c.live = false;
      c.state = 'reconnecting';
      record({
        kind: 'disconnect',
        symbol: null,
        code,
        reason: conn === MAIN_CONNECTION ? reason : `${reason} (${conn})`,
        fromSeq: null,
        toSeq: null,
        sinceUs: null,
        tsUs: now,
      });
      recomputeState();
    },

    reconnectScheduled(delayMs, attempt, after, conn = MAIN_CONNECTION) {
      reconnects++;
      const c = connection(conn);
      const now = clock.nowUs();
      c.state = 'reconnecting';
      c.live = false;
      c.retryAtUs = now + delayMs * 1000;
      if (after) lastError = after;
      const wait = delayMs < 1000 ? `${Math.round(delayMs)} ms` : `${(delayMs / 1000).toFixed(1)} s`;
      record({
        kind: 'reconnect',
        symbol: null,
        code: null,
        reason: `attempt ${attempt} in ${wait}${after ? ` after: ${after}` : ''}${conn === MAIN_CONNECTION ? '' : ` (${conn})`}`,
        fromSeq: null,
        toSeq: null,
        sinceUs: null,
        tsUs: now,
      });
      recomputeState();
    },

    record,

    setPaused(p) {
      if (p === paused) return;
      const now = clock.nowUs();
      if (p) pausedSinceUs = now;
      else pausedTotalUs += now - pausedSinceUs;
      paused = p;
    },

    setConnections(total, live) {
      connTotalOverride = total;
      connLiveOverride = live;
    },

    setError(text) {
      lastError = text;
    },

    status(): FeedStatus {
      const now = clock.nowUs();
      let live = 0;
      let retryAt: number | null = null;
      for (const c of connections.values()) {
        if (c.live) live++;
        if (c.retryAtUs !== null && (retryAt === null || c.retryAtUs < retryAt)) retryAt = c.retryAtUs;
      }
      let lat: FeedStatus['latency'] = null;
      if (latency.size > 0) {
        lat = { p50Us: latency.percentile(50), p99Us: latency.percentile(99), samples: latency.size };
      }
      const syms: SymbolFeedStatus[] = [];
      for (const r of symbols.values()) {
        syms.push({
          symbol: r.symbol,
          ticks: r.ticks,
          lastTickUs: r.lastTickUs,
          normalSpacingMs: watchdog.spacingMs(r.watch),
          stale: r.watch.stale,
          staleSinceUs: r.watch.staleSinceUs,
          sequenceGaps: r.sequenceGaps,
          lastSeq: r.lastSeq,
          bid: r.bid,
          ask: r.ask,
        });
      }
      return {
        id,
        kind,
        source,
        state: feedState,
        stateSinceUs,
        notLiveSinceUs,
        endpoint,
        connections: connTotalOverride ?? connections.size,
        connectionsLive: connLiveOverride ?? live,
        ticks,
        messages,
        ticksPerSec: tickRate.perSecond(now / 1000),
        messagesPerSec: messageRate.perSecond(now / 1000),
        lastMessageUs,
        reconnects,
        nextRetryInMs:
          feedState === 'reconnecting' && retryAt !== null
            ? Math.max(0, Math.round((retryAt - now) / 1000))
            : null,
        lastError,
        latency: lat,
        malformed: [...malformed.values()].map((m) => ({ ...m })),
        paused,
        pausedMs: Math.round((pausedTotalUs + (paused ? now - pausedSinceUs : 0)) / 1000),
        symbols: syms,
      };
    },

    lastMessages() {
      const out: string[] = [];
      for (let i = 0; i < lastCount; i++) {
        const raw = last[(lastNext - lastCount + i + LAST_MESSAGES_KEPT) % LAST_MESSAGES_KEPT];
        out.push(
          typeof raw === 'string' ? describeRaw(raw, MAX_LAST_MESSAGE_CHARS) : describeBinaryOrText(raw),
        );
      }
      return out;
    },

    stop() {
      if (stopped) return;
      watchdog.stop();
      watchdog.setLive(false);
      for (const c of connections.values()) {
        c.state = 'stopped';
        c.live = false;
        c.retryAtUs = null;
      }
      if (paused) {
        pausedTotalUs += clock.nowUs() - pausedSinceUs;
        paused = false;
      }
      feedState = 'stopped';
      stateSinceUs = clock.nowUs();
      notLiveSinceUs = null;
      stopped = true;
    },
  };
}

// A binary frame that is valid UTF-8 text (some servers send JSON as binary) is shown as text.
function describeBinaryOrText(raw: Uint8Array): string {
  try {
    // stream: a multi-byte character cut by the length limit is not an error.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      raw.subarray(0, MAX_LAST_MESSAGE_CHARS * 4),
      {
        stream: true,
      },
    );
    return describeRaw(text, MAX_LAST_MESSAGE_CHARS);
  } catch {
    return describeRaw(raw, MAX_LAST_MESSAGE_CHARS);
  }
}
