// runExport's Parquet path, which pulls the stream from inside DuckDB's scan: a cancel seen
// mid-export stops the pulls and leaves no file, and a name the catalogs did not list (recorded
// after the export started) restarts the file with it instead of failing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { runExport } from '../../../electron/engine/export/exportRun.ts';
import type { TickReader } from '../../../electron/engine/reader/tickReader.ts';
import type { TickStreamReader } from '../../../electron/engine/stream/streamTypes.ts';
import type { ExportWorkerMessage } from '../../../electron/engine/workers/exportApi.ts';
import { makeTempDir, removeTempDirs } from '../../helpers/tempDir.ts';
import { syntheticPage } from './syntheticPage.ts';

after(removeTempDirs);
const PAGES = 6;
const PAGE = 10_000;

/** PAGES generated pages; `pulled` counts the pages handed out. */
function generated(): TickStreamReader & { pulled: number } {
  const s = {
    pulled: 0,
    page(_sel: unknown, cursor: string | null) {
      const k = cursor === null ? 0 : Number(cursor);
      s.pulled++;
      return {
        ticks: syntheticPage(PAGE, 1.5e15 + k * PAGE * 200),
        cursor: k + 1 < PAGES ? String(k + 1) : null,
      };
    },
  };
  return s;
}

/** The catalogs as runExport reads them: `symbols` with their sources. */
function catalog(symbols: Array<[string, string[]]>): TickReader {
  return {
    symbols: () => symbols.map(([symbol, sources]) => ({ symbol, sources, firstUs: 0, lastUs: 0, count: 0 })),
    days: () => [],
  } as unknown as TickReader;
}

const request = (outPath: string) => ({
  format: 'parquet' as const,
  symbols: [],
  fromUs: 0,
  toUs: 2e15,
  outPath,
});

test('a cancel during a Parquet export stops pulling pages and leaves no output', async () => {
  const dir = makeTempDir('pq-cancel');
  const stream = generated();
  const msgs: ExportWorkerMessage[] = [];
  await runExport(
    {
      reader: catalog([
        ['EURUSD', ['dukascopy', 'bin"ance']],
        ['BTC/USDT', ['dukascopy', 'bin"ance']],
      ]),
      stream,
      emit: (m) => msgs.push(m),
      cancelled: () => stream.pulled >= 2,
    },
    request(path.join(dir, 'c.parquet')),
  );
  assert.equal(msgs.at(-1)!.type, 'cancelled');
  assert.equal(stream.pulled, 2);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('a symbol missing from the catalogs restarts the Parquet file with it, every tick written once', async () => {
  const dir = makeTempDir('pq-restart');
  const out = path.join(dir, 'r.parquet');
  const msgs: ExportWorkerMessage[] = [];
  await runExport(
    {
      reader: catalog([['EURUSD', ['dukascopy', 'bin"ance']]]), // BTC/USDT arrived after the catalogs were read
      stream: generated(),
      emit: (m) => msgs.push(m),
      cancelled: () => false,
    },
    request(out),
  );
  const end = msgs.at(-1)!;
  assert.equal(end.type, 'done', JSON.stringify(end));
  assert.equal(end.type === 'done' && end.rowsWritten, PAGES * PAGE);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const rows = (
    await c.runAndReadAll(
      `SELECT symbol, count(*)::INTEGER FROM read_parquet('${out}') GROUP BY symbol ORDER BY symbol`,
    )
  ).getRows();
  c.closeSync();
  db.closeSync();
  const page = syntheticPage(PAGE);
  const btc = page.symbol.filter((s) => page.symbols[s] === 'BTC/USDT').length * PAGES;
  assert.deepEqual(rows, [
    ['BTC/USDT', btc],
    ['EURUSD', PAGES * PAGE - btc],
  ]);
  assert.deepEqual(fs.readdirSync(dir), ['r.parquet']);
});
