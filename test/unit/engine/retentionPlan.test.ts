import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DayInfo } from '../../../shared/catalog.ts';
import { dayIndexToKey } from '../../../shared/time.ts';
import { ConfigError } from '../../../electron/engine/errors.ts';
import type { RetentionDay } from '../../../electron/engine/retention/retentionPlan.ts';
import {
  deletedPart,
  planRetention,
  resolvePolicy,
  retentionDaysOf,
} from '../../../electron/engine/retention/retentionPlan.ts';

const TODAY = 20_000;
const key = (offset: number) => dayIndexToKey(TODAY + offset);

/** Days TODAY-5 .. TODAY, each `bytes` big with `10 * (6 + offset)` ticks (a distinct figure per day). */
function sixDays(bytes = 100): RetentionDay[] {
  return [-5, -4, -3, -2, -1, 0].map((o) => ({ day: TODAY + o, bytes, ticks: 10 * (6 + o), tier: 'live' }));
}

test('age: today - keepDays is the first day kept, as the rotation sweep has always had it', () => {
  const plan = planRetention(sixDays(), TODAY, { keepDays: 2, maxBytes: null });
  assert.deepEqual(
    plan.days.map((d) => [d.day, d.reason, d.ticks]),
    [
      [key(-5), 'age', 10],
      [key(-4), 'age', 20],
      [key(-3), 'age', 30],
    ],
  );
  assert.equal(plan.bytes, 300);
  assert.equal(plan.ticks, 60);
  assert.equal(plan.keptBytes, 300);
  assert.equal(plan.note, null);
  assert.deepEqual(plan.policy, { keepDays: 2, maxBytes: null });
});

test('budget: the oldest days go until the rest is within it; exactly at the budget is within', () => {
  const plan = planRetention(sixDays(), TODAY, { keepDays: null, maxBytes: 300 });
  assert.deepEqual(
    plan.days.map((d) => [d.day, d.reason]),
    [
      [key(-5), 'budget'],
      [key(-4), 'budget'],
      [key(-3), 'budget'],
    ],
  );
  assert.equal(plan.keptBytes, 300);
  assert.equal(planRetention(sixDays(), TODAY, { keepDays: null, maxBytes: 299 }).days.length, 4);
  assert.equal(planRetention(sixDays(), TODAY, { keepDays: null, maxBytes: 600 }).days.length, 0);
});

test('both: age first, then the budget weighs what is left', () => {
  const days = sixDays().map((d) => (d.day === TODAY - 2 ? { ...d, bytes: 500 } : d));
  const plan = planRetention(days, TODAY, { keepDays: 4, maxBytes: 400 });
  assert.deepEqual(
    plan.days.map((d) => [d.day, d.reason]),
    [
      [key(-5), 'age'],
      [key(-4), 'budget'],
      [key(-3), 'budget'],
      [key(-2), 'budget'],
    ],
  );
  assert.equal(plan.keptBytes, 200);
});

test('today (and a later day) is never planned, even when it alone is over the budget', () => {
  const days = [...sixDays(), { day: TODAY + 1, bytes: 50, ticks: 1, tier: 'live' as const }].map((d) =>
    d.day === TODAY ? { ...d, bytes: 1_000 } : d,
  );
  const plan = planRetention(days, TODAY, { keepDays: 1, maxBytes: 600 });
  assert.deepEqual(
    plan.days.map((d) => d.day),
    [-5, -4, -3, -2, -1].map(key),
  );
  assert.deepEqual(
    plan.days.map((d) => d.reason),
    ['age', 'age', 'age', 'age', 'budget'],
  );
  assert.equal(plan.keptBytes, 1_050);
  assert.match(plan.note ?? '', /budget of 600 bytes cannot be met/);
  assert.match(plan.note ?? '', /never deletes today/);
});

test('no limits plan nothing; the input order does not matter', () => {
  assert.deepEqual(planRetention(sixDays(), TODAY, { keepDays: null, maxBytes: null }).days, []);
  const shuffled = [...sixDays()].reverse();
  assert.deepEqual(
    planRetention(shuffled, TODAY, { keepDays: 3, maxBytes: null }),
    planRetention(sixDays(), TODAY, { keepDays: 3, maxBytes: null }),
  );
  assert.equal(planRetention(shuffled, TODAY, { keepDays: 3, maxBytes: null }).days[0].day, key(-5));
});

test('the tier travels into the plan', () => {
  const days = sixDays().map((d) => (d.day < TODAY - 3 ? { ...d, tier: 'archived' as const } : d));
  const plan = planRetention(days, TODAY, { keepDays: 2, maxBytes: null });
  assert.deepEqual(
    plan.days.map((d) => d.tier),
    ['archived', 'archived', 'live'],
  );
});

test('resolvePolicy: absent fields take the settings, null lifts a limit, nonsense is refused', () => {
  const settings = { retentionDays: 30, retentionMaxBytes: 5_000_000 };
  assert.deepEqual(resolvePolicy(undefined, settings), { keepDays: 30, maxBytes: 5_000_000 });
  assert.deepEqual(resolvePolicy({ keepDays: null }, settings), { keepDays: null, maxBytes: 5_000_000 });
  assert.deepEqual(resolvePolicy({ maxBytes: 10 }, settings), { keepDays: 30, maxBytes: 10 });
  assert.throws(() => resolvePolicy({ keepDays: 0 }, settings), ConfigError);
  assert.throws(() => resolvePolicy({ keepDays: 1.5 }, settings), /keepDays/);
  assert.throws(() => resolvePolicy({ maxBytes: -1 }, settings), /maxBytes/);
});

test('deletedPart: the bytes actually freed; a day the writer refused counts as kept', () => {
  const plan = planRetention(sixDays(), TODAY, { keepDays: null, maxBytes: 200 });
  assert.equal(plan.days.length, 4);
  const done = deletedPart(plan, [
    { day: TODAY - 5, bytes: 120 },
    { day: TODAY - 4, bytes: 90 },
    { day: TODAY - 3, bytes: 100 },
  ]);
  assert.deepEqual(
    done.days.map((d) => [d.day, d.bytes, d.ticks]),
    [
      [key(-5), 120, 10],
      [key(-4), 90, 20],
      [key(-3), 100, 30],
    ],
  );
  assert.equal(done.bytes, 310);
  assert.equal(done.ticks, 60);
  assert.equal(done.keptBytes, 300, 'the refused day (100 bytes) is still there');
});

test('retentionDaysOf maps the readers day list and leaves out what is no day', () => {
  const info = (day: string, bytes: number): DayInfo => ({
    day,
    path: `/x/${day}`,
    bytes,
    ticks: 7,
    symbols: 1,
    tier: 'live',
    liveBytes: null,
    lateTicks: 0,
  });
  assert.deepEqual(retentionDaysOf([info(key(-1), 5), info('2026-02-30', 9)]), [
    { day: TODAY - 1, bytes: 5, ticks: 7, tier: 'live' },
  ]);
});
