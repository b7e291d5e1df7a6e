// The sink against a real store and two real ClickHouse 18.16 shards behind a Distributed table:
// per-day counts in ClickHouse (FINAL) equal the day files', live and archived days alike; both
// shards killed -9 and restarted: nothing lost, no duplicate identity; a crash between insert and
// cursor write resumes without duplicates in FINAL; late ticks into a forwarded day; backfillFrom.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { TickReader } from '../../../electron/engine/reader/tickReader.ts';
import { createTickStreamReader } from '../../../electron/engine/stream/streamReader.ts';
import { ClickhouseHttp } from '../../../electron/engine/sink/clickhouseHttp.ts';
import { SinkFollower } from '../../../electron/engine/sink/sinkFollower.ts';
import type { TickInput } from '../../../shared/tick.ts';
import {
  clickhouseMissing,
  startClickhouseCluster,
  type ClickhouseCluster,
} from '../../helpers/clickhouseServers.ts';
import { applyReadmeDdl } from '../../helpers/sinkReadme.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { openTestStore, type TestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const US_PER_DAY = 86_400_000_000;
const DAY1 = Date.UTC(2024, 0, 2) * 1000;
const NOW = DAY1 + 2 * US_PER_DAY + 12 * 3_600_000_000; // noon of the third day (open)

const missing = clickhouseMissing();
if (missing) console.log(`skip: ${missing}`);
let ch: ClickhouseCluster;
let ts: TestStore;

function ticks(day: number, n: number, offsetUs = 0): TickInput[] {
  const out: TickInput[] = [];
  for (let i = 0; i < n; i++) {
    const tsUs = DAY1 + day * US_PER_DAY + offsetUs + Math.floor(i / 2) * 1000;
    const bid = 1.1 + (i % 13) * 0.0001;
    out.push({
      symbol: ['EURUSD', 'USDJPY', 'XAUUSD'][i % 3],
      source: i % 2 ? 'lp1' : 'lp2',
      tsUs,
      bid,
      ask: bid + 0.0002,
      recvUs: tsUs + 40,
      seq: i,
    });
  }
  return out;
}

async function record(t: TickInput[]): Promise<void> {
  for (const x of t) assert.equal(ts.store.ingest(x), 'accepted');
  await ts.store.flush();
}

async function chPerDay(db: string): Promise<Record<string, number>> {
  const text = await ch.query(
    `SELECT day, count() FROM ${db}.ticks FINAL GROUP BY day ORDER BY day FORMAT TSV`,
  );
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.split('\t')[0], Number(l.split('\t')[1])]),
  );
}

function storedPerDay(reader: TickReader): Record<string, number> {
  return Object.fromEntries(reader.days().map((d) => [d.day, d.ticks]));
}

async function duplicateIdentities(): Promise<number> {
  const n = await ch.query(
    'SELECT count() - uniqExact(symbol, source, ts_us, bid, ask, seq) FROM tickscope.ticks FINAL',
  );
  return Number(n);
}

function follower(
  reader: TickReader,
  cursorFile: string,
  http: ClickhouseHttp,
  backfillFrom?: string,
): SinkFollower {
  return new SinkFollower({
    stream: createTickStreamReader(reader),
    days: () => reader.days(),
    clickhouse: http,
    table: 'tickscope.ticks',
    workstation: 'desk-test-1',
    cursorFile,
    batchRows: 10_000,
    backfillFrom,
    nowMs: () => NOW / 1000,
  });
}

before(async () => {
  if (missing) return;
  [ch, ts] = await Promise.all([startClickhouseCluster(2, 'ticks_cluster'), openTestStore('sink', NOW)]);
  await applyReadmeDdl(ch.query, 2);
  await record([...ticks(0, 24_000), ...ticks(1, 18_000), ...ticks(2, 15_000)]);
  ts.store.compact({ days: ['2024-01-02'] });
  await waitFor('compaction to finish', () => !ts.store.compactionStatus().running, 60_000);
});
after(async () => {
  await ts?.store.stop();
  await ch?.stop();
});

test(
  'every stored tick reaches ClickHouse: per-day FINAL counts equal the day files, then an outage and a crash lose nothing',
  { skip: missing ?? false },
  async () => {
    const reader = new TickReader(path.join(ts.dir, 'sqlite'));
    const cursorFile = path.join(makeTempDir('sink-cursor'), 'clickhouse-sink.json');
    const http = new ClickhouseHttp({ url: ch.shards[1].url });
    try {
      assert.equal(reader.days().find((d) => d.day === '2024-01-02')?.tier, 'archived');
      const f = follower(reader, cursorFile, http);
      assert.equal(await f.step(), 57_000);
      assert.deepEqual(await chPerDay('tickscope'), storedPerDay(reader));
      assert.equal(f.status().lagTicks, 0);
      const cur = JSON.parse(fs.readFileSync(cursorFile, 'utf8'));
      assert.deepEqual(
        [cur.days['2024-01-02'].done, cur.days['2024-01-03'].done, cur.days['2024-01-04'].done],
        [true, true, false],
      );
      assert.equal(await f.step(), 0, 'nothing new: nothing sent');
      assert.equal(Number(await ch.query('SELECT uniqExact(workstation) FROM tickscope.ticks')), 1);

      // Outage: both shards down while ticks keep arriving, one of them late into a closed day.
      await Promise.all([ch.kill(0), ch.kill(1)]);
      await record([...ticks(2, 6_000, 3_600_000_000), ...ticks(1, 30, 7)]);
      await assert.rejects(f.step(), /ClickHouse/);
      const down = f.status();
      assert.match(down.lastError ?? '', /ECONNREFUSED|ClickHouse/);
      assert.ok(down.lagTicks > 0, `lag while down: ${down.lagTicks}`);
      await assert.rejects(f.step());
      await Promise.all([ch.start(0), ch.start(1)]);
      await f.step();
      assert.deepEqual(await chPerDay('tickscope'), storedPerDay(reader));
      assert.equal(f.status().lagTicks, 0);
      assert.equal(f.status().lastError, null);
      assert.equal(await duplicateIdentities(), 0);

      // Crash between insert and cursor write: the cursor file is older than what ClickHouse holds.
      const before = fs.readFileSync(cursorFile, 'utf8');
      await record(ticks(2, 25_000, 7_200_000_000));
      await f.step();
      fs.writeFileSync(cursorFile, before);
      const resumed = follower(reader, cursorFile, http);
      assert.equal(await resumed.step(), 25_000, 'the unacknowledged batches are sent again');
      assert.deepEqual(await chPerDay('tickscope'), storedPerDay(reader));
      assert.equal(await duplicateIdentities(), 0);
    } finally {
      http.close();
      reader.close();
    }
  },
);

test(
  'a sink enabled later backfills history from backfillFrom on, into another database',
  { skip: missing ?? false },
  async () => {
    for (let s = 0; s < 2; s++) {
      await ch.query('CREATE DATABASE IF NOT EXISTS later', s);
      await ch.query('CREATE TABLE IF NOT EXISTS later.ticks_local AS tickscope.ticks_local', s);
      await ch.query(
        'CREATE TABLE IF NOT EXISTS later.ticks AS later.ticks_local ENGINE = Distributed(ticks_cluster, later, ticks_local, sipHash64(symbol))',
        s,
      );
    }
    const reader = new TickReader(path.join(ts.dir, 'sqlite'));
    const http = new ClickhouseHttp({ url: ch.shards[0].url });
    try {
      const f = new SinkFollower({
        stream: createTickStreamReader(reader),
        days: () => reader.days(),
        clickhouse: http,
        table: 'later.ticks',
        workstation: 'desk-test-2',
        cursorFile: path.join(makeTempDir('sink-cursor'), 'c.json'),
        backfillFrom: '2024-01-03',
        nowMs: () => NOW / 1000,
      });
      await f.step();
      const stored = storedPerDay(reader);
      delete stored['2024-01-02'];
      assert.deepEqual(await chPerDay('later'), stored);
    } finally {
      http.close();
      reader.close();
    }
  },
);
