// The pure parts of `compact` and `migrate --compact`: the command line, which days count as
// closed, the exit code, the figures of a line, and the day an interrupted run finished on stop.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { parseCompactArgs, UsageError } from '../../../electron/cli/compactArgs.ts';
import type { CompactionOutcome } from '../../../electron/cli/compactionReport.ts';
import { compactionExitCode, dayLine, formatBytes, ratioOf } from '../../../electron/cli/compactionReport.ts';
import { closedLiveDays, idleStatus, settleAfterStop } from '../../../electron/cli/compactionRun.ts';
import { parseMigrateArgs } from '../../../electron/cli/migrateCliArgs.ts';
import { daysToCompact } from '../../../electron/cli/migrationCompaction.ts';
import type { DayInfo } from '../../../shared/catalog.ts';

function day(d: string, tier: DayInfo['tier'], lateTicks = 0, ticks = 10): DayInfo {
  return { day: d, path: `/x/${d}.db`, bytes: 100, ticks, symbols: 1, tier, liveBytes: null, lateTicks };
}

const NOON_0105 = Date.UTC(2024, 0, 5, 12);

test('compact: one of --day and --older-than, each checked', () => {
  assert.deepEqual(parseCompactArgs(['--data-dir', 'd']), {
    dataDir: path.resolve('d'),
    selection: { kind: 'setting' },
    help: false,
  });
  assert.deepEqual(parseCompactArgs(['--day', '2024-02-29']).selection, { kind: 'day', day: '2024-02-29' });
  assert.deepEqual(parseCompactArgs(['--older-than', '0']).selection, { kind: 'olderThan', days: 0 });
  assert.equal(parseCompactArgs([]).dataDir, null, 'TICK_DATA_DIR decides later');
  for (const [argv, message] of [
    [['--day', '2023-02-29'], /--day must be a UTC day as YYYY-MM-DD, got 2023-02-29/],
    [['--day', '2024-1-02'], /--day must be a UTC day/],
    [['--older-than', '36501'], /--older-than must be an integer from 0 to 36500/],
    [['--older-than', '2', '--day', '2024-01-01'], /cannot be combined/],
    [['--backend', 'json'], /unknown option "--backend"/],
  ] as const) {
    assert.throws(
      () => parseCompactArgs(argv),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
    );
  }
});

test('migrate: --compact is a flag that a dry run or a preview refuses', () => {
  const io = ['--input-dir', 'in', '--output-dir', 'out'];
  assert.equal(parseMigrateArgs(io).compact, false);
  assert.equal(parseMigrateArgs([...io, '--compact']).compact, true);
  assert.throws(
    () => parseMigrateArgs([...io, '--compact', '--dry-run']),
    /--compact cannot be combined with --dry-run/,
  );
  assert.throws(() => parseMigrateArgs(['--input-dir', 'in', '--preview', '--compact']), /with --preview/);
});

test('closed days with rows to compact: live or late ticks, never today, oldest first', () => {
  const days = [
    day('2024-01-05', 'live'),
    day('2024-01-03', 'archived'),
    day('2024-01-04', 'live'),
    day('2024-01-02', 'archived', 3),
    day('2024-01-06', 'live'),
  ];
  assert.deepEqual(closedLiveDays(days, NOON_0105), ['2024-01-02', '2024-01-04']);
  // migrate --compact: only the days its files hold.
  assert.deepEqual(daysToCompact(new Set(['2024-01-04', '2024-01-03', '2024-01-05']), days, NOON_0105), [
    '2024-01-04',
  ]);
});

function outcome(over: Partial<CompactionOutcome> = {}): CompactionOutcome {
  return { status: idleStatus(), days: [], interrupted: false, durationMs: 5, ...over };
}

test('exit code: 1 for a failed day, an interruption or a named day not done', () => {
  const done = { day: '2024-01-02', ticks: 5, bytesBefore: 1000, bytesAfter: 100 };
  assert.equal(compactionExitCode(outcome({ days: [done] }), ['2024-01-02']), 0);
  assert.equal(compactionExitCode(outcome(), ['2024-01-02']), 1);
  assert.equal(compactionExitCode(outcome({ interrupted: true, days: [done] })), 1);
  const failed = { ...idleStatus(), failed: [{ day: '2024-01-03', error: 'disk full' }] };
  assert.equal(compactionExitCode(outcome({ status: failed, days: [done] })), 1);
  const skipped = { ...idleStatus(), skipped: [{ day: '2024-01-03', reason: 'a late tick' }] };
  assert.equal(compactionExitCode(outcome({ status: skipped, days: [done] })), 0, 'skipped is not failed');
});

test('a day line gives ticks, sizes and the ratio', () => {
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(61_808), '61.8 kB');
  assert.equal(formatBytes(33_402_880), '33.4 MB');
  assert.equal(ratioOf(1000, 0), null);
  const line = dayLine(
    'compact',
    { day: '2024-01-02', ticks: 12, bytesBefore: 2_252_800, bytesAfter: 25_088 },
    2,
    3,
  );
  assert.equal(line, 'compact: 2024-01-02  12 ticks  2.25 MB -> 25.1 kB  (89.8x)  [2/3]');
});

test('an interrupted run counts the day the stop let finish, from the status difference', () => {
  const seen = {
    ...idleStatus(),
    running: true,
    daysTotal: 3,
    daysDone: 1,
    day: '2024-01-03',
    ticks: 150, // 100 of the first day and 50 of the day in hand so far
    bytesBefore: 5000,
    bytesAfter: 50,
    startedAtUs: 1_000_000,
  };
  const first = { day: '2024-01-02', ticks: 100, bytesBefore: 5000, bytesAfter: 50 };
  const final = {
    ...seen,
    running: false,
    daysDone: 2,
    day: null,
    ticks: 180,
    bytesBefore: 9000,
    bytesAfter: 90,
    finishedAtUs: 4_000_000,
  };
  const o = settleAfterStop(outcome({ status: seen, days: [first], interrupted: true }), final);
  assert.deepEqual(o.days, [first, { day: '2024-01-03', ticks: 80, bytesBefore: 4000, bytesAfter: 40 }]);
  assert.equal(o.status, final);
  assert.equal(o.durationMs, 3000);

  // The day in hand failed or was left as it was: nothing is added.
  const failed = { ...final, bytesBefore: 5000, bytesAfter: 50, failed: [{ day: '2024-01-03', error: 'x' }] };
  assert.deepEqual(
    settleAfterStop(outcome({ status: seen, days: [first], interrupted: true }), failed).days,
    [first],
  );
  // A run that was not interrupted is as it was seen.
  const whole = outcome({ status: final, days: [first] });
  assert.equal(settleAfterStop(whole, final), whole);
});
