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
