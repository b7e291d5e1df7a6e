// The Binance feed against the local Binance peer, with a collecting sink: fields, recovery after
// a cut without a close frame, malformed input, staleness, dead sockets, sharding, SUBSCRIBE
// pacing, serverShutdown and lifetime recycling without duplicates, backpressure.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { BINANCE_FEED_SCHEMA } from '../../../shared/feeds/feedConfig.ts';
import type { FeedConfigInput } from '../../../shared/feeds/feedConfig.ts';
import { createBinanceFeed } from '../../../electron/feeds/binance/binanceFeed.ts';
import type { BinanceFeed, BinanceFeedDeps } from '../../../electron/feeds/binance/binanceFeed.ts';
import { BINANCE_MALFORMED } from '../../../electron/feeds/binance/bookTicker.ts';
import { ManualFeedClock } from '../../../electron/feeds/core/feedClock.ts';
import { createReconnectBackoff } from '../../../electron/feeds/core/reconnectBackoff.ts';
import { startBinancePeer } from '../../helpers/peers/binancePeer.ts';
import type { BinancePeer, BinancePeerOptions } from '../../helpers/peers/binancePeer.ts';
import { collectingSink } from '../../helpers/peers/collectingSink.ts';
import type { CollectingSink } from '../../helpers/peers/collectingSink.ts';
import { storeSink, storedTicks } from '../../helpers/peers/storeSink.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

interface Rig {
  peer: BinancePeer;
  feed: BinanceFeed;
  sink: CollectingSink;
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function rig(
  config: Partial<Extract<FeedConfigInput, { kind: 'binance' }>>,
  opts: { peer?: BinancePeerOptions; deps?: BinanceFeedDeps; urlPath?: string } = {},
): Promise<Rig> {
  const peer = await startBinancePeer(opts.peer);
  const feed = createBinanceFeed(
    BINANCE_FEED_SCHEMA.parse({
      id: 'bn',
      kind: 'binance',
      url: `${peer.url}${opts.urlPath ?? ''}`,
      ...config,
    }),
    { backoff: () => createReconnectBackoff({ baseMs: 20, maxMs: 200 }), ...opts.deps },
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

const subscribed = (r: Rig, symbols: string[], connections = 1) =>
  r.peer.waitFor(`${symbols.length} symbols subscribed on ${connections} connection(s)`, () =>
    symbols.every((s) => r.peer.subscribedTo(s).length === connections),
  );

const received = (r: Rig, n: number, timeoutMs = 10_000) =>
  waitFor(`${n} ticks (have ${r.sink.ticks.length})`, () => r.sink.ticks.length >= n, timeoutMs);

function assertSameCounts(actual: Map<string, number>, expected: Map<string, number>) {
  assert.deepEqual(Object.fromEntries([...actual].sort()), Object.fromEntries([...expected].sort()));
}

test('spot, combined streams: every field right, receive time as tsUs, no exchange time', async () => {
  const r = await rig({ symbols: ['BTCUSDT', 'ETHUSDT'] });
  await subscribed(r, ['BTCUSDT', 'ETHUSDT']);
  assert.match(r.peer.connections[0].path, /^\/stream\?streams=btcusdt@bookTicker\/ethusdt@bookTicker$/);
  const before = Date.now() * 1000;
  assert.equal(r.peer.sendQuotes(['BTCUSDT', 'ETHUSDT'], 50), 100);
  await received(r, 100);
  const afterUs = Date.now() * 1000;
  assertSameCounts(r.sink.countBySymbol(), r.peer.sent());
  r.peer.sentQuotes.forEach((q, i) => {
    const t = r.sink.ticks[i];
    assert.equal(t.symbol, q.symbol);
    assert.equal(t.bid, Number(q.bid));
    assert.equal(t.ask, Number(q.ask));
    assert.equal(t.bidSize, Number(q.bidSize));
    assert.equal(t.askSize, Number(q.askSize));
    assert.equal(t.seq, q.u);
    assert.equal(t.source, 'binance');
    assert.equal(t.noExchangeTime, true);
    assert.equal(t.tsUs, t.recvUs);
    assert.ok(Number.isSafeInteger(t.recvUs));
    assert.ok(t.recvUs! >= before - 50_000 && t.recvUs! <= afterUs + 50_000);
  });
  const st = r.feed.status();
  assert.deepEqual(
    [st.state, st.source, st.connections, st.connectionsLive, st.ticks],
    ['live', 'binance', 1, 1, 100],
  );
  assert.equal(st.latency, null, 'spot has no exchange time, so no latency');
  assert.equal(st.symbols.find((s) => s.symbol === 'BTCUSDT')!.lastSeq, r.peer.sentQuotes.at(-2)!.u);
  assert.equal(r.feed.lastMessages().length, 50);
  assert.match(r.feed.lastMessages().at(-1)!, /^\{"stream":"ethusdt@bookTicker","data":\{"u":/);
  assert.deepEqual(
    r.sink.events.map((e) => e.kind),
    ['connect'],
  );
});

test('futures, raw /ws with SUBSCRIBE: exchange time from T, latency measured, acks make it live', async () => {
  const r = await rig(
    { market: 'futures', symbols: ['BTCUSDT', 'ETHUSDT', 'BNBUSDT'] },
    { peer: { market: 'futures' }, urlPath: '/ws' },
  );
  await subscribed(r, ['BTCUSDT', 'ETHUSDT', 'BNBUSDT']);
  assert.equal(r.peer.connections[0].path, '/ws');
  assert.equal(r.peer.connections[0].received.length, 1);
  assert.deepEqual(JSON.parse(r.peer.connections[0].received[0]), {
    method: 'SUBSCRIBE',
    params: ['btcusdt@bookTicker', 'ethusdt@bookTicker', 'bnbusdt@bookTicker'],
    id: 1,
  });
  await waitFor('live after the ack', () => r.feed.status().state === 'live');
  r.peer.sendQuotes(['BTCUSDT', 'ETHUSDT', 'BNBUSDT'], 20);
  await received(r, 60);
  r.peer.sentQuotes.forEach((q, i) => {
    const t = r.sink.ticks[i];
    assert.equal(t.tsUs, q.transactMs * 1000);
    assert.equal(t.noExchangeTime, false);
    assert.equal(t.source, 'binance-futures');
    assert.equal(t.seq, q.u);
  });
  const lat = r.feed.status().latency!;
  assert.equal(lat.samples, 60);
  assert.ok(lat.p50Us > 0 && lat.p99Us >= lat.p50Us && lat.p99Us < 5_000_000, JSON.stringify(lat));
});

test('quotes sent at a rate arrive as sent, spread in time', async () => {
  const r = await rig({ symbols: ['BTCUSDT', 'ETHUSDT'] });
  await subscribed(r, ['BTCUSDT', 'ETHUSDT']);
  const t0 = Date.now();
  assert.equal(await r.peer.sendAtRate(['BTCUSDT', 'ETHUSDT'], 50, 400), 100);
  assert.ok(Date.now() - t0 >= 200, 'the peer kept the rate (100 quotes at 400/s take ≥ 0.25 s)');
  await received(r, 100);
  assertSameCounts(r.sink.countBySymbol(), r.peer.sent());
  const spanUs = r.sink.ticks.at(-1)!.recvUs! - r.sink.ticks[0].recvUs!;
  assert.ok(spanUs >= 150_000, `received over ${spanUs} µs`);
});

test('a single raw stream is named in the path: /ws/<symbol>@bookTicker, no SUBSCRIBE', async () => {
  const r = await rig({ symbols: ['BTCUSDT'], streams: 'raw' });
  await subscribed(r, ['BTCUSDT']);
  assert.equal(r.peer.connections[0].path, '/ws/btcusdt@bookTicker');
  assert.equal(r.peer.connections[0].received.length, 0);
  r.peer.sendQuotes('BTCUSDT', 5);
  await received(r, 5);
  assert.equal(r.feed.status().state, 'live');
});

test('a cut mid-frame without a close frame: recovery, resubscribe, and every quote sent after it arrives', async () => {
  const r = await rig({ symbols: ['BTCUSDT', 'ETHUSDT'] }, { urlPath: '/ws' });
  await subscribed(r, ['BTCUSDT', 'ETHUSDT']);
  r.peer.sendQuotes(['BTCUSDT', 'ETHUSDT'], 100);
  await received(r, 200);
  assertSameCounts(r.sink.countBySymbol(), r.peer.sent());
  // A cut in the middle of a message: that half frame is lost with the connection, nothing else.
  r.peer.cut('{"u":999999,"s":"BTCUSDT","b":"1.0","B":"1","a":"1.1","A":"1"}');
  await r.peer.waitFor(
    'reconnected and resubscribed',
    () => r.peer.connections.length === 2 && r.peer.subscribedTo('ETHUSDT').length === 1,
  );
  assert.equal(r.peer.connections[1].received.length, 1, 'SUBSCRIBE sent again on the new connection');
  await waitFor('live again', () => r.feed.status().state === 'live');
  r.peer.resetSent();
  const n0 = r.sink.ticks.length;
  r.peer.sendQuotes(['BTCUSDT', 'ETHUSDT'], 300);
  await received(r, n0 + 600);
  const afterCut = collectingCounts(r.sink.ticks.slice(n0).map((t) => t.symbol));
  assertSameCounts(afterCut, r.peer.sent());
  const kinds = r.sink.events.map((e) => e.kind);
  assert.deepEqual(kinds.slice(0, 4), ['connect', 'disconnect', 'reconnect', 'connect']);
  const d = r.sink.eventsOf('disconnect')[0];
  assert.equal(d.code, 1006);
  assert.equal(r.sink.eventsOf('connect')[1].sinceUs, d.tsUs);
  assert.equal(r.feed.status().reconnects, 1);
  assert.equal(r.feed.status().malformed.length, 0, 'the half frame is not a message');
});

function collectingCounts(symbols: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of symbols) m.set(s, (m.get(s) ?? 0) + 1);
  return m;
}

test('malformed messages are counted by reason with a sample; the feed goes on; huge and tiny numbers are fine', async () => {
  const r = await rig({ symbols: ['BTCUSDT'] }, { urlPath: '/ws' });
  await subscribed(r, ['BTCUSDT']);
  const p = r.peer;
  p.sendRaw('not json at all');
  p.sendRaw('{"u":1,"s":"BTCUSDT","b":"1.0","B":"1","a":"1');
  p.sendBinary(new Uint8Array([0, 1, 2, 0xff]));
  p.sendRaw('[1,2,3]');
  p.sendRaw('{"hello":"world"}');
  p.sendRaw('{"u":5,"s":"BTCUSDT","b":"abc","B":"1","a":"2","A":"1"}');
  p.sendRaw('{"u":6,"s":"BTCUSDT","b":"1e400","B":"1","a":"2","A":"1"}');
  p.sendRaw('{"u":7,"s":"BTCUSDT","b":"-1","B":"1","a":"2","A":"1"}');
  p.sendRaw('{"u":8,"s":"BTCUSDT","b":"1","B":"-3","a":"2","A":"1"}');
  p.sendRaw('{"u":"9","s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}');
  p.sendRaw('{"u":10,"s":12,"b":"1","B":"1","a":"2","A":"1"}');
  p.sendQuote('BTCUSDT', {
    bid: '0.00000001',
    ask: '0.00000002',
    bidSize: '99999999999.99999999',
    askSize: '0',
  });
  p.sendQuote('BTCUSDT', { bid: '1e300', ask: '1.5e300' });
  await received(r, 2);
  const m = new Map(r.feed.status().malformed.map((x) => [x.reason, x]));
  assert.equal(m.get(BINANCE_MALFORMED.notJson)?.count, 2, 'not JSON and truncated');
  assert.equal(m.get('binary frame (Binance sends text)')?.sample, '000102ff');
  assert.equal(m.get(BINANCE_MALFORMED.notObject)?.count, 1);
  assert.equal(m.get(BINANCE_MALFORMED.unexpected)?.count, 1);
  assert.equal(m.get(BINANCE_MALFORMED.price)?.count, 3);
  assert.equal(m.get(BINANCE_MALFORMED.size)?.count, 1);
  assert.equal(m.get(BINANCE_MALFORMED.updateId)?.count, 1);
  assert.equal(m.get(BINANCE_MALFORMED.symbol)?.count, 1);
  assert.equal(
    m.get(BINANCE_MALFORMED.price)?.sample,
    '{"u":7,"s":"BTCUSDT","b":"-1","B":"1","a":"2","A":"1"}',
  );
  const [tiny, huge] = r.sink.ticks;
  assert.deepEqual(
    [tiny.bid, tiny.ask, tiny.bidSize, tiny.askSize],
    [1e-8, 2e-8, Number('99999999999.99999999'), 0],
  );
  assert.deepEqual([huge.bid, huge.ask], [1e300, 1.5e300]);
  assert.equal(r.feed.status().state, 'live');
  assert.equal(r.sink.eventsOf('disconnect').length, 0);
});

test('a stale symbol is flagged while a quiet-but-alive one is not (feed clock moved by hand)', async () => {
  const clock = new ManualFeedClock();
  const r = await rig({ symbols: ['FASTUSDT', 'BUSYUSDT', 'SLOWUSDT'] }, { deps: { clock } });
  await subscribed(r, ['FASTUSDT', 'BUSYUSDT', 'SLOWUSDT']);
  await waitFor('live', () => r.feed.status().state === 'live');
  // one round = 200 ms of feed time; FAST and BUSY quote every round, SLOW every 25 rounds (5 s)
  const round = async (i: number, fast: boolean) => {
    const list = [...(fast ? ['FASTUSDT'] : []), 'BUSYUSDT', ...(i % 25 === 0 ? ['SLOWUSDT'] : [])];
    const n = r.sink.ticks.length;
    r.peer.sendQuotes(list);
    // A tight bounded poll: 300 rounds of 20 ms waits would make this test slow for nothing.
    const deadline = Date.now() + 10_000;
    while (r.sink.ticks.length < n + list.length && Date.now() < deadline)
      await new Promise((res) => setImmediate(res));
    clock.advanceMs(200);
  };
  for (let i = 0; i < 250; i++) await round(i, true); // 50 s: SLOW learns its 5 s spacing
  assert.equal(r.sink.eventsOf('stale_start').length, 0);
  const stoppedAt = clock.nowUs();
  for (let i = 250; i < 300; i++) await round(i, false); // 10 s without FAST
  const fast = r.sink.eventsOf('stale_start', 'FASTUSDT');
  assert.equal(fast.length, 1);
  const afterS = (fast[0].tsUs - stoppedAt) / 1e6;
  assert.ok(afterS >= 5 && afterS < 7, `FAST flagged after ${afterS} s`);
  assert.equal(r.sink.eventsOf('stale_start', 'SLOWUSDT').length, 0, 'SLOW quoting every 5 s is not stale');
  assert.equal(r.sink.eventsOf('stale_start', 'BUSYUSDT').length, 0);
  const st = r.feed.status().symbols;
  assert.equal(st.find((s) => s.symbol === 'FASTUSDT')!.stale, true);
  assert.ok(Math.abs(st.find((s) => s.symbol === 'SLOWUSDT')!.normalSpacingMs! - 5_000) < 1);
  await round(300, true);
  assert.equal(r.sink.eventsOf('stale_end', 'FASTUSDT')[0].sinceUs, fast[0].tsUs);
});

test('a dead socket (no pongs, no data) is found within the bound and the feed reconnects', async () => {
  const r = await rig(
    { symbols: ['BTCUSDT'] },
    { peer: { maxMessagesPerSec: 0 }, deps: { pingIntervalMs: 100, deadAfterMs: 400 } },
  );
  await subscribed(r, ['BTCUSDT']);
  r.peer.sendQuotes('BTCUSDT', 3);
  await received(r, 3);
  r.peer.answerPings(false);
  const t0 = Date.now();
  await waitFor('dead socket found', () => r.sink.eventsOf('disconnect').length === 1, 5_000);
  const took = Date.now() - t0;
  assert.ok(took < 3_000, `found after ${took} ms (bound 400 ms + check interval)`);
  assert.match(r.sink.eventsOf('disconnect')[0].reason, /^no pong for \d/);
  assert.ok(r.peer.connections[0].pingsReceived >= 2, 'the feed pinged');
  r.peer.answerPings(true);
  await r.peer.waitFor(
    'reconnected',
    () => r.peer.subscribedTo('BTCUSDT').length === 1 && r.peer.connections.length >= 2,
  );
});

test('server pings are answered by the feed', async () => {
  const r = await rig({ symbols: ['BTCUSDT'] });
  await subscribed(r, ['BTCUSDT']);
  assert.equal(await r.peer.pingClients(), 1);
});

test('sharding: a small injected limit splits streams over sockets; every symbol arrives', async () => {
  const symbols = Array.from({ length: 7 }, (_, i) => `S${i}USDT`);
  const r = await rig({ symbols }, { deps: { maxStreamsPerConnection: 3 }, urlPath: '/ws' });
  await subscribed(r, symbols);
  assert.equal(r.peer.open().length, 3);
  assert.deepEqual(
    r.peer.open().map((c) => c.streams.size),
    [3, 3, 1],
  );
  await waitFor('all shards live', () => r.feed.status().connectionsLive === 3);
  const st = r.feed.status();
  assert.deepEqual([st.state, st.connections], ['live', 3]);
  r.peer.sendQuotes(symbols, 10);
  await received(r, 70);
  assertSameCounts(r.sink.countBySymbol(), r.peer.sent());
  // one shard cut: only it reconnects
  r.peer.open()[1].socket.terminate();
  await waitFor('disconnect', () => r.sink.eventsOf('disconnect').length === 1);
  assert.match(r.sink.eventsOf('disconnect')[0].reason, /shard 2\/3/);
  await subscribed(r, symbols);
  assert.equal(r.peer.connections.length, 4);
});

test('1,025 symbols open 2 connections (Binance allows 1,024 streams on one)', async () => {
  const symbols = Array.from({ length: 1025 }, (_, i) => `X${i}USDT`);
  const r = await rig({ symbols });
  await r.peer.waitFor(
    'all subscribed',
    () => r.peer.open().reduce((n, c) => n + c.streams.size, 0) === 1025,
    20_000,
  );
  assert.equal(r.peer.open().length, 2);
  assert.equal(r.peer.maxStreamsOnOneConnection(), 1024);
  assert.equal(r.peer.rateViolations(), 0);
  await waitFor('both live', () => r.feed.status().connectionsLive === 2, 20_000);
  r.peer.sendQuotes(symbols, 1);
  await received(r, 1025);
  assert.equal(new Set(r.sink.ticks.map((t) => t.symbol)).size, 1025);
});

test('SUBSCRIBE pacing: at most 5 messages in any second on a socket (peer enforces Binance limit)', async () => {
  const symbols = Array.from({ length: 1000 }, (_, i) => `P${i}USDT`);
  const r = await rig({ symbols }, { urlPath: '/ws', deps: { streamsPerSubscribe: 50 } });
  await r.peer.waitFor('all subscribed', () => (r.peer.open()[0]?.streams.size ?? 0) === 1000, 20_000);
  const times = r.peer.connections[0].subscribeAtMs;
  assert.equal(times.length, 20);
  for (let i = 0; i + 5 < times.length; i++) {
    assert.ok(times[i + 5] - times[i] >= 1000, `6 SUBSCRIBEs within ${times[i + 5] - times[i]} ms`);
  }
  assert.equal(r.peer.rateViolations(), 0);
  assert.equal(r.peer.connections.length, 1, 'never closed for sending too much');
});

test('a refused subscription is ledgered as rejected with code and words', async () => {
  const r = await rig(
    { symbols: ['BTCUSDT', 'NOPEUSDT'] },
    { urlPath: '/ws', deps: { streamsPerSubscribe: 1 }, peer: { refuse: (s) => s.startsWith('nope') } },
  );
  await subscribed(r, ['BTCUSDT']);
  await waitFor('rejected', () => r.sink.eventsOf('rejected').length === 1);
  const e = r.sink.eventsOf('rejected')[0];
  assert.equal(e.code, 2);
  assert.equal(e.symbol, 'NOPEUSDT');
  assert.match(e.reason, /refused stream nopeusdt@bookticker/);
  await waitFor('live anyway', () => r.feed.status().state === 'live');
});

test('serverShutdown: a new socket is opened and subscribed before the old closes; nothing lost or doubled', async () => {
  const r = await rig(
    { market: 'futures', symbols: ['BTCUSDT', 'ETHUSDT'] },
    { peer: { market: 'futures' }, urlPath: '/ws' },
  );
  await subscribed(r, ['BTCUSDT', 'ETHUSDT']);
  r.peer.sendQuotes(['BTCUSDT', 'ETHUSDT'], 10);
  r.peer.sendShutdown();
  await subscribed(r, ['BTCUSDT', 'ETHUSDT'], 2);
  // During the overlap each quote goes to both sockets.
  r.peer.sendQuotes(['BTCUSDT', 'ETHUSDT'], 50);
  assert.ok(r.peer.sentQuotes.slice(-100).every((q) => q.to === 2));
  await r.peer.waitFor('old socket closed', () => r.peer.open().length === 1, 10_000);
  r.peer.sendQuotes(['BTCUSDT', 'ETHUSDT'], 10);
  await received(r, 140);
  await new Promise((res) => setTimeout(res, 100));
  assert.equal(r.sink.ticks.length, 140, 'each quote once');
  assertSameCounts(r.sink.countBySymbol(), r.peer.sent());
  assert.equal(r.feed.duplicatesDropped, 100);
  assert.equal(r.sink.eventsOf('disconnect').length, 0, 'a planned replacement is no gap');
  assert.match(r.sink.eventsOf('connect')[1].reason, /serverShutdown/);
});

test('the 24 h recycle (lifetime injected small) streams through without loss or duplicates', async () => {
  const r = await rig(
    { symbols: ['BTCUSDT', 'ETHUSDT'] },
    { peer: { maxMessagesPerSec: 0 }, deps: { maxLifetimeMs: 400, recycleOverlapMs: 2_000 } },
  );
  await subscribed(r, ['BTCUSDT', 'ETHUSDT']);
  const deadline = Date.now() + 30_000;
  while (r.peer.connections.length < 4 && Date.now() < deadline) {
    r.peer.sendQuotes(['BTCUSDT', 'ETHUSDT'], 5);
    await new Promise((res) => setTimeout(res, 5));
  }
  assert.ok(r.peer.connections.length >= 4, 'recycled at least three times');
  const total = [...r.peer.sent().values()].reduce((a, b) => a + b, 0);
  await received(r, total);
  await new Promise((res) => setTimeout(res, 100));
  assert.equal(r.sink.ticks.length, total);
  assertSameCounts(r.sink.countBySymbol(), r.peer.sent());
  for (const sym of ['BTCUSDT', 'ETHUSDT']) {
    const seqs = r.sink.ticks.filter((t) => t.symbol === sym).map((t) => t.seq!);
    assert.ok(
      seqs.every((s, i) => i === 0 || s > seqs[i - 1]),
      `${sym} in order, no repeats`,
    );
  }
  assert.ok(r.feed.duplicatesDropped > 0, 'the overlap delivered doubles, and they were dropped');
  assert.equal(r.sink.eventsOf('disconnect').length, 0);
});

test('backpressure: while wait() is pending the feed stops reading (peer buffer grows); nothing lost after', async () => {
  const r = await rig({ symbols: ['BTCUSDT', 'ETHUSDT'] }, { peer: { maxMessagesPerSec: 0 } });
  await subscribed(r, ['BTCUSDT', 'ETHUSDT']);
  r.sink.hold();
  const conn = r.peer.open()[0];
  const deadline = Date.now() + 20_000;
  while (conn.socket.bufferedAmount < 2_000_000 && Date.now() < deadline) {
    r.peer.sendQuotes(['BTCUSDT', 'ETHUSDT'], 2_000);
    await new Promise((res) => setTimeout(res, 10));
  }
  assert.ok(conn.socket.bufferedAmount >= 2_000_000, `peer buffer ${conn.socket.bufferedAmount} bytes`);
  assert.equal(r.sink.ticks.length, 0, 'no tick handed over while the sink waits');
  const st = r.feed.status();
  assert.equal(st.paused, true);
  assert.equal(st.state, 'live');
  r.sink.release();
  const total = r.peer.sentQuotes.length;
  await received(r, total, 60_000);
  assertSameCounts(r.sink.countBySymbol(), r.peer.sent());
  r.peer.sentQuotes.forEach((q, i) => assert.equal(r.sink.ticks[i].seq, q.u, `tick ${i} in order`));
  assert.equal(r.feed.status().paused, false);
  assert.equal(r.sink.eventsOf('disconnect').length, 0);
});

test('stop closes every socket and the feed reports stopped', async () => {
  const r = await rig({ symbols: ['BTCUSDT'] });
  await subscribed(r, ['BTCUSDT']);
  await r.feed.stop();
  assert.equal(r.feed.status().state, 'stopped');
  await r.peer.waitFor('closed', () => r.peer.open().length === 0);
  await new Promise((res) => setTimeout(res, 100));
  assert.equal(r.peer.connections.length, 1, 'no reconnect after stop');
});

test('through the real engine: every quote stored once with seq and no exchange time, the ledger in the day file', async () => {
  const { store } = await openTestStore('binance-feed', Date.now() * 1000);
  const peer = await startBinancePeer();
  const feed = createBinanceFeed(
    BINANCE_FEED_SCHEMA.parse({ id: 'bn', kind: 'binance', url: peer.url, symbols: ['BTCUSDT', 'ETHUSDT'] }),
    { backoff: () => createReconnectBackoff({ baseMs: 20, maxMs: 200 }) },
  );
  const sink = storeSink(store);
  try {
    feed.start(sink);
    await peer.waitFor('subscribed', () => peer.subscribedTo('ETHUSDT').length === 1);
    peer.sendQuotes(['BTCUSDT', 'ETHUSDT'], 500);
    await waitFor('first half', () => sink.accepted === 1000);
    peer.cut();
    await peer.waitFor(
      'resubscribed',
      () => peer.connections.length === 2 && peer.subscribedTo('ETHUSDT').length === 1,
    );
    await waitFor('live', () => feed.status().state === 'live');
    peer.sendQuotes(['BTCUSDT', 'ETHUSDT'], 500);
    await waitFor('second half', () => sink.accepted === 2000);
    await feed.stop();
    await store.flush();
    assert.equal(sink.refused, 0);
    const rows = storedTicks(store);
    assert.equal(rows.length, 2000);
    const bySymbol = new Map<string, number>();
    for (const row of rows)
      bySymbol.set(`${row.symbol}|${row.source}`, (bySymbol.get(`${row.symbol}|${row.source}`) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(bySymbol), { 'BTCUSDT|binance': 1000, 'ETHUSDT|binance': 1000 });
    // identity: each stored seq is the quote's u; spot has no exchange time
    const sentU = new Set(peer.sentQuotes.map((q) => `${q.symbol}|${q.u}`));
    assert.equal(new Set(rows.map((row) => `${row.symbol}|${row.seq}`)).size, 2000);
    for (const row of rows)
      assert.ok(sentU.has(`${row.symbol}|${row.seq}`), `stored ${row.symbol} ${row.seq} was sent`);
    assert.ok(rows.every((row) => row.exchange_us === null && row.recv_us === row.ts_us));
    const events = await store.feedEvents({ fromUs: 0, toUs: Date.now() * 1000 + 60_000_000, feed: 'bn' });
    assert.deepEqual(
      events.map((e) => e.kind),
      ['connect', 'disconnect', 'reconnect', 'connect'],
    );
    assert.equal(events[1].code, 1006);
    assert.equal(events[3].sinceUs, events[1].tsUs);
  } finally {
    await feed.stop();
    await peer.close();
    await store.stop();
  }
});
