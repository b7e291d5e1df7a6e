// The generic JSON WebSocket feed: a URL, subscribe messages sent after every (re)connect, and a
// field mapping that turns each text message into ticks (shared/feeds/jsonMappingApply.ts, the
// same code as the form's live preview). The managed socket (core/wsConnection.ts) reconnects,
// detects dead sockets and applies backpressure; this file only speaks the mapping.
import { defaultSource } from '../../../shared/feeds/feedConfig.ts';
import type { FeedConfigOf } from '../../../shared/feeds/feedConfig.ts';
import type { FeedStatus } from '../../../shared/feeds/feedStatus.ts';
import { emptyFeedStatus } from '../../../shared/feeds/feedStatus.ts';
import { compileJsonMapping, mapJsonText } from '../../../shared/feeds/jsonMappingApply.ts';
import type { MappingResult } from '../../../shared/feeds/jsonMappingApply.ts';
import type { Feed, FeedSink } from '../feed.ts';
import type { FeedClock } from '../core/feedClock.ts';
import { systemFeedClock } from '../core/feedClock.ts';
import { MAX_TRACKED_SYMBOLS, createFeedTracker } from '../core/feedTracker.ts';
import type { FeedTracker } from '../core/feedTracker.ts';
import type { ReconnectBackoff } from '../core/reconnectBackoff.ts';
import type { StalenessOptions } from '../core/stalenessWatchdog.ts';
import { createWsConnection } from '../core/wsConnection.ts';
import type { WsConnection, WsSession } from '../core/wsConnection.ts';

export interface WsJsonFeedDeps {
  clock?: FeedClock;
  backoff?: ReconnectBackoff;
  watchdog?: StalenessOptions;
  pingIntervalMs?: number;
  deadAfterMs?: number;
  handshakeTimeoutMs?: number;
}

/** The URL as the status shows it: no user:password, no query (API keys live there). */
export function endpointOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//').replace(/\?.*$/, '?…');
  }
}

export function createWsJsonFeed(config: FeedConfigOf<'ws-json'>, deps: WsJsonFeedDeps = {}): Feed {
  const clock = deps.clock ?? systemFeedClock;
  const source = defaultSource(config);
  const endpoint = endpointOf(config.url);
  // A bad path throws here (JsonPathSyntaxError), when the feed is created, not per message.
  const compiled = compileJsonMapping(config.mapping);
  const { sequenceScope, sequenceMode } = config.mapping;
  const hasSequence = config.mapping.sequence !== undefined;
  const result: MappingResult = { ticks: [], skipped: false, errors: [] };
  /** Symbols whose sequence is tracked: each new connection starts their numbering over. */
  const sequenced = new Set<string>();
  let tracker: FeedTracker | null = null;
  let conn: WsConnection | null = null;
  let liveGeneration = 0;
  let stopped = false;
  let stopping: Promise<void> | null = null;

  const onOpen = (session: WsSession) => {
    const t = tracker!;
    // A new connection may number from anywhere; the outage itself is ledgered as disconnect.
    if (sequenceScope === 'connection') t.resetSequence(null);
    else for (const s of sequenced) t.resetSequence(s);
    for (const m of config.subscribe) session.send(m);
  };

  const onMessage = (data: string | Buffer, recvUs: number, session: WsSession) => {
    const t = tracker!;
    if (typeof data !== 'string') {
      t.malformed('binary', data);
      return;
    }
    const r = mapJsonText(compiled, data, recvUs, result);
    for (let i = 0; i < r.errors.length; i++) t.malformed(r.errors[i].reason, data);
    const ticks = r.ticks;
    if (ticks.length === 0) return;
    // With subscribe messages the connection is `subscribing` until a quote proves they worked.
    if (liveGeneration !== session.generation) {
      liveGeneration = session.generation;
      session.markLive();
    }
    let checkedSeq = -1;
    for (let i = 0; i < ticks.length; i++) {
      const tick = ticks[i];
      if (tick.source === undefined) tick.source = source;
      if (hasSequence && tick.seq !== undefined) {
        if (sequenceScope === 'symbol') {
          if (sequenced.size < MAX_TRACKED_SYMBOLS && !sequenced.has(tick.symbol)) sequenced.add(tick.symbol);
          t.sequence(tick.symbol, tick.seq, sequenceMode);
        } else if (tick.seq !== checkedSeq) {
          // One connection-wide number per message, however many quotes it carries.
          checkedSeq = tick.seq;
          t.sequence(null, tick.seq, sequenceMode);
        }
      }
      // A repeated number is still delivered: the engine's identity (seq included) drops true duplicates.
      t.tick(tick);
    }
  };

  return {
    id: config.id,
    kind: 'ws-json',
    source,
    symbols: config.symbols,
    start(sink: FeedSink) {
      if (tracker || stopped) return;
      const tr = createFeedTracker({
        id: config.id,
        kind: 'ws-json',
        source,
        endpoint,
        symbols: config.symbols,
        clock,
        sink,
        watchdog: deps.watchdog,
      });
      tracker = tr;
      conn = createWsConnection({
        url: config.url,
        clock,
        tracker: tr,
        wait: () => sink.wait(),
        onOpen,
        onMessage,
        awaitSubscription: config.subscribe.length > 0,
        backoff: deps.backoff,
        pingIntervalMs: deps.pingIntervalMs,
        deadAfterMs: deps.deadAfterMs,
        handshakeTimeoutMs: deps.handshakeTimeoutMs,
      });
      conn.start();
    },
    stop() {
      stopped = true;
      stopping ??= (async () => {
        await conn?.stop();
        tracker?.stop();
      })();
      return stopping;
    },
    status(): FeedStatus {
      return tracker ? tracker.status() : notStarted();
    },
    lastMessages() {
      return tracker ? tracker.lastMessages() : [];
    },
    checkConnection() {
      conn?.checkConnection();
    },
  };

  function notStarted(): FeedStatus {
    const state = stopped ? 'stopped' : 'connecting';
    return emptyFeedStatus({
      id: config.id,
      kind: 'ws-json',
      source,
      state,
      stateSinceUs: clock.nowUs(),
      endpoint,
    });
  }
}
