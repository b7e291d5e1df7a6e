// One symbol's stored ticks of a selection, read ahead a chunk at a time across its day files in
// the day file's key order (t, src, b, s, u), decoded to stream values. Live days read a chunk of
// rows after the last key; archived days read one block at a time after it (archivedRange.ts).
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { RowColumns } from '../archive/blockCodec.ts';
import type { DayFileRef } from '../storage/dayFileCatalog.ts';
import type { KeyValue } from '../storage/dayKey.ts';
import { decodeAsk, decodeBid } from '../storage/priceCodec.ts';
import { US_PER_DAY, dayIndexToStartUs } from '../../../shared/time.ts';
import type { DaySymbol, OpenDay, OpenDays } from '../reader/openDays.ts';
import { daySymbol, sourceIdIn, sourceName } from '../reader/openDays.ts';
import type { SymbolRows } from '../reader/symbolRows.ts';
import { rowsOf } from '../reader/symbolRows.ts';
import { BlockCache } from './blockCache.ts';
import type { Key } from './archivedRange.ts';
import { ArchivedRange, keyOf } from './archivedRange.ts';

export interface ChunkSpec {
  symbol: string;
  files: readonly DayFileRef[];
  /** Inclusive start (µs), exclusive end. */
  startUs: number;
  toUs: number;
  /** Ticks at exactly startUs to pass over (a cursor's skip). */
  skip: number;
  sources: readonly string[] | null;
  sizes: boolean;
  chunk: number;
}

/** Chunk queries by connection: a page reads a symbol's day in many chunks, a stream in many pages. */
const STATEMENTS = new WeakMap<Database.Database, Map<string, Statement>>();

/** The day a chunk is being decoded from. */
interface DayContext {
  d: OpenDay;
  sym: DaySymbol;
  /** The day's midnight (µs). */
  base: number;
  /** The selection's start, relative to the day (the skip applies to ticks at exactly it). */
  startRel: number;
  ids: number[] | null;
  /** The last source decoded and its name: looked up again only when the source changes. */
  lastSrc: number;
  lastName: string;
}

export class SymbolChunks {
  readonly symbol: string;
  // The current chunk, decoded.
  tsUs: Float64Array;
  src: string[];
  bid: Float64Array;
  ask: Float64Array;
  bidSize: Float64Array;
  askSize: Float64Array;
  recvUs: Float64Array;
  seq: Float64Array;
  noTime: Uint8Array;
  n = 0;
  pos = 0;
  private readonly open: OpenDays;
  private readonly spec: ChunkSpec;
  private day = 0;
  private after: Key | null = null;
  private skipLeft: number;
  /** The current day's archived rows, when it is archived. */
  private arch: { d: OpenDay; range: ArchivedRange } | null = null;
  private readonly blocks: BlockCache;
  private done = false;
  private cur: DayContext | null = null;

  constructor(open: OpenDays, spec: ChunkSpec, blocks = new BlockCache()) {
    this.open = open;
    this.spec = spec;
    this.blocks = blocks;
    this.symbol = spec.symbol;
    this.skipLeft = spec.skip;
    const c = spec.chunk;
    this.tsUs = new Float64Array(c);
    this.src = new Array<string>(c);
    this.bid = new Float64Array(c);
    this.ask = new Float64Array(c);
    this.bidSize = new Float64Array(c);
    this.askSize = new Float64Array(c);
    this.recvUs = new Float64Array(c);
    this.seq = new Float64Array(c);
    this.noTime = new Uint8Array(c);
  }

  /** Whether a tick is at `pos` (reading the next chunk when the current one is used up). */
  ready(): boolean {
    if (this.pos < this.n) return true;
    while (!this.done) {
      this.fill();
      if (this.n > 0) return true;
    }
    return false;
  }

  private fill(): void {
    this.n = 0;
    this.pos = 0;
    const { files } = this.spec;
    while (this.n === 0 && this.day < files.length) {
      const ref = files[this.day];
      const got = this.open.onDay(ref, (d) => this.fillFrom(d, ref.day), false);
      if (!got) {
        this.day++;
        this.after = null;
        this.arch = null;
      }
    }
    if (this.n === 0) this.done = true;
  }

  /** Reads the next chunk of a day into the buffers; false when the day has no more rows. */
  private fillFrom(d: OpenDay, dayIndex: number): boolean {
    const sym = daySymbol(d, this.symbol);
    if (!sym) return false;
    const base = dayIndexToStartUs(dayIndex);
    const lo = Math.max(0, this.spec.startUs - base);
    const hi = Math.min(US_PER_DAY, this.spec.toUs - base);
    if (hi <= lo) return false;
    let ids: number[] | null = null;
    if (this.spec.sources) {
      ids = [];
      for (const name of this.spec.sources) {
        const id = sourceIdIn(d, name);
        if (id !== null) ids.push(id);
      }
      if (ids.length === 0) return false;
    }
    this.cur = { d, sym, base, startRel: this.spec.startUs - base, ids, lastSrc: Number.NaN, lastName: '' };
    this.n = 0;
    if (!d.archived) return this.liveRows(d, sym.id, lo, hi, ids);
    const rows = this.archivedRows(d, sym.id, lo, hi);
    if (rows === null) return false;
    const { t, src, b, s, u, r, bs, asz } = rows;
    const sized = this.spec.sizes;
    for (let i = 0; i < rows.n; i++)
      this.put(t[i], src[i], b[i], s[i], u[i], r[i], sized ? bs[i] : NaN, sized ? asz[i] : NaN);
    // Rows read but all skipped or filtered: the day may still have more.
    return rows.n > 0;
  }

  /** Decodes one stored row into the chunk at `n`, unless the source filter or the skip drops it. */
  private put(
    t: number,
    stored: number,
    b: number,
    s: number,
    u: number,
    r: number,
    bs: number,
    asz: number,
  ): void {
    const c = this.cur!;
    const srcId = stored >= 0 ? stored : -1 - stored;
    if (c.ids !== null && !c.ids.includes(srcId)) return;
    if (this.skipLeft > 0 && t === c.startRel) {
      this.skipLeft--;
      return;
    }
    const n = this.n++;
    const ts = c.base + t;
    this.tsUs[n] = ts;
    if (srcId !== c.lastSrc) {
      c.lastSrc = srcId;
      c.lastName = sourceName(c.d, srcId);
    }
    this.src[n] = c.lastName;
    const scale = c.sym.scale;
    this.bid[n] = decodeBid(stored, b, scale);
    this.ask[n] = decodeAsk(stored, b, s, scale);
    this.bidSize[n] = bs === bs ? (bs >= 0 ? bs / c.sym.sizeScale : -bs) : NaN;
    this.askSize[n] = asz === asz ? (asz >= 0 ? asz / c.sym.sizeScale : -asz) : NaN;
    const none = r !== r;
    this.recvUs[n] = none ? ts : ts + r;
    this.noTime[n] = none ? 1 : 0;
    this.seq[n] = u > 0 ? u - 1 : NaN;
  }

  /** Reads the next chunk of a live day's rows after the last key straight into the chunk. */
  private liveRows(d: OpenDay, symId: number, lo: number, hi: number, ids: number[] | null): boolean {
    const rows = rowsOf(d.version, symId);
    const a = this.after;
    const params: KeyValue[] = a
      ? [rows.keyAt(hi), rows.keyAt(a[0]), a[1], a[2], a[3], ...(rows.withU ? [a[4]] : [])]
      : [rows.keyAt(lo), rows.keyAt(hi)];
    if (ids !== null) for (const id of ids) params.push(id, -1 - id);
    const got = this.liveStatement(d, rows, a !== null, ids?.length ?? 0).all(
      ...params,
      this.spec.chunk,
    ) as number[][];
    const n = got.length;
    if (n === 0) return false;
    // NULL r, bs, asz come as null; without sizes the query leaves bs and asz out (a sixth less
    // to read a row).
    const sized = this.spec.sizes;
    for (let i = 0; i < n; i++) {
      const row = got[i];
      const r = row[5];
      const bs = sized ? row[6] : null;
      const asz = sized ? row[7] : null;
      this.put(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        r === null ? NaN : r,
        bs === null ? NaN : bs,
        asz === null ? NaN : asz,
      );
    }
    const last = got[n - 1];
    this.after = [last[0], last[1], last[2], last[3], last[4]];
    return true;
  }

  /** The chunk query of a live day, prepared once per file and shape. */
  private liveStatement(d: OpenDay, rows: SymbolRows, after: boolean, sources: number): Statement {
    const shape = `${d.version} ${rows.table} ${rows.t} ${after ? 1 : 0} ${sources} ${this.spec.sizes ? 1 : 0}`;
    let byShape = STATEMENTS.get(d.db);
    if (!byShape) STATEMENTS.set(d.db, (byShape = new Map()));
    let stmt = byShape.get(shape);
    if (stmt) return stmt;
    let where = after
      ? `${rows.key} < ? AND (${rows.cols}) > (${rows.withU ? '?, ?, ?, ?, ?' : '?, ?, ?, ?'})`
      : `${rows.key} >= ? AND ${rows.key} < ?`;
    if (sources > 0) where += ` AND src IN (${new Array(sources * 2).fill('?').join(', ')})`;
    const sql = `SELECT ${rows.t}, src, b, s, ${rows.withU ? 'u' : '0'}, r${this.spec.sizes ? ', bs, asz' : ''}
                 FROM ${rows.table} WHERE ${where} ORDER BY ${rows.cols} LIMIT ?`;
    stmt = d.db.prepare(sql).raw();
    byShape.set(shape, stmt);
    return stmt;
  }

  private archivedRows(
    d: OpenDay,
    symId: number,
    lo: number,
    hi: number,
  ): (RowColumns & { n: number }) | null {
    // A file swapped under the reader (a salvage) is read on from the same key.
    if (this.arch?.d !== d)
      this.arch = { d, range: new ArchivedRange(d, symId, lo, hi, this.spec.sizes, this.blocks) };
    const rows = this.arch.range.next(this.after, this.spec.chunk);
    if (rows !== null) this.after = keyOf(rows, rows.n - 1);
    return rows;
  }
}
