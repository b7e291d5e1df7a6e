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
const TYPES = Array.from({ length: COLS }, () => DOUBLE);
const NULLABLE = [false, false, false, false, false, true, true, false, true];
/**
 * DuckDB's own memory cap: one staged row group (~75 MB of doubles) plus the Parquet writer's
 * buffers for it; without it DuckDB sizes its buffer pool from the machine's RAM.
 */
const MEMORY_LIMIT = '256MB';

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
    fs.writeFileSync(this.tmp, ''); // fails here, not at the end, on an unwritable path
    // One thread: the export already has its own worker, and the machine's other cores record.
    this.db = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: MEMORY_LIMIT });
    this.conn = await this.db.connect();
    await this.conn.run("SET TimeZone = 'UTC'");
    await this.conn.run(
      'CREATE TABLE stage (t DOUBLE, sym DOUBLE, src DOUBLE, bid DOUBLE, ask DOUBLE, bs DOUBLE, aks DOUBLE, recv DOUBLE, seq DOUBLE)',
    );
    this.app = await this.conn.createAppender('stage');
  }

  async write(p: StreamColumns): Promise<void> {
    if (!this.app) await this.open();
    const symIds = p.symbols.map((s) => nameId(this.symbols, s));
    const srcIds = p.sources.map((s) => nameId(this.sources, s));
    const sym = new Float64Array(VECTOR);
    const src = new Float64Array(VECTOR);
    let at = 0;
    while (at < p.length) {
      const room = Math.min(VECTOR, p.length - at, ROW_GROUP_ROWS - this.staged);
      const end = at + room;
      for (let r = 0; r < room; r++) {
        sym[r] = symIds[p.symbol[at + r]!]!;
        src[r] = srcIds[p.source[at + r]!]!;
      }
      // A fresh chunk per vector: its validity starts all-valid, so only missing values are marked.
      const chunk = DuckDBDataChunk.create(TYPES, VECTOR);
      const cols = [p.tsUs, sym, src, p.bid, p.ask, p.bidSize, p.askSize, p.recvUs, p.seq];
      for (let c = 0; c < COLS; c++) {
        const v = chunk.getColumnVector(c) as DuckDBDoubleVector;
        const from = c === 1 || c === 2 ? cols[c]!.subarray(0, room) : cols[c]!.subarray(at, end);
        fillDoubles(v, from, NULLABLE[c]!);
        v.flush();
      }
      chunk.rowCount = room;
      this.app!.appendDataChunk(chunk);
      at = end;
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

/**
 * Copies a column into a vector's staging array in one `set`. The array is the vector's own
 * (DuckDBDoubleVector keeps it in a field its typings call private; flush() sends it to DuckDB):
 * setItem() per value cost as much as the rest of the export. Falls back to setItem() should a
 * later version of the package keep it elsewhere; the Parquet tests read every value back.
 */
function fillDoubles(v: DuckDBDoubleVector, from: Float64Array, nullable: boolean): void {
  const items = (v as unknown as { items?: unknown }).items;
  if (items instanceof Float64Array && items.length >= from.length) {
    items.set(from);
    if (nullable) for (let r = 0; r < from.length; r++) if (from[r] !== from[r]) v.setItem(r, null);
    return;
  }
  for (let r = 0; r < from.length; r++) {
    const x = from[r]!;
    v.setItem(r, nullable && x !== x ? null : x);
  }
}

function sqlPath(p: string): string {
  return p.replaceAll("'", "''");
}
