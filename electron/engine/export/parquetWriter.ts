// Parquet through DuckDB: pages are appended column-wise (DataChunks of DOUBLE vectors, no
// per-row objects) into an in-memory staging table, which is copied out as a part file every
// ROW_GROUP_ROWS rows, so memory holds one row group at most. Parts are merged into the one file
// at the end (a single part is renamed). Schema (what readers see):
//   time TIMESTAMPTZ   INT64 TIMESTAMP_MICROS, isAdjustedToUTC   (exchange time, UTC)
//   symbol, source     BYTE_ARRAY UTF8, dictionary-encoded (a handful of distinct names)
//   bid, ask           DOUBLE
//   bid_size, ask_size DOUBLE, NULL when the feed gave none
//   recv_time          TIMESTAMPTZ (recorder receive time)
//   seq                BIGINT, NULL when the feed gave none
// ZSTD; row groups of ~1M rows: large enough for column statistics and dictionary pages to pay
// off and for DuckDB/Arrow/Spark readers to parallelise over a few-million-tick day, small enough
// that writer and reader each hold one group (~40 MB decoded) at a time.
import fs from 'node:fs';
import { DuckDBDataChunk, DuckDBInstance, DOUBLE } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBConnection, DuckDBDoubleVector } from '@duckdb/node-api';
import type { StreamColumns } from '../stream/streamTypes.ts';
import type { PageWriter } from './pageWriter.ts';
import { partialPath } from './pageWriter.ts';

export const ROW_GROUP_ROWS = 1_000_000;
const VECTOR = 2048; // DuckDB's vector size: a DataChunk holds at most this many rows
const COLS = 9; // t, sym, src, bid, ask, bs, as, recv, seq

export class ParquetWriter implements PageWriter {
  private readonly outPath: string;
  private readonly tmp: string;
  private db: DuckDBInstance | null = null;
  private conn: DuckDBConnection | null = null;
  private app: DuckDBAppender | null = null;
  private readonly symbols = new Map<string, number>();
  private readonly sources = new Map<string, number>();
  private readonly parts: string[] = [];
  private staged = 0;
  rowsWritten = 0;
  bytesWritten = 0;

  constructor(outPath: string) {
    this.outPath = outPath;
    this.tmp = partialPath(outPath);
  }

  private async open(): Promise<void> {
    // One thread: the export already has its own worker, and the machine's other cores record.
    this.db = await DuckDBInstance.create(':memory:', { threads: '1' });
    this.conn = await this.db.connect();
    await this.conn.run("SET TimeZone = 'UTC'");
    await this.conn.run(
      'CREATE TABLE stage (t DOUBLE, sym DOUBLE, src DOUBLE, bid DOUBLE, ask DOUBLE, bs DOUBLE, aks DOUBLE, recv DOUBLE, seq DOUBLE)',
    );
    this.app = await this.conn.createAppender('stage');
    fs.writeFileSync(this.tmp, ''); // fails now, not at the end, on an unwritable path
  }

  async write(p: StreamColumns): Promise<void> {
    if (!this.app) await this.open();
    const symIds = p.symbols.map((s) => nameId(this.symbols, s));
    const srcIds = p.sources.map((s) => nameId(this.sources, s));
    const chunk = DuckDBDataChunk.create(
      Array.from({ length: COLS }, () => DOUBLE),
      VECTOR,
    );
    const v = Array.from({ length: COLS }, (_, c) => chunk.getColumnVector(c) as DuckDBDoubleVector);
    let at = 0;
    while (at < p.length) {
      const room = Math.min(VECTOR, p.length - at, ROW_GROUP_ROWS - this.staged);
      for (let r = 0; r < room; r++) {
        const i = at + r;
        v[0]!.setItem(r, p.tsUs[i]!);
        v[1]!.setItem(r, symIds[p.symbol[i]!]!);
        v[2]!.setItem(r, srcIds[p.source[i]!]!);
        v[3]!.setItem(r, p.bid[i]!);
        v[4]!.setItem(r, p.ask[i]!);
        v[5]!.setItem(r, orNull(p.bidSize[i]!));
        v[6]!.setItem(r, orNull(p.askSize[i]!));
        v[7]!.setItem(r, p.recvUs[i]!);
        v[8]!.setItem(r, orNull(p.seq[i]!));
      }
      for (const x of v) x.flush();
      chunk.rowCount = room;
      this.app!.appendDataChunk(chunk);
      at += room;
      this.staged += room;
      this.rowsWritten += room;
      if (this.staged >= ROW_GROUP_ROWS) await this.flushPart();
    }
  }

  private select(from: string): string {
    const list = (m: Map<string, number>): string =>
      `[${[...m.keys()].map((s) => `'${s.replaceAll("'", "''")}'`).join(',')}]`;
    return `SELECT make_timestamp(t::BIGINT)::TIMESTAMPTZ AS time, ${list(this.symbols)}[sym::INTEGER + 1] AS symbol,
      ${list(this.sources)}[src::INTEGER + 1] AS source, bid, ask, bs AS bid_size, aks AS ask_size,
      make_timestamp(recv::BIGINT)::TIMESTAMPTZ AS recv_time, seq::BIGINT AS seq FROM ${from}`;
  }

  private async flushPart(): Promise<void> {
    if (this.staged === 0) return;
    this.app!.flushSync();
    const part = `${this.tmp}.${this.parts.length}`;
    await this.conn!.run(`COPY (${this.select('stage')}) TO '${sqlPath(part)}' ${COPY_OPTIONS}`);
    await this.conn!.run('DELETE FROM stage');
    this.parts.push(part);
    this.bytesWritten += fs.statSync(part).size;
    this.staged = 0;
  }

  async finish(): Promise<string[]> {
    if (!this.app) await this.open();
    if (this.staged > 0 || this.parts.length === 0) await this.flushPart();
    this.app!.closeSync();
    if (this.parts.length === 1) fs.renameSync(this.parts[0]!, this.tmp);
    else {
      // The parts' row groups already have the final types and names: the merge only re-packs.
      const files = this.parts.map((f) => `'${sqlPath(f)}'`).join(',');
      await this.conn!.run(
        `COPY (SELECT * FROM read_parquet([${files}])) TO '${sqlPath(this.tmp)}' ${COPY_OPTIONS}`,
      );
      for (const f of this.parts) fs.rmSync(f, { force: true });
    }
    this.bytesWritten = fs.statSync(this.tmp).size;
    this.close();
    fs.renameSync(this.tmp, this.outPath);
    return [this.outPath];
  }

  private close(): void {
    try {
      this.app?.closeSync();
    } catch {
      /* already closed */
    }
    this.conn?.closeSync();
    this.db?.closeSync();
    this.app = null;
    this.conn = null;
    this.db = null;
  }

  abort(): void {
    this.close();
    for (const f of [...this.parts, this.tmp]) fs.rmSync(f, { force: true });
  }
}

const COPY_OPTIONS = `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`;

function nameId(m: Map<string, number>, name: string): number {
  let id = m.get(name);
  if (id === undefined) m.set(name, (id = m.size));
  return id;
}

function orNull(x: number): number | null {
  return x === x ? x : null;
}

function sqlPath(p: string): string {
  return p.replaceAll("'", "''");
}
