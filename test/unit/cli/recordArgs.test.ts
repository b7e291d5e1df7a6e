import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../../electron/cli/optionTable.ts';
import { parseRecordArgs } from '../../../electron/cli/recordArgs.ts';

test('defaults: no feed given (the demo feed runs), a stats line a second, no duration', () => {
  const o = parseRecordArgs([]);
  assert.deepEqual(o.feeds, []);
  assert.equal(o.none, false);
  assert.equal(o['data-dir'], null);
  assert.equal(o.backend, null);
  assert.equal(o.duration, null);
  assert.equal(o['stats-interval'], 1);
  assert.equal(o['feed-config'], null);
});

test('demo options without --feed configure one demo feed, as before feeds were repeatable', () => {
  const o = parseRecordArgs([
    '--data-dir',
    'd',
    '--backend',
    'dual',
    '--symbols',
    '40',
    '--rate',
    '2.5e4',
    '--duration=1.5',
    '--stats-interval',
    '0.2',
  ]);
  assert.equal(o['data-dir'], path.resolve('d'));
  assert.equal(o.backend, 'dual');
  assert.equal(o.duration, 1.5);
  assert.equal(o['stats-interval'], 0.2);
  assert.equal(o.feeds.length, 1);
  const [demo] = o.feeds;
  assert.ok(demo.kind === 'demo');
  assert.deepEqual([demo.id, demo.symbolCount, demo.ratePerSec], ['demo', 40, 25_000]);
});

test('several feeds: each option belongs to the --feed before it; ids default to the kind, numbered', () => {
  const o = parseRecordArgs([
    '--feed',
    'binance',
    '--feed-url',
    'ws://127.0.0.1:9001/ws',
    '--symbols',
    'BTCUSDT,ETHUSDT',
    '--data-dir',
    'd',
    '--feed',
    'binance',
    '--market',
    'futures',
    '--symbols',
    'SOLUSDT',
    '--feed=coinbase',
    '--symbols',
    'BTC-USD, ETH-USD',
    '--source',
    'cb',
    '--feed',
    'fix',
    '--feed-id',
    'yofx',
    '--feed-url',
    'fix://127.0.0.1:9878?sender=TICKSCOPE&target=YOFX&heartbeat=5',
    '--symbols',
    'EUR/USD',
  ]);
  assert.equal(o['data-dir'], path.resolve('d'));
  const summary = o.feeds.map((f) => ({
    id: f.id,
    kind: f.kind,
    symbols: f.symbols,
    source: f.source,
    url: 'url' in f ? f.url : undefined,
  }));
  assert.deepEqual(summary, [
    {
      id: 'binance',
      kind: 'binance',
      symbols: ['BTCUSDT', 'ETHUSDT'],
      source: undefined,
      url: 'ws://127.0.0.1:9001/ws',
    },
    { id: 'binance-2', kind: 'binance', symbols: ['SOLUSDT'], source: undefined, url: undefined },
    { id: 'coinbase', kind: 'coinbase', symbols: ['BTC-USD', 'ETH-USD'], source: 'cb', url: undefined },
    { id: 'yofx', kind: 'fix', symbols: ['EUR/USD'], source: undefined, url: undefined },
  ]);
  const futures = o.feeds[1];
  assert.ok(futures.kind === 'binance' && futures.market === 'futures');
  const fix = o.feeds[3];
  assert.ok(fix.kind === 'fix');
  assert.deepEqual(
    [fix.host, fix.port, fix.senderCompId, fix.targetCompId, fix.heartbeatSec],
    ['127.0.0.1', 9878, 'TICKSCOPE', 'YOFX', 5],
  );
});

test('ws-json without a config file reads Tickscope JSON ticks (symbol, bid, ask, ts in ms)', () => {
  const [f] = parseRecordArgs(['--feed', 'ws-json', '--feed-url', 'ws://127.0.0.1:1/q']).feeds;
  assert.ok(f.kind === 'ws-json');
  assert.deepEqual(
    [f.mapping.symbol, f.mapping.bid, f.mapping.ask, f.mapping.time, f.mapping.timeUnit],
    ['symbol', 'bid', 'ask', 'ts', 'ms'],
  );
});

for (const [args, message] of [
  [['--rate', '-5'], '--rate must be a positive number, got -5'],
  [['--rate', '0'], '--rate must be a positive number, got 0'],
  [['--duration', '-1'], '--duration must be a positive number, got -1'],
  [['--stats-interval', '-0.5'], '--stats-interval must be a positive number, got -0.5'],
  [['--symbols', '-3'], '--symbols for the demo feed must be a count from 1 to 500, got -3'],
  [['--symbols', '2.5'], '--symbols for the demo feed must be a count from 1 to 500, got 2.5'],
  [['--backend', 'mysql'], '--backend must be one of sqlite, json, dual, got mysql'],
  [
    ['--feed', 'bloomberg'],
    '--feed must be one of demo, binance, coinbase, ws-json, fix, none, got bloomberg',
  ],
  [['--feed', 'binance', '--symbols', 'BTC USDT!'], '--feed binance: symbols.1: not a valid symbol name'],
  [['--feed', 'coinbase', '--market', 'futures'], '--market does not apply to --feed coinbase'],
  [['--feed', 'ws-json'], '--feed ws-json needs --feed-url ws://… (or --feed-config FILE)'],
  [['--feed', 'none', '--feed', 'demo'], '--feed none cannot be combined with other feeds'],
  [['--feed', 'demo', '--feed-url', 'ws://x'], '--feed-url does not apply to --feed demo'],
  [['--data-dir', '--rate', '5'], '--data-dir needs a value (DIR)'],
  [['--bogus'], 'unknown option "--bogus"'],
] as const) {
  test(`refuses ${args.join(' ')}: ${message}`, () => {
    assert.throws(
      () => parseRecordArgs([...args]),
      (err: unknown) => err instanceof UsageError && err.message === message,
    );
  });
}
