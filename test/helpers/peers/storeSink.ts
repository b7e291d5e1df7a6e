// A FeedSink into a real tick store (what the app wires), and the stored rows of the `ticks`
// view across every day file, for the feed tests that go through the engine.
import { listDayFiles } from '../../../electron/engine/storage/dayFileCatalog.ts';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import type { FeedSink } from '../../../electron/feeds/feed.ts';
import { sqliteAll } from '../sqliteFiles.ts';

export interface StoreSink extends FeedSink {
  accepted: number;
  refused: number;
}

export function storeSink(store: TickStore): StoreSink {
  const s: StoreSink = {
    accepted: 0,
    refused: 0,
    tick(t) {
      if (store.ingest(t) === 'accepted') s.accepted++;
      else s.refused++;
    },
    event: (e) => store.recordFeedEvent(e),
    wait: () => store.ingestPressure(),
  };
  return s;
}

export interface StoredTick {
  symbol: string;
  ts_us: number;
  bid: number;
  ask: number;
  source: string;
  recv_us: number;
  exchange_us: number | null;
  seq: number | null;
}

/** Every row of the `ticks` view in every day file (a run may cross midnight UTC). */
export function storedTicks(store: TickStore): StoredTick[] {
  const rows: StoredTick[] = [];
  for (const f of listDayFiles(store.config.sqliteDir))
    rows.push(
      ...sqliteAll<StoredTick>(
        f.path,
        'SELECT symbol, ts_us, bid, ask, source, recv_us, exchange_us, seq FROM ticks ORDER BY ts_us, seq',
      ),
    );
  return rows;
}
