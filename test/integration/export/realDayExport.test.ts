// The acceptance: a real Dukascopy EURUSD day, ingested into a store, exported through the
// export job (its own worker over the day files), read back by independent readers (DuckDB for
// Parquet, plain parsing for CSV and JSONL) with every value equal; bars CSV equal to the store's
// bars; cancel and an unwritable path leave no output.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { startExport } from '../../../electron/engine/export/exportJob.ts';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import type { ExportRequest } from '../../../shared/export.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { DUKASCOPY_DIR } from '../../helpers/dukascopy.ts';
import type { DukascopyRow } from '../../helpers/dukascopy.ts';
import { makeTempDir, removeTempDirs } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const DAY_US = Date.UTC(2019, 1, 4) * 1000;
let store: TickStore;
let dir: string;
let ticks: TickInput[];
const out = makeTempDir('export-out');

before(async () => {
  const rows = JSON.parse(
    gunzipSync(fs.readFileSync(path.join(DUKASCOPY_DIR, 'eurusd-2019-02-04.json.gz'))).toString('utf8'),
  ) as DukascopyRow[];
  ticks = rows.map(([tsMs, ask, bid, askVol, bidVol]) => ({
    symbol: 'EURUSD',
    source: 'dukascopy',
    bid,
    ask,
    tsUs: tsMs * 1000,
    bidSize: bidVol,
    askSize: askVol,
  }));
  ({ store, dir } = await openTestStore('export-real', DAY_US + 2 * 86_400e6));
  for (const t of ticks) assert.equal(store.ingest(t), 'accepted');
  await store.flush();
});
after(async () => {
  await store?.stop();
  removeTempDirs();
});

const request = (r: Partial<ExportRequest>): ExportRequest => ({
  format: 'csv',
  symbols: ['EURUSD'],
  fromUs: DAY_US,
  toUs: DAY_US + 86_400e6,
  outPath: path.join(out, 'x'),
  ...r,
});

async function run(r: ExportRequest) {
  const job = startExport(path.join(dir, 'sqlite'), r);
  const final = await job.done;
  assert.equal(final.state, 'done', final.error);
  assert.equal(fs.existsSync(`${r.outPath}.partial`), false);
  return final;
}

test('Parquet: DuckDB reads back every tick of the real day with equal values', async () => {
  const outPath = path.join(out, 'day.parquet');
  const final = await run(request({ format: 'parquet', outPath }));
  assert.equal(final.rowsWritten, ticks.length);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const rows = (
    await c.runAndReadAll(
      `SELECT epoch_us(time)::DOUBLE, symbol, source, bid, ask, bid_size, ask_size FROM read_parquet('${outPath}')`,
    )
  ).getRows();
  assert.equal(rows.length, ticks.length);
  const want = [...ticks].sort((a, b) => a.tsUs - b.tsUs);
  const got = rows.map((r) => ({
    tsUs: r[0],
    symbol: r[1],
    source: r[2],
    bid: r[3],
    ask: r[4],
    bidSize: r[5],
    askSize: r[6],
  }));
  // The stream orders equal timestamps by the day file's key; compare as multisets of exact rows.
  const key = (t: Record<string, unknown>): string =>
    [t.tsUs, t.symbol, t.source, t.bid, t.ask, t.bidSize, t.askSize].join('|');
  assert.deepEqual(got.map(key).sort(), want.map((t) => key(t as unknown as Record<string, unknown>)).sort());
  for (let i = 1; i < got.length; i++) assert.ok((got[i]!.tsUs as number) >= (got[i - 1]!.tsUs as number));
  c.closeSync();
  db.closeSync();
});

test('CSV (µs) and JSONL parse back to the same ticks', async () => {
  const csv = path.join(out, 'day.csv');
  await run(
    request({
      format: 'csv',
      outPath: csv,
      csv: { time: 'us', columns: ['time', 'symbol', 'source', 'bid', 'ask', 'bidSize', 'askSize'] },
    }),
  );
  const key = (a: unknown[]): string => a.join('|');
  const want = ticks.map((t) => key([t.tsUs, t.symbol, t.source, t.bid, t.ask, t.bidSize, t.askSize])).sort();
  const lines = fs.readFileSync(csv, 'utf8').trimEnd().split('\n').slice(1);
  assert.deepEqual(
    lines
      .map((l) => {
        const f = l.split(',');
        return key([Number(f[0]), f[1], f[2], Number(f[3]), Number(f[4]), Number(f[5]), Number(f[6])]);
      })
      .sort(),
    want,
  );
  const jsonl = path.join(out, 'day.jsonl');
  await run(request({ format: 'jsonl', outPath: jsonl }));
  const objs = fs
    .readFileSync(jsonl, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as TickInput);
  assert.deepEqual(
    objs.map((t) => key([t.tsUs, t.symbol, t.source, t.bid, t.ask, t.bidSize, t.askSize])).sort(),
    want,
  );
});

test("bars CSV equals the store's bars (5m, mid)", async () => {
  const outPath = path.join(out, 'bars.csv');
  await run(request({ format: 'bars-csv', outPath, timeframeSec: 300, side: 'mid' }));
  const bars = await store.bars({
    symbol: 'EURUSD',
    fromUs: DAY_US,
    toUs: DAY_US + 86_400e6,
    timeframeSec: 300,
  });
  const lines = fs.readFileSync(outPath, 'utf8').trimEnd().split('\n').slice(1);
  assert.equal(lines.length, bars.startUs.length);
  lines.forEach((l, i) => {
    const f = l.split(',');
    assert.deepEqual(
      [Date.parse(f[0]!) * 1000, Number(f[2]), Number(f[3]), Number(f[4]), Number(f[5]), Number(f[6])],
      [
        bars.startUs[i],
        bars.mid.open[i],
        bars.mid.high[i],
        bars.mid.low[i],
        bars.mid.close[i],
        bars.count[i],
      ],
    );
  });
});

test('an unwritable path and an unknown symbol fail with the problem named and no output', async () => {
  const bad = path.join(out, 'no', 'such', 'dir', 'x.csv');
  const f1 = await startExport(path.join(dir, 'sqlite'), request({ outPath: bad })).done;
  assert.equal(f1.state, 'failed');
  assert.match(f1.error!, /cannot write/);
  const f2 = await startExport(
    path.join(dir, 'sqlite'),
    request({ symbols: ['NOPE'], outPath: path.join(out, 'n.csv') }),
  ).done;
  assert.equal(f2.state, 'failed');
  assert.match(f2.error!, /unknown symbol: NOPE/);
  assert.equal(fs.existsSync(path.join(out, 'n.csv.partial')), false);
});

test('cancel stops the job and removes the partial output', async () => {
  const outPath = path.join(out, 'cancel.jsonl');
  const job = startExport(path.join(dir, 'sqlite'), request({ format: 'jsonl', outPath }));
  job.cancel();
  const final = await job.done;
  assert.equal(final.state, 'cancelled');
  assert.equal(fs.existsSync(outPath), false);
  assert.equal(fs.existsSync(`${outPath}.partial`), false);
});
