import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BarBuilder, barsFromTicks, bucketStartUs, sidePrice } from '../../../shared/bars.ts';

const MIN = 60_000_000;

test('BarBuilder folds ticks into UTC-aligned buckets with first/max/min/last and counts', () => {
  const b = new BarBuilder('EURUSD', 60, 'bid');
  const t0 = Date.UTC(2026, 0, 5, 10, 0) * 1000;
  b.add(t0 + 5_000_000, 1.1);
  b.add(t0 + 20_000_000, 1.3);
  b.add(t0 + 30_000_000, 0.9);
  b.add(t0 + 59_999_999, 1.2);
  // The next minute is skipped entirely (no ticks): it must not appear.
  b.add(t0 + 2 * MIN, 1.5);
  assert.deepEqual(b.out, {
    symbol: 'EURUSD',
    timeframeSec: 60,
    price: 'bid',
    startUs: [t0, t0 + 2 * MIN],
    open: [1.1, 1.5],
    high: [1.3, 1.5],
    low: [0.9, 1.5],
    close: [1.2, 1.5],
    count: [4, 1],
  });
});

test('BarBuilder.addBar merges pre-aggregated minute bars into larger buckets', () => {
  const t0 = Date.UTC(2026, 0, 5, 10, 0) * 1000;
  const b = new BarBuilder('X', 300, 'mid');
  b.addBar(t0, 1, 2, 0.5, 1.5, 3);
  b.addBar(t0 + MIN, 1.5, 2.5, 1, 1.2, 2);
  b.addBar(t0 + 5 * MIN, 7, 8, 6, 7.5, 1);
  assert.deepEqual(b.out.startUs, [t0, t0 + 5 * MIN]);
  assert.deepEqual(b.out.open, [1, 7]);
  assert.deepEqual(b.out.high, [2.5, 8]);
  assert.deepEqual(b.out.low, [0.5, 6]);
  assert.deepEqual(b.out.close, [1.2, 7.5]);
  assert.deepEqual(b.out.count, [5, 1]);
});

test('buckets before the epoch and daily buckets align to UTC multiples', () => {
  assert.equal(bucketStartUs(-1, MIN), -MIN);
  const day = 86_400_000_000;
  const ts = Date.UTC(2026, 6, 13, 17, 3) * 1000;
  assert.equal(bucketStartUs(ts, day), Date.UTC(2026, 6, 13) * 1000);
});

test('sidePrice and barsFromTicks use bid, ask or mid', () => {
  assert.equal(sidePrice('bid', 1, 3), 1);
  assert.equal(sidePrice('ask', 1, 3), 3);
  assert.equal(sidePrice('mid', 1, 3), 2);
  const ts = [0, 1_000_000, 2_500_000];
  const bid = [1, 2, 3];
  const ask = [2, 4, 5];
  const mid = barsFromTicks('S', 2, 'mid', ts, bid, ask);
  assert.deepEqual(mid.startUs, [0, 2_000_000]);
  assert.deepEqual(mid.open, [1.5, 4]);
  assert.deepEqual(mid.high, [3, 4]);
  assert.deepEqual(mid.close, [3, 4]);
  assert.deepEqual(mid.count, [2, 1]);
  assert.deepEqual(barsFromTicks('S', 2, 'ask', ts, bid, ask).high, [4, 5]);
});
