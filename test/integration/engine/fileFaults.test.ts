// File faults: a damaged journal segment, the day file deleted while recording (a user cleaning
// up, a sync tool), and a day file damaged on disk before the next start. Each is detected, said
// in health, and costs no more ticks than the damage itself took; every tick is accounted for.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openTickStore } from '../../../electron/engine/tickStore.ts';
import { allocateColumnBatch } from '../../../electron/engine/storage/columnBatch.ts';
import { dayFilePath } from '../../../electron/engine/storage/dayPath.ts';
import { SINK_SQLITE, encodeSpillRecord } from '../../../electron/engine/storage/spillJournal.ts';
import { US_PER_HOUR, utcDayIndex } from '../../../shared/time.ts';
import { assertAccounted } from '../../helpers/accounting.ts';
import { sqliteAll, sqliteCount } from '../../helpers/sqliteFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { startTickPump } from '../../helpers/tickPump.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NOW = Date.UTC(2026, 10, 3, 12) * 1000;

test('a damaged journal segment: every intact record is replayed, the segment is kept aside', async () => {
  const dir = makeTempDir('spill-damaged');
  const spillDir = path.join(dir, 'spill');
  fs.mkdirSync(spillDir, { recursive: true });
  // An earlier run left ten records of 350 ticks; the second one is damaged on disk.
  const records = Array.from({ length: 10 }, (_, k) => {
    const b = allocateColumnBatch(350);
    for (let i = 0; i < 350; i++) {
      b.tsUs[i] = NOW - US_PER_HOUR + (k * 350 + i) * 1_000;
      b.recvUs[i] = b.tsUs[i];
      b.bid[i] = 1.1 + i / 1e5;
      b.ask[i] = b.bid[i] + 0.0002;
      b.bidSize[i] = Number.NaN;
      b.askSize[i] = Number.NaN;
      b.sym[i] = 0;
      b.src[i] = 0;
    }
    b.n = 350;
    return encodeSpillRecord(
      b,
      () => 'EURUSD',
      () => 'LP-A',
      SINK_SQLITE,
    );
  });
  const whole = Buffer.concat(records);
  whole[records[0].length + 200] ^= 0x5a;
  const seg = path.join(spillDir, 'overflow-20261103T110000000Z-earlierrun-1.tsj');
  fs.writeFileSync(seg, whole);

  const { store } = await openTestStore('spill-damaged', NOW, { dataDir: dir });
  try {
    assert.equal(
      store.getStorageStats().spill_inherited_ticks,
      9 * 350,
      'counted at start from the intact records',
    );
    await waitFor('the segment to be replayed', () => store.getStorageStats().ticks_recovered > 0, 10_000);
    const s = store.getStorageStats();
    assert.equal(s.ticks_recovered, 9 * 350, 'the nine intact records are written');
    assert.equal(s.spill_inherited_ticks, 0);
    assert.equal(s.spill_quarantined_segments, 1);
    assert.equal(fs.existsSync(seg), false);
    assert.ok(fs.existsSync(`${seg}.quarantined`), 'the damaged segment is kept, not deleted');
    const h = store.getHealth();
    assert.ok(
      h.reasons.some((r) => r.includes(seg) && /unreadable bytes/.test(r)),
      h.reasons.join('; '),
    );
    const page = await store.range({ symbol: 'EURUSD', fromUs: NOW - 2 * US_PER_HOUR, toUs: NOW });
    assert.equal(page.tsUs.length, 9 * 350);
    await store.flush();
    assertAccounted(store.getStorageStats(), 'after replay');
  } finally {
    await store.stop();
  }
});

for (const { name, rewriteBufferTicks } of [
  { name: 'every tick of this run is re-written from memory', rewriteBufferTicks: 500_000 },
  { name: 'what memory no longer holds is counted lost', rewriteBufferTicks: 5_000 },
]) {
  test(`the day file deleted while recording is recreated at once: ${name}`, async () => {
    const dir = makeTempDir('deleted');
    const store = await openTickStore({ dataDir: dir, rewriteBufferTicks, fileCheckMs: 500 });
    try {
      const startUs = Date.now() * 1000 - 2 * US_PER_HOUR;
      const file = dayFilePath(path.join(dir, 'sqlite'), utcDayIndex(startUs));
      const pump = startTickPump(() => store, { ratePerSec: 20_000, symbols: 12, startUs, stepUs: 50 });
      await sleep(1_000);
      await store.flush();
      const before = store.getStorageStats().ticks_written;
      assert.ok(before > 5_000);
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
      await sleep(1_500);
      await pump.stop();
      await store.flush();
      const s = store.getStorageStats();
      assertAccounted(s, 'after the deletion');
      const h = store.getHealth();
      assert.equal(h.status, 'critical');
      assert.ok(
        h.reasons.some((r) => r.includes(file) && /was deleted while recording/.test(r)),
        h.reasons.join('; '),
      );
      assert.ok(fs.existsSync(file), 'a new day file takes its place');
      const onDisk = sqliteCount(file);
      assert.equal(onDisk, s.ticks_stored - s.ticks_lost, 'the new file holds every tick not counted lost');
      if (rewriteBufferTicks >= before) assert.equal(s.ticks_lost, 0);
      else {
        assert.ok(s.ticks_lost > 0, 'ticks only the deleted file held are counted');
        assert.equal(s.lost_by_reason.day_file_deleted, s.ticks_lost);
      }
      const r = await store.stop();
      assert.equal(r.clean, s.ticks_lost === 0);
    } finally {
      await store.stop();
    }
  });
}

test('a day file damaged on disk is found at the next start, moved aside and salvaged', async () => {
  const dir = makeTempDir('corrupt');
  const day = utcDayIndex(NOW);
  const file = dayFilePath(path.join(dir, 'sqlite'), day);
  const first = await openTestStore('corrupt-a', NOW, { dataDir: dir });
  const N = 60_000;
  for (let i = 0; i < N; i++) {
    const sym = ['EURUSD', 'GBPUSD', 'USDJPY'][i % 3];
    first.store.ingest({
      symbol: sym,
      bid: 1.1 + (i % 100) / 1e5,
      ask: 1.1003 + (i % 100) / 1e5,
      tsUs: NOW - 6 * US_PER_HOUR + i * 300_000,
    });
  }
  await first.store.stop();
  // Overwrite four leaf pages of the tick table in the middle of the file, as a failing disk or a
  // stray write would. (Which pages those are depends on how the writes were batched: ask SQLite.)
  const probe = new Database(file, { readonly: true });
  const pageSize = probe.pragma('page_size', { simple: true }) as number;
  const leaves = probe
    .prepare("SELECT pageno FROM dbstat WHERE name = 'q' AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all() as number[];
  probe.close();
  const victims = leaves.slice(Math.floor(leaves.length / 2), Math.floor(leaves.length / 2) + 4);
  const fd = fs.openSync(file, 'r+');
  for (const page of victims)
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
  fs.closeSync(fd);

  const second = await openTestStore('corrupt-b', NOW, { dataDir: dir });
  try {
    // The writer checks today's file right after it started (the check of a big file takes seconds).
    await waitFor(
      'the damaged file to be reported',
      () => second.store.getHealth().status === 'critical',
      10_000,
    );
    const h = second.store.getHealth();
    const reason = h.reasons.find((r) => r.includes(file) && /was damaged/.test(r));
    assert.ok(reason, h.reasons.join('; '));
    console.log(`# ${reason}`);
    const aside = fs
      .readdirSync(path.dirname(file))
      .filter((f) => f.startsWith(`${path.basename(file)}.corrupt-`) && !/-(wal|shm)$/.test(f));
    assert.equal(aside.length, 1, 'the damaged file is kept beside the new one');
    assert.equal(sqliteAll<{ quick_check: string }>(file, 'PRAGMA quick_check')[0].quick_check, 'ok');
    const salvaged = sqliteCount(file);
    // Four pages hold a few hundred ticks: those, and only those, are gone.
    assert.ok(
      salvaged >= N - 1_000 && salvaged < N,
      `all but the damaged pages' ticks salvaged (${salvaged} of ${N})`,
    );
    assert.match(reason!, new RegExp(`${salvaged} of ${N} ticks were salvaged`));
    // Recording goes on into the new file, and it answers queries.
    second.store.ingest({ symbol: 'EURUSD', bid: 1.2, ask: 1.2002, tsUs: NOW - 1 });
    await second.store.flush();
    assert.equal(sqliteCount(file), salvaged + 1);
    const page = await second.store.range({ symbol: 'EURUSD', fromUs: NOW - 7 * US_PER_HOUR, toUs: NOW });
    assert.ok(page.tsUs.length > 0 && page.tsUs.at(-1) === NOW - 1);
    assertAccounted(second.store.getStorageStats(), 'after the salvage');
  } finally {
    await second.store.stop();
  }
});
