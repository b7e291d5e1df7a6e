import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { integerFrom, oneOf, pathValue, positiveNumber } from '../../../electron/cli/optionReaders.ts';
import { UsageError, flag, option, parseOptions } from '../../../electron/cli/optionTable.ts';

const TABLE = {
  dir: option<string | null>({ arg: 'DIR', help: 'a folder', default: null, read: pathValue }),
  rate: option({ arg: 'N', help: 'a rate', default: 10, read: positiveNumber }),
  offset: option({ arg: 'H', help: 'hours', default: 0, read: integerFrom(-24, 24) }),
  mode: option({ arg: 'M', help: 'a mode', default: 'a', read: oneOf(['a', 'b']) }),
  rows: option<number | null>({ arg: 'N', help: 'rows', default: null, bare: 10, read: Number }),
  quiet: flag('say less'),
  help: flag('help', 'h'),
};

function usageError(argv: string[], pattern: RegExp): void {
  assert.throws(
    () => parseOptions(TABLE, argv),
    (err: unknown) => err instanceof UsageError && pattern.test(err.message),
    `${argv.join(' ')} should fail with ${pattern}`,
  );
}

test('absent options take the default from the table', () => {
  assert.deepEqual(parseOptions(TABLE, []), {
    dir: null,
    rate: 10,
    offset: 0,
    mode: 'a',
    rows: null,
    quiet: false,
    help: false,
  });
});

test('values come as `--name value` or `--name=value`; the last one given wins', () => {
  const v = parseOptions(TABLE, ['--dir', 'x', '--rate=2.5', '--mode', 'a', '--mode', 'b', '--quiet', '-h']);
  assert.equal(v.dir, path.resolve('x'));
  assert.equal(v.rate, 2.5);
  assert.equal(v.mode, 'b');
  assert.equal(v.quiet, true);
  assert.equal(v.help, true);
});

test('a negative number is a value, so the option itself says what is wrong with it', () => {
  usageError(['--rate', '-5'], /^--rate must be a positive number, got -5$/);
  usageError(['--rate', '-0.5'], /^--rate must be a positive number, got -0\.5$/);
  usageError(['--rate=-5'], /^--rate must be a positive number, got -5$/);
  assert.equal(parseOptions(TABLE, ['--offset', '-5']).offset, -5);
  usageError(['--offset', '-25'], /^--offset must be an integer from -24 to 24, got -25$/);
});

test('an option where a value should be is a missing value, not the value', () => {
  usageError(['--dir', '--quiet'], /^--dir needs a value \(DIR\)$/);
  usageError(['--dir'], /^--dir needs a value/);
  usageError(['--rate', '-x'], /^--rate needs a value/);
});

test('an optional value may be left out, and is taken when it follows', () => {
  assert.equal(parseOptions(TABLE, ['--rows']).rows, 10);
  assert.equal(parseOptions(TABLE, ['--rows', '--quiet']).rows, 10);
  assert.equal(parseOptions(TABLE, ['--rows', '3']).rows, 3);
  assert.equal(parseOptions(TABLE, ['--rows=4']).rows, 4);
});

test('unknown options, stray words and values given to flags are refused by name', () => {
  usageError(['--bogus'], /^unknown option "--bogus"$/);
  usageError(['--bogus=1'], /^unknown option "--bogus"$/);
  usageError(['-x'], /^unknown option "-x"$/);
  usageError(['stray'], /^unexpected argument "stray"/);
  usageError(['--quiet=yes'], /^--quiet takes no value$/);
  usageError(['--mode', 'c'], /^--mode must be one of a, b, got c$/);
  usageError(['--dir', ''], /^--dir is empty/);
});

test('number checks accept only numbers, shown as typed', () => {
  for (const bad of ['abc', '', '1x', '0x10', 'Infinity', '0', '-1']) {
    assert.throws(() => positiveNumber(bad, '--rate'), UsageError, bad);
  }
  assert.throws(() => positiveNumber('a b', '--rate'), /got "a b"$/);
  assert.equal(positiveNumber('1e3', '--rate'), 1000);
  assert.throws(() => integerFrom(0, 9)('1.5', '--n'), /--n must be an integer from 0 to 9, got 1\.5/);
});
