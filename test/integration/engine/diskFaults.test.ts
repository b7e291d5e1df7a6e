// Disk faults on real file systems: a tmpfs that fills up while recording and frees again, one
// that is full when the store stops, and a data folder that is read-only at start or turns
// read-only at the midnight rotation. Nothing accepted is lost while the queue has room; beyond
// it ticks are counted as lost with their reason; every tick is accounted for after each flush.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FolderError } from '../../../electron/engine/errors.ts';
import { openTickStore } from '../../../electron/engine/tickStore.ts';
import { US_PER_SEC } from '../../../shared/time.ts';
import { assertAccounted } from '../../helpers/accounting.ts';
import { sqliteCountAll } from '../../helpers/sqliteFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { mountTmpfs } from '../../helpers/tmpfs.ts';
import { startTickPump } from '../../helpers/tickPump.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowUs = () => Date.now() * 1000;

test('a disk that fills up while recording and frees again loses no tick', async (t) => {
  const fsys = mountTmpfs(t, makeTempDir('diskfull-data'), '24m');
  if (!fsys) return;
  const store = await openTickStore({ dataDir: fsys.dir, retryBaseMs: 10 });
  try {
    const pump = startTickPump(() => store, {
      ratePerSec: 40_000,
      symbols: 40,
      startUs: nowUs() - 3_600 * US_PER_SEC,
    });
    await sleep(1_000);
    const filler = fsys.fill();
    await sleep(3_000);
    let s = store.getStorageStats();
    assert.ok(s.write_errors > 0, 'the full disk shows as write errors');
    assert.match(s.last_write_error ?? '', /SQLITE_FULL|ENOSPC|full/i);
    assert.ok(s.queue_size > 0, `accepted ticks wait in memory (${s.queue_size})`);
    assert.notEqual(store.getHealth().status, 'ok');
    await store.flush();
    assertAccounted(store.getStorageStats(), 'while the disk is full');
    fs.rmSync(filler);
    await sleep(1_000);
    await pump.stop();
    await waitFor(
      'everything held in memory and the journal to be written',
      () => {
        const x = store.getStorageStats();
        return x.queue_size === 0 && x.spill_pending_ticks === 0;
      },
      60_000,
    );
    await store.flush();
    s = store.getStorageStats();
    assertAccounted(s, 'after the disk freed');
    assert.equal(s.ticks_lost, 0, JSON.stringify(s.lost_by_reason));
    assert.equal(s.ticks_stored, pump.offered);
    assert.equal(s.ticks_written + s.ticks_duplicate, pump.offered);
    const r = await store.stop();
    assert.equal(r.clean, true, r.problems.join('; '));
    assert.equal(
      sqliteCountAll(path.join(fsys.dir, 'sqlite')),
      pump.offered,
      'every tick is in the day files',
    );
  } finally {
    await store.stop();
    fsys.unmount();
  }
});

test('beyond the queue capacity a full disk drops ticks, counted by reason and critical', async (t) => {
  const fsys = mountTmpfs(t, makeTempDir('diskfull-cap'), '16m');
  if (!fsys) return;
  const store = await openTickStore({ dataDir: fsys.dir, retryBaseMs: 10, queueCapacity: 20_000 });
  try {
    const pump = startTickPump(() => store, {
      ratePerSec: 40_000,
      symbols: 20,
      startUs: nowUs() - 3_600 * US_PER_SEC,
    });
    await sleep(500);
    const filler = fsys.fill();
    await sleep(2_500);
    await pump.stop();
    await store.flush();
    let s = store.getStorageStats();
    assertAccounted(s, 'at capacity on a full disk');
    assert.ok(s.ticks_lost > 0, 'ticks beyond the capacity were dropped');
    assert.ok(s.queue_size <= 20_000, `the queue stayed bounded (${s.queue_size})`);
    assert.ok(
      Object.keys(s.lost_by_reason).every((r) => r.startsWith('queue_full_journal_failed')),
      JSON.stringify(s.lost_by_reason),
    );
    const h = store.getHealth();
    assert.equal(h.status, 'critical');
    assert.ok(
      h.reasons.some((r) => /accepted ticks were lost/.test(r)),
      h.reasons.join('; '),
    );
    fs.rmSync(filler);
    await waitFor('the held ticks to be written', () => store.getStorageStats().queue_size === 0, 60_000);
    await store.flush();
    s = store.getStorageStats();
    assertAccounted(s, 'after the disk freed');
    assert.equal(s.ticks_written + s.ticks_duplicate + s.spill_pending_ticks, s.ticks_stored - s.ticks_lost);
  } finally {
    await store.stop();
    fsys.unmount();
  }
});

test('stop on a full disk settles within its deadline and says what it could not make durable', async (t) => {
  const fsys = mountTmpfs(t, makeTempDir('diskfull-stop'), '8m');
  if (!fsys) return;
  const store = await openTickStore({ dataDir: fsys.dir, retryBaseMs: 10 });
  try {
    const pump = startTickPump(() => store, {
      ratePerSec: 20_000,
      symbols: 10,
      startUs: nowUs() - 3_600 * US_PER_SEC,
    });
    await sleep(500);
    fsys.fill();
    await sleep(1_000);
    await pump.stop();
    const t0 = Date.now();
    const r = await store.stop({ deadlineMs: 5_000 });
    const took = Date.now() - t0;
    assert.ok(took < 8_000, `stop settled in ${took} ms`);
    assert.equal(r.clean, false);
    const s = store.getStorageStats();
    assertAccounted(s, 'after stop');
    assert.ok(r.lost + r.pendingInJournal > 0, 'the ticks the full disk refused are reported');
    assert.equal(r.lost, s.ticks_lost);
    assert.ok(
      r.problems.some((p) => /lost|journal/.test(p)),
      r.problems.join('; '),
    );
  } finally {
    fsys.unmount();
  }
});

test('a read-only data folder is refused at start, naming the folder and the reason', async (t) => {
  const fsys = mountTmpfs(t, makeTempDir('readonly'), '1m', true);
  if (!fsys) return;
  try {
    const t0 = Date.now();
    await assert.rejects(
      openTickStore({ dataDir: fsys.dir }),
      (e: unknown) =>
        e instanceof FolderError && e.message.includes(fsys.dir) && /read-only|EROFS/.test(e.message),
    );
    assert.ok(Date.now() - t0 < 2_000, 'answered within 2 s');
  } finally {
    fsys.unmount();
  }
});

test('a data folder that turns read-only at the midnight rotation is handled like a full disk', async (t) => {
  const fsys = mountTmpfs(t, makeTempDir('readonly-later'), '16m');
  if (!fsys) return;
  const MIDNIGHT = Date.UTC(2026, 2, 11) * 1000;
  const { store, clock } = await openTestStore('ro-rotation', MIDNIGHT - 30 * US_PER_SEC, {
    dataDir: fsys.dir,
    rotationCheckMs: 1_000,
    retryBaseMs: 10,
    queueCapacity: 5_000,
  });
  try {
    let ts = MIDNIGHT - 20 * US_PER_SEC;
    for (let i = 0; i < 2_000; i++) store.ingest({ symbol: 'EURUSD', bid: 1.1, ask: 1.1002, tsUs: ts++ });
    await store.flush();
    assert.equal(store.getStorageStats().ticks_written, 2_000);
    fsys.coverReadOnly();
    clock.set(MIDNIGHT + US_PER_SEC);
    ts = MIDNIGHT + 1;
    for (let i = 0; i < 12_000; i++) store.ingest({ symbol: 'EURUSD', bid: 1.1, ask: 1.1002, tsUs: ts++ });
    await store.flush();
    const s = store.getStorageStats();
    assertAccounted(s, 'on a read-only folder');
    assert.equal(s.ticks_written, 2_000, 'nothing more could be written');
    assert.ok(
      s.queue_size > 0 && s.queue_size <= 5_000,
      `held in memory up to the capacity (${s.queue_size})`,
    );
    assert.equal(s.ticks_lost, 12_000 - s.queue_size, 'the rest is counted lost');
    assert.match(s.last_write_error ?? '', /read-only|EROFS|SQLITE_CANTOPEN|SQLITE_READONLY/i);
    assert.equal(store.getHealth().status, 'critical');
    const r = await store.stop({ deadlineMs: 3_000 });
    assert.equal(r.clean, false);
    assert.equal(r.lost, store.getStorageStats().ticks_lost);
    assert.ok(r.lost >= 12_000 - 5_000);
  } finally {
    await store.stop();
    fsys.unmount();
  }
});
