import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../electron/engine/clock.ts';

test('ManualClock fires due timers in time order as it advances, and stops after cancel', () => {
  const c = new ManualClock(1_000_000);
  const fired: string[] = [];
  const cancelA = c.every(10, () => fired.push(`a@${c.nowUs()}`));
  c.every(25, () => fired.push(`b@${c.nowUs()}`));
  c.advance(5_000);
  assert.deepEqual(fired, []);
  c.advance(25_000);
  assert.deepEqual(fired, ['a@1010000', 'a@1020000', 'b@1025000', 'a@1030000']);
  assert.equal(c.nowUs(), 1_030_000);
  cancelA();
  fired.length = 0;
  c.set(1_100_000);
  assert.deepEqual(fired, ['b@1050000', 'b@1075000', 'b@1100000']);
  assert.equal(c.nowUs(), 1_100_000);
});
