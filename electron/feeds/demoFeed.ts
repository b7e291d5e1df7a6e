// The demo feed: the quote simulator on a timer with bursty arrivals (the requested rate, then news
// bursts at 2.5 times it), stamped with the current time. It has no connection to lose, so its
// status is always live; it reports the same counters as a real feed for the feed screens.
import type { FeedStatus } from '../../shared/feeds/feedStatus.ts';
import { emptyFeedStatus } from '../../shared/feeds/feedStatus.ts';
import type { TickInput } from '../../shared/tick.ts';
import type { Clock } from '../engine/clock.ts';
import { systemClock } from '../engine/clock.ts';
import { RateMeter } from '../engine/metrics/rateMeter.ts';
import { DemoQuoteGenerator, seededRandom } from './demoQuotes.ts';
import type { Feed, FeedSink } from './feed.ts';

export interface DemoFeedOptions {
  id?: string;
  symbols?: number;
  ratePerSec?: number;
  seed?: number;
  clock?: Clock;
  /** Timer period; smaller is smoother, larger is cheaper. */
  tickMs?: number;
}

export type { Feed } from './feed.ts';

export function createDemoFeed(opts: DemoFeedOptions = {}): Feed {
  const id = opts.id ?? 'demo';
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
  let ticks = 0;
  let startedUs = clock.nowUs();
  let lastTickUs: number | null = null;
  const perSymbol = new Map<string, { ticks: number; lastUs: number; bid: number; ask: number }>();
  let tickRate = new RateMeter(5, clock.nowUs() / 1000);

  return {
    id,
    kind: 'demo',
    source: 'demo',
    symbols: gen.symbols,
    start(sink: FeedSink) {
      if (timer) return;
      startedUs = clock.nowUs();
      tickRate = new RateMeter(5, startedUs / 1000);
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
        tickRate.add(n, endUs / 1000);
        for (let i = 0; i < n; i++) {
          // Spread arrivals over the elapsed interval so timestamps are not all equal.
          const t = gen.nextInto(tick, endUs - spanUs + Math.floor(((i + rand()) * spanUs) / n));
          sink.tick(t);
          let s = perSymbol.get(t.symbol);
          if (!s) perSymbol.set(t.symbol, (s = { ticks: 0, lastUs: 0, bid: 0, ask: 0 }));
          s.ticks++;
          s.lastUs = t.tsUs;
          s.bid = t.bid;
          s.ask = t.ask;
        }
        ticks += n;
        if (n > 0) lastTickUs = endUs;
      }, tickMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    status(): FeedStatus {
      const r = tickRate.perSecond(clock.nowUs() / 1000);
      return {
        ...emptyFeedStatus({
          id,
          kind: 'demo',
          source: 'demo',
          state: timer ? 'live' : 'stopped',
          stateSinceUs: startedUs,
          endpoint: 'simulator',
        }),
        ticks,
        messages: ticks,
        ticksPerSec: r,
        messagesPerSec: r,
        lastMessageUs: lastTickUs,
        symbols: [...perSymbol].map(([symbol, s]) => ({
          symbol,
          ticks: s.ticks,
          lastTickUs: s.lastUs,
          normalSpacingMs: null,
          stale: false,
          staleSinceUs: null,
          sequenceGaps: 0,
          lastSeq: null,
          bid: s.bid,
          ask: s.ask,
        })),
      };
    },
    lastMessages: () => [],
    checkConnection() {},
  };
}
