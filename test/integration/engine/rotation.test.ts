// Rotation at midnight UTC with an injected clock: yesterday's file is closed cleanly (WAL
// checkpointed and gone), today's is used, late ticks go to their own (closed) day and early
// ticks to theirs, and ingest never pauses.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { dayFilePath } from '../../../electron/engine/storage/dayPath.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { US_PER_MIN, US_PER_SEC, dayIndexToKey, utcDayIndex } from '../../../shared/time.ts';
import { DemoQuoteGenerator } from '../../../electron/feeds/demoQuotes.ts';
import { listDayFiles } from '../../../electron/engine/storage/dayFileCatalog.ts';
import { sqliteAll } from '../../helpers/sqliteFiles.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const MIDNIGHT = Date.UTC(2026, 2, 11) * 1000; // 2026-03-11T00:00:00Z
const DAY0 = utcDayIndex(MIDNIGHT - 1);
const DAY1 = utcDayIndex(MIDNIGHT);

function walGoneOrEmpty(db: string): boolean {
  try {
    return fs.statSync(`${db}-wal`).size === 0;
  } catch {
    return true;
  }
}

test('rotation across midnight UTC with late and early ticks', async () => {
  const { store, clock } = await openTestStore('rotation', MIDNIGHT - 2 * US_PER_MIN, {
    rotationCheckMs: 1_000,
    batchIntervalMs: 5,
  });
  const gen = new DemoQuoteGenerator(6, 11);
  const sent: TickInput[] = [];
  const ingest = (tsUs: number) => {
    const t = gen.next(tsUs);
    sent.push(t);
    assert.equal(store.ingest(t), 'accepted', `tick at ${new Date(tsUs / 1000).toISOString()} accepted`);
  };
  try {
    // Before midnight: ticks of day 0, and a few early ticks stamped just after midnight.
    for (let i = 0; i < 300; i++) ingest(MIDNIGHT - 2 * US_PER_MIN + i * 200_000);
    for (let i = 0; i < 20; i++) ingest(MIDNIGHT + 10 * US_PER_SEC + i);
    await store.flush();
    assert.equal(store.getStorageStats().db_rotations, 0);
    const day0File = dayFilePath(store.config.sqliteDir, DAY0);
    const day1File = dayFilePath(store.config.sqliteDir, DAY1);
    assert.ok(fs.existsSync(day0File));
    assert.ok(fs.existsSync(day1File), 'early ticks already have their own day file');

    // Midnight passes while ticks keep arriving: the timer's rotate check runs in between.
    for (let s = 0; s < 150; s++) {
      clock.advance(US_PER_SEC);
      ingest(clock.nowUs());
      ingest(clock.nowUs() + 1);
      // Let batches and rotate checks reach the writer interleaved, as they would live.
      if (s % 10 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    await waitFor('the rotation to be reported', () => store.getStorageStats().db_rotations === 1);
    await store.flush();
    // Ticks stamped just before midnight may have reached the writer after the rotate check and
    // reopened yesterday's file; the next check closes it again.
    clock.advance(US_PER_SEC);
    await waitFor("yesterday's WAL to be checkpointed away", () => walGoneOrEmpty(day0File), 5_000);

    // Late ticks of yesterday arrive after midnight: they go to yesterday's (closed) file.
    for (let i = 0; i < 25; i++) ingest(MIDNIGHT - 1 - i * 1000);
    // Early ticks: hours ahead of the clock but within maxFutureUs go to their own day's file.
    const early = MIDNIGHT + 24 * 60 * US_PER_MIN + 10 * US_PER_SEC; // tomorrow, 00:00:10
    assert.ok(early < clock.nowUs() + store.config.maxFutureUs);
    for (let i = 0; i < 5; i++) ingest(early + i);
    // Too far ahead is rejected, not stored.
    assert.equal(store.ingest({ ...gen.next(0), tsUs: clock.nowUs() + 25 * 60 * US_PER_MIN }), 'rejected');
    await store.flush();
    // The next checks close yesterday again after the late write, without counting a rotation.
    clock.advance(3 * US_PER_SEC);
    await store.flush();
    await waitFor("yesterday's file to be closed again", () => walGoneOrEmpty(day0File), 5_000);
    assert.equal(store.getStorageStats().db_rotations, 1, 'one midnight, one rotation');

    const s = store.getStorageStats();
    assert.equal(s.ticks_stored, sent.length);
    assert.equal(s.ticks_written, sent.length);
    assert.equal(s.write_errors, 0);
  } finally {
    await store.stop();
  }

  // Each day file holds exactly the ticks whose own timestamp falls on that day.
  const byDay = new Map<number, string[]>();
  for (const t of sent) {
    const d = utcDayIndex(t.tsUs);
    if (!byDay.has(d)) byDay.set(d, []);
    byDay.get(d)!.push(`${t.symbol}|${t.tsUs}|${t.bid}|${t.ask}|${t.source}`);
  }
  const files = listDayFiles(store.config.sqliteDir);
  assert.deepEqual(
    files.map((f) => dayIndexToKey(f.day)),
    [...byDay.keys()].sort((a, b) => a - b).map(dayIndexToKey),
  );
  assert.equal(files.length, 3, 'yesterday, today and the early day');
  for (const f of files) {
    const rows = sqliteAll<{ k: string }>(
      f.path,
      "SELECT symbol || '|' || ts_us || '|' || bid || '|' || ask || '|' || source AS k FROM ticks",
    ).map((r) => r.k);
    // SQLite prints REALs with 15 significant digits; the demo's prices have at most 8.
    assert.deepEqual(rows.sort(), byDay.get(f.day)!.sort(), dayIndexToKey(f.day));
    assert.ok(walGoneOrEmpty(f.path), `${f.path} closed cleanly at stop`);
  }
});

test("at midnight yesterday's file is checkpointed and closed, and today's is opened before its first tick", async () => {
  const { store, clock } = await openTestStore('rotation-clean', MIDNIGHT - 10 * US_PER_SEC, {
    rotationCheckMs: 1_000,
  });
  try {
    for (let i = 0; i < 1_000; i++) {
      const r = store.ingest({
        symbol: 'EURUSD',
        bid: 1.1 + i / 1e5,
        ask: 1.1002 + i / 1e5,
        tsUs: MIDNIGHT - 9 * US_PER_SEC + i,
      });
      assert.equal(r, 'accepted');
    }
    await store.flush();
    const day0File = dayFilePath(store.config.sqliteDir, DAY0);
    const day1File = dayFilePath(store.config.sqliteDir, DAY1);
    assert.ok(fs.statSync(`${day0File}-wal`).size > 0, 'the open day file writes through its WAL');
    assert.equal(fs.existsSync(day1File), false);
    clock.advance(11 * US_PER_SEC);
    await waitFor('the rotation', () => store.getStorageStats().db_rotations === 1);
    await waitFor('the WAL to be gone', () => walGoneOrEmpty(day0File), 5_000);
    await waitFor("today's file to be created ahead of its first tick", () => fs.existsSync(day1File), 5_000);
    const [check] = sqliteAll<{ integrity_check: string }>(day0File, 'PRAGMA integrity_check');
    assert.equal(check.integrity_check, 'ok');
    assert.equal(sqliteAll<{ n: number }>(day0File, 'SELECT count(*) AS n FROM ticks')[0].n, 1_000);
    // More checks on the same day rotate nothing.
    clock.advance(5 * US_PER_SEC);
    await store.flush();
    assert.equal(store.getStorageStats().db_rotations, 1);
  } finally {
    await store.stop();
  }
});
