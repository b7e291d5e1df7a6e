// Runs at most one feed at a time and pushes its ticks into whichever store is current, so the
// store can be swapped (new data folder) without stopping the feed.
import type { RecordingStatus } from '../../shared/catalog.ts';
import type { TickInput } from '../../shared/tick.ts';
import type { Clock } from '../engine/clock.ts';
import type { Feed } from '../feeds/demoFeed.ts';
import type { FeedOptions, FeedRegistry } from './feedRegistry.ts';
import { HandlerError } from './handlerTypes.ts';

export interface RecordingController {
  status(): RecordingStatus;
  start(feedId: string, options: FeedOptions): RecordingStatus;
  stop(): RecordingStatus;
  onChange(listener: (status: RecordingStatus) => void): void;
}

export function createRecordingController(
  registry: FeedRegistry,
  sink: (tick: TickInput) => void,
  clock: Clock,
): RecordingController {
  let feed: Feed | null = null;
  let current: RecordingStatus = idle();
  const listeners: Array<(s: RecordingStatus) => void> = [];

  function changed(next: RecordingStatus): RecordingStatus {
    current = next;
    for (const l of listeners) l(next);
    return next;
  }

  function halt(): void {
    if (!feed) return;
    const f = feed;
    feed = null;
    f.stop();
  }

  return {
    status: () => current,
    start(feedId, options) {
      const factory = registry.get(feedId);
      if (!factory) {
        throw new HandlerError(
          'not_found',
          `unknown feed ${JSON.stringify(feedId)}; available: ${[...registry.keys()].join(', ')}`,
        );
      }
      halt();
      const next = factory.create(options);
      next.start(sink);
      feed = next;
      return changed({
        recording: true,
        feed: feedId,
        symbols: [...next.symbols],
        ratePerSec: options.ratePerSec ?? factory.defaultRatePerSec,
        startedAtUs: clock.nowUs(),
      });
    },
    stop() {
      if (!feed) return current;
      halt();
      return changed(idle());
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}

function idle(): RecordingStatus {
  return { recording: false, feed: null, symbols: [], ratePerSec: 0, startedAtUs: null };
}
