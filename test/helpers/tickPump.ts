// A producer that offers demo ticks at a steady rate, as a feed would, until stopped.
import type { TickStore } from '../../electron/engine/tickStoreApi.ts';
import { DemoQuoteGenerator } from '../../electron/feeds/demoQuotes.ts';

export interface TickPump {
  /** Ticks offered so far. */
  readonly offered: number;
  stop(): Promise<void>;
}

export function startTickPump(
  store: () => TickStore,
  opts: { ratePerSec: number; symbols: number; startUs: number; stepUs?: number },
): TickPump {
  const gen = new DemoQuoteGenerator(opts.symbols, 17);
  let offered = 0;
  let running = true;
  const t0 = performance.now();
  const step = opts.stepUs ?? 10;
  const done = new Promise<void>((resolve) => {
    const tick = () => {
      if (!running) return resolve();
      const due = Math.floor(((performance.now() - t0) / 1000) * opts.ratePerSec);
      for (; offered < due; offered++) store().ingest(gen.next(opts.startUs + offered * step));
      setTimeout(tick, 5);
    };
    tick();
  });
  return {
    get offered() {
      return offered;
    },
    async stop() {
      running = false;
      await done;
    },
  };
}
