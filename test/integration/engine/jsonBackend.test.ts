// The legacy JSON backend through the engine: exact legacy objects, valid JSON after every flush,
// each tick in its own day's file, appends continuing across restarts, and dual writing both.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { jsonDayPath } from '../../../electron/engine/storage/dayPath.ts';
import { listDayFiles } from '../../../electron/engine/storage/dayFileCatalog.ts';
import { formatIsoUs, utcDayIndex } from '../../../shared/time.ts';
import { loadDukascopyTicks } from '../../helpers/dukascopy.ts';
import { readJsonBackend } from '../../helpers/jsonFiles.ts';
import { sqliteAll } from '../../helpers/sqliteFiles.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const NOW = Date.UTC(2026, 6, 14, 0, 30) * 1000;
const ticks = loadDukascopyTicks('eurusd-2026-07-13T12.json', 'EURUSD');
const DAY = utcDayIndex(ticks[0].tsUs);

test('json backend writes the legacy objects exactly, valid JSON after every flush', async () => {
  const { store } = await openTestStore('json', NOW, { backend: 'json' });
  const file = jsonDayPath(store.config.jsonDir, 'EURUSD', DAY);
  try {
    for (let i = 0; i < ticks.length; i += 1_000) {
      for (const t of ticks.slice(i, i + 1_000)) assert.equal(store.ingest(t), 'accepted');
      await store.flush();
      const n = Math.min(i + 1_000, ticks.length);
      assert.equal((JSON.parse(fs.readFileSync(file, 'utf8')) as unknown[]).length, n);
    }
    const s = store.getStorageStats();
    assert.equal(s.backend, 'json');
    assert.equal(s.json_ticks_written, ticks.length);
    assert.equal(s.ticks_written, 0);
  } finally {
    await store.stop();
  }
  assert.deepEqual(listDayFiles(store.config.sqliteDir), [], 'no SQLite day files in json mode');
  const items = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>[];
  assert.equal(items.length, ticks.length);
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i];
    assert.deepEqual(items[i], {
      symbol: 'EURUSD',
      bid: t.bid,
      ask: t.ask,
      spread: Number((t.ask - t.bid).toFixed(5)),
      timestamp: formatIsoUs(t.tsUs),
      lp: 'dukascopy',
    });
    assert.deepEqual(Object.keys(items[i]), ['symbol', 'bid', 'ask', 'spread', 'timestamp', 'lp']);
  }
});

test('json files: late ticks go to their own day, and a restart appends to what is there', async () => {
  const first = await openTestStore('json-days', NOW, { backend: 'json' });
  const lateTs = Date.UTC(2026, 6, 12, 23, 59, 59) * 1000;
  try {
    for (const t of ticks.slice(0, 100)) first.store.ingest(t);
    first.store.ingest({ symbol: 'EURUSD', bid: 1.1, ask: 1.2, tsUs: lateTs, source: 'late' });
    first.store.ingest({ symbol: 'BTC/USD', bid: 67250.5, ask: 67251, tsUs: NOW - 1 });
    await first.store.flush();
  } finally {
    await first.store.stop();
  }
  const jsonDir = first.store.config.jsonDir;
  const late = JSON.parse(fs.readFileSync(jsonDayPath(jsonDir, 'EURUSD', utcDayIndex(lateTs)), 'utf8')) as {
    lp: string;
  }[];
  assert.deepEqual(
    late.map((x) => x.lp),
    ['late'],
  );
  assert.ok(fs.existsSync(jsonDayPath(jsonDir, 'BTC/USD', utcDayIndex(NOW))));

  const second = await openTestStore('json-days', NOW, { backend: 'json', dataDir: first.dir });
  try {
    for (const t of ticks.slice(100, 250)) second.store.ingest(t);
    await second.store.flush();
  } finally {
    await second.store.stop();
  }
  const day = JSON.parse(fs.readFileSync(jsonDayPath(jsonDir, 'EURUSD', DAY), 'utf8')) as {
    timestamp: string;
  }[];
  assert.deepEqual(
    day.map((x) => x.timestamp),
    ticks.slice(0, 250).map((t) => formatIsoUs(t.tsUs)),
  );
  assert.equal(readJsonBackend(jsonDir).length, 252);
});

test('dual writes every tick to both backends', async () => {
  const { store } = await openTestStore('dual', NOW, { preset: 'migration' });
  try {
    assert.equal(store.config.backend, 'dual');
    for (const t of ticks) store.ingest(t);
    await store.flush();
    const s = store.getStorageStats();
    assert.equal(s.ticks_written, ticks.length);
    assert.equal(s.json_ticks_written, ticks.length);
  } finally {
    await store.stop();
  }
  const [file] = listDayFiles(store.config.sqliteDir);
  const sqlite = sqliteAll<{ ts_us: number; bid: number; ask: number }>(
    file.path,
    'SELECT ts_us, bid, ask FROM ticks ORDER BY ts_us',
  );
  const json = readJsonBackend(store.config.jsonDir);
  assert.deepEqual(
    json.map((j) => [j.timestamp, j.bid, j.ask]),
    sqlite.map((r) => [formatIsoUs(r.ts_us), r.bid, r.ask]),
  );
});
