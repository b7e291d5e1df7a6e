// The `recording.*` channels and the tray's "Recording" state, over the feed manager: recording
// means at least one feed runs. `recording.start` keeps its demo options (symbol count, rate) so
// the Recording tab and older clients work unchanged; other feeds start by their configured id.
import type { RecordingStatus } from '../../shared/catalog.ts';
import type { FeedConfig, FeedConfigOf } from '../../shared/feeds/feedConfig.ts';
import { DEMO_FEED_SCHEMA } from '../../shared/feeds/feedConfig.ts';
import type { FeedManager } from './feedManager.ts';

export interface FeedOptions {
  symbols?: number;
  ratePerSec?: number;
}

export interface RecordingController {
  status(): RecordingStatus;
  start(feedId: string, options: FeedOptions): Promise<RecordingStatus>;
  /** Stops every running feed. */
  stop(): Promise<RecordingStatus>;
}

export function createRecordingController(feeds: FeedManager): RecordingController {
  const status = (): RecordingStatus => {
    const run = feeds.running();
    if (run.length === 0) return idle();
    const symbols = new Set<string>();
    for (const r of run) for (const s of r.feed.symbols) symbols.add(s);
    return {
      recording: true,
      feed: run[0].config.id,
      feeds: run.map((r) => r.config.id),
      symbols: [...symbols],
      ratePerSec: run.reduce((n, r) => n + (r.config.kind === 'demo' ? r.config.ratePerSec : 0), 0),
      startedAtUs: Math.min(...run.map((r) => r.startedAtUs)),
    };
  };
  return {
    status,
    async start(feedId, options) {
      const existing = feeds.configs().find((c) => c.id === feedId);
      if (existing?.kind === 'demo' || (!existing && feedId === 'demo')) {
        const base: FeedConfigOf<'demo'> =
          existing?.kind === 'demo' ? existing : DEMO_FEED_SCHEMA.parse({ id: feedId, kind: 'demo' });
        const next: FeedConfig = {
          ...base,
          symbolCount: options.symbols ?? base.symbolCount,
          ratePerSec: options.ratePerSec ?? base.ratePerSec,
        };
        // New options restart the demo feed with them, as the Recording tab expects.
        await feeds.save(next);
      }
      feeds.start(feedId);
      return status();
    },
    async stop() {
      await feeds.stopAll();
      return status();
    },
  };
}

function idle(): RecordingStatus {
  return { recording: false, feed: null, feeds: [], symbols: [], ratePerSec: 0, startedAtUs: null };
}
