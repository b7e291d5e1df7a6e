import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualFeedClock } from '../../../electron/feeds/core/feedClock.ts';
import {
  createFeedTracker,
  LAST_MESSAGES_KEPT,
  MAX_MALFORMED_REASONS,
} from '../../../electron/feeds/core/feedTracker.ts';
import { MAX_MALFORMED_SAMPLE } from '../../../shared/feeds/feedStatus.ts';
import { collectingSink } from '../../helpers/peers/collectingSink.ts';

function setup(symbols: string[] = ['AAA', 'BBB']) {
  const clock = new ManualFeedClock();
  const sink = collectingSink();
  const tracker = createFeedTracker({
    id: 'test-feed',
    kind: 'binance',
    source: 'src',
    endpoint: 'ws://127.0.0.1:1/ws',
    symbols,
    clock,
    sink,
  });
  return { clock, sink, tracker };
}

test('configured symbols are listed before any tick; ticks update counts, quotes, seq and reach the sink', () => {
  const { clock, sink, tracker } = setup();
  assert.deepEqual(
    tracker.status().symbols.map((s) => [s.symbol, s.ticks]),
    [
      ['AAA', 0],
      ['BBB', 0],
    ],
  );
  const now = clock.nowUs();
  const t = { symbol: 'AAA', bid: 1.5, ask: 1.6, tsUs: now - 700, recvUs: now, seq: 42, source: 'src' };
  tracker.tick(t);
  tracker.tick({ ...t, symbol: 'NEW', seq: 1 });
  assert.equal(sink.ticks.length, 2);
  assert.deepEqual(sink.ticks[0], t);
  const st = tracker.status();
  assert.equal(st.ticks, 2);
  const aaa = st.symbols.find((s) => s.symbol === 'AAA')!;
  assert.deepEqual([aaa.ticks, aaa.bid, aaa.ask, aaa.lastSeq, aaa.lastTickUs], [1, 1.5, 1.6, 42, now]);
  assert.ok(
    st.symbols.some((s) => s.symbol === 'NEW'),
    'a symbol the exchange sent unasked is tracked',
  );
});

test('latency p50/p99 count only ticks with an exchange time', () => {
  const { clock, tracker } = setup();
  const now = clock.nowUs();
  for (let i = 1; i <= 100; i++)
    tracker.tick({ symbol: 'AAA', bid: 1, ask: 2, tsUs: now - i * 10, recvUs: now });
  // spot bookTicker: tsUs is the receive time and must not count as 0 latency
  for (let i = 0; i < 500; i++)
    tracker.tick({ symbol: 'BBB', bid: 1, ask: 2, tsUs: now - 5, recvUs: now, noExchangeTime: true });
  const lat = tracker.status().latency!;
  assert.equal(lat.samples, 100);
  assert.equal(lat.p50Us, 510);
  assert.equal(lat.p99Us, 1000);
});

test('no latency until a tick carries an exchange time', () => {
  const { clock, tracker } = setup();
  tracker.tick({
    symbol: 'AAA',
    bid: 1,
    ask: 2,
    tsUs: clock.nowUs(),
    recvUs: clock.nowUs(),
    noExchangeTime: true,
  });
  assert.equal(tracker.status().latency, null);
});

test('last messages: the newest 50 in order, cut to 2,000 chars, binary as text when UTF-8, else hex', () => {
  const { tracker } = setup();
  for (let i = 0; i < 60; i++) tracker.message(`m${i}`);
  let last = tracker.lastMessages();
  assert.equal(last.length, LAST_MESSAGES_KEPT);
  assert.equal(last[0], 'm10');
  assert.equal(last.at(-1), 'm59');
  tracker.message('x'.repeat(50_000));
  tracker.message(Buffer.from('{"a":1}'));
  tracker.message(Buffer.from([0xff, 0x00, 0xfe]));
  last = tracker.lastMessages();
  assert.equal(last.at(-3)!.length, 2_000);
  assert.equal(last.at(-2), '{"a":1}');
  assert.equal(last.at(-1), 'ff00fe');
  assert.equal(tracker.status().messages, 63);
});

test('malformed messages are counted by reason with the latest sample, cut, binary as hex', () => {
  const { tracker } = setup();
  tracker.malformed('not_json', 'abc');
  tracker.malformed('not_json', 'y'.repeat(10_000));
  tracker.malformed('binary', Buffer.from([1, 2, 0xab]));
  const m = tracker.status().malformed;
  const nj = m.find((x) => x.reason === 'not_json')!;
  assert.equal(nj.count, 2);
  assert.equal(nj.sample.length, MAX_MALFORMED_SAMPLE);
  assert.equal(m.find((x) => x.reason === 'binary')!.sample, '0102ab');
  // a flood of distinct reasons is bounded
  for (let i = 0; i < 200; i++) tracker.malformed(`r${i}`, 'x');
  const after = tracker.status().malformed;
  assert.equal(after.length, MAX_MALFORMED_REASONS + 1);
  assert.equal(after.find((x) => x.reason === 'other')!.count, 200 - (MAX_MALFORMED_REASONS - 2));
});

test('contiguous sequences: a skip is a ledgered gap (from/to), a repeat is reported, reset forgets', () => {
  const { sink, tracker } = setup();
  assert.equal(tracker.sequence(null, 5), 'ok');
  assert.equal(tracker.sequence(null, 6), 'ok');
  assert.equal(tracker.sequence(null, 10), 'gap');
  assert.equal(tracker.sequence(null, 10), 'repeat');
  assert.equal(tracker.sequence(null, 3), 'repeat');
  const gaps = sink.eventsOf('sequence_gap');
  assert.equal(gaps.length, 1);
  assert.deepEqual([gaps[0].fromSeq, gaps[0].toSeq, gaps[0].symbol], [7, 9, null]);
  assert.equal(gaps[0].feed, 'test-feed');
  assert.equal(gaps[0].source, 'src');
  tracker.resetSequence(null);
  assert.equal(tracker.sequence(null, 1), 'ok', 'a new connection starts its own numbering');
  // per symbol, counted on the symbol
  tracker.sequence('AAA', 1);
  assert.equal(tracker.sequence('AAA', 3), 'gap');
  assert.equal(tracker.status().symbols.find((s) => s.symbol === 'AAA')!.sequenceGaps, 1);
  assert.equal(sink.eventsOf('sequence_gap', 'AAA')[0].fromSeq, 2);
});

test('increasing sequences: skips are normal, repeats and steps back are not', () => {
  const { sink, tracker } = setup();
  assert.equal(tracker.sequence('AAA', 100, 'increasing'), 'ok');
  assert.equal(tracker.sequence('AAA', 250, 'increasing'), 'ok');
  assert.equal(tracker.sequence('AAA', 250, 'increasing'), 'repeat');
  assert.equal(tracker.sequence('AAA', 249, 'increasing'), 'repeat');
  assert.equal(tracker.sequence('BBB', 1, 'increasing'), 'ok', 'per symbol');
  assert.equal(sink.eventsOf('sequence_gap').length, 0);
});

test('connection ledger: disconnect (code, reason), reconnect (counted), connect with sinceUs = the disconnect', () => {
  const { clock, sink, tracker } = setup();
  tracker.connected();
  tracker.setState('live');
  assert.equal(sink.eventsOf('connect')[0].sinceUs, null);
  assert.equal(tracker.status().state, 'live');
  clock.advanceMs(1000);
  const downAt = clock.nowUs();
  tracker.disconnected(1006, 'connection lost without a close frame');
  tracker.reconnectScheduled(1500, 1, 'connection lost');
  let st = tracker.status();
  assert.equal(st.state, 'reconnecting');
  assert.equal(st.nextRetryInMs, 1500);
  assert.equal(st.reconnects, 1);
  clock.advanceMs(1500);
  tracker.reconnectScheduled(3000, 2, 'could not connect: ECONNREFUSED');
  clock.advanceMs(3000);
  tracker.connected();
  tracker.setState('live');
  st = tracker.status();
  assert.equal(st.reconnects, 2);
  assert.equal(st.nextRetryInMs, null);
  const d = sink.eventsOf('disconnect')[0];
  assert.deepEqual([d.code, d.reason, d.tsUs], [1006, 'connection lost without a close frame', downAt]);
  assert.equal(sink.eventsOf('reconnect').length, 2);
  assert.match(sink.eventsOf('reconnect')[1].reason, /attempt 2 in 3\.0 s after: could not connect/);
  assert.equal(sink.eventsOf('connect')[1].sinceUs, downAt, 'the gap began at the first disconnect');
  assert.deepEqual(
    sink.events.map((e) => e.kind),
    ['connect', 'disconnect', 'reconnect', 'reconnect', 'connect'],
  );
});

test('notLiveSinceUs: from start until live, null while live, then from the disconnect across retries', () => {
  const { clock, tracker } = setup();
  const startUs = clock.nowUs();
  assert.equal(tracker.status().notLiveSinceUs, startUs, 'never live yet');
  clock.advanceMs(500);
  tracker.connected();
  tracker.setState('live');
  assert.equal(tracker.status().notLiveSinceUs, null);
  clock.advanceMs(1000);
  const downAt = clock.nowUs();
  tracker.disconnected(1006, 'cut');
  tracker.reconnectScheduled(100, 1, 'cut');
  for (let attempt = 2; attempt < 6; attempt++) {
    clock.advanceMs(100);
    tracker.setState('connecting');
    clock.advanceMs(100);
    tracker.reconnectScheduled(100, attempt, 'could not connect: ECONNREFUSED');
  }
  const st = tracker.status();
  assert.equal(st.notLiveSinceUs, downAt, 'each attempt changes the state, not when the feed went down');
  assert.ok(st.stateSinceUs > downAt);
  tracker.stop();
  assert.equal(tracker.status().notLiveSinceUs, null);
});

test('with several connections the feed state is the worst of them and the live count is exact', () => {
  const { tracker } = setup();
  tracker.setState('live', undefined, 'shard 1/2');
  tracker.setState('subscribing', undefined, 'shard 2/2');
  let st = tracker.status();
  assert.deepEqual([st.state, st.connections, st.connectionsLive], ['subscribing', 2, 1]);
  tracker.setState('live', undefined, 'shard 2/2');
  assert.equal(tracker.status().state, 'live');
  tracker.disconnected(1006, 'lost', 'shard 2/2');
  st = tracker.status();
  assert.deepEqual([st.state, st.connectionsLive], ['reconnecting', 1]);
  tracker.stop();
  assert.equal(tracker.status().state, 'stopped');
});

test('paused time adds up; record() fills feed, source and time; a throwing sink does not escape', () => {
  const clock = new ManualFeedClock();
  const tracker = createFeedTracker({
    id: 'f',
    kind: 'coinbase',
    source: 'coinbase',
    endpoint: 'x',
    symbols: [],
    clock,
    sink: {
      tick() {},
      event() {
        throw new Error('sink broke');
      },
      wait: () => null,
    },
  });
  tracker.setPaused(true);
  clock.advanceMs(250);
  assert.equal(tracker.status().paused, true);
  assert.equal(tracker.status().pausedMs, 250);
  tracker.setPaused(false);
  clock.advanceMs(1000);
  assert.equal(tracker.status().pausedMs, 250);
  assert.doesNotThrow(() =>
    tracker.record({
      kind: 'rejected',
      symbol: null,
      code: 2,
      reason: 'bad',
      fromSeq: null,
      toSeq: null,
      sinceUs: null,
    }),
  );
});

test('rates are per second over whole recent seconds', () => {
  const { clock, tracker } = setup();
  // 5 seconds of 100 messages and 40 ticks per second
  for (let s = 0; s < 5; s++) {
    for (let i = 0; i < 100; i++) {
      tracker.message('x');
      if (i % 5 < 2)
        tracker.tick({ symbol: 'AAA', bid: 1, ask: 2, tsUs: clock.nowUs(), recvUs: clock.nowUs() });
      clock.advanceMs(10);
    }
  }
  const st = tracker.status();
  assert.ok(Math.abs(st.messagesPerSec - 100) <= 20, `messages/s ${st.messagesPerSec}`);
  assert.ok(Math.abs(st.ticksPerSec - 40) <= 8, `ticks/s ${st.ticksPerSec}`);
  clock.advanceMs(60_000);
  assert.equal(tracker.status().messagesPerSec, 0);
});
