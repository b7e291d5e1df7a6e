// The main thread's hold on gap-ledger entries: bounded, in order through failures and writer
// restarts, and the check that makes the engine's own copy of an entry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFeedEvent } from '../../../electron/engine/ledger/feedEventCheck.ts';
import type { FeedEventFilter } from '../../../electron/engine/ledger/feedEventLedger.ts';
import { FeedEventLedger } from '../../../electron/engine/ledger/feedEventLedger.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import { feedEvent } from '../../../shared/feeds/feedEvents.ts';

const at = (tsUs: number, kind: FeedEvent['kind'] = 'connect', symbol: string | null = null) =>
  feedEvent({ tsUs, feed: 'binance', source: 'binance', kind, symbol, reason: `at ${tsUs}` });
const all: FeedEventFilter = {
  fromUs: 0,
  toUs: Number.MAX_SAFE_INTEGER,
  feed: null,
  symbol: null,
  kinds: null,
};

test('the ledger holds at most its capacity, sent or not', () => {
  const l = new FeedEventLedger(3);
  assert.ok(l.add(at(1)) && l.add(at(2)));
  const m = l.take()!;
  assert.deepEqual(
    m.events.map((e) => e.tsUs),
    [1, 2],
  );
  assert.ok(l.add(at(3)));
  assert.equal(l.add(at(4)), false, 'full: two in flight and one unsent');
  assert.equal(l.size, 3);
  assert.equal(l.settle(m.id, []), 2);
  assert.equal(l.size, 1);
  assert.ok(l.add(at(4)));
});

test('failed entries and the entries of a writer that died are tried again, oldest first', () => {
  const l = new FeedEventLedger(100);
  l.add(at(1));
  l.add(at(2));
  const a = l.take()!;
  l.add(at(3));
  const b = l.take()!;
  l.add(at(4));
  // The first message half written, the second never answered (the writer died).
  assert.equal(l.settle(a.id, [a.events[1]]), 1);
  l.requeueInflight();
  assert.equal(l.settle(b.id, []), 0, 'a report for a requeued message counts nothing');
  const again = l.take()!;
  assert.deepEqual(
    again.events.map((e) => e.tsUs),
    [3, 2, 4],
    'in flight first, then the failed, then the new',
  );
  assert.deepEqual(
    l.matching(all).map((e) => e.tsUs),
    [3, 2, 4],
  );
  assert.deepEqual(
    l.drain().map((e) => e.tsUs),
    [3, 2, 4],
  );
  assert.equal(l.size, 0);
});

test('held entries are filtered like the files: half-open time range, feed, symbol, kinds', () => {
  const l = new FeedEventLedger();
  for (const e of [at(10), at(20, 'stale_start', 'BTCUSDT'), at(30, 'stale_end', 'ETHUSDT')]) l.add(e);
  const ts = (f: Partial<FeedEventFilter>) => l.matching({ ...all, ...f }).map((e) => e.tsUs);
  assert.deepEqual(ts({ fromUs: 10, toUs: 30 }), [10, 20]);
  assert.deepEqual(ts({ symbol: 'ETHUSDT' }), [30]);
  assert.deepEqual(ts({ kinds: ['connect', 'stale_end'] }), [10, 30]);
  assert.deepEqual(ts({ feed: 'coinbase' }), []);
});

test('checkFeedEvent copies the entry, fills left-out fields with null and cuts long reasons', () => {
  const bounds = { minTsUs: 1_000, maxTsUs: 2_000 };
  const input = {
    tsUs: 1_500,
    feed: 'lp-fix',
    source: 'LPFIX',
    kind: 'rejected',
    reason: 'x'.repeat(900),
    code: 3,
  };
  const r = checkFeedEvent(input, bounds);
  assert.equal(r.problem, null);
  assert.deepEqual(r.event, {
    tsUs: 1_500,
    feed: 'lp-fix',
    source: 'LPFIX',
    kind: 'rejected',
    symbol: null,
    code: 3,
    reason: 'x'.repeat(500),
    fromSeq: null,
    toSeq: null,
    sinceUs: null,
  });
  assert.notEqual(r.event, input as unknown);
  input.reason = 'changed';
  assert.equal(r.event?.reason.length, 500, 'a later change by the feed does not reach the copy');
  assert.match(checkFeedEvent({ ...input, tsUs: 2_001 }, bounds).problem ?? '', /tsUs/);
  assert.match(checkFeedEvent({ ...input, fromSeq: 2 ** 53 }, bounds).problem ?? '', /fromSeq/);
});
