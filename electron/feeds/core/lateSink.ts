// A feed builds its tracker (and sockets) before start() hands it the engine's sink; this stands
// in until then: ticks and ledger entries before start() go nowhere, and nothing waits.
import type { FeedSink } from '../feed.ts';

export interface LateSink extends FeedSink {
  attach(sink: FeedSink): void;
}

export function createLateSink(): LateSink {
  let target: FeedSink | null = null;
  return {
    attach(sink) {
      target = sink;
    },
    tick: (t) => target?.tick(t),
    event: (e) => target?.event(e),
    wait: () => target?.wait() ?? null,
  };
}
