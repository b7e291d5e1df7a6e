import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  UsageError,
  parseServeArgs,
} from '../../../electron/server/serveArgs.ts';

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

for (const [args, pattern] of [
  [['--port', 'abc'], /--port "abc" is not a whole number/],
  [['--port', '70000'], /--port 70000 is outside 0-65535/],
  [['--port', '-1'], /--port/],
  [['--feed', 'bloomberg'], /--feed "bloomberg" is not one of demo, none/],
  [['--rate', '0'], /--rate 0 is outside/],
  [['--symbols', '1.5'], /--symbols "1.5" is not a whole number/],
  [['--token', 'short'], /--token must be 16-256/],
  [['--host', 'a b'], /--host "a b"/],
  [['--bogus'], /Unknown option '--bogus'/],
  [['stray'], /positional/i],
] as const) {
  test(`refuses ${args.join(' ')} with a clear message`, () => {
    assert.throws(
      () => parseServeArgs([...args], {}),
      (err: unknown) => err instanceof UsageError && pattern.test(err.message),
    );
  });
}
