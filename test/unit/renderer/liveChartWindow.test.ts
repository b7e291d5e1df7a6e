import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveClock } from '../../../renderer/live/liveClock.ts';
import { TickWindow } from '../../../renderer/live/tickWindow.ts';

const times = (w: TickWindow) => Array.from(w.columns().tsUs);

test('the tick window keeps real µs times in order, every source, and trims to its capacity', () => {
  const w = new TickWindow(3);
  w.append(10, 1.1, 1.2, 'A');
  w.append(20, 1.3, 1.4, 'B');
  w.append(30, 1.5, 1.6, 'A');
  w.append(40, 1.7, 1.8, 'C');
  assert.equal(w.length, 4, 'a window may exceed its capacity until trimmed');
  assert.equal(w.trim(), 1);
  assert.deepEqual(times(w), [20, 30, 40]);
  assert.equal(w.firstTsUs, 20);
  assert.equal(w.lastTsUs, 40);
  assert.deepEqual(w.sources(), ['A', 'B', 'C']);
  w.append(50, 2, 2.1, 'C');
  w.trim();
  assert.deepEqual(w.sources(), ['A', 'C'], 'a source whose ticks were all trimmed is no longer listed');
  assert.equal(w.sourceAt(0), 'A');
  assert.equal(w.bidAt(2), 2);
  assert.equal(w.askAt(2), 2.1);
});

test('a late tick is inserted at its time, after ticks of the same µs', () => {
  const w = new TickWindow(10);
  for (const [t, s] of [
    [100, 'A'],
    [200, 'A'],
    [300, 'B'],
  ] as const)
    w.append(t, t / 100, t / 100 + 0.1, s);
  assert.equal(w.append(200, 9, 9.1, 'C'), 2);
  assert.equal(w.append(50, 8, 8.1, 'B'), 0);
  assert.deepEqual(times(w), [50, 100, 200, 200, 300]);
  assert.equal(w.sourceAt(3), 'C', 'the later arrival of two at 200 µs comes second');
  assert.equal(w.bidAt(0), 8);
});

test('binary searches and "last tick at or before" honour a source predicate', () => {
  const w = new TickWindow(10);
  [10, 20, 20, 30, 40].forEach((t, i) => w.append(t, i, i + 1, i % 2 === 0 ? 'A' : 'B'));
  assert.equal(w.lowerBound(20), 1);
  assert.equal(w.upperBound(20), 3);
  assert.equal(w.lowerBound(5), 0);
  assert.equal(w.upperBound(99), 5);
  const b = w.knownSourceId('B')!;
  assert.equal(w.lastAtOrBefore(35), 3);
  assert.equal(
    w.lastAtOrBefore(35, (id) => id === b),
    3,
  );
  assert.equal(
    w.lastAtOrBefore(25, (id) => id === b),
    1,
  );
  assert.equal(w.lastAtOrBefore(5), -1);
  assert.equal(w.knownSourceId('Z'), undefined);
});

test('the window grows past its first buffer and compacts after trims, keeping the newest ticks', () => {
  const w = new TickWindow(3000);
  for (let i = 0; i < 9000; i++) w.append(i, i, i + 1, i % 3 === 0 ? 'A' : 'B');
  assert.equal(w.length, 9000);
  w.trim();
  assert.equal(w.length, 3000);
  for (let i = 9000; i < 20_000; i++) {
    w.append(i, i, i + 1, 'B');
    if (i % 100 === 0) w.trim();
  }
  w.trim();
  const t = times(w);
  assert.equal(t.length, 3000);
  assert.equal(t[0], 17_000);
  assert.equal(t[2999], 19_999);
  assert.deepEqual(w.sources(), ['B']);
  const before = w.version;
  w.append(20_000, 1, 2, 'B');
  assert.ok(w.version > before, 'every change bumps the version the chart caches by');
  assert.throws(() => new TickWindow(0), RangeError);
});

test('the live clock follows the feed time of live arrivals and never moves back', () => {
  const c = new LiveClock();
  assert.equal(c.edgeUs(1000), null, 'no tick, no edge');
  // Ticks stamped by the feed arrive 30 ms after their time (page clock in ms, feed in µs).
  c.observe(1_000_000_000, 1_030);
  assert.equal(c.edgeUs(1_030), 1_000_000_000);
  assert.equal(c.edgeUs(1_530), 1_000_500_000, 'a quiet symbol: the edge moves on with the clock');
  c.observe(1_000_200_000, 1_500); // an older tick arriving late does not pull the edge back
  assert.equal(c.edgeUs(1_530), 1_000_500_000);
  // A fresher delivery (10 ms late) moves the offset forward.
  c.observe(1_000_600_000, 1_610);
  assert.equal(c.edgeUs(1_610), 1_000_600_000);
  assert.equal(c.newestTickUs, 1_000_600_000);
});

test('a stale prefill is "now" until live ticks arrive; a replay far from the page clock re-syncs', () => {
  const c = new LiveClock();
  const nowMs = 1_800_000_000_000; // 2027
  const old = 1_549_000_000_000_000; // 2019
  c.noteTick(old, nowMs);
  assert.equal(c.edgeUs(nowMs), old, 'hours of nothing are not shown for a closed market');
  assert.equal(c.edgeUs(nowMs + 1000), old + 1_000_000);
  const fresh = new LiveClock();
  fresh.noteTick(nowMs * 1000 - 2_000_000, nowMs);
  assert.equal(fresh.edgeUs(nowMs), nowMs * 1000, 'a recent prefill: the edge is the page clock');
  fresh.observe(nowMs * 1000 - 5_000, nowMs);
  fresh.observe(old, nowMs + 100);
  assert.equal(fresh.edgeUs(nowMs + 100), old, 'a jump of years is a new clock, not a late delivery');
});
