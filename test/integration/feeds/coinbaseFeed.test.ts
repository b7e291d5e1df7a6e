// The Coinbase feed against the local Coinbase peer, with a collecting sink: fields of batched
// tickers, sequence gaps, heartbeats as liveness, dead sockets, recovery after a cut without a
// close frame, malformed input, refused subscriptions, staleness, backpressure.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { COINBASE_FEED_SCHEMA } from '../../../shared/feeds/feedConfig.ts';
import { createCoinbaseFeed } from '../../../electron/feeds/coinbase/coinbaseFeed.ts';
import type { CoinbaseFeedDeps } from '../../../electron/feeds/coinbase/coinbaseFeed.ts';
import { COINBASE_MALFORMED } from '../../../electron/feeds/coinbase/coinbaseMessages.ts';
import { ManualFeedClock } from '../../../electron/feeds/core/feedClock.ts';
import { createReconnectBackoff } from '../../../electron/feeds/core/reconnectBackoff.ts';
import type { Feed } from '../../../electron/feeds/feed.ts';
import { startCoinbasePeer } from '../../helpers/peers/coinbasePeer.ts';
import type { CoinbasePeer, CoinbasePeerOptions } from '../../helpers/peers/coinbasePeer.ts';
import { collectingSink } from '../../helpers/peers/collectingSink.ts';
import type { CollectingSink } from '../../helpers/peers/collectingSink.ts';
import { storeSink, storedTicks } from '../../helpers/peers/storeSink.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

interface Rig {
  peer: CoinbasePeer;
  feed: Feed;
  sink: CollectingSink;
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function rig(
  symbols: string[],
  opts: { peer?: CoinbasePeerOptions; deps?: CoinbaseFeedDeps } = {},
): Promise<Rig> {
  const peer = await startCoinbasePeer(opts.peer);
  const feed = createCoinbaseFeed(
    COINBASE_FEED_SCHEMA.parse({ id: 'cb', kind: 'coinbase', url: peer.url, symbols }),
    {
      backoff: createReconnectBackoff({ baseMs: 20, maxMs: 200 }),
      ...opts.deps,
    },
  );
  const sink = collectingSink();
  cleanups.push(async () => {
    sink.release();
    await feed.stop();
    await peer.close();
  });
  feed.start(sink);
  return { peer, feed, sink };
}

const subscribed = (r: Rig, products: string[]) =>
  r.peer.waitFor(`${products.join(', ')} subscribed`, () =>
    products.every((p) => r.peer.subscribedTo(p).length === 1),
  );

const received = (r: Rig, n: number, timeoutMs = 10_000) =>
  waitFor(`${n} ticks (have ${r.sink.ticks.length})`, () => r.sink.ticks.length >= n, timeoutMs);

/** µs of an ISO time with 9 fractional digits, computed independently of the feed's parser. */
function isoUs(iso: string): number {
  const [whole, frac] = iso.replace('Z', '').split('.');
  return Date.parse(`${whole}Z`) * 1000 + Number(frac.slice(0, 6));
}

function assertSameCounts(actual: Map<string, number>, expected: Map<string, number>) {
  assert.deepEqual(Object.fromEntries([...actual].sort()), Object.fromEntries([...expected].sort()));
}

test('subscribes ticker and heartbeats; batched tickers (several events) give one tick each with every field right', async () => {
  const r = await rig(['BTC-USD', 'ETH-USD', 'SOL-USD']);
  await subscribed(r, ['BTC-USD', 'ETH-USD', 'SOL-USD']);
  await r.peer.waitFor('heartbeats subscribed', () => r.peer.open()[0].heartbeats);
  assert.deepEqual(
    r.peer.connections[0].received.map((t) => JSON.parse(t)),
    [
      { type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD', 'SOL-USD'], channel: 'ticker' },
      { type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD', 'SOL-USD'], channel: 'heartbeats' },
    ],
  );
  await waitFor('live after the subscriptions ack', () => r.feed.status().state === 'live');
  r.peer.heartbeats(false);
  r.peer.sendTickers(['BTC-USD', 'ETH-USD', 'SOL-USD'], 1, { type: 'snapshot', batch: 3 });
  // 3 products × 20 = 60 entries, 5 per message, split over 2 events each
  assert.equal(r.peer.sendTickers(['BTC-USD', 'ETH-USD', 'SOL-USD'], 20, { batch: 5, events: 2 }), 60);
  await received(r, 63);
  assertSameCounts(r.sink.countBySymbol(), r.peer.sent());
  const seqs = new Set<number>();
  r.peer.sentTickers.forEach((q, i) => {
    const t = r.sink.ticks[i];
    assert.equal(t.symbol, q.productId);
    assert.equal(t.bid, Number(q.bid));
    assert.equal(t.ask, Number(q.ask));
    assert.equal(t.bidSize, Number(q.bidSize));
    assert.equal(t.askSize, Number(q.askSize));
    assert.equal(t.source, 'coinbase');
    assert.equal(t.seq, q.sequenceNum * 1000 + q.index);
    assert.equal(t.tsUs, isoUs(q.timestamp));
    assert.equal(t.noExchangeTime, false);
    assert.ok(Number.isSafeInteger(t.recvUs));
    seqs.add(t.seq!);
  });
  assert.equal(seqs.size, 63, 'entries of one message keep distinct seq');
  const st = r.feed.status();
  assert.deepEqual(
    [st.state, st.source, st.ticks, st.connections, st.connectionsLive],
    ['live', 'coinbase', 63, 1, 1],
  );
  assert.equal(st.latency!.samples, 63);
  assert.ok(st.latency!.p99Us < 10_000_000);
  assert.equal(r.sink.eventsOf('sequence_gap').length, 0, 'acks and tickers counted without a gap');
});

test('a sequence_num skip is ledgered per connection (from/to) and resets no product', async () => {
  const r = await rig(['BTC-USD', 'ETH-USD'], { peer: { heartbeatMs: 0 } });
  await subscribed(r, ['BTC-USD', 'ETH-USD']);
  r.peer.sendTickers(['BTC-USD', 'ETH-USD'], 5);
  await received(r, 10);
  const nextSeq = r.peer.open()[0].nextSeq;
  r.peer.skipSequence(3);
  r.peer.sendTickers(['BTC-USD', 'ETH-USD'], 5);
  await received(r, 20);
  const gaps = r.sink.eventsOf('sequence_gap');
  assert.equal(gaps.length, 1);
  assert.deepEqual([gaps[0].symbol, gaps[0].fromSeq, gaps[0].toSeq], [null, nextSeq, nextSeq + 2]);
  const st = r.feed.status();
  for (const p of ['BTC-USD', 'ETH-USD']) {
    const s = st.symbols.find((x) => x.symbol === p)!;
    assert.equal(s.ticks, 10, `${p} keeps counting`);
    assert.equal(s.sequenceGaps, 0, 'the gap is the connection’s, not a product’s');
  }
});

test('heartbeats keep a quiet connection alive (pings unanswered); without them it is found dead', async () => {
  const r = await rig(['BTC-USD'], {
    peer: { heartbeatMs: 50 },
    deps: { pingIntervalMs: 100, deadAfterMs: 500 },
  });
  await subscribed(r, ['BTC-USD']);
  r.peer.answerPings(false);
  await new Promise((res) => setTimeout(res, 1_500));
  assert.equal(r.sink.eventsOf('disconnect').length, 0, 'heartbeats count as liveness');
  assert.ok(r.peer.heartbeatsSent() >= 10);
  r.peer.heartbeats(false);
  const t0 = Date.now();
  await waitFor('dead socket found', () => r.sink.eventsOf('disconnect').length === 1, 5_000);
  assert.ok(Date.now() - t0 < 3_000);
  assert.match(r.sink.eventsOf('disconnect')[0].reason, /^no pong for/);
  r.peer.answerPings(true);
  r.peer.heartbeats(true);
  await r.peer.waitFor(
    'reconnected',
    () => r.peer.connections.length >= 2 && r.peer.subscribedTo('BTC-USD').length === 1,
  );
});

test('a cut mid-frame without a close frame: reconnect, resubscribe, every ticker sent after arrives, numbering restarts', async () => {
  const r = await rig(['BTC-USD', 'ETH-USD'], { peer: { heartbeatMs: 0 } });
  await subscribed(r, ['BTC-USD', 'ETH-USD']);
  r.peer.sendTickers(['BTC-USD', 'ETH-USD'], 50, { batch: 4 });
  await received(r, 100);
  r.peer.cut(
    '{"channel":"ticker","client_id":"","timestamp":"2026-01-01T00:00:00.000000000Z","sequence_num":999,"events":[]}',
  );
  await r.peer.waitFor('reconnected', () => r.peer.connections.length === 2);
  await subscribed(r, ['BTC-USD', 'ETH-USD']);
  await waitFor('live', () => r.feed.status().state === 'live');
  r.peer.resetSent();
  const n0 = r.sink.ticks.length;
  r.peer.sendTickers(['BTC-USD', 'ETH-USD'], 200, { batch: 3 });
  await received(r, n0 + 400);
  const counts = new Map<string, number>();
  for (const t of r.sink.ticks.slice(n0)) counts.set(t.symbol, (counts.get(t.symbol) ?? 0) + 1);
  assertSameCounts(counts, r.peer.sent());
  assert.deepEqual(r.sink.events.map((e) => e.kind).slice(0, 4), [
    'connect',
    'disconnect',
    'reconnect',
    'connect',
  ]);
  assert.equal(r.sink.eventsOf('disconnect')[0].code, 1006);
  assert.equal(r.sink.eventsOf('sequence_gap').length, 0, 'a new connection numbers from 0: no gap');
});

test('malformed messages are counted by reason; a bad entry drops only itself; odd numbers are fine', async () => {
  const r = await rig(['BTC-USD'], { peer: { heartbeatMs: 0 } });
  await subscribed(r, ['BTC-USD']);
  const p = r.peer;
  p.sendRaw('garbage');
  p.sendRaw('{"channel":"ticker","timestamp":"2026-01-01T00:00:00Z","sequence_num":');
  p.sendBinary(new Uint8Array([9, 8, 7]));
  p.sendRaw('"just a string"');
  p.sendRaw('{"no":"channel"}');
  p.sendRaw('{"channel":"ticker","timestamp":"2026-01-01T00:00:00Z","events":[]}');
  p.sendRaw('{"channel":"ticker","timestamp":"yesterday","sequence_num":1,"events":[]}');
  p.sendRaw('{"channel":"ticker","timestamp":"2026-02-30T00:00:00Z","sequence_num":1,"events":[]}');
  p.sendRaw('{"channel":"ticker","timestamp":"2026-01-01T00:00:00Z","sequence_num":1,"events":{}}');
  p.sendTicker('BTC-USD', { best_bid: 'NaN' });
  p.sendTicker('BTC-USD', { best_ask: '' });
  p.sendTicker('BTC-USD', { best_bid_quantity: '-1' });
  p.sendTicker('BTC-USD', { best_bid: '0.00000001', best_ask: '1e-7', best_bid_quantity: '123456789012.5' });
  p.sendTicker('BTC-USD', {
    best_bid: '9e15',
    best_ask: '9.1e15',
    best_bid_quantity: undefined,
    best_ask_quantity: undefined,
  });
  // one message, three entries, the middle one bad
  p.sendRaw(
    JSON.stringify({
      channel: 'ticker',
      client_id: '',
      timestamp: '2026-01-01T00:00:00.123456789Z',
      sequence_num: 10_000,
      events: [
        {
          type: 'update',
          tickers: [
            { product_id: 'BTC-USD', best_bid: '1', best_ask: '2' },
            { product_id: 42, best_bid: '1', best_ask: '2' },
            { product_id: 'BTC-USD', best_bid: '3', best_ask: '4' },
          ],
        },
      ],
    }),
  );
  await received(r, 4);
  await waitFor('all counted', () => r.feed.status().malformed.reduce((n, m) => n + m.count, 0) >= 13);
  const m = new Map(r.feed.status().malformed.map((x) => [x.reason, x.count]));
  assert.equal(m.get(COINBASE_MALFORMED.notJson), 2);
  assert.equal(m.get('binary frame (Coinbase sends text)'), 1);
  assert.equal(m.get(COINBASE_MALFORMED.notObject), 1);
  assert.equal(m.get(COINBASE_MALFORMED.unexpected), 1);
  assert.equal(m.get(COINBASE_MALFORMED.sequence), 1);
  assert.equal(m.get(COINBASE_MALFORMED.time), 2, 'not a time, and an impossible date');
  assert.equal(m.get(COINBASE_MALFORMED.events), 1);
  assert.equal(m.get(COINBASE_MALFORMED.price), 2);
  assert.equal(m.get(COINBASE_MALFORMED.size), 1);
  assert.equal(m.get(COINBASE_MALFORMED.product), 1);
  const [tiny, huge, first, third] = r.sink.ticks;
  assert.deepEqual([tiny.bid, tiny.ask, tiny.bidSize], [1e-8, 1e-7, 123456789012.5]);
  assert.deepEqual([huge.bid, huge.ask, huge.bidSize, huge.askSize], [9e15, 9.1e15, undefined, undefined]);
  assert.deepEqual([first.bid, first.seq, third.bid, third.seq], [1, 10_000_000, 3, 10_000_002]);
  assert.equal(first.tsUs, Date.UTC(2026, 0, 1) * 1000 + 123_456);
  assert.equal(r.feed.status().state, 'live');
});

test('an error message is ledgered as rejected', async () => {
  const r = await rig(['BTC-USD', 'NOPE-USD'], { peer: { refuse: (p) => p.startsWith('NOPE') } });
  await waitFor('rejected', () => r.sink.eventsOf('rejected').length === 1);
  assert.match(
    r.sink.eventsOf('rejected')[0].reason,
    /Coinbase refused: Failed to subscribe: NOPE-USD is not a valid product/,
  );
  r.peer.sendError('rate limit exceeded');
  await waitFor('second', () => r.sink.eventsOf('rejected').length === 2);
  assert.equal(r.feed.status().malformed.length, 0);
});

test('a stale product is flagged while a quiet-but-alive one is not (feed clock moved by hand)', async () => {
  const clock = new ManualFeedClock();
  const r = await rig(['FAST-USD', 'BUSY-USD', 'SLOW-USD'], { peer: { heartbeatMs: 0 }, deps: { clock } });
  await subscribed(r, ['FAST-USD', 'BUSY-USD', 'SLOW-USD']);
  await waitFor('live', () => r.feed.status().state === 'live');
  const round = async (i: number, fast: boolean) => {
    const list = [...(fast ? ['FAST-USD'] : []), 'BUSY-USD', ...(i % 25 === 0 ? ['SLOW-USD'] : [])];
    const n = r.sink.ticks.length;
    r.peer.sendTickers(list, 1, { batch: list.length });
    const deadline = Date.now() + 10_000;
    while (r.sink.ticks.length < n + list.length && Date.now() < deadline)
      await new Promise((res) => setImmediate(res));
    clock.advanceMs(200);
  };
  for (let i = 0; i < 250; i++) await round(i, true);
  const stoppedAt = clock.nowUs();
  for (let i = 250; i < 300; i++) await round(i, false);
  const fast = r.sink.eventsOf('stale_start', 'FAST-USD');
  assert.equal(fast.length, 1);
  const afterS = (fast[0].tsUs - stoppedAt) / 1e6;
  assert.ok(afterS >= 5 && afterS < 7, `flagged after ${afterS} s`);
  assert.equal(r.sink.eventsOf('stale_start', 'SLOW-USD').length, 0);
  assert.equal(r.sink.eventsOf('stale_start', 'BUSY-USD').length, 0);
});

test('backpressure: reads pause while wait() is pending (peer buffer grows); nothing lost or reordered after', async () => {
  const r = await rig(['BTC-USD', 'ETH-USD'], { peer: { heartbeatMs: 0 } });
  await subscribed(r, ['BTC-USD', 'ETH-USD']);
  r.sink.hold();
  const conn = r.peer.open()[0];
  const deadline = Date.now() + 20_000;
  while (conn.socket.bufferedAmount < 2_000_000 && Date.now() < deadline) {
    r.peer.sendTickers(['BTC-USD', 'ETH-USD'], 500, { batch: 10 });
    await new Promise((res) => setTimeout(res, 10));
  }
  assert.ok(conn.socket.bufferedAmount >= 2_000_000, `peer buffer ${conn.socket.bufferedAmount} bytes`);
  assert.equal(r.sink.ticks.length, 0);
  assert.equal(r.feed.status().paused, true);
  r.sink.release();
  const total = r.peer.sentTickers.length;
  await received(r, total, 60_000);
  r.peer.sentTickers.forEach((q, i) => assert.equal(r.sink.ticks[i].seq, q.sequenceNum * 1000 + q.index));
  assert.equal(r.sink.eventsOf('sequence_gap').length, 0);
  assert.equal(r.sink.eventsOf('disconnect').length, 0);
});

test('through the real engine: every batched entry stored once with its seq and exchange time; gaps in the ledger', async () => {
  const { store } = await openTestStore('coinbase-feed', Date.now() * 1000);
  const peer = await startCoinbasePeer({ heartbeatMs: 0 });
  const feed = createCoinbaseFeed(
    COINBASE_FEED_SCHEMA.parse({
      id: 'cb',
      kind: 'coinbase',
      url: peer.url,
      symbols: ['BTC-USD', 'ETH-USD'],
    }),
    { backoff: createReconnectBackoff({ baseMs: 20, maxMs: 200 }) },
  );
  const sink = storeSink(store);
  try {
    feed.start(sink);
    await peer.waitFor('subscribed', () => peer.subscribedTo('ETH-USD').length === 1);
    // Several entries per message share one timestamp and one sequence_num: only seq keeps them apart.
    peer.sendTickers(['BTC-USD', 'ETH-USD'], 300, { batch: 6, events: 2 });
    peer.skipSequence(2);
    peer.sendTickers(['BTC-USD', 'ETH-USD'], 200, { batch: 4 });
    await waitFor('all ticks', () => sink.accepted === 1000);
    await feed.stop();
    await store.flush();
    assert.equal(sink.refused, 0);
    const rows = storedTicks(store);
    assert.equal(rows.length, 1000, 'no entry lost or merged with a sibling of the same message');
    const counts = new Map<string, number>();
    for (const row of rows)
      counts.set(`${row.symbol}|${row.source}`, (counts.get(`${row.symbol}|${row.source}`) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(counts), { 'BTC-USD|coinbase': 500, 'ETH-USD|coinbase': 500 });
    const sent = new Map(
      peer.sentTickers.map((q) => [`${q.productId}|${q.sequenceNum * 1000 + q.index}`, q]),
    );
    for (const row of rows) {
      const q = sent.get(`${row.symbol}|${row.seq}`);
      assert.ok(q, `stored ${row.symbol} seq ${row.seq} was sent`);
      assert.equal(row.ts_us, isoUs(q.timestamp));
      assert.equal(row.exchange_us, row.ts_us);
      assert.equal(row.bid, Number(q.bid));
    }
    const events = await store.feedEvents({ fromUs: 0, toUs: Date.now() * 1000 + 60_000_000, feed: 'cb' });
    const gap = events.filter((e) => e.kind === 'sequence_gap');
    assert.equal(gap.length, 1);
    assert.equal(gap[0].toSeq! - gap[0].fromSeq!, 1);
  } finally {
    await feed.stop();
    await peer.close();
    await store.stop();
  }
});
