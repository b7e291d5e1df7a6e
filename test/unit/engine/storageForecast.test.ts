import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytesPerDay, forecastStorage } from '../../../electron/engine/retention/storageForecast.ts';
import { US_PER_HOUR, dayIndexToStartUs } from '../../../shared/time.ts';

const TODAY = 20_000;
const SIX_AM = dayIndexToStartUs(TODAY) + 6 * US_PER_HOUR;

test('the rate is the mean of the files of the 7 days before today, today left out', () => {
  const days = [
    { day: TODAY - 20, bytes: 1_000_000 }, // weeks ago: says nothing about today's feeds
    { day: TODAY - 8, bytes: 100 }, // just outside the week
    { day: TODAY - 7, bytes: 200 },
    { day: TODAY - 6, bytes: 400 },
    { day: TODAY - 5, bytes: 0 }, // an empty file is no day of data
    { day: TODAY - 4, bytes: 500 },
    { day: TODAY - 3, bytes: 600 },
    { day: TODAY - 1, bytes: 700 },
    { day: TODAY, bytes: 9_999_999 },
  ];
  assert.equal(bytesPerDay(days, SIX_AM), (200 + 400 + 500 + 600 + 700) / 5);
  assert.equal(bytesPerDay(days.slice(-3), SIX_AM), (600 + 700) / 2);
  // Only old days: today, extrapolated from the quarter of the day that has passed.
  assert.equal(bytesPerDay([days[0], { day: TODAY, bytes: 1_000 }], SIX_AM), 4_000);
});

test('with only today, the rate is extrapolated from the part of the day that passed', () => {
  assert.equal(bytesPerDay([{ day: TODAY, bytes: 1_000 }], SIX_AM), 4_000);
  assert.equal(bytesPerDay([{ day: TODAY, bytes: 1_000 }], dayIndexToStartUs(TODAY)), null, 'at midnight');
  assert.equal(bytesPerDay([], SIX_AM), null);
  assert.equal(bytesPerDay([{ day: TODAY, bytes: 0 }], SIX_AM), null);
});

test('days until the budget and until the disk is full, floored', () => {
  const f = forecastStorage({
    days: [
      { day: TODAY - 2, bytes: 1_000 },
      { day: TODAY - 1, bytes: 3_000 },
      { day: TODAY, bytes: 500 },
    ],
    usedBytes: 5_000,
    freeBytes: 9_999,
    budgetBytes: 12_999,
    nowUs: SIX_AM,
  });
  assert.deepEqual(f, {
    usedBytes: 5_000,
    freeBytes: 9_999,
    budgetBytes: 12_999,
    bytesPerDay: 2_000,
    daysUntilBudget: 3,
    daysUntilDiskFull: 4,
  });
});

test('over the budget is 0 days; no budget, no free-space figure or no rate is null', () => {
  const days = [{ day: TODAY - 1, bytes: 100 }];
  const over = forecastStorage({ days, usedBytes: 500, freeBytes: 50, budgetBytes: 400, nowUs: SIX_AM });
  assert.equal(over.daysUntilBudget, 0);
  assert.equal(over.daysUntilDiskFull, 0);
  const open = forecastStorage({ days, usedBytes: 500, freeBytes: null, budgetBytes: null, nowUs: SIX_AM });
  assert.equal(open.daysUntilBudget, null);
  assert.equal(open.daysUntilDiskFull, null);
  assert.equal(open.bytesPerDay, 100);
  const empty = forecastStorage({ days: [], usedBytes: 0, freeBytes: 1e9, budgetBytes: 1e6, nowUs: SIX_AM });
  assert.deepEqual([empty.bytesPerDay, empty.daysUntilBudget, empty.daysUntilDiskFull], [null, null, null]);
});
