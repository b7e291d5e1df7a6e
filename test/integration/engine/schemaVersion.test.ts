// Day files are versioned with PRAGMA user_version; a file written by a newer Tickscope is refused
// with an error that names the file, by the reader and by the writer alike.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { QueryError } from '../../../electron/engine/errors.ts';
import { dayFilePath } from '../../../electron/engine/storage/dayPath.ts';
import { SCHEMA_VERSION } from '../../../electron/engine/storage/daySchema.ts';
import { US_PER_DAY, US_PER_HOUR, utcDayIndex } from '../../../shared/time.ts';
import { sqliteAll } from '../../helpers/sqliteFiles.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const NOW = Date.UTC(2026, 9, 5, 12) * 1000;
const TODAY = utcDayIndex(NOW);

test('new day files carry the current schema version', async () => {
  const { store } = await openTestStore('schema', NOW);
  try {
    store.ingest({ symbol: 'EURUSD', bid: 1.1, ask: 1.2, tsUs: NOW - 1 });
    await store.flush();
  } finally {
    await store.stop();
  }
  const file = dayFilePath(store.config.sqliteDir, TODAY);
  assert.deepEqual(sqliteAll(file, 'PRAGMA user_version'), [{ user_version: SCHEMA_VERSION }]);
  assert.deepEqual(sqliteAll(file, 'PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
});

test('a day file from a newer schema is refused by queries and writes, naming the file', async () => {
  const { store, dir } = await openTestStore('schema-future', NOW, { maxRetries: 1, retryBaseMs: 1 });
  const future = dayFilePath(path.join(dir, 'sqlite'), TODAY - 1);
  fs.mkdirSync(path.dirname(future), { recursive: true });
  const db = new Database(future);
  db.exec('CREATE TABLE symbols (id INTEGER PRIMARY KEY, name TEXT, scale INTEGER, count INTEGER)');
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  try {
    // Today's file is fine and keeps working.
    store.ingest({ symbol: 'EURUSD', bid: 1.1, ask: 1.2, tsUs: NOW - 1 });
    await store.flush();
    assert.deepEqual((await store.range({ symbol: 'EURUSD', fromUs: NOW - US_PER_HOUR, toUs: NOW })).tsUs, [
      NOW - 1,
    ]);

    await assert.rejects(
      store.range({ symbol: 'EURUSD', fromUs: NOW - US_PER_DAY, toUs: NOW }),
      (e: unknown) =>
        e instanceof QueryError &&
        e.message.includes(future) &&
        /schema version \d+ is newer/.test(e.message),
    );
    await assert.rejects(store.listDays(), (e: unknown) => e instanceof Error && e.message.includes(future));

    // A late tick for that day cannot be written there: the write error names the file, the tick
    // is kept in the spill journal, and the file is left untouched.
    assert.equal(store.ingest({ symbol: 'EURUSD', bid: 1.1, ask: 1.2, tsUs: NOW - US_PER_DAY }), 'accepted');
    await store.flush();
    await waitFor('the write error', () => store.getStorageStats().write_errors >= 2);
    const s = store.getStorageStats();
    assert.ok(s.last_write_error?.includes(future), s.last_write_error ?? 'no error');
    assert.match(s.last_write_error ?? '', /newer than this Tickscope/);
    assert.equal(s.ticks_spilled, 1, 'kept in the spill journal, not lost');
    assert.deepEqual(sqliteAll(future, 'PRAGMA user_version'), [{ user_version: SCHEMA_VERSION + 1 }]);
  } finally {
    await store.stop();
  }
});
