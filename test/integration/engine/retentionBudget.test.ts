// Retention by age and by size budget on a real store: the dry run lists exactly what the
// deletion then removes (and counts), today is never deleted, and the rotation check applies
// the size budget of the settings on its own.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { listDayFiles } from '../../../electron/engine/storage/dayFileCatalog.ts';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import type { RetentionPlan } from '../../../shared/archive.ts';
import type { DayInfo } from '../../../shared/catalog.ts';
import { US_PER_DAY, US_PER_HOUR, dayIndexToKey, utcDayIndex } from '../../../shared/time.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const TODAY_START = Date.UTC(2026, 10, 20) * 1000;
const NOON = TODAY_START + 12 * US_PER_HOUR;
const TODAY = utcDayIndex(TODAY_START);
const key = (offset: number) => dayIndexToKey(TODAY + offset);

/** Ticks per day, by offset from today: distinct counts so a mixed-up day shows. */
const TICKS: [number, number][] = [
  [-5, 20_000],
  [-4, 30_000],
  [-3, 40_000],
  [-2, 25_000],
  [-1, 35_000],
  [0, 10_000],
];

async function record(store: TickStore, ticks: [number, number][]): Promise<void> {
  for (const [offset, n] of ticks) {
    const start = TODAY_START + offset * US_PER_DAY;
    for (let i = 0; i < n; i++) {
      // Prices that move, so nothing is throttled and the files are of a realistic size.
      const bid = 1.1 + ((i * 7919) % 1000) / 1e5;
      store.ingest({
        symbol: `S${i % 4}`,
        bid,
        ask: bid + 0.0002,
        source: 'LP',
        tsUs: start + i * 1_000_000,
      });
      if (i % 10_000 === 0) await store.whenWritable();
    }
  }
  await store.flush();
}

const bytesOf = (days: DayInfo[], offsets: number[]) =>
  days.filter((d) => offsets.map(key).includes(d.day)).reduce((sum, d) => sum + d.bytes, 0);
const totalOf = (days: DayInfo[]) => days.reduce((sum, d) => sum + d.bytes, 0);
/** What identifies a planned day apart from its bytes (which a close before deletion changes). */
const planned = (p: RetentionPlan) =>
  p.days.map((d) => ({ day: d.day, ticks: d.ticks, tier: d.tier, reason: d.reason }));

test('dry runs by age, by budget and by both; the deletion removes and counts exactly the plan', async () => {
  const { store, dir } = await openTestStore('retention-budget', NOON, { backend: 'dual' });
  const sqliteDir = path.join(dir, 'sqlite');
  try {
    await record(store, TICKS);
    const days = await store.listDays();
    assert.deepEqual(
      days.map((d) => [d.day, d.ticks]),
      TICKS.map(([o, n]) => [key(o), n]),
    );
    const byDay = new Map(days.map((d) => [d.day, d]));

    const age = await store.retentionPreview({ keepDays: 3, maxBytes: null });
    assert.deepEqual(
      age.days.map((d) => [d.day, d.reason, d.ticks, d.bytes]),
      [-5, -4].map((o) => [key(o), 'age', byDay.get(key(o))!.ticks, byDay.get(key(o))!.bytes]),
    );
    assert.equal(age.ticks, 50_000);
    assert.equal(age.keptBytes, totalOf(days) - age.bytes);

    const budgetBytes = totalOf(days) - bytesOf(days, [-5, -4, -3]);
    const budget = await store.retentionPreview({ keepDays: null, maxBytes: budgetBytes });
    assert.deepEqual(
      budget.days.map((d) => [d.day, d.reason]),
      [-5, -4, -3].map((o) => [key(o), 'budget']),
    );
    assert.equal(budget.keptBytes, budgetBytes);
    assert.equal(budget.note, null);

    const bothBytes = totalOf(days) - bytesOf(days, [-5, -4, -3]) + 1;
    const both = await store.retentionPreview({ keepDays: 4, maxBytes: bothBytes });
    assert.deepEqual(
      both.days.map((d) => [d.day, d.reason]),
      [
        [key(-5), 'age'],
        [key(-4), 'budget'],
        [key(-3), 'budget'],
      ],
    );
    assert.equal(listDayFiles(sqliteDir).length, 6, 'a dry run deletes nothing');

    const applied = await store.applyRetention({ keepDays: 4, maxBytes: bothBytes });
    assert.deepEqual(planned(applied), planned(both));
    assert.equal(applied.ticks, both.ticks);
    for (const d of applied.days) assert.ok(d.bytes > 0, `${d.day} freed ${d.bytes} bytes`);
    const s = store.getStorageStats();
    assert.equal(s.retention_deleted_days, 3);
    assert.equal(s.retention_deleted_ticks, 90_000);
    assert.equal(s.retention_deleted_bytes, applied.bytes);

    assert.deepEqual(
      listDayFiles(sqliteDir).map((f) => dayIndexToKey(f.day)),
      [-2, -1, 0].map(key),
    );
    for (const o of [-5, -4, -3]) {
      const p = byDay.get(key(o))!.path;
      for (const suffix of ['', '-wal', '-shm']) assert.equal(fs.existsSync(p + suffix), false, p + suffix);
      assert.equal(
        fs.existsSync(path.join(dir, 'json', 'S0', `${key(o)}.json`)),
        false,
        'its JSON files go too',
      );
    }
    assert.equal(
      fs.existsSync(path.join(dir, 'json', 'S0', `${key(-2)}.json`)),
      true,
      'kept days keep theirs',
    );
    const left = await store.range({ symbol: 'S1', fromUs: TODAY_START - 5 * US_PER_DAY, toUs: NOON });
    assert.equal(left.tsUs.length, (25_000 + 35_000 + 10_000) / 4, 'the kept days are whole');

    const again = await store.applyRetention({ keepDays: 4, maxBytes: bothBytes });
    assert.deepEqual(again.days, [], 'what is left is within the policy');
    assert.equal(store.getStorageStats().retention_deleted_days, 3);
  } finally {
    await store.stop();
  }
});

test('today is never deleted, even when the budget is smaller than today alone', async () => {
  const { store, dir } = await openTestStore('retention-today', NOON);
  try {
    await record(store, TICKS);
    const preview = await store.retentionPreview({ keepDays: null, maxBytes: 1 });
    assert.deepEqual(
      preview.days.map((d) => d.day),
      [-5, -4, -3, -2, -1].map(key),
    );
    assert.match(preview.note ?? '', /cannot be met/);
    const applied = await store.applyRetention({ keepDays: null, maxBytes: 1 });
    assert.deepEqual(planned(applied), planned(preview));
    assert.equal(applied.note, preview.note);
    assert.deepEqual(
      listDayFiles(path.join(dir, 'sqlite')).map((f) => dayIndexToKey(f.day)),
      [key(0)],
    );
    const today = await store.range({ symbol: 'S0', fromUs: TODAY_START, toUs: NOON + 1 });
    assert.equal(today.tsUs.length, 2_500, "today's ticks are all there");
    assert.equal(applied.ticks, 150_000);
    assert.equal(store.getStorageStats().retention_deleted_ticks, 150_000);
  } finally {
    await store.stop();
  }
});

test('the rotation check applies the size budget of the settings, and Health says when today is over it', async () => {
  const { store, dir, clock } = await openTestStore('retention-auto', NOON, { rotationCheckMs: 1_000 });
  const sqliteDir = path.join(dir, 'sqlite');
  try {
    await record(store, TICKS);
    const days = await store.listDays();
    const budgetBytes = totalOf(days) - bytesOf(days, [-5, -4]);
    assert.ok(budgetBytes >= 1_048_576, `budget ${budgetBytes} is above the setting's floor`);
    store.updateSettings({ retentionMaxBytes: budgetBytes });
    const preview = await store.retentionPreview();
    assert.deepEqual(preview.policy, { keepDays: null, maxBytes: budgetBytes });
    assert.deepEqual(
      preview.days.map((d) => [d.day, d.reason]),
      [-5, -4].map((o) => [key(o), 'budget']),
    );

    clock.advance(1_000_000);
    await waitFor('the scheduled retention run', () => store.getStorageStats().retention_deleted_days === 2);
    assert.equal(store.getStorageStats().retention_deleted_ticks, preview.ticks);
    assert.deepEqual(
      listDayFiles(sqliteDir).map((f) => dayIndexToKey(f.day)),
      [-3, -2, -1, 0].map(key),
    );
    assert.equal(store.getHealth().status, 'ok');

    // Today alone over the budget: every past day goes, today stays, and Health says why.
    await record(store, [[0, 30_000]]);
    store.updateSettings({ retentionMaxBytes: 1_048_576 });
    clock.advance(1_000_000);
    await waitFor('the budget run', () => store.getStorageStats().retention_deleted_days === 5);
    assert.deepEqual(
      listDayFiles(sqliteDir).map((f) => dayIndexToKey(f.day)),
      [key(0)],
    );
    await waitFor('the budget note in Health', () => store.getHealth().status === 'warn');
    assert.match(store.getHealth().reasons.join('\n'), /size budget of 1\.0 MiB cannot be met/);

    store.updateSettings({ retentionMaxBytes: null });
    clock.advance(1_000_000);
    await waitFor('the note to clear', () => store.getHealth().status === 'ok');
  } finally {
    await store.stop();
  }
});
