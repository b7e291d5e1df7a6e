import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DEMO_DEFAULT_RATE, DEMO_DEFAULT_SYMBOLS } from '../../../shared/feeds/feedConfig.ts';
import { DEFAULT_HOST, DEFAULT_PORT, UsageError, parseServeArgs } from '../../../electron/cli/serveArgs.ts';

test('defaults: ~/.tickscope-data, 127.0.0.1:5317, demo feed, random token', () => {
  const o = parseServeArgs([], {});
  assert.equal(o.dataDir, path.join(os.homedir(), '.tickscope-data'));
  assert.equal(o.host, DEFAULT_HOST);
  assert.equal(o.port, DEFAULT_PORT);
  assert.deepEqual(o.feeds, [], 'no --feed: the saved list (or the demo feed on a first start)');
  assert.equal(o.idle, false);
  assert.equal(o.feedConfigFile, path.join(os.homedir(), '.tickscope-data', 'feeds.json'));
  assert.equal(o.token, undefined);
});

test('TICK_DATA_DIR is the default data dir; --data-dir wins over it', () => {
  assert.equal(parseServeArgs([], { TICK_DATA_DIR: '/srv/ticks' }).dataDir, '/srv/ticks');
  assert.equal(parseServeArgs(['--data-dir', '/tmp/x'], { TICK_DATA_DIR: '/srv/ticks' }).dataDir, '/tmp/x');
  assert.equal(parseServeArgs([], { TICK_DATA_DIR: 'rel' }).dataDir, path.resolve('rel'));
  assert.equal(
    parseServeArgs([], { TICK_DATA_DIR: '  ' }).dataDir,
    path.join(os.homedir(), '.tickscope-data'),
  );
});

test('all options parse', () => {
  const o = parseServeArgs(
    ['--port', '0', '--host', 'localhost', '--rate', '20000', '--symbols', '50', '--token', 'a'.repeat(32)],
    {},
  );
  assert.deepEqual(
    { port: o.port, host: o.host, token: o.token, idle: o.idle },
    { port: 0, host: 'localhost', token: 'a'.repeat(32), idle: false },
  );
  assert.equal(o.feeds.length, 1);
  const demo = o.feeds[0];
  assert.ok(demo.kind === 'demo');
  assert.deepEqual(
    { id: demo.id, rate: demo.ratePerSec, symbols: demo.symbolCount },
    { id: 'demo', rate: 20000, symbols: 50 },
  );
  assert.equal(parseServeArgs(['--feed', 'none'], {}).idle, true);
});

test("the demo feed's defaults are the feed schema's, so status and help agree", () => {
  const [demo] = parseServeArgs(['--feed', 'demo'], {}).feeds;
  assert.ok(demo.kind === 'demo');
  assert.equal(demo.ratePerSec, DEMO_DEFAULT_RATE);
  assert.equal(demo.symbolCount, DEMO_DEFAULT_SYMBOLS);
});

for (const [args, pattern] of [
  [['--port', 'abc'], /^--port must be an integer from 0 to 65535, got abc$/],
  [['--port', '70000'], /^--port must be an integer from 0 to 65535, got 70000$/],
  [['--port', '-1'], /^--port must be an integer from 0 to 65535, got -1$/],
  [['--rate', '-5'], /^--rate must be a positive number, got -5$/],
  [['--symbols', '-3'], /^--symbols for the demo feed must be a count from 1 to 500, got -3$/],
  [
    ['--feed', 'bloomberg'],
    /^--feed must be one of demo, binance, coinbase, ws-json, fix, none, got bloomberg$/,
  ],
  [['--rate', '0'], /^--rate must be a positive number, got 0$/],
  [['--symbols', '1.5'], /^--symbols for the demo feed must be a count from 1 to 500, got 1\.5$/],
  [['--feed', 'none', '--rate', '5'], /^--rate does not apply to --feed none$/],
  [['--feed', 'binance', '--rate', '5'], /^--rate does not apply to --feed binance$/],
  [['--feed', 'fix'], /^--feed fix needs --feed-url fix:\/\/HOST:PORT/],
  [
    ['--feed', 'fix', '--feed-url', 'fix://h:1?sender=A&target=B&password=x'],
    /^a FIX password never goes on the command line/,
  ],
  [
    ['--feed', 'binance', '--feed-url', 'http://x'],
    /^--feed binance: feed "binance", url: a WebSocket URL starts with ws:\/\/ or wss:\/\/$|^--feed binance: url: a WebSocket URL/,
  ],
  [['--token', 'short'], /^--token must be 16-256/],
  [['--host', 'a b'], /^--host must be a host name or address, got "a b"$/],
  [['--data-dir'], /^--data-dir needs a value/],
  [['--data-dir', ''], /^--data-dir is empty/],
  [['--bogus'], /^unknown option "--bogus"$/],
  [['stray'], /^unexpected argument "stray"/],
] as const) {
  test(`refuses ${args.join(' ')} with a clear message`, () => {
    assert.throws(
      () => parseServeArgs([...args], {}),
      (err: unknown) => err instanceof UsageError && pattern.test(err.message),
    );
  });
}
