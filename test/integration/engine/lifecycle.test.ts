// Lifecycle: flush means durable, stop drains and is idempotent, a stopped store refuses politely,
// whenWritable gives bulk producers backpressure instead of spilling, and the throttle counts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { StoreClosedError } from '../../../electron/engine/errors.ts';
import { listDayFiles } from '../../../electron/engine/storage/dayFileCatalog.ts';
import { DemoQuoteGenerator } from '../../../electron/feeds/demoQuotes.ts';
import { sqliteCountAll } from '../../helpers/sqliteFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const NOW = Date.UTC(2026, 10, 2, 10) * 1000;

test('flush resolves only when every accepted tick is in the day files', async () => {
  // A long batch interval: without flush sealing the open batch, the count would lag.
  const { store } = await openTestStore('flush', NOW, { batchIntervalMs: 60_000, batchSize: 700 });
  const gen = new DemoQuoteGenerator(10, 1);
  try {
    let n = 0;
    for (const chunk of [1, 699, 700, 5_000, 3]) {
      for (let i = 0; i < chunk; i++) store.ingest(gen.next(NOW - 10_000_000 + n++));
      await store.flush();
      const s = store.getStorageStats();
      assert.equal(s.ticks_stored, n);
      assert.equal(s.ticks_written, n, `written after flush (${n})`);
      assert.equal(sqliteCountAll(store.config.sqliteDir), n, `in the files after flush (${n})`);
    }
    await store.flush(); // nothing pending: resolves at once
  } finally {
    await store.stop();
  }
});

test('stop drains unflushed ticks, closes files cleanly, and a second stop is harmless', async () => {
  const { store } = await openTestStore('stop', NOW, { batchIntervalMs: 60_000 });
  const gen = new DemoQuoteGenerator(10, 2);
  for (let i = 0; i < 2_345; i++) assert.equal(store.ingest(gen.next(NOW - 5_000_000 + i)), 'accepted');
  const a = store.stop();
  const b = store.stop();
  await Promise.all([a, b]);
  await store.stop();
  // (Checked before our own read-only connections, which may leave an empty WAL behind.)
  for (const f of listDayFiles(store.config.sqliteDir)) assert.equal(fs.existsSync(`${f.path}-wal`), false);
  assert.equal(sqliteCountAll(store.config.sqliteDir), 2_345);

  // Stopped: ingest refuses without throwing; everything else says the store is stopped.
  let outcome: string | undefined;
  assert.doesNotThrow(() => {
    outcome = store.ingest(gen.next(NOW));
  });
  assert.equal(outcome, 'rejected');
  await assert.rejects(store.flush(), StoreClosedError);
  await assert.rejects(store.whenWritable(), StoreClosedError);
  await assert.rejects(store.range({ symbol: 'EURUSD', fromUs: 0, toUs: NOW }), StoreClosedError);
  assert.equal(store.getStorageStats().ticks_written, 2_345, 'stats still readable');
});

test('whenWritable: resolves at once when idle; a producer that waits on it never spills', async () => {
  const { store } = await openTestStore('backpressure', NOW, { queueCapacity: 2_000, batchSize: 250 });
  const gen = new DemoQuoteGenerator(20, 3);
  try {
    let resolved = false;
    await store.whenWritable().then(() => (resolved = true));
    assert.ok(resolved);
    let waited = 0;
    const N = 60_000;
    for (let i = 0; i < N; i += 250) {
      if (store.getStorageStats().queue_size > 1_000) waited++;
      await store.whenWritable();
      assert.ok(store.getStorageStats().queue_size <= 1_000 + 250, 'resolved only at half capacity or below');
      for (let j = 0; j < 250; j++)
        assert.equal(store.ingest(gen.next(NOW - 60_000_000 + i + j)), 'accepted');
    }
    await store.flush();
    const s = store.getStorageStats();
    assert.ok(waited > 0, 'the producer did have to wait');
    assert.equal(s.ticks_spilled, 0);
    assert.equal(s.ticks_written, N);
    assert.ok(s.queue_peak <= 2_000, `queue peak ${s.queue_peak}`);
  } finally {
    await store.stop();
  }
});

test('the throttle drops repeats and too-frequent quotes, counted; settings change it live', async () => {
  const { store } = await openTestStore('throttle', NOW, { throttleRepeats: true });
  try {
    const q = { symbol: 'EURUSD', bid: 1.1, ask: 1.2, source: 'LP-A' };
    assert.equal(store.ingest({ ...q, tsUs: NOW - 10 }), 'accepted');
    assert.equal(store.ingest({ ...q, tsUs: NOW - 9 }), 'throttled');
    assert.equal(store.ingest({ ...q, source: 'LP-B', tsUs: NOW - 9 }), 'accepted');
    assert.equal(store.ingest({ ...q, bid: 1.11, tsUs: NOW - 8 }), 'accepted');
    store.updateSettings({ throttleRepeats: false, throttleMinIntervalMs: 100 });
    assert.deepEqual(
      [store.getSettings().throttleRepeats, store.getSettings().throttleMinIntervalMs],
      [false, 100],
    );
    assert.equal(store.ingest({ ...q, bid: 1.12, tsUs: NOW - 7 }), 'throttled', 'within 100 ms of the last');
    assert.equal(store.ingest({ ...q, bid: 1.12, tsUs: NOW + 100_000 }), 'accepted');
    const s = store.getStorageStats();
    assert.equal(s.ticks_throttled, 2);
    assert.equal(s.ticks_stored, 4);
    assert.equal(s.ticks_received, 6);
    await store.flush();
    assert.equal(sqliteCountAll(store.config.sqliteDir), 4);
    assert.throws(() => store.updateSettings({ batchSize: 0 }), /batchSize/);
  } finally {
    await store.stop();
  }
});

test('stats: received = stored + throttled + rejected; batch and disk figures are reported', async () => {
  const { store } = await openTestStore('stats', NOW);
  const gen = new DemoQuoteGenerator(8, 4);
  try {
    for (let i = 0; i < 3_000; i++) store.ingest(gen.next(NOW - 3_000_000 + i));
    store.ingest({ symbol: '', bid: 1, ask: 1, tsUs: NOW });
    await store.flush();
    const s = store.getStorageStats();
    assert.equal(s.ticks_received, s.ticks_stored + s.ticks_throttled + s.ticks_rejected);
    assert.equal(s.ticks_written, 3_000);
    assert.equal(s.queue_size, 0);
    assert.ok(s.batches_written >= 1);
    assert.ok(s.max_batch_ticks >= 500, `batches of at least batchSize (${s.max_batch_ticks})`);
    assert.ok(s.batch_latency_p99_ms >= s.batch_latency_p50_ms);
    assert.equal(s.data_dir, store.config.dataDir);
    assert.equal(
      store.getHealth().status,
      s.disk_free_bytes !== null && s.disk_free_bytes < 2 * 1024 ** 3 ? 'warn' : 'ok',
    );
  } finally {
    await store.stop();
  }
});

test('stats are right from the first second: rates over the time elapsed, disk bytes at start and at stop', async () => {
  // A folder that already holds a day file: its size must show at once, not after five seconds.
  const first = await openTestStore('first-second', NOW);
  for (let i = 0; i < 5_000; i++)
    first.store.ingest({ symbol: 'EURUSD', bid: 1.1, ask: 1.1002, tsUs: NOW - 10_000_000 + i });
  await first.store.stop();
  const sizeOf = (dir: string) => listDayFiles(dir).reduce((n, f) => n + fs.statSync(f.path).size, 0);
  const before = sizeOf(first.store.config.sqliteDir);
  const t0 = Date.now();
  const { store } = await openTestStore('first-second', NOW, { dataDir: first.dir });
  const gen = new DemoQuoteGenerator(8, 5);
  try {
    await waitFor('the first disk figure', () => store.getStorageStats().disk_bytes >= before, 1_000);
    for (let i = 0; i < 20_000; i++) store.ingest(gen.next(NOW - 60_000_000 + i));
    await store.flush();
    await new Promise((r) => setTimeout(r, 700));
    const s = store.getStorageStats();
    const elapsed = (Date.now() - t0) / 1000;
    // 20,000 ticks in under two seconds: a rate averaged over five seconds would read 4,000/s.
    assert.ok(
      s.ingest_ticks_per_s >= 20_000 / (elapsed + 1.5),
      `ingest ${s.ingest_ticks_per_s}/s after ${elapsed} s`,
    );
    assert.ok(s.write_ticks_per_s >= 20_000 / (elapsed + 1.5), `write ${s.write_ticks_per_s}/s`);
  } finally {
    await store.stop();
  }
  assert.equal(sqliteCountAll(store.config.sqliteDir), 25_000);
  assert.equal(
    store.getStorageStats().disk_bytes,
    sizeOf(store.config.sqliteDir),
    'measured again after the files were closed',
  );
});

test('a process whose store has stopped exits at once (no deadline timer keeps it alive)', async () => {
  const dir = makeTempDir('exit-promptly');
  const t0 = Date.now();
  const child = spawn(process.execPath, ['test/fixtures/engine/openAndStop.ts', dir], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const total = Date.now() - t0;
  assert.equal(code, 0);
  const { stopMs, clean } = JSON.parse(out) as { stopMs: number; clean: boolean };
  assert.equal(clean, true);
  // Node's own start and exit take a few hundred ms; a forgotten 2 s deadline shows as 2 s more.
  assert.ok(total - stopMs < 1_500, `exited ${total - stopMs} ms after the stop`);
});
