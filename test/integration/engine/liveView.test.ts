// The in-memory live view: latest quote per changed symbol, and ticks newer than a sequence
// number from the symbol's ring, without touching disk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestStore } from '../../helpers/testStore.ts';

const NOW = Date.UTC(2026, 10, 2, 10) * 1000;

test('quotesSince reports each changed symbol once with its latest quote and tick count', async () => {
  const { store } = await openTestStore('live', NOW, { ringSize: 50 });
  try {
    assert.deepEqual(store.live.quotesSince(0), { version: 0, quotes: [] });
    for (let i = 0; i < 5; i++)
      store.ingest({ symbol: 'EURUSD', bid: 1.1 + i / 1e4, ask: 1.2, tsUs: NOW - 100 + i, source: 'LP-A' });
    store.ingest({ symbol: 'XAUUSD', bid: 2331.45, ask: 2331.7, tsUs: NOW - 50 });
    const a = store.live.quotesSince(0);
    assert.equal(a.version, 6);
    assert.deepEqual(
      a.quotes.map((q) => [q.symbol, q.bid, q.ask, q.tsUs, q.source, q.ticks]),
      [
        ['EURUSD', 1.1004, 1.2, NOW - 96, 'LP-A', 5],
        ['XAUUSD', 2331.45, 2331.7, NOW - 50, 'default', 1],
      ],
    );
    assert.deepEqual(store.live.quotesSince(a.version).quotes, [], 'nothing changed since');
    store.ingest({ symbol: 'XAUUSD', bid: 2331.5, ask: 2331.8, tsUs: NOW - 40 });
    store.ingest({ symbol: 'XAUUSD', bid: 2331.6, ask: 2331.9, tsUs: NOW - 30 });
    const b = store.live.quotesSince(a.version);
    assert.deepEqual(
      b.quotes.map((q) => [q.symbol, q.bid, q.ticks]),
      [['XAUUSD', 2331.6, 2]],
    );
  } finally {
    await store.stop();
  }
});

test('ticksSince returns ticks after a sequence number, limited to what the ring holds', async () => {
  const { store } = await openTestStore('live-ticks', NOW, { ringSize: 50 });
  try {
    assert.deepEqual(store.live.ticksSince('EURUSD', 0).ticks.tsUs, []);
    for (let i = 0; i < 30; i++)
      store.ingest({ symbol: 'EURUSD', bid: 1 + i, ask: 2 + i, tsUs: NOW - 1000 + i });
    const first = store.live.ticksSince('EURUSD', 0);
    assert.equal(first.lastSeq, 30);
    assert.equal(first.ticks.tsUs.length, 30);
    for (let i = 30; i < 100; i++)
      store.ingest({ symbol: 'EURUSD', bid: 1 + i, ask: 2 + i, tsUs: NOW - 1000 + i });
    const next = store.live.ticksSince('EURUSD', first.lastSeq);
    assert.equal(next.lastSeq, 100);
    // 70 newer ticks, but the ring keeps only the newest 50.
    assert.deepEqual(
      next.ticks.bid,
      Array.from({ length: 50 }, (_, k) => 51 + k),
    );
    assert.deepEqual(next.ticks.sources, ['default']);
    assert.deepEqual(store.live.ticksSince('EURUSD', 100).ticks.tsUs, []);
  } finally {
    await store.stop();
  }
});

test('quotesSince gives every source of a symbol its own quote and tick count', async () => {
  const { store } = await openTestStore('live-sources', NOW, { ringSize: 8 });
  try {
    const lp = (source: string, i: number, bid: number) =>
      store.ingest({ symbol: 'EURUSD', bid, ask: bid + 0.0001, tsUs: NOW - 1000 + i, source });
    lp('LP-A', 0, 1.1);
    lp('LP-B', 1, 1.2);
    lp('LP-A', 2, 1.3);
    lp('LP-C', 3, 1.4);
    const a = store.live.quotesSince(0);
    assert.deepEqual(
      a.quotes.map((q) => [q.symbol, q.source, q.bid, q.tsUs, q.ticks]),
      [
        ['EURUSD', 'LP-A', 1.3, NOW - 998, 2],
        ['EURUSD', 'LP-B', 1.2, NOW - 999, 1],
        ['EURUSD', 'LP-C', 1.4, NOW - 997, 1],
      ],
    );
    // Only LP-B moves: only its quote is new.
    lp('LP-B', 4, 1.25);
    const b = store.live.quotesSince(a.version);
    assert.deepEqual(
      b.quotes.map((q) => [q.source, q.bid, q.ticks]),
      [['LP-B', 1.25, 1]],
    );
    // LP-A ticks once, then LP-B fills the 8-tick ring past it: LP-A's new quote is still sent.
    lp('LP-A', 5, 1.35);
    for (let i = 0; i < 20; i++) lp('LP-B', 6 + i, 1.5 + i / 1e4);
    const c = store.live.quotesSince(b.version);
    assert.deepEqual(
      c.quotes.map((q) => [q.source, q.bid]),
      [
        ['LP-A', 1.35],
        ['LP-B', 1.5019],
      ],
    );
    assert.equal(c.quotes.find((q) => q.source === 'LP-B')!.ticks, 8, 'counted from what the ring holds');
    assert.deepEqual(store.live.quotesSince(c.version).quotes, []);
  } finally {
    await store.stop();
  }
});

test('live ticks and recent ticks from the ring carry sizes, null where the feed gave none', async () => {
  const { store } = await openTestStore('live-sizes', NOW, { ringSize: 50 });
  try {
    store.ingest({ symbol: 'BTCUSD', bid: 67000, ask: 67001, tsUs: NOW - 30, bidSize: 0.5, askSize: 1.25 });
    store.ingest({ symbol: 'BTCUSD', bid: 67000.5, ask: 67001, tsUs: NOW - 20 });
    store.ingest({ symbol: 'BTCUSD', bid: 67001, ask: 67002, tsUs: NOW - 10, bidSize: 0, askSize: 3 });
    const live = store.live.ticksSince('BTCUSD', 0).ticks;
    assert.deepEqual(live.bidSize, [0.5, null, 0]);
    assert.deepEqual(live.askSize, [1.25, null, 3]);
    const recent = await store.recent('BTCUSD', 2);
    assert.deepEqual(recent.tsUs, [NOW - 20, NOW - 10]);
    assert.deepEqual(recent.bidSize, [null, 0]);
    assert.deepEqual(recent.askSize, [null, 3]);
  } finally {
    await store.stop();
  }
});
