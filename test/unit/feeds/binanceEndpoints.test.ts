import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BinanceUrlError, planBinanceConnections } from '../../../electron/feeds/binance/binanceEndpoints.ts';
import { BINANCE_FEED_SCHEMA } from '../../../shared/feeds/feedConfig.ts';
import type { FeedConfigInput } from '../../../shared/feeds/feedConfig.ts';

const cfg = (c: Partial<Extract<FeedConfigInput, { kind: 'binance' }>>) =>
  BINANCE_FEED_SCHEMA.parse({ id: 'bn', kind: 'binance', ...c });

test('default URLs by market; a bare host uses the config’s stream mode', () => {
  let p = planBinanceConnections(cfg({ symbols: ['BTCUSDT', 'ETHUSDT'] }));
  assert.equal(p.mode, 'combined');
  assert.deepEqual(
    p.shards.map((s) => [s.url, s.subscribe]),
    [['wss://stream.binance.com:9443/stream?streams=btcusdt@bookTicker/ethusdt@bookTicker', []]],
  );
  p = planBinanceConnections(cfg({ market: 'futures', streams: 'raw', symbols: ['BTCUSDT', 'ETHUSDT'] }));
  assert.equal(p.mode, 'raw');
  assert.deepEqual(
    p.shards.map((s) => [s.url, s.subscribe]),
    [['wss://fstream.binance.com/ws', ['btcusdt@bookTicker', 'ethusdt@bookTicker']]],
  );
  p = planBinanceConnections(cfg({ streams: 'raw', symbols: ['BTCUSDT'] }));
  assert.deepEqual(
    p.shards.map((s) => [s.url, s.subscribe]),
    [['wss://stream.binance.com:9443/ws/btcusdt@bookTicker', []]],
  );
});

test('the URL path decides: /ws is raw, /ws/<stream> names one, /stream is combined', () => {
  let p = planBinanceConnections(cfg({ url: 'ws://h:1/ws', streams: 'combined', symbols: ['A1', 'B1'] }));
  assert.equal(p.mode, 'raw');
  assert.deepEqual(p.shards[0].subscribe, ['a1@bookTicker', 'b1@bookTicker']);
  p = planBinanceConnections(cfg({ url: 'ws://h:1/ws/btcusdt@bookTicker', symbols: ['BTCUSDT', 'ETHUSDT'] }));
  assert.equal(p.mode, 'raw');
  assert.deepEqual(
    [p.shards[0].url, p.shards[0].subscribe],
    ['ws://h:1/ws/btcusdt@bookTicker', ['ethusdt@bookTicker']],
  );
  p = planBinanceConnections(
    cfg({ url: 'ws://h:1/stream?streams=btcusdt@bookTicker', streams: 'raw', symbols: ['BTCUSDT'] }),
  );
  assert.equal(p.mode, 'combined');
  assert.deepEqual(p.shards[0].streams, ['btcusdt@bookTicker'], 'the same stream twice (any case) is one');
  assert.equal(p.endpoint, 'ws://h:1/stream');
  p = planBinanceConnections(cfg({ url: 'ws://h:1/ws/', symbols: [] }));
  assert.deepEqual(
    p.shards.map((s) => [s.url, s.streams.length]),
    [['ws://h:1/ws', 0]],
  );
});

test('more than 1,024 streams are sharded; a long combined list puts the rest in SUBSCRIBE', () => {
  const symbols = Array.from({ length: 2500 }, (_, i) => `SYM${i}USDT`);
  const p = planBinanceConnections(cfg({ url: 'ws://h:1', symbols }));
  assert.deepEqual(
    p.shards.map((s) => s.streams.length),
    [1024, 1024, 452],
  );
  for (const s of p.shards) {
    assert.ok(s.url.length < 2_100, 'URLs stay short');
    const inUrl = new URL(s.url).searchParams.get('streams')!.split('/');
    assert.deepEqual([...inUrl, ...s.subscribe], s.streams, 'every stream once, in the URL or subscribed');
  }
  const raw = planBinanceConnections(cfg({ url: 'ws://h:1/ws', symbols: symbols.slice(0, 7) }), 3).shards;
  assert.deepEqual(
    raw.map((s) => [s.url, s.streams.length, s.subscribe.length]),
    [
      ['ws://h:1/ws', 3, 3],
      ['ws://h:1/ws', 3, 3],
      ['ws://h:1/ws/sym6usdt@bookTicker', 1, 0],
    ],
    'a shard of one raw stream names it in the path',
  );
});

test('a URL that is not ws:// or not a URL is a typed error', () => {
  assert.throws(() => planBinanceConnections({ ...cfg({}), url: 'http://h/ws' }), BinanceUrlError);
  assert.throws(() => planBinanceConnections({ ...cfg({}), url: 'ws://' }), BinanceUrlError);
});
