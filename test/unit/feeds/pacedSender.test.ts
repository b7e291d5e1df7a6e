import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualFeedClock } from '../../../electron/feeds/core/feedClock.ts';
import { PacedSender } from '../../../electron/feeds/core/pacedSender.ts';

test('items go out one per interval, the first at once', () => {
  const clock = new ManualFeedClock();
  const sent: string[] = [];
  new PacedSender(clock, 200).sendAll(['a', 'b', 'c'], (x) => (sent.push(x), true));
  assert.deepEqual(sent, ['a']);
  clock.advanceMs(199);
  assert.deepEqual(sent, ['a'], 'not before the interval');
  clock.advanceMs(1);
  assert.deepEqual(sent, ['a', 'b']);
  clock.advanceMs(1000);
  assert.deepEqual(sent, ['a', 'b', 'c']);
});

test('a closed session drops the rest, and stop cancels what is pending', () => {
  const clock = new ManualFeedClock();
  const sent: number[] = [];
  const pacer = new PacedSender(clock, 100);
  let open = true;
  pacer.sendAll([1, 2, 3], (x) => open && (sent.push(x), true));
  open = false;
  clock.advanceMs(500);
  assert.deepEqual(sent, [1]);

  const later: number[] = [];
  pacer.sendAll([7, 8, 9], (x) => (later.push(x), true));
  pacer.stop();
  clock.advanceMs(500);
  assert.deepEqual(later, [7]);
});
