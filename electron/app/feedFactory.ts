// How a configured feed becomes a running one: one adapter per kind.
import path from 'node:path';
import type { FeedConfig } from '../../shared/feeds/feedConfig.ts';
import { createDemoFeed } from '../feeds/demoFeed.ts';
import type { Feed } from '../feeds/feed.ts';
import { createBinanceFeed } from '../feeds/binance/binanceFeed.ts';
import { createCoinbaseFeed } from '../feeds/coinbase/coinbaseFeed.ts';
import { createFixFeed } from '../feeds/fix/fixFeed.ts';
import { createWsJsonFeed } from '../feeds/wsJson/wsJsonFeed.ts';
import type { FeedContext } from './feedManager.ts';

export function createFeed(config: FeedConfig, ctx: FeedContext): Feed {
  switch (config.kind) {
    case 'demo':
      return createDemoFeed({ id: config.id, symbols: config.symbolCount, ratePerSec: config.ratePerSec });
    case 'binance':
      return createBinanceFeed(config);
    case 'coinbase':
      return createCoinbaseFeed(config);
    case 'fix':
      // Sequence numbers persist per session in the feed-state folder, so a restart resumes them.
      return createFixFeed(config, { secrets: ctx.secrets, seqDir: path.join(ctx.stateDir, 'fix') });
    case 'ws-json':
      return createWsJsonFeed(config);
  }
}
