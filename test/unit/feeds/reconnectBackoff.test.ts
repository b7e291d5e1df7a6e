import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createReconnectBackoff } from '../../../electron/feeds/core/reconnectBackoff.ts';

test('the cap doubles per attempt from baseMs up to maxMs, and the delay is random below it (full jitter)', () => {
  const b = createReconnectBackoff({ baseMs: 100, maxMs: 1_000, random: () => 0.999_999 });
  const delays = Array.from({ length: 8 }, () => b.nextDelayMs());
  assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  assert.equal(b.attempts, 8);
  const low = createReconnectBackoff({ baseMs: 100, maxMs: 1_000, random: () => 0 });
  assert.deepEqual([low.nextDelayMs(), low.nextDelayMs()], [0, 0]);
  const half = createReconnectBackoff({ baseMs: 100, maxMs: 1_000, random: () => 0.5 });
  assert.deepEqual([half.nextDelayMs(), half.nextDelayMs(), half.nextDelayMs()], [50, 100, 200]);
});

test('it never gives up: thousands of attempts stay at the cap, finite', () => {
  const b = createReconnectBackoff({ random: () => 0.999 });
  let d = 0;
  for (let i = 0; i < 5_000; i++) d = b.nextDelayMs();
  assert.ok(Number.isFinite(d));
  assert.ok(d <= 30_000 && d > 29_000, `capped at 30 s by default, got ${d}`);
  assert.equal(b.attempts, 5_000);
});

test('reset starts from the base again', () => {
  const b = createReconnectBackoff({ baseMs: 250, random: () => 0.999_999 });
  for (let i = 0; i < 6; i++) b.nextDelayMs();
  b.reset();
  assert.equal(b.attempts, 0);
  assert.equal(b.nextDelayMs(), 250);
});

test('a broken random source still gives a delay within the cap; bad bounds are refused', () => {
  const b = createReconnectBackoff({ baseMs: 100, maxMs: 100, random: () => Number.NaN });
  assert.equal(b.nextDelayMs(), 50);
  assert.throws(() => createReconnectBackoff({ baseMs: 0 }), RangeError);
  assert.throws(() => createReconnectBackoff({ baseMs: 500, maxMs: 100 }), RangeError);
});

test('default jitter spreads delays (not all equal)', () => {
  const b = createReconnectBackoff({ baseMs: 1000, maxMs: 1000 });
  const seen = new Set(Array.from({ length: 50 }, () => b.nextDelayMs()));
  assert.ok(seen.size > 10);
  for (const d of seen) assert.ok(d >= 0 && d <= 1000);
});
