// The demo feed: the quote simulator on a timer with bursty arrivals (the requested rate, then news
// bursts at 2.5 times it), stamped with the current time.
import type { TickInput } from '../../shared/tick.ts';
import type { Clock } from '../engine/clock.ts';
import { systemClock } from '../engine/clock.ts';
import { DemoQuoteGenerator, seededRandom } from './demoQuotes.ts';
import type { Feed } from './feed.ts';

export interface DemoFeedOptions {
  symbols?: number;
  ratePerSec?: number;
  seed?: number;
  clock?: Clock;
  /** Timer period; smaller is smoother, larger is cheaper. */
  tickMs?: number;
}

export type { Feed } from './feed.ts';

export function createDemoFeed(opts: DemoFeedOptions = {}): Feed {
  const symbols = opts.symbols ?? 12;
  const rate = opts.ratePerSec ?? 200;
  const clock = opts.clock ?? systemClock;
  const tickMs = opts.tickMs ?? 10;
  const gen = new DemoQuoteGenerator(symbols, opts.seed ?? Date.now() % 2 ** 31);
  const rand = seededRandom((opts.seed ?? 7) + 1);
  let timer: NodeJS.Timeout | null = null;
  const tick: TickInput = { symbol: '', bid: 0, ask: 0, tsUs: 0 };
  let carry = 0;
  let burstLeftMs = 0;
  let lastMs = 0;

  return {
    id: 'demo',
    symbols: gen.symbols,
    start(sink: (t: TickInput) => void) {
      if (timer) return;
      lastMs = performance.now();
      timer = setInterval(() => {
        const nowMs = performance.now();
        const dt = nowMs - lastMs;
        lastMs = nowMs;
        if (burstLeftMs <= 0 && rand() < dt / 8_000) burstLeftMs = 300 + rand() * 1_500;
        // The requested rate is the floor; news bursts (about a tenth of the time) run 2.5x faster.
        const burst = burstLeftMs > 0 ? 2.5 : 1;
        burstLeftMs -= dt;
        gen.setBurst(burst > 1 ? 1.8 : 1);
        carry += (rate * burst * dt) / 1000;
        const n = Math.floor(carry);
        carry -= n;
        const endUs = clock.nowUs();
        const spanUs = Math.max(1, Math.round(dt * 1000));
        for (let i = 0; i < n; i++) {
          // Spread arrivals over the elapsed interval so timestamps are not all equal.
          sink(gen.nextInto(tick, endUs - spanUs + Math.floor(((i + rand()) * spanUs) / n)));
        }
      }, tickMs);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
