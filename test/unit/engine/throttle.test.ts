import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuoteThrottle } from '../../../electron/engine/ingest/throttle.ts';

test('disabled by default settings', () => {
  const t = new QuoteThrottle(false, 0);
  assert.equal(t.enabled, false);
});

test('exact repeats of the last quote per symbol and source are dropped', () => {
  const t = new QuoteThrottle(true, 0);
  assert.ok(t.enabled);
  assert.equal(t.drops(0, 0, 1.1, 1.2, 1), false);
  assert.equal(t.drops(0, 0, 1.1, 1.2, 2), true, 'same bid/ask again');
  assert.equal(t.drops(0, 1, 1.1, 1.2, 3), false, 'another source is its own stream');
  assert.equal(t.drops(1, 0, 1.1, 1.2, 3), false, 'another symbol is its own stream');
  assert.equal(t.drops(0, 0, 1.1, 1.21, 4), false, 'a changed ask passes');
  assert.equal(t.drops(0, 0, 1.1, 1.2, 5), false, 'back to the earlier quote is not a repeat of the last');
  assert.equal(t.drops(0, 0, 1.1, 1.2, 6), true);
});

test('a minimum interval drops ticks that follow the last accepted one too soon', () => {
  const t = new QuoteThrottle(false, 100); // 100 ms
  assert.equal(t.drops(0, 0, 1, 2, 1_000_000), false);
  assert.equal(t.drops(0, 0, 1.1, 2, 1_050_000), true);
  assert.equal(t.drops(0, 0, 1.2, 2, 1_099_999), true);
  // Measured from the last accepted tick, not the last dropped one.
  assert.equal(t.drops(0, 0, 1.3, 2, 1_100_000), false);
  assert.equal(t.drops(0, 0, 1.4, 2, 1_150_000), true);
  // A tick older than the last accepted (out of order) is not throttled by the interval.
  assert.equal(t.drops(0, 0, 1.5, 2, 900_000), false);
  assert.equal(t.drops(1, 0, 1.1, 2, 1_050_000), false, 'other symbols are independent');
});

test('settings changed at run time take effect', () => {
  const t = new QuoteThrottle(false, 0);
  t.repeats = true;
  assert.equal(t.drops(0, 0, 1, 2, 1), false);
  assert.equal(t.drops(0, 0, 1, 2, 2), true);
  t.repeats = false;
  assert.equal(t.drops(0, 0, 1, 2, 3), false);
});
