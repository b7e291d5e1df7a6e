import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TickColumns } from '../../../shared/tick.ts';
import { RateMeter } from '../../../renderer/live/rateMeter.ts';
import type { TickBatch } from '../../../renderer/live/tickCoalescer.ts';
import { TickCoalescer } from '../../../renderer/live/tickCoalescer.ts';
import { FLASH_MS, WatchlistModel } from '../../../renderer/live/watchlistModel.ts';

function cols(symbol: string, ts: number[], base = 1.1): TickColumns {
  return {
    symbol,
    tsUs: ts,
    bid: ts.map((_, i) => base + i * 1e-5),
    ask: ts.map((_, i) => base + 2e-5 + i * 1e-5),
    source: ts.map(() => 0),
    sources: ['lp1'],
  };
}

/** A frame clock: callbacks queue until `frame()` runs them, like requestAnimationFrame. */
function frames() {
  let queue: (() => void)[] = [];
  return {
    schedule: (cb: () => void) => queue.push(cb),
    get pending() {
      return queue.length;
    },
    frame() {
      const q = queue;
      queue = [];
      for (const cb of q) cb();
    },
  };
}

test('coalescer hands over every tick of its symbol once per frame, in order', () => {
  const clock = frames();
  const drained: TickBatch[] = [];
  const c = new TickCoalescer({
    symbol: 'EURUSD',
    schedule: clock.schedule,
    onDrain: (b) => drained.push(b),
  });
  // 5000 ticks arrive in 50 pushes between two frames.
  let ts = 1_000_000;
  for (let p = 0; p < 50; p++) {
    const t = Array.from({ length: 100 }, () => ts++);
    c.push([cols('EURUSD', t), cols('GBPUSD', t)]);
  }
  assert.equal(clock.pending, 1, 'one frame requested however many pushes');
  assert.equal(drained.length, 0);
  clock.frame();
  assert.equal(drained.length, 1);
  const b = drained[0];
  assert.equal(b.tsUs.length, 5000);
  assert.equal(b.tsUs[0], 1_000_000);
  assert.equal(b.tsUs[4999], 1_004_999);
  assert.ok(b.tsUs.every((t, i) => i === 0 || t > b.tsUs[i - 1]));
  assert.equal(b.source[0], 'lp1');
  assert.equal(b.dropped, 0);
  clock.frame();
  assert.equal(drained.length, 1, 'an empty frame does not drain');
});

test('coalescer ignores other symbols entirely and schedules nothing for them', () => {
  const clock = frames();
  const c = new TickCoalescer({ symbol: 'EURUSD', schedule: clock.schedule, onDrain: () => assert.fail() });
  c.push([cols('GBPUSD', [1, 2, 3])]);
  assert.equal(clock.pending, 0);
});

test('coalescer drops the oldest ticks beyond its bound and says how many', () => {
  const clock = frames();
  const drained: TickBatch[] = [];
  const c = new TickCoalescer({
    symbol: 'X',
    schedule: clock.schedule,
    onDrain: (b) => drained.push(b),
    maxBuffered: 1000,
  });
  c.push([
    cols(
      'X',
      Array.from({ length: 1500 }, (_, i) => i + 1),
    ),
  ]);
  clock.frame();
  assert.equal(drained[0].tsUs.length, 1000);
  assert.equal(drained[0].tsUs[0], 501);
  assert.equal(drained[0].dropped, 500);
});

test('paused coalescer holds ticks, then releases only those newer than the prefill', () => {
  const clock = frames();
  const drained: TickBatch[] = [];
  const c = new TickCoalescer({ symbol: 'X', schedule: clock.schedule, onDrain: (b) => drained.push(b) });
  c.pause();
  c.push([cols('X', [10, 20, 30, 40])]);
  clock.frame();
  assert.equal(drained.length, 0);
  assert.equal(c.buffered, 4);
  c.resume(20);
  clock.frame();
  assert.deepEqual(drained[0].tsUs, [30, 40]);
});

test('closed coalescer drains nothing, even with a frame already requested', () => {
  const clock = frames();
  const c = new TickCoalescer({ symbol: 'X', schedule: clock.schedule, onDrain: () => assert.fail() });
  c.push([cols('X', [1])]);
  c.close();
  clock.frame();
  c.push([cols('X', [2])]);
  assert.equal(clock.pending, 0);
});

test('rate meter counts ticks per second over its window', () => {
  const m = new RateMeter(2000);
  assert.equal(m.rate(0), 0);
  m.add(100, 0);
  m.add(100, 500);
  m.add(100, 1000);
  assert.equal(m.rate(1000), 150); // 300 ticks / 2 s
  assert.equal(m.rate(2100), 100); // the sample at 0 ms has left the window
  assert.equal(m.rate(2600), 50); // only the sample at 1000 ms is left
  assert.equal(m.rate(5000), 0);
  assert.throws(() => new RateMeter(0), RangeError);
});

test('rate meter stays correct over a long run (internal compaction)', () => {
  const m = new RateMeter(1000);
  for (let t = 0; t < 100_000; t += 10) m.add(1, t);
  assert.equal(m.rate(99_990), 100);
});

test('watchlist flashes the direction of a change, then stops flashing', () => {
  const m = new WatchlistModel();
  m.apply([{ symbol: 'EURUSD', bid: 1.1, ask: 1.2, tsUs: 1, source: 's', ticks: 3 }], 0);
  const row = m.get('EURUSD')!;
  assert.equal(WatchlistModel.flash(row, 0), null, 'first quote is not a move');
  m.apply([{ symbol: 'EURUSD', bid: 1.09, ask: 1.2, tsUs: 2, source: 's', ticks: 2 }], 100);
  assert.equal(WatchlistModel.flash(row, 100), 'down');
  assert.equal(WatchlistModel.flash(row, 100 + FLASH_MS + 1), null);
  m.apply([{ symbol: 'EURUSD', bid: 1.09, ask: 1.21, tsUs: 3, source: 's', ticks: 1 }], 200);
  assert.equal(WatchlistModel.flash(row, 200), 'up', 'ask moving counts when bid is unchanged');
  assert.equal(row.meter.rate(200), 2); // 6 ticks over the 3 s window
  m.apply([{ symbol: 'AUDUSD', bid: 0.6, ask: 0.61, tsUs: 4, source: 's', ticks: 1 }], 300);
  assert.deepEqual(
    m.list(300).map((r) => r.symbol),
    ['AUDUSD', 'EURUSD'],
  );
});
