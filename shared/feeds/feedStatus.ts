// What the feed screens and Health show about each running feed, as feeds report it.
import type { FeedKind } from './feedConfig.ts';

export const FEED_STATES = [
  'connecting',
  /** Connected, waiting for Logon / subscription acknowledgement. */
  'subscribing',
  'live',
  /** Disconnected; a reconnect is scheduled (`nextRetryInMs`). */
  'reconnecting',
  'stopped',
] as const;
export type FeedState = (typeof FEED_STATES)[number];

/** One malformed-message reason with how often it happened and the latest offending message. */
export interface MalformedCount {
  reason: string;
  count: number;
  /** The latest such message, cut to MAX_MALFORMED_SAMPLE characters; binary shown as hex. */
  sample: string;
  lastAtUs: number;
}

export const MAX_MALFORMED_SAMPLE = 300;

export interface SymbolFeedStatus {
  symbol: string;
  ticks: number;
  lastTickUs: number | null;
  /** The spacing this symbol normally has (learned); null until enough ticks were seen. */
  normalSpacingMs: number | null;
  stale: boolean;
  staleSinceUs: number | null;
  sequenceGaps: number;
  lastSeq: number | null;
  bid: number | null;
  ask: number | null;
}

export interface LatencySummary {
  /** Exchange time to receive time, µs; only ticks that carry an exchange time count. */
  p50Us: number;
  p99Us: number;
  samples: number;
}

export interface FeedStatus {
  id: string;
  kind: FeedKind;
  source: string;
  state: FeedState;
  stateSinceUs: number;
  /**
   * Since when the feed has not been live (connecting and reconnecting alternate while it is down,
   * so stateSinceUs says little); null while live or stopped.
   */
  notLiveSinceUs: number | null;
  /** The endpoint (ws URL, host:port); never with credentials. */
  endpoint: string;
  /** Connections (shards) this feed keeps open, and how many are live. */
  connections: number;
  connectionsLive: number;
  ticks: number;
  messages: number;
  ticksPerSec: number;
  messagesPerSec: number;
  lastMessageUs: number | null;
  reconnects: number;
  nextRetryInMs: number | null;
  lastError: string | null;
  latency: LatencySummary | null;
  malformed: MalformedCount[];
  /** Socket reads are paused because the engine asked producers to wait (backpressure). */
  paused: boolean;
  pausedMs: number;
  symbols: SymbolFeedStatus[];
}

/** A status with every counter at zero: a feed not started yet, or a test's starting point. */
export function emptyFeedStatus(
  s: Pick<FeedStatus, 'id' | 'kind' | 'source' | 'state' | 'stateSinceUs' | 'endpoint'>,
): FeedStatus {
  return {
    ...s,
    notLiveSinceUs: null,
    connections: 0,
    connectionsLive: 0,
    ticks: 0,
    messages: 0,
    ticksPerSec: 0,
    messagesPerSec: 0,
    lastMessageUs: null,
    reconnects: 0,
    nextRetryInMs: null,
    lastError: null,
    latency: null,
    malformed: [],
    paused: false,
    pausedMs: 0,
    symbols: [],
  };
}
