import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BarBuilder, barsFromTicks, bucketStartUs, sidePrice } from '../../../shared/bars.ts';

const MIN = 60_000_000;

test('BarBuilder folds ticks into UTC-aligned buckets, bid, ask and mid side by side', () => {
  const b = new BarBuilder('EURUSD', 60);
  const t0 = Date.UTC(2026, 0, 5, 10, 0) * 1000;
  b.add(t0 + 5_000_000, 1.1, 1.2);
  b.add(t0 + 20_000_000, 1.3, 1.31);
  b.add(t0 + 30_000_000, 0.9, 1.5);
  b.add(t0 + 59_999_999, 1.2, 1.25);
  // The next minute is skipped entirely (no ticks): it must not appear.
  b.add(t0 + 2 * MIN, 1.5, 1.7);
  assert.deepEqual(b.out, {
    symbol: 'EURUSD',
    timeframeSec: 60,
    source: null,
    startUs: [t0, t0 + 2 * MIN],
    count: [4, 1],
    bid: { open: [1.1, 1.5], high: [1.3, 1.5], low: [0.9, 1.5], close: [1.2, 1.5] },
    ask: { open: [1.2, 1.7], high: [1.5, 1.7], low: [1.2, 1.7], close: [1.25, 1.7] },
    mid: {
      open: [(1.1 + 1.2) / 2, 1.6],
      // Mid is each tick's own mid: its high is not the mid of the side highs.
      high: [(1.3 + 1.31) / 2, 1.6],
      low: [(1.1 + 1.2) / 2, 1.6],
      close: [(1.2 + 1.25) / 2, 1.6],
    },
  });
});

test('BarBuilder.addBar merges pre-aggregated minute bars of all three sides into larger buckets', () => {
  const t0 = Date.UTC(2026, 0, 5, 10, 0) * 1000;
  const b = new BarBuilder('X', 300, 'LP-A');
  // Raw rows as the store keeps them: m, n, then bid, ask and mid OHLC.
  const row = (bid: number[], ask: number[], mid: number[]) => [0, 0, ...bid, ...ask, ...mid];
  b.addBar(t0, 3, row([1, 2, 0.5, 1.5], [1.1, 2.1, 0.6, 1.6], [1.05, 2.05, 0.55, 1.55]), 2);
  b.addBar(t0 + MIN, 2, row([1.5, 2.5, 1, 1.2], [1.6, 2.6, 0.4, 1.3], [1.55, 2.55, 0.7, 1.25]), 2);
  b.addBar(t0 + 5 * MIN, 1, [7, 8, 6, 7.5, 7.1, 8.1, 6.1, 7.6, 7.05, 8.05, 6.05, 7.55]);
  const o = b.out;
  assert.equal(o.source, 'LP-A');
  assert.deepEqual(o.startUs, [t0, t0 + 5 * MIN]);
  assert.deepEqual(o.count, [5, 1]);
  assert.deepEqual(o.bid, { open: [1, 7], high: [2.5, 8], low: [0.5, 6], close: [1.2, 7.5] });
  assert.deepEqual(o.ask, { open: [1.1, 7.1], high: [2.6, 8.1], low: [0.4, 6.1], close: [1.3, 7.6] });
  assert.deepEqual(o.mid, { open: [1.05, 7.05], high: [2.55, 8.05], low: [0.55, 6.05], close: [1.25, 7.55] });
});

test('buckets before the epoch and daily buckets align to UTC multiples', () => {
  assert.equal(bucketStartUs(-1, MIN), -MIN);
  const day = 86_400_000_000;
  const ts = Date.UTC(2026, 6, 13, 17, 3) * 1000;
  assert.equal(bucketStartUs(ts, day), Date.UTC(2026, 6, 13) * 1000);
});

test('sidePrice and barsFromTicks: every side from the same ticks', () => {
  assert.equal(sidePrice('bid', 1, 3), 1);
  assert.equal(sidePrice('ask', 1, 3), 3);
  assert.equal(sidePrice('mid', 1, 3), 2);
  const ts = [0, 1_000_000, 2_500_000];
  const bid = [1, 2, 3];
  const ask = [2, 4, 5];
  const bars = barsFromTicks('S', 2, null, ts, bid, ask);
  assert.deepEqual(bars.startUs, [0, 2_000_000]);
  assert.deepEqual(bars.count, [2, 1]);
  assert.deepEqual(bars.mid, { open: [1.5, 4], high: [3, 4], low: [1.5, 4], close: [3, 4] });
  assert.deepEqual(bars.bid.high, [2, 3]);
  assert.deepEqual(bars.ask.high, [4, 5]);
  assert.deepEqual(bars.ask.low, [2, 5]);
});
