import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLateSink } from '../../../electron/feeds/core/lateSink.ts';
import { feedEvent } from '../../../shared/feeds/feedEvents.ts';
import { collectingSink } from '../../helpers/peers/collectingSink.ts';

test('before attach nothing is delivered and nothing waits; after it, everything goes to the sink', () => {
  const late = createLateSink();
  const tick = { symbol: 'X', bid: 1, ask: 2, tsUs: 1 };
  const e = feedEvent({ tsUs: 1, feed: 'f', source: 's', kind: 'connect', reason: 'up' });
  late.tick(tick);
  late.event(e);
  assert.equal(late.wait(), null);
  const sink = collectingSink();
  late.attach(sink);
  late.tick(tick);
  late.event(e);
  sink.hold();
  assert.ok(late.wait() instanceof Promise, "the sink's backpressure passes through");
  assert.equal(sink.ticks.length, 1);
  assert.deepEqual(sink.events, [e]);
});
