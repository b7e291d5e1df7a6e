// Which sockets a Binance feed opens and what each subscribes. The configured URL decides the
// stream mode: a path ending /ws is raw streams (payloads as they are), /ws/<stream> names one,
// /stream is combined ({"stream","data"} envelopes, streams in the query); a bare host uses the
// config's `streams`. One socket carries at most 1,024 streams: beyond, the feed is sharded.
import { DEFAULT_FEED_URLS } from '../../../shared/feeds/feedConfig.ts';
import type { FeedConfigOf } from '../../../shared/feeds/feedConfig.ts';
import { bookTickerStream } from './bookTicker.ts';

export const BINANCE_MAX_STREAMS_PER_CONNECTION = 1024;
/** Streams put in a combined URL's query; the rest are subscribed by message (URLs stay short). */
const MAX_QUERY_CHARS = 2_000;

export interface BinanceShard {
  /** What the socket connects to. */
  url: string;
  /** Every stream this socket carries. */
  streams: string[];
  /** The ones to send SUBSCRIBE for after each (re)connect (the others are in the URL). */
  subscribe: string[];
}

export interface BinancePlan {
  mode: 'raw' | 'combined';
  /** The endpoint shown in the status (the configured URL without query). */
  endpoint: string;
  shards: BinanceShard[];
}

export class BinanceUrlError extends Error {
  constructor(url: string, why: string) {
    super(`Binance URL ${url}: ${why}`);
    this.name = 'BinanceUrlError';
  }
}

export function planBinanceConnections(
  config: FeedConfigOf<'binance'>,
  maxStreams = BINANCE_MAX_STREAMS_PER_CONNECTION,
): BinancePlan {
  const raw =
    config.url ??
    (config.market === 'futures' ? DEFAULT_FEED_URLS.binanceFutures : DEFAULT_FEED_URLS.binanceSpot);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new BinanceUrlError(raw, 'not a valid URL');
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new BinanceUrlError(raw, 'not ws:// or wss://');
  const path = u.pathname.replace(/\/+$/, '');
  let mode: 'raw' | 'combined';
  let basePath: string;
  const named: string[] = [];
  const wsNamed = /^(.*\/ws)\/(.+)$/.exec(path);
  if (/\/ws$/.test(path)) {
    mode = 'raw';
    basePath = path;
  } else if (wsNamed) {
    mode = 'raw';
    basePath = wsNamed[1];
    named.push(...wsNamed[2].split('/').filter(Boolean).map(decodeURIComponent));
  } else if (/\/stream$/.test(path)) {
    mode = 'combined';
    basePath = path;
    const q = u.searchParams.get('streams');
    if (q) named.push(...q.split('/').filter(Boolean));
  } else {
    mode = config.streams;
    basePath = `${path}${mode === 'raw' ? '/ws' : '/stream'}`;
  }
  const origin = `${u.protocol}//${u.host}`;
  const seen = new Set<string>();
  const all: string[] = [];
  for (const s of [...named, ...config.symbols.map(bookTickerStream)]) {
    // Binance stream names are case-insensitive in the symbol part; compare lowercased.
    const key = s.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    all.push(s);
  }
  const namedKeys = new Set(named.map((s) => s.toLowerCase()));
  const shards: BinanceShard[] = [];
  for (let i = 0; i < all.length || (i === 0 && shards.length === 0); i += maxStreams) {
    const streams = all.slice(i, i + maxStreams);
    shards.push(shardOf(mode, origin, basePath, streams, i === 0 ? namedKeys : new Set()));
    if (all.length === 0) break;
  }
  return { mode, endpoint: `${origin}${path}`, shards };
}

function shardOf(
  mode: 'raw' | 'combined',
  origin: string,
  basePath: string,
  streams: string[],
  inUrlAlready: Set<string>,
): BinanceShard {
  if (mode === 'raw') {
    // One stream: name it in the path (no SUBSCRIBE round trip); more: connect to /ws and subscribe.
    if (streams.length === 1) {
      return { url: `${origin}${basePath}/${streams[0]}`, streams, subscribe: [] };
    }
    const pathStreams = streams.filter((s) => inUrlAlready.has(s.toLowerCase()));
    const url =
      pathStreams.length > 0 ? `${origin}${basePath}/${pathStreams.join('/')}` : `${origin}${basePath}`;
    return { url, streams, subscribe: streams.filter((s) => !inUrlAlready.has(s.toLowerCase())) };
  }
  const inQuery: string[] = [];
  let chars = 0;
  for (const s of streams) {
    if (chars + s.length + 1 > MAX_QUERY_CHARS) break;
    inQuery.push(s);
    chars += s.length + 1;
  }
  const url =
    inQuery.length > 0 ? `${origin}${basePath}?streams=${inQuery.join('/')}` : `${origin}${basePath}`;
  return { url, streams, subscribe: streams.slice(inQuery.length) };
}
