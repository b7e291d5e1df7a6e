import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatencyWindow } from '../../../electron/engine/metrics/latencyWindow.ts';
import { RateMeter } from '../../../electron/engine/metrics/rateMeter.ts';

test('RateMeter averages over its window and forgets what is older', () => {
  const m = new RateMeter(5);
  const t = 1_000_000_000;
  m.add(300, t);
  m.add(200, t + 400);
  assert.equal(m.perSecond(t), 500 / 5);
  assert.equal(m.perSecond(t + 500), 500 / 5.5);
  m.add(600, t + 2_000);
  assert.equal(m.total(t + 2_000), 1_100);
  assert.equal(m.total(t + 5_999), 1_100);
  // Six whole seconds later the first second has left the window; the second add has not.
  assert.equal(m.total(t + 6_000), 600);
  assert.equal(m.total(t + 8_000), 0);
  assert.equal(m.perSecond(t + 60_000), 0);
});

test('RateMeter with a start time: the rate is over the elapsed time until the window fills', () => {
  const t = 1_000_000_000; // a whole second
  const m = new RateMeter(5, t);
  m.add(1_000, t + 200);
  m.add(1_000, t + 900);
  // 2,000 ticks in the first second read as 2,000/s, not 2,000/5.
  assert.equal(m.perSecond(t + 1_000), 2_000);
  m.add(2_000, t + 1_500);
  assert.equal(m.perSecond(t + 2_000), 2_000);
  // After the window has filled it is the plain windowed rate again.
  for (let s = 2; s <= 9; s++) m.add(2_000, t + s * 1_000 + 10);
  assert.equal(m.perSecond(t + 9_500), (2_000 * 6) / 5.5);
});

test('RateMeter over a minute counts errors of the last minute', () => {
  const m = new RateMeter(60);
  const t = 2_000_000_000;
  for (let i = 0; i < 10; i++) m.add(1, t + i * 5_000);
  assert.equal(m.total(t + 45_000), 10);
  assert.equal(m.total(t + 120_000), 0);
});

test('LatencyWindow reports percentiles of the most recent samples', () => {
  const w = new LatencyWindow(100);
  assert.equal(w.percentile(50), 0, 'no samples yet');
  for (let i = 100; i >= 1; i--) w.add(i);
  assert.equal(w.percentile(50), 51);
  assert.equal(w.percentile(99), 100);
  assert.equal(w.percentile(0), 1);
  const small = new LatencyWindow(4);
  for (const v of [100, 100, 100, 100, 1, 2, 3, 4]) small.add(v);
  assert.equal(small.percentile(99), 4, 'old samples are overwritten');
  // Numeric, not lexicographic, order.
  const lex = new LatencyWindow(3);
  for (const v of [9, 10, 100]) lex.add(v);
  assert.equal(lex.percentile(0), 9);
});
