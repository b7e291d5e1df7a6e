import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompactionProgress, StorageForecast } from '../../../shared/archive.ts';
import type { DayInfo } from '../../../shared/catalog.ts';
import {
  archivedShareText,
  canCompactDay,
  compactionBytesText,
  compactionDone,
  compressionRatio,
  dayTotals,
  forecastWords,
  formatBytesPerTick,
  formatDays,
  formatRatio,
} from '../../../renderer/storage/storageFigures.ts';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

function day(key: string, over: Partial<DayInfo> = {}): DayInfo {
  return {
    day: key,
    path: `/data/sqlite/ticks_${key}.db`,
    bytes: 35_000_000,
    ticks: 1_000_000,
    symbols: 3,
    tier: 'live',
    liveBytes: null,
    lateTicks: 0,
    ...over,
  };
}

const archived = (key: string, bytes: number, liveBytes: number, ticks = 1_000_000) =>
  day(key, { tier: 'archived', bytes, liveBytes, ticks });

test('the compression ratio is live bytes over archived bytes; live days have none', () => {
  assert.equal(compressionRatio(archived('2024-03-01', 2_000_000, 30_400_000)), 15.2);
  assert.equal(formatRatio(compressionRatio(archived('2024-03-01', 2_000_000, 30_400_000))), '15.2×');
  assert.equal(compressionRatio(day('2024-03-02')), null);
  assert.equal(formatRatio(null), '—');
  // An archived day the engine reports without its live size, or an empty file, shows no ratio.
  assert.equal(compressionRatio(day('2024-03-03', { tier: 'archived', liveBytes: null })), null);
  assert.equal(compressionRatio(archived('2024-03-04', 0, 1000)), null);
  assert.equal(formatRatio(250.4), '250×');
});

test('bytes per tick', () => {
  assert.equal(formatBytesPerTick(35_000_000, 1_000_000), '35.0 B');
  assert.equal(formatBytesPerTick(2_100_000, 1_000_000), '2.1 B');
  assert.equal(formatBytesPerTick(4096, 0), '—');
});

test('totals add up every day and say how much of it is archived', () => {
  const days = [day('2024-03-03'), archived('2024-03-01', 2 * MiB, 32 * MiB, 3_000_000), day('2024-03-02')];
  const t = dayTotals(days);
  assert.deepEqual(t, {
    days: 3,
    bytes: 35_000_000 * 2 + 2 * MiB,
    ticks: 5_000_000,
    archivedDays: 1,
    archivedTicks: 3_000_000,
    archivedBytes: 2 * MiB,
    savedBytes: 30 * MiB,
  });
  assert.equal(archivedShareText(t), '1 of 3 days archived (60% of ticks), 30.0 MiB saved');
  assert.equal(archivedShareText(dayTotals([day('2024-03-03')])), 'no day archived');
  assert.equal(dayTotals([]).bytes, 0);
});

test('closed live days can be compacted, today never; archived days only with late ticks', () => {
  const today = '2024-03-05';
  assert.equal(canCompactDay(day('2024-03-04'), today), true);
  assert.equal(canCompactDay(day(today), today), false);
  assert.equal(canCompactDay(archived('2024-03-01', 1, 10), today), false);
  assert.equal(canCompactDay({ ...archived('2024-03-01', 1, 10), lateTicks: 12 }, today), true);
  // A day after "today" (the engine's clock ahead of the page's) is not closed either.
  assert.equal(canCompactDay(day('2024-03-06'), today), false);
});

const forecast = (over: Partial<StorageForecast>): StorageForecast => ({
  usedBytes: 10 * GiB,
  freeBytes: 100 * GiB,
  budgetBytes: 20 * GiB,
  bytesPerDay: GiB,
  daysUntilBudget: 10,
  daysUntilDiskFull: 100,
  ...over,
});

test('the forecast in words: days left, or why it is unknown', () => {
  assert.deepEqual(forecastWords(forecast({})), {
    budget: '10 days until the budget',
    disk: '100 days until the disk is full',
  });
  assert.deepEqual(forecastWords(forecast({ daysUntilBudget: 1.7, daysUntilDiskFull: 0.4 })), {
    budget: '1 day until the budget',
    disk: 'Less than a day until the disk is full',
  });
  assert.equal(
    forecastWords(forecast({ budgetBytes: null, daysUntilBudget: null })).budget,
    'No size budget set',
  );
  assert.equal(
    forecastWords(forecast({ usedBytes: 21 * GiB, daysUntilBudget: 0 })).budget,
    'Over the budget by 1.0 GiB',
  );
  const noRate = forecastWords(
    forecast({ bytesPerDay: null, daysUntilBudget: null, daysUntilDiskFull: null }),
  );
  assert.deepEqual(noRate, {
    budget: 'Unknown when the budget is reached: no recent recording to measure a rate from',
    disk: 'Unknown when the disk is full: no recent recording to measure a rate from',
  });
  assert.equal(
    forecastWords(forecast({ freeBytes: null, daysUntilDiskFull: null })).disk,
    'Unknown when the disk is full: its free space could not be read',
  );
  assert.equal(
    forecastWords(forecast({ bytesPerDay: 0, daysUntilDiskFull: null })).disk,
    'Not growing at the recent rate',
  );
  assert.equal(formatDays(12_345.6), '12,345 days');
  assert.equal(formatDays(40_000), 'more than 100 years');
});

const run = (over: Partial<CompactionProgress>): CompactionProgress => ({
  running: true,
  daysTotal: 4,
  daysDone: 1,
  day: '2024-03-02',
  ticks: 1_000_000,
  bytesBefore: 0,
  bytesAfter: 0,
  skipped: [],
  failed: [],
  startedAtUs: 1_709_600_000_000_000,
  finishedAtUs: null,
  ...over,
});

test('compaction progress: days done and bytes before and after', () => {
  assert.deepEqual(compactionDone(run({})), { text: '1 / 4 days', fraction: 0.25 });
  assert.deepEqual(compactionDone(run({ daysTotal: 0, daysDone: 0 })), { text: '0 / 0 days', fraction: 0 });
  assert.equal(compactionBytesText(run({})), null);
  assert.equal(
    compactionBytesText(run({ bytesBefore: 35 * MiB, bytesAfter: 2 * MiB })),
    '35.0 MiB → 2.0 MiB (17.5×)',
  );
});
