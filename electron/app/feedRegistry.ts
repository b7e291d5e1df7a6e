// Which feeds the recorder can run. A feed is created fresh for every recording so its options
// (symbol count, rate) apply from the start.
import type { FeedInfo } from '../../shared/catalog.ts';
import { createDemoFeed } from '../feeds/demoFeed.ts';
import type { Feed } from '../feeds/demoFeed.ts';

export interface FeedOptions {
  symbols?: number;
  ratePerSec?: number;
}

export interface FeedFactory {
  info: FeedInfo;
  /** Used when the caller gives no rate, so status can report what the feed runs at. */
  defaultRatePerSec: number;
  defaultSymbols: number;
  create(options: FeedOptions): Feed;
}

export type FeedRegistry = ReadonlyMap<string, FeedFactory>;

export const DEMO_DEFAULT_RATE = 200;
export const DEMO_DEFAULT_SYMBOLS = 8;

export function createFeedRegistry(): FeedRegistry {
  const demo: FeedFactory = {
    info: {
      id: 'demo',
      name: 'Demo feed',
      description: 'Synthetic FX and crypto quotes with bursty arrivals, timestamped now.',
    },
    defaultRatePerSec: DEMO_DEFAULT_RATE,
    defaultSymbols: DEMO_DEFAULT_SYMBOLS,
    create: (o) =>
      createDemoFeed({
        symbols: o.symbols ?? DEMO_DEFAULT_SYMBOLS,
        ratePerSec: o.ratePerSec ?? DEMO_DEFAULT_RATE,
      }),
  };
  return new Map([[demo.info.id, demo]]);
}
