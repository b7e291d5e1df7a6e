// Feeds batches into a TickStore through its public ingest, with the store's backpressure: the
// engine's unique key per tick is what makes re-runs and resumed runs store nothing twice.
import type { TickInput } from '../../shared/tick.ts';
import { validateTick } from '../../shared/tick.ts';
import type { TickStore } from '../engine/tickStoreApi.ts';
import type { TickBatch } from './tickBatch.ts';
import type { BatchOutcome, TickSink } from './tickSink.ts';

/** Ask the store for backpressure this often (ingest itself never waits). */
const WRITABLE_CHECK_EVERY = 4096;

export function ingestBatch(store: TickStore, b: TickBatch): BatchOutcome {
  const out: BatchOutcome = { accepted: 0, throttled: 0, rejectedIndex: [], rejectedReason: [] };
  const { symbols, sources, sym, src, tsUs, bid, ask, bidSize, askSize } = b;
  // One object for the whole batch: ingest copies what it accepts, and this runs on the app's
  // main thread, where an object per tick would be garbage at hundreds of thousands per second.
  const t: TickInput = { symbol: '', bid: 0, ask: 0, tsUs: 0 };
  for (let i = 0; i < b.count; i++) {
    t.symbol = symbols[sym[i]];
    t.bid = bid[i];
    t.ask = ask[i];
    t.tsUs = tsUs[i];
    t.source = src[i] >= 0 ? sources[src[i]] : undefined;
    t.bidSize = Number.isNaN(bidSize[i]) ? undefined : bidSize[i];
    t.askSize = Number.isNaN(askSize[i]) ? undefined : askSize[i];
    const r = store.ingest(t);
    if (r === 'accepted') out.accepted++;
    else if (r === 'throttled') out.throttled++;
    else {
      out.rejectedIndex.push(i);
      out.rejectedReason.push(rejectionReason(store, t));
    }
  }
  return out;
}

function rejectionReason(store: TickStore, t: TickInput): string {
  const c = store.config;
  const reason = validateTick(t, {
    minTsUs: c.minTimestampUs,
    maxTsUs: Date.now() * 1000 + c.maxFutureUs,
  });
  return reason ?? 'rejected_by_store';
}

export function storeTickSink(getStore: () => TickStore): TickSink {
  let sinceCheck = 0;
  return {
    async ingest(b) {
      const store = getStore();
      const out = ingestBatch(store, b);
      sinceCheck += b.count;
      if (sinceCheck >= WRITABLE_CHECK_EVERY) {
        sinceCheck = 0;
        await store.whenWritable();
      }
      return out;
    },
    flush: () => getStore().flush(),
    async counters() {
      const s = getStore().getStorageStats();
      return { ticksWritten: s.ticks_written, ticksDuplicate: s.ticks_duplicate };
    },
    async defaultSource() {
      return getStore().config.defaultSource;
    },
  };
}
