// The tick writers on generated pages: what each writes parses back to the same values.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { CsvWriter } from '../../../electron/engine/export/csvWriter.ts';
import { streamColumnsOf } from '../../../electron/engine/stream/streamColumns.ts';
import type { StreamColumns } from '../../../electron/engine/stream/streamTypes.ts';
import { CSV_COLUMNS } from '../../../shared/export.ts';
import { JsonlWriter } from '../../../electron/engine/export/jsonlWriter.ts';
import { ParquetWriter, UnknownNameError } from '../../../electron/engine/export/parquetWriter.ts';
import { makeTempDir, removeTempDirs } from '../../helpers/tempDir.ts';
import { syntheticPage } from './syntheticPage.ts';

after(removeTempDirs);
const page = syntheticPage(5000);

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
const numOrNaN = (s: string): number => (s === '' ? NaN : Number(s));

test('CSV with every column and ISO time parses back to the same ticks, and leaves no .partial', async () => {
  const out = path.join(makeTempDir('csv'), 'ticks.csv');
  const w = new CsvWriter(out, { time: 'iso' });
  w.write(page);
  await w.finish();
  assert.equal(fs.existsSync(`${out}.partial`), false);
  const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'time,symbol,source,bid,ask,bidSize,askSize,recvTime,seq');
  assert.equal(lines.length, page.length + 1);
  for (let i = 0; i < page.length; i++) {
    const [t, sym, src, bid, ask, bs, as, recv, seq] = parseCsvLine(lines[i + 1]!);
    assert.match(t!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const us = Date.parse(t!.slice(0, 23) + 'Z') * 1000 + Number(t!.slice(23, 26));
    assert.equal(us, page.tsUs[i]);
    assert.equal(sym, page.symbols[page.symbol[i]!]);
    assert.equal(src, page.sources[page.source[i]!]);
    assert.equal(Number(bid), page.bid[i]);
    assert.equal(Number(ask), page.ask[i]);
    assert.deepEqual(
      [numOrNaN(bs!), numOrNaN(as!), numOrNaN(seq!)],
      [page.bidSize[i], page.askSize[i], page.seq[i]],
    );
    assert.ok(recv!.endsWith('Z'));
  }
});

/** A page of the values a byte writer gets wrong first: every digit count, signs, extremes, names. */
function edgePage(): StreamColumns {
  const prices = [0, -0, 1, 0.1, 1e21, 1.5e-7, -2.5, 123456789.125, Number.MAX_VALUE, 5e-324, NaN];
  const times = [0, 9, 10, 999_999, 1_000_000, 1_000_001, 86_399_999_999, 1.5e15 + 7, 1.5e15 + 999_999];
  const n = 400;
  const p = streamColumnsOf(n, ['EURUSD', 'a,b "q"', 'Ünï€'], ['LP-A', 'bin"ance', 'ソース']);
  for (let i = 0; i < n; i++) {
    p.symbol[i] = i % 3;
    p.source[i] = (i >> 1) % 3;
    p.tsUs[i] = times[i % times.length]! + Math.floor(i / times.length) * 1_000_003;
    p.bid[i] = prices[i % prices.length]!;
    p.ask[i] = prices[(i + 3) % prices.length]!;
    p.bidSize[i] = prices[(i + 5) % prices.length]!;
    p.askSize[i] = i % 6 === 0 ? NaN : i * 0.01;
    p.recvUs[i] = i % 4 === 0 ? p.tsUs[i]! : p.tsUs[i]! + (i % 3) * 999_999;
    p.seq[i] = [NaN, 0, 9, 10, 2 ** 53 - 1, 2 ** 53 + 2, -1, 1.5, 1e21][i % 9]!;
  }
  return p;
}

test('CSV: the default layout, written as bytes, is the column-by-column text byte for byte', async () => {
  const dir = makeTempDir('csv-bytes');
  const pages = [edgePage(), syntheticPage(5000), edgePage()];
  for (const time of ['iso', 'ms', 'us'] as const) {
    const fast = path.join(dir, `fast-${time}.csv`);
    const slow = path.join(dir, `slow-${time}.csv`);
    const a = new CsvWriter(fast, { time });
    // The same columns in an array of its own take the cell-by-cell string path.
    const b = new CsvWriter(slow, { time, columns: [...CSV_COLUMNS] });
    for (const pg of pages) {
      await a.write(pg);
      await b.write(pg);
    }
    await a.finish();
    await b.finish();
    const got = fs.readFileSync(fast);
    assert.equal(got.length, a.bytesWritten);
    assert.ok(got.equals(fs.readFileSync(slow)), `${time}: the byte path differs from the text path`);
  }
});

test('CSV: a long run of pages crosses many chunks with every row whole', async () => {
  const out = path.join(makeTempDir('csv-chunks'), 'many.csv');
  const w = new CsvWriter(out, { time: 'iso' });
  const pg = syntheticPage(20_000);
  for (let k = 0; k < 12; k++) await w.write(pg);
  await w.finish();
  const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 12 * 20_000 + 1);
  const fields = new Set(lines.map((l) => parseCsvLine(l).length));
  assert.deepEqual([...fields], [9]);
  assert.equal(lines[1], lines[1 + 20_000]);
  assert.equal(lines.at(-1), lines[20_000]);
});

test('CSV epoch ms and µs time formats and a column choice', async () => {
  const dir = makeTempDir('csvt');
  for (const time of ['ms', 'us'] as const) {
    const out = path.join(dir, `${time}.csv`);
    const w = new CsvWriter(out, { time, columns: ['time', 'bid'] });
    w.write(page);
    await w.finish();
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'time,bid');
    const [t, bid] = lines[42]!.split(',');
    const us = page.tsUs[41]!;
    assert.equal(Number(t), time === 'us' ? us : Math.floor(us / 1000));
    assert.equal(Number(bid), page.bid[41]);
  }
});

test('CSV presets: MT5 tab-separated import layout and tardis quotes', async () => {
  const dir = makeTempDir('csvp');
  const mt5 = path.join(dir, 'mt5.csv');
  const w = new CsvWriter(mt5, { preset: 'mt5' });
  w.write(page);
  await w.finish();
  const lines = fs.readFileSync(mt5, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], '<DATE>\t<TIME>\t<BID>\t<ASK>\t<LAST>\t<VOLUME>\t<FLAGS>');
  const f = lines[1]!.split('\t');
  assert.equal(f.length, 7);
  assert.match(f[0]!, /^2019\.02\.04$/);
  assert.match(f[1]!, /^\d\d:\d\d:\d\d\.\d{3}$/);
  assert.equal(Number(f[2]), page.bid[0]);
  assert.equal(f[6], '6'); // first tick: bid and ask both new
  const tardis = path.join(dir, 'tardis.csv');
  const t = new CsvWriter(tardis, { preset: 'tardis' });
  t.write(page);
  await t.finish();
  const tl = fs.readFileSync(tardis, 'utf8').trimEnd().split('\n');
  assert.equal(tl[0], 'exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount');
  const r = parseCsvLine(tl[2]!); // tick 1 (line 0 is the header)
  assert.deepEqual(r.slice(0, 4), ['dukascopy', 'EURUSD', String(page.tsUs[1]), String(page.recvUs[1])]);
  assert.equal(Number(r[5]), page.ask[1]);
  assert.equal(Number(r[6]), page.bid[1]);
});

test('JSONL lines carry TickInput fields with the same values', async () => {
  const out = path.join(makeTempDir('jsonl'), 't.jsonl');
  const w = new JsonlWriter(out);
  w.write(page);
  await w.finish();
  const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, page.length);
  lines.forEach((l, i) => {
    const o = JSON.parse(l);
    assert.equal(o.symbol, page.symbols[page.symbol[i]!]);
    assert.equal(o.source, page.sources[page.source[i]!]);
    assert.equal(o.tsUs, page.tsUs[i]);
    assert.equal(o.bid, page.bid[i]);
    assert.equal(o.ask, page.ask[i]);
    assert.equal(o.bidSize ?? NaN, page.bidSize[i]);
    assert.equal(o.seq ?? NaN, page.seq[i]);
  });
});

test('Parquet: DuckDB reads back every value, in order, with UTC µs timestamps and zstd', async () => {
  const out = path.join(makeTempDir('pq'), 't.parquet');
  const w = new ParquetWriter(out, { symbols: page.symbols, sources: page.sources });
  const pages = [page, syntheticPage(100, page.tsUs[page.length - 1]! + 1)];
  await w.writeAll(() => pages.shift() ?? null);
  assert.equal(fs.existsSync(`${out}.partial`), false);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const rows = (
    await c.runAndReadAll(
      `SELECT epoch_us(time)::DOUBLE, symbol, source, bid, ask, bid_size, ask_size, epoch_us(recv_time)::DOUBLE, seq::DOUBLE FROM read_parquet('${out}')`,
    )
  ).getRows();
  assert.equal(rows.length, page.length + 100);
  for (let i = 0; i < page.length; i++) {
    const r = rows[i]!;
    assert.deepEqual(
      [r[0], r[1], r[2], r[3], r[4], r[5] ?? NaN, r[6] ?? NaN, r[7], r[8] ?? NaN],
      [
        page.tsUs[i],
        page.symbols[page.symbol[i]!],
        page.sources[page.source[i]!],
        page.bid[i],
        page.ask[i],
        page.bidSize[i],
        page.askSize[i],
        page.recvUs[i],
        page.seq[i],
      ],
    );
  }
  const schema = (
    await c.runAndReadAll(`SELECT name, type, logical_type::VARCHAR FROM parquet_schema('${out}')`)
  ).getRows();
  const time = schema.find((r) => r[0] === 'time')!;
  assert.equal(time[1], 'INT64');
  assert.match(String(time[2]), /isAdjustedToUTC=1|isAdjustedToUTC=true/i);
  assert.match(String(time[2]), /MICROS/);
  assert.equal(schema.find((r) => r[0] === 'bid')![1], 'DOUBLE');
  const meta = (
    await c.runAndReadAll(
      `SELECT DISTINCT compression, encodings FROM parquet_metadata('${out}') WHERE path_in_schema = 'symbol'`,
    )
  ).getRows();
  assert.equal(meta[0]![0], 'ZSTD');
  assert.match(String(meta[0]![1]), /DICTIONARY/);
  c.closeSync();
  db.closeSync();
});

/** Every row of a Parquet file as [tsUs, symbol, bid, seq], in file order. */
async function parquetRows(file: string): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    return (
      await c.runAndReadAll(
        `SELECT epoch_us(time)::DOUBLE, symbol, bid, seq::DOUBLE FROM read_parquet('${file}')`,
      )
    ).getRows();
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

test('Parquet over several row groups: small groups, pages split across them, every row in order', async () => {
  const out = path.join(makeTempDir('pqg'), 'g.parquet');
  // 3 pages of 3000 against groups of 1000 and DuckDB's 2048-row chunks: no boundary lines up.
  const pages = [0, 1, 2].map((k) => syntheticPage(3000, Date.UTC(2019, 1, 4) * 1000 + k * 3000 * 200));
  const w = new ParquetWriter(out, {
    symbols: ['BTC/USDT', 'EURUSD'],
    sources: page.sources,
    rowGroupRows: 1000,
  });
  const queue = [...pages];
  await w.writeAll(() => queue.shift() ?? null);
  assert.equal(w.rowsWritten, 9000);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const groups = (
    await c.runAndReadAll(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${out}')`)
  ).getRows();
  c.closeSync();
  db.closeSync();
  // DuckDB closes a group on a chunk boundary at or past the size: 9000 rows make at least 4.
  assert.ok(Number(groups[0]![0]) >= 4, `only ${String(groups[0]![0])} row groups`);
  const rows = await parquetRows(out);
  assert.equal(rows.length, 9000);
  pages.forEach((p, k) => {
    for (let i = 0; i < p.length; i++)
      assert.deepEqual(rows[k * 3000 + i], [
        p.tsUs[i],
        p.symbols[p.symbol[i]!],
        p.bid[i],
        p.seq[i] !== p.seq[i] ? null : p.seq[i],
      ]);
  });
});

test('Parquet: a name the writer was not told of fails with UnknownNameError and leaves no file', async () => {
  const out = path.join(makeTempDir('pqn'), 'n.parquet');
  const w = new ParquetWriter(out, { symbols: ['EURUSD'], sources: page.sources });
  const pages = [page];
  await assert.rejects(
    w.writeAll(() => pages.shift() ?? null),
    (e: unknown) => e instanceof UnknownNameError && e.kind === 'symbol' && e.value === 'BTC/USDT',
  );
  w.abort();
  assert.deepEqual(fs.readdirSync(path.dirname(out)), []);
});
