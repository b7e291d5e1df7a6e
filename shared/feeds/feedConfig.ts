// What a configured feed is: one schema for the config file (`--feed-config`), the persisted
// feed list, the feed screens' form and the IPC channels, so a field exists in all or none.
// Secrets (FIX password, API keys) are never part of a config: a config names which secrets it
// uses, the secret store holds the values (Electron safeStorage, or a 0600 file / environment).
import { z } from 'zod';
import { MAX_SOURCE_LENGTH, MAX_SYMBOL_LENGTH, checkSource, checkSymbol } from '../tick.ts';
import { JSON_MAPPING_SCHEMA } from './jsonMapping.ts';

export const FEED_KINDS = ['demo', 'binance', 'coinbase', 'ws-json', 'fix'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export const FEED_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const MAX_FEED_SYMBOLS = 5_000;

const feedId = z
  .string()
  .regex(
    FEED_ID_PATTERN,
    'a feed id is 1-32 lowercase letters, digits, _ or -, starting with a letter or digit',
  );
const symbolName = z
  .string()
  .max(MAX_SYMBOL_LENGTH)
  .refine((s) => checkSymbol(s) === null, { message: 'not a valid symbol name' });
const sourceName = z
  .string()
  .max(MAX_SOURCE_LENGTH)
  .refine((s) => checkSource(s) === null, {
    message: `a source is 1-${MAX_SOURCE_LENGTH} characters without whitespace`,
  });
const wsUrl = z
  .string()
  .max(2048)
  .regex(/^wss?:\/\/[^\s]+$/, 'a WebSocket URL starts with ws:// or wss://');

const common = {
  id: feedId,
  /** Runs when recording starts (and at app start). */
  enabled: z.boolean().default(true),
  /** The source name stored with every tick; each kind has a default. */
  source: sourceName.optional(),
  symbols: z.array(symbolName).max(MAX_FEED_SYMBOLS).default([]),
};

export const DEMO_DEFAULT_RATE = 200;
export const DEMO_DEFAULT_SYMBOLS = 8;

export const DEMO_FEED_SCHEMA = z.strictObject({
  ...common,
  kind: z.literal('demo'),
  /** How many demo symbols (the demo quotes its own list; `symbols` is ignored). */
  symbolCount: z.int().min(1).max(500).default(DEMO_DEFAULT_SYMBOLS),
  ratePerSec: z.number().positive().max(1_000_000).default(DEMO_DEFAULT_RATE),
});

export const BINANCE_FEED_SCHEMA = z.strictObject({
  ...common,
  kind: z.literal('binance'),
  url: wsUrl.optional(),
  market: z.enum(['spot', 'futures']).default('spot'),
  /** combined: /stream?streams=… with {"stream","data"} envelopes; raw: /ws/<stream>. */
  streams: z.enum(['combined', 'raw']).default('combined'),
});

export const COINBASE_FEED_SCHEMA = z.strictObject({
  ...common,
  kind: z.literal('coinbase'),
  url: wsUrl.optional(),
});

export const WS_JSON_FEED_SCHEMA = z.strictObject({
  ...common,
  kind: z.literal('ws-json'),
  url: wsUrl,
  /** Sent as text after every (re)connect, in order. */
  subscribe: z.array(z.string().max(65_536)).max(100).default([]),
  mapping: JSON_MAPPING_SCHEMA,
});

export const FIX_FEED_SCHEMA = z.strictObject({
  ...common,
  kind: z.literal('fix'),
  host: z.string().min(1).max(255),
  port: z.int().min(1).max(65_535),
  senderCompId: z.string().min(1).max(64),
  targetCompId: z.string().min(1).max(64),
  username: z.string().max(128).optional(),
  /** Whether a password is sent on Logon; its value is in the secret store, never here. */
  usePassword: z.boolean().default(false),
  heartbeatSec: z.int().min(1).max(300).default(30),
  /** Logon with ResetSeqNumFlag=Y instead of resuming the persisted sequence numbers. */
  resetOnLogon: z.boolean().default(false),
});

export const FEED_CONFIG_SCHEMA = z.discriminatedUnion('kind', [
  DEMO_FEED_SCHEMA,
  BINANCE_FEED_SCHEMA,
  COINBASE_FEED_SCHEMA,
  WS_JSON_FEED_SCHEMA,
  FIX_FEED_SCHEMA,
]);

/** A config file (`--feed-config`) or the persisted list: several feeds, unique ids. */
export const FEED_LIST_SCHEMA = z
  .strictObject({ feeds: z.array(FEED_CONFIG_SCHEMA).max(64) })
  .refine((l) => new Set(l.feeds.map((f) => f.id)).size === l.feeds.length, {
    message: 'two feeds have the same id',
    path: ['feeds'],
  });

export type FeedConfig = z.output<typeof FEED_CONFIG_SCHEMA>;
export type FeedConfigInput = z.input<typeof FEED_CONFIG_SCHEMA>;
export type FeedConfigOf<K extends FeedKind> = Extract<FeedConfig, { kind: K }>;

/** The secrets a feed kind may use; the values live in the secret store. */
export const FEED_SECRET_NAMES = ['password'] as const;
export type FeedSecretName = (typeof FEED_SECRET_NAMES)[number];

/** The source a feed's ticks carry when the config names none. */
export function defaultSource(c: FeedConfig): string {
  if (c.source) return c.source;
  switch (c.kind) {
    case 'demo':
      return 'demo';
    case 'binance':
      return c.market === 'futures' ? 'binance-futures' : 'binance';
    case 'coinbase':
      return 'coinbase';
    case 'ws-json':
      return c.id;
    case 'fix':
      // TargetCompID may hold characters a source may not (spaces): those become _.
      return c.targetCompId.replace(/[^A-Za-z0-9._/:\-#^+=@]/g, '_').slice(0, MAX_SOURCE_LENGTH);
  }
}

/** Where a feed connects when the config gives no URL. */
export const DEFAULT_FEED_URLS = {
  binanceSpot: 'wss://stream.binance.com:9443',
  binanceFutures: 'wss://fstream.binance.com',
  coinbase: 'wss://advanced-trade-ws.coinbase.com',
} as const;
