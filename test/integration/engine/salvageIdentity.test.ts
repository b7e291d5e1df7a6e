// Salvage of a damaged version 3 day file keeps what version 3 added: ticks keep their update id
// (so ticks differing only by it stay apart) and their absent exchange time, and the gap ledger
// is carried into the new file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { dayFilePath } from '../../../electron/engine/storage/dayPath.ts';
import { feedEvent } from '../../../shared/feeds/feedEvents.ts';
import { US_PER_HOUR, utcDayIndex } from '../../../shared/time.ts';
import { assertAccounted } from '../../helpers/accounting.ts';
import { sqliteAll } from '../../helpers/sqliteFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const NOW = Date.UTC(2026, 10, 9, 12) * 1000;
const START = NOW - 6 * US_PER_HOUR;

test('a damaged day file is salvaged with its update ids, absent exchange times and feed events', async () => {
  const dir = makeTempDir('salvage-v3');
  const file = dayFilePath(path.join(dir, 'sqlite'), utcDayIndex(NOW));
  const first = await openTestStore('salvage-v3-a', NOW, { dataDir: dir });
  const N = 40_000;
  // Pairs of updates with equal time and prices; every fifth tick without an exchange time.
  for (let i = 0; i < N; i++) {
    const pair = i >> 1;
    const tsUs = START + pair * 500_000;
    const bid = 64_000 + (pair % 50) / 10;
    first.store.ingest({
      symbol: 'BTCUSDT',
      bid,
      ask: bid + 0.5,
      tsUs,
      source: 'binance',
      seq: 7_000_000 + i,
      ...(i % 5 === 0 ? { noExchangeTime: true } : { recvUs: tsUs + 25 }),
    });
  }
  const events = Array.from({ length: 30 }, (_, k) =>
    feedEvent({
      tsUs: START + k * 60_000_000,
      feed: 'binance',
      source: 'binance',
      kind: 'reconnect',
      reason: `#${k}`,
    }),
  );
  for (const e of events) first.store.recordFeedEvent(e);
  await first.store.stop();
  const stored = sqliteAll<{ n: number }>(file, 'SELECT count(*) AS n FROM ticks')[0].n;
  assert.equal(stored, N, 'every update stored before the damage');

  // Two leaf pages of the tick table in the middle of the file overwritten.
  const probe = new Database(file, { readonly: true });
  const pageSize = probe.pragma('page_size', { simple: true }) as number;
  const leaves = probe
    .prepare("SELECT pageno FROM dbstat WHERE name = 'q' AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all() as number[];
  probe.close();
  const fd = fs.openSync(file, 'r+');
  for (const page of leaves.slice(leaves.length >> 1, (leaves.length >> 1) + 2))
    fs.writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
  fs.closeSync(fd);

  const second = await openTestStore('salvage-v3-b', NOW, { dataDir: dir });
  try {
    await waitFor(
      'the damaged file to be reported',
      () => second.store.getHealth().status === 'critical',
      10_000,
    );
    const reason = second.store.getHealth().reasons.find((r) => /was damaged/.test(r));
    assert.ok(reason);
    assert.match(reason, /and 30 feed events/);
    const rows = sqliteAll<{
      ts_us: number;
      exchange_us: number | null;
      recv_us: number;
      seq: number | null;
    }>(file, 'SELECT ts_us, exchange_us, recv_us, seq FROM ticks');
    assert.ok(rows.length > N - 1_000 && rows.length < N, `salvaged ${rows.length} of ${N}`);
    assert.equal(
      new Set(rows.map((r) => r.seq)).size,
      rows.length,
      'ticks equal but for the update id stay apart',
    );
    for (const r of rows) {
      assert.notEqual(r.seq, null);
      const i = r.seq! - 7_000_000;
      const noTime = i % 5 === 0;
      assert.equal(r.exchange_us, noTime ? null : r.ts_us, `seq ${r.seq}`);
      assert.equal(r.recv_us, noTime ? r.ts_us : r.ts_us + 25, `seq ${r.seq}`);
    }
    assert.deepEqual(
      await second.store.feedEvents({ fromUs: START, toUs: NOW }),
      events,
      'the gap ledger is carried into the new file',
    );
    assertAccounted(second.store.getStorageStats(), 'after the salvage');
  } finally {
    await second.store.stop();
  }
});
