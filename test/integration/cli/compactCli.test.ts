// `tickscope compact` (what `npm run compact` execs) against a data folder recorded by the real
// engine: usage errors name the option and exit 2; --day archives that day only; --older-than N
// archives the live days older than N days, 0 every closed day; today is never compacted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTickStore } from '../../../electron/engine/tickStore.ts';
import type { DayInfo } from '../../../shared/catalog.ts';
import { US_PER_DAY, utcDayIndex, utcDayKey } from '../../../shared/time.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { TICKSCOPE_BIN, cleanEnv, startCli } from './cliProcess.ts';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Summary {
  exitCode: number;
  compacted: Array<{ day: string; ticks: number; bytesBefore: number; bytesAfter: number; ratio: number }>;
  skipped: Array<{ day: string; reason: string }>;
  failed: unknown[];
}

async function compact(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const run = startCli(process.execPath, [TICKSCOPE_BIN, 'compact', ...args], cleanEnv(env));
  try {
    const exit = await run.waitForExit(60_000);
    return { code: exit.code, stdout: run.stdout(), stderr: run.stderr() };
  } finally {
    run.cleanUp();
  }
}

/** The engine's clock is the system clock: the seeded days are counted back from today. */
const TODAY = utcDayIndex(Date.now() * 1000);
const dayKey = (daysAgo: number): string => utcDayKey((TODAY - daysAgo) * US_PER_DAY);
/** Ticks per seeded day, different per day so a mixed-up day shows. */
const ticksOf = (daysAgo: number): number => 1000 + daysAgo * 137;

/** A data folder with ticks of yesterday, 2 and 3 days ago (and of today, for 0 of them). */
async function seededDataDir(): Promise<string> {
  const { store, dir } = await openTestStore('compact-cli', Date.now() * 1000);
  try {
    for (const ago of [1, 2, 3, 0]) {
      const start = (TODAY - ago) * US_PER_DAY + 3_600_000_000;
      for (let i = 0; i < (ago === 0 ? 10 : ticksOf(ago)); i++) {
        const bid = 1.1 + ((i * 7919) % 1000) / 1e5;
        store.ingest({
          symbol: 'EURUSD',
          bid,
          ask: bid + 0.00002,
          tsUs: start + i * 1_000_003,
          source: 'LP1',
        });
      }
    }
    await store.flush();
  } finally {
    await store.stop();
  }
  return dir;
}

async function daysOf(dataDir: string): Promise<Map<string, DayInfo>> {
  const store = await openTickStore({ dataDir });
  try {
    return new Map((await store.listDays()).map((d) => [d.day, d]));
  } finally {
    await store.stop();
  }
}

function assertUsageError(r: Result, message: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr.split('\n')[0], message);
  assert.match(r.stderr, /\nUsage: npm run compact -- /, 'the usage follows the message');
  assert.equal(r.stdout, '');
}

test('bad arguments exit 2 with a message naming the option', async () => {
  const dir = makeTempDir('compact-cli-usage');
  assertUsageError(
    await compact(['--data-dir', dir, '--day', '2024-02-30']),
    /^compact: --day must be a UTC day/,
  );
  assertUsageError(
    await compact(['--data-dir', dir, '--day', 'yesterday']),
    /^compact: --day .*got yesterday$/,
  );
  assertUsageError(
    await compact(['--data-dir', dir, '--older-than', '-1']),
    /^compact: --older-than must be an integer from 0 to 36500, got -1$/,
  );
  assertUsageError(await compact(['--data-dir', dir, '--older-than', '1.5']), /^compact: --older-than /);
  assertUsageError(
    await compact(['--data-dir', dir, '--older-than', '3', '--day', '2024-01-02']),
    /^compact: --day and --older-than cannot be combined/,
  );
  assertUsageError(
    await compact(['--data-dir', dir, '--feed', 'demo']),
    /^compact: unknown option "--feed"$/,
  );
  assertUsageError(await compact(['--data-dir']), /^compact: --data-dir needs a value \(DIR\)$/);
  assertUsageError(await compact([]), /^compact: invalid dataDir: set --data-dir or TICK_DATA_DIR$/);

  const help = await compact(['--help']);
  assert.equal(help.code, 0, help.stderr);
  for (const line of [/--older-than DAYS/, /--day YYYY-MM-DD/, /TICK_DATA_DIR/, /\nExit codes:\n {2}0 /])
    assert.match(help.stdout, line);
});

test('--day archives that day only, with the same ticks; today and a missing day exit 1', async () => {
  const dir = await seededDataDir();
  const target = dayKey(2);
  const r = await compact(['--data-dir', dir, '--day', target]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(`compact: ${target} +${ticksOf(2)} ticks +\\S+ \\S+ -> \\S+ \\S+ +\\(\\d+(\\.\\d)?x\\)`),
  );
  const summary = JSON.parse(r.stdout) as Summary;
  assert.deepEqual(
    summary.compacted.map((d) => [d.day, d.ticks]),
    [[target, ticksOf(2)]],
  );
  assert.ok(summary.compacted[0].bytesAfter < summary.compacted[0].bytesBefore, r.stdout);

  const days = await daysOf(dir);
  assert.equal(days.get(target)?.tier, 'archived');
  assert.equal(days.get(target)?.ticks, ticksOf(2));
  for (const ago of [1, 3]) {
    assert.equal(days.get(dayKey(ago))?.tier, 'live', dayKey(ago));
    assert.equal(days.get(dayKey(ago))?.ticks, ticksOf(ago));
  }

  // Asked for by name but left as it was: not done, so not 0.
  const today = await compact(['--data-dir', dir, '--day', dayKey(0)]);
  assert.equal(today.code, 1, today.stderr);
  assert.match(today.stderr, new RegExp(`compact: ${dayKey(0)} left as it was: today`));
  const missing = await compact(['--data-dir', dir, '--day', '2001-01-01']);
  assert.equal(missing.code, 1, missing.stderr);
  assert.match(missing.stderr, /there is no day file for 2001-01-01/);
  assert.equal((await daysOf(dir)).get(dayKey(0))?.tier, 'live');
});

test('--older-than 1 archives the days before yesterday; --older-than 0 every closed day', async () => {
  const dir = await seededDataDir();
  const older = await compact(['--data-dir', dir, '--older-than', '1']);
  assert.equal(older.code, 0, older.stderr);
  let days = await daysOf(dir);
  assert.equal(days.get(dayKey(3))?.tier, 'archived');
  assert.equal(days.get(dayKey(2))?.tier, 'archived');
  assert.equal(days.get(dayKey(1))?.tier, 'live', 'yesterday is not older than one day');

  const all = await compact(['--data-dir', dir, '--older-than', '0']);
  assert.equal(all.code, 0, all.stderr);
  const summary = JSON.parse(all.stdout) as Summary;
  assert.deepEqual(
    summary.compacted.map((d) => d.day),
    [dayKey(1)],
    'only the day still live is taken on',
  );
  days = await daysOf(dir);
  for (const ago of [1, 2, 3]) {
    assert.equal(days.get(dayKey(ago))?.tier, 'archived', dayKey(ago));
    assert.equal(days.get(dayKey(ago))?.ticks, ticksOf(ago), dayKey(ago));
  }
  assert.equal(days.get(dayKey(0))?.tier, 'live', 'today is never compacted');
  assert.equal(days.get(dayKey(0))?.ticks, 10);

  // Nothing left: a second run has nothing to do and says so.
  const again = await compact(['--data-dir', dir, '--older-than', '0']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual((JSON.parse(again.stdout) as Summary).compacted, []);
});
