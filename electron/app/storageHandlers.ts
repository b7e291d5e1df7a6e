// Handlers of the storage, query, live and recording channels: thin adapters from the validated
// argument to the engine and the recording controller.
import type { FeedConfig } from '../../shared/feeds/feedConfig.ts';
import { endpointOf } from '../feeds/wsJson/wsJsonFeed.ts';
import type { storageRequests } from '../../shared/ipc/storageChannels.ts';
import type { Health } from '../../shared/stats.ts';
import type { FeedManager } from './feedManager.ts';
import type { HandlerMap } from './handlerTypes.ts';
import { HandlerError } from './handlerTypes.ts';
import type { RecordingController } from './recordingController.ts';
import type { ServiceContext } from './serviceContext.ts';
import type { StoreHolder } from './storeHolder.ts';

export type StorageChannel = keyof typeof storageRequests;

export interface StorageHandlerDeps {
  ctx: ServiceContext;
  stores: StoreHolder;
  recording: RecordingController;
  feeds: FeedManager;
  health(): Health;
}

export function createStorageHandlers(d: StorageHandlerDeps): HandlerMap<StorageChannel> {
  const store = () => d.ctx.store();
  const moveTo = async (dir: string) => (await d.stores.moveTo(dir)).getSettings();
  return {
    'storage.stats': async () => store().getStorageStats(),
    'storage.health': async () => d.health(),
    'storage.setBackend': async ({ backend }) => {
      await store().setBackend(backend);
      const stats = store().getStorageStats();
      d.ctx.emit('storage.stats', stats);
      return stats;
    },
    'storage.settings': async () => store().getSettings(),
    'storage.updateSettings': async (update) => store().updateSettings(update),
    'storage.setDataDir': async ({ path }) => moveTo(path),
    'storage.chooseDataDir': async () => {
      const choose = d.ctx.chooseFolder;
      if (!choose) {
        throw new HandlerError(
          'unsupported',
          'no folder picker in the browser; use storage.setDataDir with a path',
        );
      }
      const picked = await choose('Choose the Tickscope data folder');
      if (picked !== null) await moveTo(picked);
      return { path: picked };
    },
    'storage.days': async () => store().listDays(),
    'storage.jsonOnlyPeriods': async () => store().jsonOnlyPeriods(),
    'storage.compact': async (req) => store().compact(req),
    'storage.compaction': async () => store().compactionStatus(),
    'storage.retentionPreview': async (policy) => store().retentionPreview(policy),
    'storage.retentionApply': async (policy) => store().applyRetention(policy),
    'storage.forecast': async () => store().storageForecast(),
    'symbols.list': async () => store().listSymbols(),
    'ticks.recent': async ({ symbol, limit }) => store().recent(symbol, limit),
    'ticks.range': async (q) => {
      if (q.fromUs > q.toUs) throw new HandlerError('invalid_argument', 'fromUs is after toUs');
      return store().range(q);
    },
    'bars.get': async (q) => {
      if (q.fromUs > q.toUs) throw new HandlerError('invalid_argument', 'fromUs is after toUs');
      return store().bars(q);
    },
    'live.subscribe': async ({ symbols }, caller) => {
      if (!caller) throw new HandlerError('unsupported', 'live.subscribe needs a connected window or socket');
      const unique = [...new Set(symbols)];
      caller.setLiveSymbols(unique);
      return { symbols: unique };
    },
    'feeds.list': async () =>
      d.feeds.configs().map((c) => ({ id: c.id, name: `${c.id} (${c.kind})`, description: describeFeed(c) })),
    'recording.status': async () => d.recording.status(),
    'recording.start': async ({ feed, symbols, ratePerSec }) =>
      d.recording.start(feed, { symbols, ratePerSec }),
    'recording.stop': async () => d.recording.stop(),
  };
}

function describeFeed(c: FeedConfig): string {
  switch (c.kind) {
    case 'demo':
      return 'Synthetic FX and crypto quotes from four LPs with bursty arrivals, timestamped now.';
    case 'binance':
      return `Binance ${c.market} bookTicker for ${c.symbols.length} symbols`;
    case 'coinbase':
      return `Coinbase Advanced Trade ticker for ${c.symbols.length} products`;
    case 'ws-json':
      return `JSON WebSocket ${endpointOf(c.url)}`;
    case 'fix':
      return `FIX 4.4 market data from ${c.targetCompId} at ${c.host}:${c.port}`;
  }
}
