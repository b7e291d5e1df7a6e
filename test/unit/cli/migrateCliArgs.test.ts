import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_BATCH_SIZE } from '../../../shared/migration.ts';
import { UsageError, parseMigrateArgs } from '../../../electron/cli/migrateCliArgs.ts';

const IO = ['--input-dir', 'in', '--output-dir', 'out'];

test('the minimal command line gives the documented defaults', () => {
  const cli = parseMigrateArgs(IO);
  assert.deepEqual(cli, {
    options: {
      inputDir: path.resolve('in'),
      batchSize: DEFAULT_BATCH_SIZE,
      validate: false,
      archiveDir: null,
      deleteAfterArchive: false,
      dryRun: false,
      format: 'auto',
      serverOffsetHours: 0,
      symbol: null,
    },
    outputDir: path.resolve('out'),
    verbose: false,
    compact: false,
    preview: null,
    help: false,
  });
});

test('a negative server offset is a value, not an option', () => {
  assert.equal(parseMigrateArgs([...IO, '--server-offset-hours', '-5']).options.serverOffsetHours, -5);
  assert.equal(parseMigrateArgs([...IO, '--server-offset-hours=-2.5']).options.serverOffsetHours, -2.5);
});

test('--archive implies --validate; --preview needs no output folder and takes an optional row count', () => {
  assert.equal(parseMigrateArgs([...IO, '--archive', 'a']).options.validate, true);
  assert.equal(parseMigrateArgs(['--input-dir', 'in', '--preview']).preview, 10);
  assert.equal(parseMigrateArgs(['--input-dir', 'in', '--preview', '3']).preview, 3);
  assert.equal(parseMigrateArgs(['--input-dir', 'in', '--preview', '999']).preview, 200);
  assert.equal(parseMigrateArgs(['--input-dir', 'in', '--preview', '--verbose']).verbose, true);
  assert.equal(parseMigrateArgs(['--help']).help, true);
});

for (const [args, pattern] of [
  [[...IO, '--batch-size', '-5'], /^--batch-size must be an integer from 1 to 100000, got -5$/],
  [
    [...IO, '--server-offset-hours', '-30'],
    /^--server-offset-hours must be a number of hours from -24 to 24/,
  ],
  [[...IO, '--symbol', 'a b'], /^--symbol "a b" is not a valid symbol$/],
  [[...IO, '--format', 'xml'], /^--format must be auto or one of /],
  [[...IO, '--preview', '-1'], /^--preview takes a number of rows, got "-1"$/],
  [[...IO, '--delete-after-archive'], /needs --archive DIR/],
  [[...IO, '--archive', 'a', '--dry-run'], /cannot be combined with --dry-run/],
  [['--output-dir', 'out'], /^--input-dir is required$/],
  [['--input-dir', 'in'], /^--output-dir is required$/],
  [['--input-dir'], /^--input-dir needs a value/],
] as const) {
  test(`refuses ${args.slice(4).join(' ') || args.join(' ')}`, () => {
    assert.throws(
      () => parseMigrateArgs([...args]),
      (err: unknown) => err instanceof UsageError && pattern.test(err.message),
    );
  });
}
