import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualFeedClock, systemFeedClock } from '../../../electron/feeds/core/feedClock.ts';

test('ManualFeedClock fires due timers in time order, including ones they set, and moves nowUs to each', () => {
  const c = new ManualFeedClock(1_000_000);
  const fired: string[] = [];
  c.setTimeout(() => fired.push(`b@${c.nowUs()}`), 20);
  const a = c.setTimeout(() => {
    fired.push(`a@${c.nowUs()}`);
    c.setTimeout(() => fired.push(`a2@${c.nowUs()}`), 5);
  }, 10);
  const dropped = c.setTimeout(() => fired.push('dropped'), 15);
  c.clearTimeout(dropped);
  c.advanceMs(9.999);
  assert.deepEqual(fired, []);
  c.advanceMs(30);
  assert.deepEqual(fired, ['a@1010000', 'a2@1015000', 'b@1020000']);
  assert.equal(c.nowUs(), 1_039_999);
  assert.equal(c.pending(), 0);
  c.clearTimeout(a); // clearing a fired timer is harmless
});

test('ManualFeedClock runs equal-time timers in the order they were set', () => {
  const c = new ManualFeedClock(0);
  const order: number[] = [];
  for (let i = 0; i < 5; i++) c.setTimeout(() => order.push(i), 7);
  c.advanceMs(7);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
});

test('systemFeedClock gives integer µs near the wall clock, never going backwards, with sub-ms steps', () => {
  const first = systemFeedClock.nowUs();
  assert.ok(Number.isSafeInteger(first));
  assert.ok(Math.abs(first - Date.now() * 1000) < 60_000, 'within 60 ms of Date.now()');
  let prev = first;
  const distinct = new Set<number>();
  for (let i = 0; i < 10_000; i++) {
    const now = systemFeedClock.nowUs();
    assert.ok(now > prev, 'strictly increasing');
    distinct.add(now % 1000);
    prev = now;
  }
  // Sub-ms resolution: the µs part is not always the same (Date alone would give multiples of 1000).
  assert.ok(distinct.size > 1);
});

test('systemFeedClock timers fire and can be cleared', async () => {
  let fired = 0;
  const t = systemFeedClock.setTimeout(() => fired++, 1);
  const dropped = systemFeedClock.setTimeout(() => (fired += 100), 1);
  systemFeedClock.clearTimeout(dropped);
  // The timers are unref'd; a referenced one keeps the test alive long enough.
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(fired, 1);
  systemFeedClock.clearTimeout(t);
  systemFeedClock.clearTimeout(null);
});
