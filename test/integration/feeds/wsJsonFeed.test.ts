// The generic JSON WebSocket feed against a local JSON quote server: subscribe, map, reconnect
// after a cut without a close frame, count malformed and binary frames, find sequence gaps, and
// flag a symbol that stopped while a quiet one is left alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualFeedClock } from '../../../electron/feeds/core/feedClock.ts';
import type { FeedClock } from '../../../electron/feeds/core/feedClock.ts';
import { createReconnectBackoff } from '../../../electron/feeds/core/reconnectBackoff.ts';
import type { WsJsonFeedDeps } from '../../../electron/feeds/wsJson/wsJsonFeed.ts';
import { createWsJsonFeed, endpointOf } from '../../../electron/feeds/wsJson/wsJsonFeed.ts';
import { WS_JSON_FEED_SCHEMA } from '../../../shared/feeds/feedConfig.ts';
import type { JsonMappingInput } from '../../../shared/feeds/jsonMapping.ts';
import { collectingSink } from '../../helpers/peers/collectingSink.ts';
import type { CollectingSink } from '../../helpers/peers/collectingSink.ts';
import { defaultQuoteFormat, startJsonPeer } from '../../helpers/peers/jsonPeer.ts';
import type { JsonPeer, JsonPeerOptions } from '../../helpers/peers/jsonPeer.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const SUBSCRIBE = ['{"op":"subscribe","symbols":["EURUSD","GBPUSD"]}', '{"op":"ping-me"}'];
const MAPPING: JsonMappingInput = {
  symbol: 'sym',
  bid: 'bid',
  ask: 'ask',
  bidSize: 'bq',
  askSize: 'aq',
  time: 'ts',
  timeUnit: 'ms',
  sequence: 'seq',
  match: { path: 'type', equals: 'quote' },
};

interface Rig {
  peer: JsonPeer;
  sink: CollectingSink;
  feed: ReturnType<typeof createWsJsonFeed>;
  [Symbol.asyncDispose](): Promise<void>;
}

async function rig(
  opts: {
    peer?: JsonPeerOptions;
    mapping?: JsonMappingInput;
    subscribe?: string[];
    symbols?: string[];
    deps?: WsJsonFeedDeps;
  } = {},
): Promise<Rig> {
  const peer = await startJsonPeer({ requireSubscribe: true, ...opts.peer });
  const config = WS_JSON_FEED_SCHEMA.parse({
    id: 'lp-test',
    kind: 'ws-json',
    url: peer.url,
    symbols: opts.symbols ?? ['EURUSD', 'GBPUSD'],
    subscribe: opts.subscribe ?? SUBSCRIBE,
    mapping: opts.mapping ?? MAPPING,
  });
  const sink = collectingSink();
  const feed = createWsJsonFeed(config, {
    backoff: createReconnectBackoff({ baseMs: 20, maxMs: 80 }),
    ...opts.deps,
  });
  feed.start(sink);
  return {
    peer,
    sink,
    feed,
    async [Symbol.asyncDispose]() {
      await feed.stop();
      await peer.close();
    },
  };
}

const malformedCounts = (r: Rig) =>
  Object.fromEntries(r.feed.status().malformed.map((m) => [m.reason, m.count]));

test('subscribes, maps every quote with its sizes, time, sequence and the feed id as source', async () => {
  await using r = await rig();
  const client = await r.peer.waitForClient(1, SUBSCRIBE.length);
  assert.deepEqual(client.received, SUBSCRIBE);
  // Subscribed but no quote yet: not live until one proves the subscription worked.
  assert.equal(r.feed.status().state, 'subscribing');
  assert.equal(r.feed.source, 'lp-test');

  assert.equal(r.peer.sendQuotes(['EURUSD', 'GBPUSD'], 50), 100);
  await waitFor('100 ticks', () => r.sink.ticks.length === 100);
  assert.deepEqual(r.sink.countBySymbol(), r.peer.sentBySymbol());
  const nowUs = Date.now() * 1000;
  r.sink.ticks.forEach((t, i) => {
    const q = r.peer.sent[i];
    assert.deepEqual(
      [t.symbol, t.bid, t.ask, t.bidSize, t.askSize, t.tsUs, t.seq, t.source, t.noExchangeTime],
      [q.symbol, q.bid, q.ask, q.bidSize, q.askSize, q.timeMs * 1000, q.seq, 'lp-test', false],
    );
    assert.ok(
      Number.isSafeInteger(t.recvUs) && Math.abs(t.recvUs! - nowUs) < 30_000_000,
      `recvUs ${t.recvUs}`,
    );
  });

  const st = r.feed.status();
  assert.equal(st.state, 'live');
  assert.deepEqual([st.ticks, st.messages, st.malformed, st.reconnects], [100, 100, [], 0]);
  assert.equal(st.endpoint, r.peer.url);
  assert.deepEqual(
    st.symbols.map((s) => [s.symbol, s.ticks, s.lastSeq, s.sequenceGaps]),
    [
      ['EURUSD', 50, 50, 0],
      ['GBPUSD', 50, 50, 0],
    ],
  );
  assert.equal(st.latency?.samples, 100);
  const shown = r.feed.lastMessages();
  assert.equal(shown.length, 50);
  assert.equal(shown.at(-1), JSON.stringify(defaultQuoteFormat(r.peer.sent.at(-1)!)));
  assert.deepEqual(
    r.sink.events.map((e) => e.kind),
    ['connect'],
  );

  const stopping = r.feed.stop();
  assert.equal(r.feed.stop(), stopping, 'stop() is idempotent');
  await stopping;
  assert.equal(r.feed.status().state, 'stopped');
  await waitFor('the peer sees the close', () => r.peer.openClients().length === 0);
  await new Promise((res) => setTimeout(res, 150));
  assert.equal(r.peer.clients.length, 1, 'no reconnect after stop');
});

test('a cut without a close frame mid-stream: reconnects, subscribes again, gets every quote sent after', async () => {
  await using r = await rig();
  await r.peer.waitForClient(1, SUBSCRIBE.length);
  r.peer.sendQuotes('EURUSD', 30);
  await waitFor('30 ticks', () => r.sink.ticks.length === 30);
  // A burst, then a cut in the middle of the next message's frame.
  const burst = r.peer.sendQuotes(['EURUSD', 'GBPUSD'], 200);
  r.peer.cut({ midQuoteOf: 'EURUSD' });

  const second = await r.peer.waitForClient(2, SUBSCRIBE.length);
  assert.deepEqual(second.received, SUBSCRIBE, 'the same subscribe messages, in order, after the reconnect');
  // Every whole frame arrived; the broken one is dropped, not parsed from half its bytes.
  const beforeReconnect = r.sink.ticks.length;
  assert.equal(beforeReconnect, 30 + burst);
  assert.equal(malformedCounts(r).not_json, undefined);
  const sentBefore = r.peer.sent.length;
  r.peer.sendQuotes(['EURUSD', 'GBPUSD'], 40);
  const after = r.peer.sent.slice(sentBefore);
  await waitFor('every quote sent after the reconnect', () => r.sink.ticks.length === beforeReconnect + 80);
  assert.deepEqual(
    r.sink.ticks.slice(beforeReconnect).map((t) => [t.symbol, t.seq, t.bid]),
    after.map((q) => [q.symbol, q.seq, q.bid]),
  );

  const disconnect = r.sink.eventsOf('disconnect');
  assert.equal(disconnect.length, 1);
  assert.equal(disconnect[0].code, 1006);
  assert.equal(r.sink.eventsOf('reconnect').length >= 1, true);
  const connects = r.sink.eventsOf('connect');
  assert.equal(connects.length, 2);
  assert.equal(connects[1].sinceUs, disconnect[0].tsUs, 'the reconnect names the gap it ends');
  // The quote the cut broke off used up EURUSD's number 231; the gap is the disconnect's to tell
  // (each connection starts the numbering over), so it is not a sequence gap as well.
  assert.deepEqual(
    r.peer.lost.map((q) => [q.symbol, q.seq]),
    [['EURUSD', 231]],
  );
  assert.equal(after[0].seq, 232);
  assert.deepEqual(r.sink.eventsOf('sequence_gap'), []);
  const st = r.feed.status();
  assert.equal(st.state, 'live');
  assert.ok(st.reconnects >= 1);
});

test('malformed messages and binary frames are counted by reason and the feed keeps going', async () => {
  await using r = await rig();
  await r.peer.waitForClient(1, SUBSCRIBE.length);
  const tsMs = Date.now();
  r.peer.sendRaw('not json');
  r.peer.sendRaw(JSON.stringify({ type: 'quote', sym: 'EURUSD', bid: 'x', ask: '1.1', ts: tsMs }));
  r.peer.sendBinary(Uint8Array.from([0xde, 0xad, 0xbe, 0xef]));
  r.peer.sendRaw('{"type":"heartbeat"}');
  r.peer.sendRaw(JSON.stringify({ type: 'quote', sym: 'EURUSD', bid: '1.1', ask: '1.2' }));
  r.peer.sendRaw(JSON.stringify({ type: 'quote', sym: 'EURUSD', bid: '1.1', ask: '1.2', ts: tsMs / 1000 }));
  r.peer.sendQuotes('EURUSD', 5);
  await waitFor('the good quotes after the bad ones', () => r.sink.ticks.length === 5);
  await waitFor('all 11 messages counted', () => r.feed.status().messages === 11);
  assert.deepEqual(malformedCounts(r), {
    not_json: 1,
    'not_a_number:bid': 1,
    binary: 1,
    'path_missing:time': 1,
    time_out_of_range: 1,
  });
  const st = r.feed.status();
  assert.equal(st.malformed.find((m) => m.reason === 'binary')?.sample, 'deadbeef');
  assert.equal(st.malformed.find((m) => m.reason === 'not_json')?.sample, 'not json');
  assert.equal(st.state, 'live');
  assert.equal(r.peer.clients.length, 1, 'bad input does not cost the connection');
});

test('sequence gaps per symbol are ledgered with the missing numbers; other symbols are unaffected', async () => {
  await using r = await rig();
  await r.peer.waitForClient(1, SUBSCRIBE.length);
  r.peer.sendQuotes(['EURUSD', 'GBPUSD'], 3);
  r.peer.skipSeq('EURUSD', 4);
  r.peer.sendQuotes(['EURUSD', 'GBPUSD'], 2);
  await waitFor('10 ticks', () => r.sink.ticks.length === 10);
  const gaps = r.sink.eventsOf('sequence_gap');
  assert.deepEqual(
    gaps.map((e) => [e.symbol, e.fromSeq, e.toSeq, e.feed, e.source]),
    [['EURUSD', 4, 7, 'lp-test', 'lp-test']],
  );
  const bySymbol = new Map(r.feed.status().symbols.map((s) => [s.symbol, s]));
  assert.equal(bySymbol.get('EURUSD')?.sequenceGaps, 1);
  assert.equal(bySymbol.get('GBPUSD')?.sequenceGaps, 0);
});

test('increasing sequence mode: skipped numbers are normal, no gap is ledgered', async () => {
  await using r = await rig({ mapping: { ...MAPPING, sequenceMode: 'increasing' } });
  await r.peer.waitForClient(1, SUBSCRIBE.length);
  r.peer.sendQuotes('EURUSD', 3);
  r.peer.skipSeq('EURUSD', 10);
  r.peer.sendQuotes('EURUSD', 3);
  await waitFor('6 ticks', () => r.sink.ticks.length === 6);
  assert.deepEqual(
    r.sink.ticks.map((t) => t.seq),
    [1, 2, 3, 14, 15, 16],
  );
  assert.deepEqual(r.sink.eventsOf('sequence_gap'), []);
});

test('a batched format with one sequence per connection: one check per message, per-message source', async () => {
  let messageSeq = 0;
  const batchMapping: JsonMappingInput = {
    list: 'quotes',
    symbol: 's',
    bid: 'b',
    ask: 'a',
    time: '$.t',
    timeUnit: 'us',
    source: 'lp',
    sequence: '$.n',
    sequenceScope: 'connection',
  };
  await using r = await rig({
    subscribe: [],
    mapping: batchMapping,
    peer: {
      requireSubscribe: false,
      format: (q) => {
        // Every message carries the quote twice (two LPs); message 4 is skipped by the server.
        messageSeq += messageSeq === 3 ? 2 : 1;
        return {
          n: messageSeq,
          t: q.timeMs * 1000 + 7,
          quotes: [
            { s: q.symbol, b: q.bid, a: q.ask, lp: 'lp-a' },
            { s: q.symbol, b: q.bid, a: q.ask },
          ],
        };
      },
    },
  });
  await r.peer.waitForClient(1);
  await waitFor('live without subscribe messages', () => r.feed.status().state === 'live');
  r.peer.sendQuotes('EURUSD', 6);
  await waitFor('12 ticks', () => r.sink.ticks.length === 12);
  assert.deepEqual(
    r.sink.ticks.slice(0, 2).map((t) => [t.source, t.seq, t.tsUs]),
    [
      ['lp-a', 1, r.peer.sent[0].timeMs * 1000 + 7],
      ['lp-test', 1, r.peer.sent[0].timeMs * 1000 + 7],
    ],
  );
  assert.deepEqual(
    r.sink.eventsOf('sequence_gap').map((e) => [e.symbol, e.fromSeq, e.toSeq]),
    [[null, 4, 4]],
  );
});

test('a symbol that stops quoting is flagged stale while a quiet one that keeps its pace is not', async () => {
  const clock = new ManualFeedClock();
  const fast = 'AAA';
  const slow = 'ZZZ';
  await using r = await rig({
    subscribe: [],
    symbols: [fast, slow],
    peer: { requireSubscribe: false, nowMs: () => Math.floor(clock.nowUs() / 1000) },
    deps: { clock: clock as FeedClock, watchdog: { floorMs: 1_000, checkEveryMs: 100 } },
  });
  await r.peer.waitForClient(1);
  await waitFor('live', () => r.feed.status().state === 'live');
  // Time moves only when the test says: each 50 ms step sends its quotes and waits for them.
  const step = async (symbols: string[]) => {
    const want = r.sink.ticks.length + r.peer.sendQuotes(symbols, 1);
    await waitFor(`ticks up to ${want}`, () => r.sink.ticks.length === want);
    clock.advanceMs(50);
  };
  for (let i = 0; i < 60; i++) await step(i % 5 === 0 ? [fast, slow] : [fast]); // 3 s: AAA every 50 ms, ZZZ every 250 ms
  for (let i = 0; i < 60; i++) await step(i % 5 === 0 ? [slow] : []); // 3 s: AAA silent, ZZZ as before

  const stale = r.sink.eventsOf('stale_start');
  assert.deepEqual(
    stale.map((e) => e.symbol),
    [fast],
  );
  const bySymbol = new Map(r.feed.status().symbols.map((s) => [s.symbol, s]));
  assert.equal(bySymbol.get(fast)?.stale, true);
  assert.equal(bySymbol.get(slow)?.stale, false);
  assert.equal(bySymbol.get(slow)?.normalSpacingMs, 250);
  // AAA became overdue 1 s (the floor) after its last tick, found by the next 100 ms check.
  const lastFastUs = r.sink.ticks.filter((t) => t.symbol === fast).at(-1)!.recvUs!;
  const flaggedUs = stale[0].tsUs;
  assert.ok(
    flaggedUs > lastFastUs + 1_000_000 && flaggedUs <= lastFastUs + 1_300_000,
    `${flaggedUs - lastFastUs}`,
  );

  await step([fast]);
  const end = r.sink.eventsOf('stale_end', fast);
  assert.equal(end.length, 1);
  assert.equal(end[0].sinceUs, flaggedUs);
});

test('the status endpoint never shows credentials or query keys', () => {
  assert.equal(
    endpointOf('wss://user:secret@lp.example.com:8443/stream?key=abc'),
    'wss://lp.example.com:8443/stream?…',
  );
  assert.equal(endpointOf('ws://127.0.0.1:9000/q'), 'ws://127.0.0.1:9000/q');
});
