// Parquet through DuckDB in one COPY whose source is a table function fed from the stream: DuckDB
// asks for a 2048-row chunk at a time, the function fills its vectors column-wise, already in the
// file's own types (duckColumns.ts: int64 times, ENUM codes for names; no casts, no staging table,
// no part files to merge), and the Parquet writer flushes a row group every `rowGroupRows` rows,
// so memory holds one row group. The stream is pulled (synchronously, a page at a time) from
// inside DuckDB's calls, since its scan cannot wait for pages pushed later. Schema (readers see):
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
import {
  BIGINT,
  DOUBLE,
  DuckDBInstance,
  DuckDBTableFunction,
  DuckDBTimestampTZValue,
  ENUM,
  TIMESTAMPTZ,
} from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBType } from '@duckdb/node-api';
import type { StreamColumns } from '../stream/streamTypes.ts';
import { putCodes, putDoubles, putInt64s } from './duckColumns.ts';
import { partialPath } from './pageWriter.ts';

export const ROW_GROUP_ROWS = 1_000_000;
const VECTOR = 2048; // DuckDB's vector size: the most rows a scan's chunk takes
/**
 * DuckDB's own memory cap: one row group being encoded (~60 MB of typed columns) and its
 * compressed pages; without it DuckDB sizes its buffer pool from the machine's RAM.
 */
const MEMORY_LIMIT = '256MB';

export interface ParquetOptions {
  /** Rows per row group (default ROW_GROUP_ROWS); tests pass a small one to get several. */
  rowGroupRows?: number;
  /**
   * Every symbol and source name the export can meet (the stored ones), for the ENUMs: DuckDB
   * fixes a scan's column types before the first row. A name met that is not listed fails the
   * write with UnknownNameError (exportRun restarts with it).
   */
  symbols: readonly string[];
  sources: readonly string[];
}

/** The next page of the stream, or null at its end (or when the export is cancelled). */
export type PageSource = () => StreamColumns | null;

/** The stream brought a name the writer's ENUMs do not have: restart with it listed. */
export class UnknownNameError extends Error {
  readonly kind: 'symbol' | 'source';
  readonly value: string;

  constructor(kind: 'symbol' | 'source', value: string) {
    super(`the Parquet export met a ${kind} it was not told of: ${value}`);
    this.kind = kind;
    this.value = value;
  }
}

/** A name's ENUM index; the member list is fixed when the scan binds. */
class Names {
  readonly list: string[];
  private readonly ids: Map<string, number>;
  private readonly what: 'symbol' | 'source';

  constructor(names: readonly string[], what: 'symbol' | 'source') {
    // An ENUM needs a member: an export of nothing still binds, with an unused one.
    this.list = names.length > 0 ? [...new Set(names)] : [''];
    this.ids = new Map(this.list.map((n, i) => [n, i]));
    this.what = what;
  }

  id(name: string): number {
    const id = this.ids.get(name);
    if (id === undefined) throw new UnknownNameError(this.what, name);
    return id;
  }
}

let seq = 0;

export class ParquetWriter {
  private readonly outPath: string;
  private readonly tmp: string;
  private readonly rowGroupRows: number;
  private readonly symbols: Names;
  private readonly sources: Names;
  private db: DuckDBInstance | null = null;
  private conn: DuckDBConnection | null = null;
  rowsWritten = 0;
  bytesWritten = 0;

  constructor(outPath: string, options: ParquetOptions) {
    this.outPath = outPath;
    this.tmp = partialPath(outPath);
    this.rowGroupRows = options.rowGroupRows ?? ROW_GROUP_ROWS;
    this.symbols = new Names(options.symbols, 'symbol');
    this.sources = new Names(options.sources, 'source');
  }

  /** Pulls pages until `next` returns null, writes the file and renames it into place. */
  async writeAll(next: PageSource): Promise<string[]> {
    fs.writeFileSync(this.tmp, ''); // fails here, not in DuckDB, on an unwritable path
    // One thread: the export already has its own worker, and the machine's other cores record.
    this.db = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: MEMORY_LIMIT });
    this.conn = await this.db.connect();
    await this.conn.run("SET TimeZone = 'UTC'");
    const name = `tickscope_ticks_${++seq}`;
    const scan = new Scan(next, this.symbols, this.sources, (n) => (this.rowsWritten += n));
    const types: [string, DuckDBType][] = [
      ['time', TIMESTAMPTZ],
      ['symbol', ENUM(this.symbols.list)],
      ['source', ENUM(this.sources.list)],
      ['bid', DOUBLE],
      ['ask', DOUBLE],
      ['bid_size', DOUBLE],
      ['ask_size', DOUBLE],
      ['recv_time', TIMESTAMPTZ],
      ['seq', BIGINT],
    ];
    const fn = DuckDBTableFunction.create({
      name,
      bindFunction: (info) => {
        for (const [col, type] of types) info.addResultColumn(col, type);
      },
      initFunction: () => {},
      mainFunction: (info, out) => {
        try {
          scan.fill(out);
        } catch (e) {
          scan.error = e;
          info.setError(e instanceof Error ? e.message : String(e));
        }
      },
    });
    this.conn.registerTableFunction(fn);
    try {
      await this.conn.run(
        `COPY (SELECT * FROM ${name}()) TO '${sqlPath(this.tmp)}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${this.rowGroupRows})`,
      );
    } catch (e) {
      throw scan.error ?? e;
    }
    this.close();
    this.bytesWritten = fs.statSync(this.tmp).size;
    fs.renameSync(this.tmp, this.outPath);
    return [this.outPath];
  }

  /** Bytes DuckDB has flushed to the file so far (whole row groups). */
  flushedBytes(): number {
    try {
      return fs.statSync(this.tmp).size;
    } catch {
      return 0;
    }
  }

  private close(): void {
    this.conn?.closeSync();
    this.db?.closeSync();
    this.conn = null;
    this.db = null;
  }

  /** Removes the partial output; never throws. */
  abort(): void {
    try {
      this.close();
    } catch {
      /* closing is best effort on the way out */
    }
    fs.rmSync(this.tmp, { force: true });
  }
}

/** The table function's state: the current page and how far into it DuckDB has read. */
class Scan {
  private page: StreamColumns | null = null;
  private at = 0;
  private done = false;
  private symIds = new Uint16Array(0);
  private srcIds = new Uint16Array(0);
  private readonly sym = new Uint16Array(VECTOR);
  private readonly src = new Uint16Array(VECTOR);
  error: unknown = null;

  private readonly next: PageSource;
  private readonly symbols: Names;
  private readonly sources: Names;
  private readonly counted: (n: number) => void;

  constructor(next: PageSource, symbols: Names, sources: Names, counted: (n: number) => void) {
    this.next = next;
    this.symbols = symbols;
    this.sources = sources;
    this.counted = counted;
  }

  fill(out: DuckDBDataChunk): void {
    while (!this.done && (!this.page || this.at >= this.page.length)) {
      const p = this.next();
      if (p === null) this.done = true;
      else {
        this.page = p;
        this.at = 0;
        this.symIds = Uint16Array.from(p.symbols, (s) => this.symbols.id(s));
        this.srcIds = Uint16Array.from(p.sources, (s) => this.sources.id(s));
      }
    }
    if (this.done || !this.page) {
      out.rowCount = 0;
      return;
    }
    const p = this.page;
    const at = this.at;
    const room = Math.min(VECTOR, p.length - at);
    const end = at + room;
    for (let r = 0; r < room; r++) {
      this.sym[r] = this.symIds[p.symbol[at + r]!]!;
      this.src[r] = this.srcIds[p.source[at + r]!]!;
    }
    out.rowCount = room;
    const col = (c: number) => out.getColumnVector(c);
    putInt64s(col(0), p.tsUs.subarray(at, end), false, timestamp);
    putCodes(col(1), this.sym.subarray(0, room), this.symbols.list);
    putCodes(col(2), this.src.subarray(0, room), this.sources.list);
    putDoubles(col(3), p.bid.subarray(at, end), false);
    putDoubles(col(4), p.ask.subarray(at, end), false);
    putDoubles(col(5), p.bidSize.subarray(at, end), true);
    putDoubles(col(6), p.askSize.subarray(at, end), true);
    putInt64s(col(7), p.recvUs.subarray(at, end), false, timestamp);
    putInt64s(col(8), p.seq.subarray(at, end), true, BigInt);
    this.at = end;
    this.counted(room);
  }
}

const timestamp = (us: number): DuckDBTimestampTZValue => new DuckDBTimestampTZValue(BigInt(us));

function sqlPath(p: string): string {
  return p.replaceAll("'", "''");
}
