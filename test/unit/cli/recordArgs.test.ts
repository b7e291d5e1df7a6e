import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../../electron/cli/optionTable.ts';
import { parseRecordArgs } from '../../../electron/cli/recordArgs.ts';

test('defaults: demo feed, 12 symbols, 1000 ticks/s, a stats line a second, no duration', () => {
  const o = parseRecordArgs([]);
  assert.deepEqual(
    { ...o },
    {
      'data-dir': null,
      backend: null,
      feed: 'demo',
      symbols: 12,
      rate: 1000,
      duration: null,
      'stats-interval': 1,
      help: false,
    },
  );
});

test('all options parse', () => {
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
  assert.equal(o.symbols, 40);
  assert.equal(o.rate, 25_000);
  assert.equal(o.duration, 1.5);
  assert.equal(o['stats-interval'], 0.2);
});

for (const [args, message] of [
  [['--rate', '-5'], '--rate must be a positive number, got -5'],
  [['--rate', '0'], '--rate must be a positive number, got 0'],
  [['--duration', '-1'], '--duration must be a positive number, got -1'],
  [['--stats-interval', '-0.5'], '--stats-interval must be a positive number, got -0.5'],
  [['--symbols', '-3'], '--symbols must be a positive integer, got -3'],
  [['--symbols', '2.5'], '--symbols must be a positive integer, got 2.5'],
  [['--backend', 'mysql'], '--backend must be one of sqlite, json, dual, got mysql'],
  [['--feed', 'bloomberg'], '--feed must be one of demo, got bloomberg'],
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
