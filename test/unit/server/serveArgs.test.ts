import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DEMO_DEFAULT_RATE, DEMO_DEFAULT_SYMBOLS } from '../../../electron/app/feedRegistry.ts';
import { DEFAULT_HOST, DEFAULT_PORT, UsageError, parseServeArgs } from '../../../electron/cli/serveArgs.ts';

test('defaults: ~/.tickscope-data, 127.0.0.1:5317, demo feed, random token', () => {
  const o = parseServeArgs([], {});
  assert.equal(o.dataDir, path.join(os.homedir(), '.tickscope-data'));
  assert.equal(o.host, DEFAULT_HOST);
  assert.equal(o.port, DEFAULT_PORT);
  assert.equal(o.feed, 'demo');
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
    [
      '--port',
      '0',
      '--host',
      'localhost',
      '--feed',
      'none',
      '--rate',
      '20000',
      '--symbols',
      '50',
      '--token',
      'a'.repeat(32),
    ],
    {},
  );
  assert.deepEqual(
    { port: o.port, host: o.host, feed: o.feed, rate: o.ratePerSec, symbols: o.symbols, token: o.token },
    { port: 0, host: 'localhost', feed: 'none', rate: 20000, symbols: 50, token: 'a'.repeat(32) },
  );
});

test("the demo feed defaults are the feed registry's, so status and help agree", () => {
  const o = parseServeArgs([], {});
  assert.equal(o.ratePerSec, DEMO_DEFAULT_RATE);
  assert.equal(o.symbols, DEMO_DEFAULT_SYMBOLS);
});

for (const [args, pattern] of [
  [['--port', 'abc'], /^--port must be an integer from 0 to 65535, got abc$/],
  [['--port', '70000'], /^--port must be an integer from 0 to 65535, got 70000$/],
  [['--port', '-1'], /^--port must be an integer from 0 to 65535, got -1$/],
  [['--rate', '-5'], /^--rate must be an integer from 1 to 1000000, got -5$/],
  [['--symbols', '-3'], /^--symbols must be an integer from 1 to 500, got -3$/],
  [['--feed', 'bloomberg'], /^--feed must be one of demo, none, got bloomberg$/],
  [['--rate', '0'], /^--rate must be an integer from 1 to 1000000, got 0$/],
  [['--symbols', '1.5'], /^--symbols must be an integer from 1 to 500, got 1\.5$/],
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
