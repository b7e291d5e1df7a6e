// The gap ledger: feed events recorded through the store are visible at once, written by the
// writer into the day file of their own time (table feed_events, in every backend), read back
// across days, bounded in memory, checked, kept in memory while the disk refuses them, and
// accounted for at stop.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { QueryError } from '../../../electron/engine/errors.ts';
import { listDayFiles } from '../../../electron/engine/storage/dayFileCatalog.ts';
import { dayFilePath } from '../../../electron/engine/storage/dayPath.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import { feedEvent } from '../../../shared/feeds/feedEvents.ts';
import { US_PER_HOUR, US_PER_MIN, US_PER_SEC, utcDayIndex } from '../../../shared/time.ts';
import { sqliteAll } from '../../helpers/sqliteFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { mountTmpfs } from '../../helpers/tmpfs.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const MIDNIGHT = Date.UTC(2026, 8, 1) * 1000;
const NOW = MIDNIGHT + 2 * US_PER_HOUR;
const DAY0 = utcDayIndex(MIDNIGHT - 1);
const DAY1 = utcDayIndex(MIDNIGHT);

/** A disconnect before midnight, the reconnect after it, and per-symbol events of the new day. */
function twoDayEvents(): FeedEvent[] {
  const base = { feed: 'binance', source: 'binance' };
  return [
    feedEvent({
      ...base,
      tsUs: MIDNIGHT - 2 * US_PER_SEC,
      kind: 'disconnect',
      code: 1006,
      reason: 'socket closed',
    }),
    feedEvent({
      ...base,
      tsUs: MIDNIGHT + 3 * US_PER_SEC,
      kind: 'connect',
      reason: 'connected',
      sinceUs: MIDNIGHT - 2 * US_PER_SEC,
    }),
    feedEvent({
      ...base,
      tsUs: MIDNIGHT + 5 * US_PER_MIN,
      kind: 'sequence_gap',
      symbol: 'BTCUSDT',
      reason: 'update ids skipped',
      fromSeq: 9_000_000_001,
      toSeq: 9_000_000_007,
    }),
    feedEvent({
      ...base,
      tsUs: MIDNIGHT + 6 * US_PER_MIN,
      kind: 'stale_start',
      symbol: 'ETHUSDT',
      reason: 'no quote for 30 s',
    }),
    feedEvent({
      feed: 'lp-fix',
      source: 'LPFIX',
      tsUs: MIDNIGHT + 7 * US_PER_MIN,
      kind: 'rejected',
      code: 3,
      reason: 'MarketDataRequestReject: unknown symbol',
    }),
  ];
}

const FROM = MIDNIGHT - US_PER_HOUR;
const TO = NOW;

/** The rows of a day file's ledger, through a plain connection and the documented columns. */
function ledgerRows(sqliteDir: string, day: number): FeedEvent[] {
  return sqliteAll<Record<string, unknown>>(
    dayFilePath(sqliteDir, day),
    'SELECT ts_us, feed, source, kind, symbol, code, reason, from_seq, to_seq, since_us FROM feed_events ORDER BY ts_us, rowid',
  ).map((r) => ({
    tsUs: r.ts_us as number,
    feed: r.feed as string,
    source: r.source as string,
    kind: r.kind as FeedEvent['kind'],
    symbol: r.symbol as string | null,
    code: r.code as number | null,
    reason: r.reason as string,
    fromSeq: r.from_seq as number | null,
    toSeq: r.to_seq as number | null,
    sinceUs: r.since_us as number | null,
  }));
}

test('feed events are visible at once, written to the day file of their time and read back across days', async () => {
  const { store } = await openTestStore('ledger', NOW);
  const events = twoDayEvents();
  try {
    for (const e of events) store.recordFeedEvent(e);
    assert.equal(store.getStorageStats().feed_events_pending, events.length, 'held in memory');
    // Before any flush: a caller sees what it just recorded.
    assert.deepEqual(await store.feedEvents({ fromUs: FROM, toUs: TO }), events);
    await store.flush();
    const s = store.getStorageStats();
    assert.equal(s.feed_events_pending, 0);
    assert.equal(s.feed_events_written, events.length);
    assert.equal(s.feed_events_dropped + s.feed_events_rejected, 0);
    const sqliteDir = store.config.sqliteDir;
    assert.deepEqual(ledgerRows(sqliteDir, DAY0), events.slice(0, 1), 'the disconnect in the old day’s file');
    assert.deepEqual(ledgerRows(sqliteDir, DAY1), events.slice(1), 'the rest in the new day’s file');
    // From the files now, across both days, oldest first, exactly as recorded.
    assert.deepEqual(await store.feedEvents({ fromUs: FROM, toUs: TO }), events);

    // Filters and the limit.
    assert.deepEqual(await store.feedEvents({ fromUs: FROM, toUs: TO, feed: 'lp-fix' }), events.slice(4));
    assert.deepEqual(await store.feedEvents({ fromUs: FROM, toUs: TO, symbol: 'BTCUSDT' }), [events[2]]);
    assert.deepEqual(
      await store.feedEvents({ fromUs: FROM, toUs: TO, kinds: ['connect', 'disconnect'] }),
      events.slice(0, 2),
    );
    assert.deepEqual(await store.feedEvents({ fromUs: FROM, toUs: TO, limit: 2 }), events.slice(0, 2));
    assert.deepEqual(await store.feedEvents({ fromUs: MIDNIGHT, toUs: MIDNIGHT + 5 * US_PER_MIN }), [
      events[1],
    ]);
    assert.deepEqual(await store.feedEvents({ fromUs: FROM, toUs: TO, kinds: [] }), []);

    // Recorded again after a flush: one more of a kind, pending and written merge without doubles.
    const extra = feedEvent({ ...events[1], tsUs: events[1].tsUs + 1, reason: 'connected again' });
    store.recordFeedEvent(extra);
    store.recordFeedEvent(events[1]);
    const merged = await store.feedEvents({ fromUs: FROM, toUs: TO });
    assert.deepEqual(merged, [events[0], events[1], extra, ...events.slice(2)]);
    await store.flush();
    assert.equal(
      ledgerRows(sqliteDir, DAY1).length,
      4 + 1,
      'the new one is stored, the equal one is not stored again',
    );

    for (const bad of [
      { fromUs: TO, toUs: FROM },
      { fromUs: FROM, toUs: TO, kinds: ['nope'] },
      { fromUs: FROM, toUs: TO, limit: 0 },
      { fromUs: 1.5, toUs: TO },
    ])
      await assert.rejects(store.feedEvents(bad as never), QueryError, JSON.stringify(bad));
  } finally {
    await store.stop();
  }
});

test('bad feed events are counted and not stored; recordFeedEvent never throws', async () => {
  const { store } = await openTestStore('ledger-bad', NOW);
  const good = feedEvent({
    tsUs: NOW - 1,
    feed: 'binance',
    source: 'binance',
    kind: 'connect',
    reason: 'ok',
  });
  const bad: unknown[] = [
    null,
    42,
    'connect',
    { ...good, tsUs: 1.5 },
    { ...good, tsUs: NOW + 48 * US_PER_HOUR },
    { ...good, tsUs: 0 },
    { ...good, feed: '' },
    { ...good, feed: 'a feed' },
    { ...good, source: 'x'.repeat(40) },
    { ...good, kind: 'exploded' },
    { ...good, symbol: 'BTC USDT' },
    { ...good, code: 'E1' },
    { ...good, reason: undefined },
    { ...good, fromSeq: -1 },
    { ...good, toSeq: 2.5 },
    { ...good, sinceUs: 'then' },
  ];
  try {
    for (const e of bad) assert.doesNotThrow(() => store.recordFeedEvent(e as FeedEvent), JSON.stringify(e));
    // Optional fields left out are stored as null; a long reason is cut.
    const { symbol: _s, code: _c, fromSeq: _f, toSeq: _t, sinceUs: _u, ...bare } = good;
    store.recordFeedEvent({ ...bare, reason: 'r'.repeat(2_000) } as FeedEvent);
    await store.flush();
    const s = store.getStorageStats();
    assert.equal(s.feed_events_rejected, bad.length);
    assert.equal(s.feed_events_written, 1);
    const rows = ledgerRows(store.config.sqliteDir, utcDayIndex(NOW));
    assert.equal(rows.length, 1);
    assert.deepEqual({ ...rows[0], reason: rows[0].reason.length }, { ...good, reason: 500 });
    assert.ok(
      store.getHealth().reasons.some((r) => /feed event from feed binance was refused: kind/.test(r)),
      store.getHealth().reasons.join('; '),
    );
  } finally {
    await store.stop();
  }
});

test('beyond 10,000 waiting events, more are dropped and counted, and health says so', async () => {
  const { store } = await openTestStore('ledger-bound', NOW);
  try {
    const N = 10_050;
    // Recorded in one go: none has reached the writer before the bound is hit.
    for (let i = 0; i < N; i++)
      store.recordFeedEvent(
        feedEvent({
          tsUs: NOW - N + i,
          feed: 'binance',
          source: 'binance',
          kind: 'stale_start',
          symbol: 'BTCUSDT',
          reason: `#${i}`,
        }),
      );
    let s = store.getStorageStats();
    assert.equal(s.feed_events_pending, 10_000);
    assert.equal(s.feed_events_dropped, 50);
    const h = store.getHealth();
    assert.equal(h.status, 'warn');
    assert.ok(
      h.reasons.some((r) => /50 feed events .* dropped/.test(r)),
      h.reasons.join('; '),
    );
    await store.flush();
    s = store.getStorageStats();
    assert.equal(s.feed_events_written, 10_000);
    assert.equal(s.feed_events_pending, 0);
    const rows = ledgerRows(store.config.sqliteDir, utcDayIndex(NOW));
    assert.equal(rows.length, 10_000);
    assert.equal(rows.at(-1)?.reason, '#9999', 'the first 10,000 are kept, the later ones dropped');
    const r = await store.stop();
    assert.equal(r.clean, false, 'dropped entries make the stop unclean');
    assert.ok(
      r.problems.some((p) => /50 feed events .*dropped/.test(p)),
      r.problems.join('; '),
    );
  } finally {
    await store.stop();
  }
});

test('in json mode the ledger lives in the SQLite day file', async () => {
  const { store } = await openTestStore('ledger-json', NOW, { backend: 'json' });
  const e = feedEvent({ tsUs: NOW - 5, feed: 'demo', source: 'default', kind: 'connect', reason: 'started' });
  try {
    store.ingest({ symbol: 'EURUSD', bid: 1.1, ask: 1.1002, tsUs: NOW - 10 });
    store.recordFeedEvent(e);
    await store.flush();
    assert.equal(store.getStorageStats().json_only_ticks_written, 1);
    assert.deepEqual(ledgerRows(store.config.sqliteDir, utcDayIndex(NOW)), [e]);
    assert.deepEqual(
      sqliteAll(dayFilePath(store.config.sqliteDir, utcDayIndex(NOW)), 'SELECT count(*) AS n FROM q'),
      [{ n: 0 }],
      'the ticks went to the JSON files only',
    );
    assert.deepEqual(await store.feedEvents({ fromUs: NOW - 10, toUs: NOW }), [e]);
  } finally {
    await store.stop();
  }
});

test('events recorded just before stop are written; after stop they are counted as dropped', async () => {
  const { store } = await openTestStore('ledger-stop', NOW);
  const e = feedEvent({
    tsUs: NOW - 5,
    feed: 'binance',
    source: 'binance',
    kind: 'disconnect',
    reason: 'app quit',
  });
  store.recordFeedEvent(e);
  const r = await store.stop();
  assert.equal(r.clean, true, r.problems.join('; '));
  assert.deepEqual(ledgerRows(store.config.sqliteDir, utcDayIndex(NOW)), [e]);
  assert.doesNotThrow(() => store.recordFeedEvent(e));
  assert.equal(store.getStorageStats().feed_events_dropped, 1);
  assert.equal(store.ingestPressure(), null);
});

test('a writer that dies with events unanswered: the next one writes them, each once', async () => {
  const workers: Worker[] = [];
  const { store } = await openTestStore(
    'ledger-writer-dies',
    NOW,
    {},
    { onWorker: (name, w) => name === 'writerWorker' && workers.push(w) },
  );
  try {
    const events = Array.from({ length: 200 }, (_, i) =>
      feedEvent({
        tsUs: NOW - 1_000 + i,
        feed: 'binance',
        source: 'binance',
        kind: 'reconnect',
        reason: `try ${i}`,
      }),
    );
    for (const e of events.slice(0, 100)) store.recordFeedEvent(e);
    await new Promise((r) => setImmediate(r)); // handed to the writer
    for (const e of events.slice(100)) store.recordFeedEvent(e);
    await workers[0].terminate();
    await waitFor('a new writer', () => workers.length === 2, 10_000);
    await waitFor(
      'the events to be written',
      () => store.getStorageStats().feed_events_pending === 0,
      10_000,
    );
    await store.flush();
    assert.equal(store.getStorageStats().feed_events_written, 200);
    assert.deepEqual(ledgerRows(store.config.sqliteDir, utcDayIndex(NOW)), events);
  } finally {
    await store.stop();
  }
});

test('a disk that refuses writes: events wait in memory, stay visible, and are written once it frees', async (t) => {
  const dir = makeTempDir('ledger-diskfull');
  const fsys = mountTmpfs(t, path.join(dir, 'sqlite'), '4m');
  if (!fsys) return;
  const { store } = await openTestStore('ledger-diskfull', NOW, {
    dataDir: dir,
    retryBaseMs: 5,
    maxRetries: 1,
  });
  try {
    const first = feedEvent({
      tsUs: NOW - 9,
      feed: 'binance',
      source: 'binance',
      kind: 'connect',
      reason: 'up',
    });
    store.recordFeedEvent(first);
    await store.flush();
    const filler = fsys.fill();
    // A new day's file cannot even be created; today's cannot grow.
    const events = [
      feedEvent({
        tsUs: NOW - 5,
        feed: 'binance',
        source: 'binance',
        kind: 'disconnect',
        reason: 'x'.repeat(500),
      }),
      feedEvent({
        tsUs: NOW - 3 * US_PER_HOUR,
        feed: 'binance',
        source: 'binance',
        kind: 'stale_end',
        reason: 'late',
      }),
    ];
    for (let i = 0; i < 40; i++)
      store.recordFeedEvent(
        feedEvent({ ...events[0], tsUs: NOW - 100 - i, reason: `${i}${'y'.repeat(480)}` }),
      );
    for (const e of events) store.recordFeedEvent(e);
    await store.flush();
    let s = store.getStorageStats();
    assert.ok(s.write_errors > 0, 'the full disk shows as write errors');
    assert.ok(s.feed_events_pending > 0, `held in memory (${s.feed_events_pending})`);
    const seen = await store.feedEvents({ fromUs: NOW - 4 * US_PER_HOUR, toUs: NOW });
    assert.equal(seen.length, 43, 'the held events are still visible');
    fs.rmSync(filler);
    await waitFor(
      'the held events to be written',
      () => store.getStorageStats().feed_events_pending === 0,
      20_000,
    );
    await store.flush();
    s = store.getStorageStats();
    assert.equal(s.feed_events_written, 43);
    assert.equal(s.feed_events_dropped, 0);
    assert.equal((await store.feedEvents({ fromUs: NOW - 4 * US_PER_HOUR, toUs: NOW })).length, 43);

    // Full again at stop: what cannot be written is said, and counted.
    fsys.fill();
    store.recordFeedEvent(
      feedEvent({
        tsUs: NOW - 2,
        feed: 'binance',
        source: 'binance',
        kind: 'disconnect',
        reason: 'z'.repeat(500),
      }),
    );
    for (let i = 0; i < 40; i++)
      store.recordFeedEvent(
        feedEvent({
          tsUs: NOW - 2 * US_PER_HOUR - i,
          feed: 'binance',
          source: 'binance',
          kind: 'reconnect',
          reason: `${i}${'w'.repeat(480)}`,
        }),
      );
    const r = await store.stop({ deadlineMs: 5_000 });
    const after = store.getStorageStats();
    assert.ok(after.feed_events_dropped > 0, 'the full disk took none of them');
    assert.equal(r.clean, false);
    assert.ok(
      r.problems.some((p) =>
        new RegExp(`${after.feed_events_dropped} feed events .*not confirmed written`).test(p),
      ),
      r.problems.join('; '),
    );
    assert.equal(
      after.feed_events_written + after.feed_events_dropped,
      43 + 41,
      'every event written or counted',
    );
    assert.equal(after.feed_events_pending, 0);
  } finally {
    await store.stop();
    fsys.unmount();
  }
});

test('days before version 3 have no ledger: queries over them return what the other days hold', async () => {
  const dir = makeTempDir('ledger-v2');
  const fixture = path.join(import.meta.dirname, '../../fixtures/engine/v2/ticks_2026-03-04.db');
  const day = utcDayIndex(Date.UTC(2026, 2, 4) * 1000);
  const target = dayFilePath(path.join(dir, 'sqlite'), day);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(fixture, target);
  const now = Date.UTC(2026, 2, 5, 12) * 1000;
  const { store } = await openTestStore('ledger-v2', now, { dataDir: dir });
  try {
    const e = feedEvent({ tsUs: now - 1, feed: 'binance', source: 'binance', kind: 'connect', reason: 'up' });
    store.recordFeedEvent(e);
    await store.flush();
    assert.deepEqual(await store.feedEvents({ fromUs: now - 2 * 86_400_000_000, toUs: now }), [e]);
    assert.equal(listDayFiles(path.join(dir, 'sqlite')).length, 2);
    assert.deepEqual(
      sqliteAll(target, 'PRAGMA user_version'),
      [{ user_version: 2 }],
      'the old day is untouched',
    );
  } finally {
    await store.stop();
  }
});
