// The renderer's replay plumbing: a replay batch becomes the live chart's columns of one symbol,
// and the feed holds a session's ticks until its chart attaches, dropping an old session's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReplayTick } from '../../../shared/replay.ts';
import { replayColumns } from '../../../renderer/replay/replayColumns.ts';
import { ReplayFeed } from '../../../renderer/replay/replayFeed.ts';

const tick = (symbol: string, source: string, tsUs: number, bid: number): ReplayTick => ({
  symbol,
  source,
  tsUs,
  bid,
  ask: bid + 1,
  recvUs: tsUs + 5,
});

test('replayColumns keeps only the chart symbol, in order, with sources interned', () => {
  const ticks = [
    tick('EURUSD', 'LP-A', 10, 1),
    tick('GBPUSD', 'LP-A', 11, 50),
    tick('EURUSD', 'LP-B', 12, 2),
    tick('EURUSD', 'LP-A', 12, 3),
  ];
  const c = replayColumns(ticks, 'EURUSD');
  assert.equal(c.symbol, 'EURUSD');
  assert.deepEqual(c.tsUs, [10, 12, 12]);
  assert.deepEqual(c.bid, [1, 2, 3]);
  assert.deepEqual(c.ask, [2, 3, 4]);
  assert.deepEqual(c.sources, ['LP-A', 'LP-B']);
  assert.deepEqual(
    c.source.map((i) => c.sources[i]),
    ['LP-A', 'LP-B', 'LP-A'],
  );
  assert.deepEqual(replayColumns(ticks, 'USDJPY').tsUs, []);
});

test('the feed holds ticks until the session attaches, then passes them straight on', () => {
  const feed = new ReplayFeed();
  const s = feed.begin();
  feed.push([tick('A', 'x', 1, 1), tick('A', 'x', 2, 2)], 2);
  feed.push([tick('A', 'x', 3, 3)], 3);
  const got: { ts: number[]; clock: number }[] = [];
  const detach = feed.attach(s, (t, clock) => got.push({ ts: t.map((x) => x.tsUs), clock }));
  assert.deepEqual(got, [{ ts: [1, 2, 3], clock: 3 }], 'held ticks arrive at once, with the latest clock');
  feed.push([tick('A', 'x', 4, 4)], 9);
  assert.deepEqual(got[1], { ts: [4], clock: 9 });
  detach();
  feed.push([tick('A', 'x', 5, 5)], 10);
  assert.equal(got.length, 2, 'nothing after detaching');
});

test('a new session drops the old one: its held ticks, its listener, and late attaches for it', () => {
  const feed = new ReplayFeed();
  const old = feed.begin();
  const seenOld: number[] = [];
  feed.attach(old, (t) => seenOld.push(...t.map((x) => x.tsUs)));
  const next = feed.begin();
  assert.ok(next > old);
  feed.push([tick('A', 'x', 7, 7)], 7);
  assert.deepEqual(seenOld, [], 'the old listener hears nothing of the new session');
  const stale: number[] = [];
  feed.attach(old, (t) => stale.push(...t.map((x) => x.tsUs)));
  assert.deepEqual(stale, [], 'an attach for the old session gets nothing');
  const fresh: number[] = [];
  feed.attach(next, (t) => fresh.push(...t.map((x) => x.tsUs)));
  assert.deepEqual(fresh, [7]);
  feed.begin();
  const after: number[] = [];
  feed.attach(feed.session, (t) => after.push(...t.map((x) => x.tsUs)));
  assert.deepEqual(after, [], 'nothing held from before the latest begin');
});
