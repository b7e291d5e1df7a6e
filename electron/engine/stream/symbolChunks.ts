// One symbol's stored ticks of a selection, read ahead a chunk at a time across its day files in
// the day file's key order (t, src, b, s, u), decoded to stream values. Live days read a chunk of
// rows after the last key; archived days read one block at a time after it (archivedRange.ts).
import type { RowColumns } from '../archive/blockCodec.ts';
import type { DayFileRef } from '../storage/dayFileCatalog.ts';
import type { KeyValue } from '../storage/dayKey.ts';
import { decodeAsk, decodeBid, decodeSize, sourceIdOf } from '../storage/priceCodec.ts';
import { US_PER_DAY, dayIndexToStartUs } from '../../../shared/time.ts';
import type { OpenDay, OpenDays } from '../reader/openDays.ts';
import { daySymbol, sourceIdIn, sourceName } from '../reader/openDays.ts';
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
    const rows = d.archived ? this.archivedRows(d, sym.id, lo, hi) : this.liveRows(d, sym.id, lo, hi, ids);
    if (rows === null) return false;
    const startRel = this.spec.startUs - base;
    const names = new Map<number, string>();
    let n = 0;
    for (let i = 0; i < rows.n; i++) {
      const t = rows.t[i];
      const stored = rows.src[i];
      const srcId = sourceIdOf(stored);
      if (ids !== null && !ids.includes(srcId)) continue;
      if (this.skipLeft > 0 && t === startRel) {
        this.skipLeft--;
        continue;
      }
      const ts = base + t;
      this.tsUs[n] = ts;
      let name = names.get(srcId);
      if (name === undefined) names.set(srcId, (name = sourceName(d, srcId)));
      this.src[n] = name;
      const b = rows.b[i];
      this.bid[n] = decodeBid(stored, b, sym.scale);
      this.ask[n] = decodeAsk(stored, b, rows.s[i], sym.scale);
      if (this.spec.sizes) {
        this.bidSize[n] = decodeSize(rows.bs[i], sym.sizeScale) ?? NaN;
        this.askSize[n] = decodeSize(rows.asz[i], sym.sizeScale) ?? NaN;
      } else {
        this.bidSize[n] = NaN;
        this.askSize[n] = NaN;
      }
      const r = rows.r[i];
      const none = r !== r;
      this.recvUs[n] = none ? ts : ts + r;
      this.noTime[n] = none ? 1 : 0;
      const u = rows.u[i];
      this.seq[n] = u > 0 ? u - 1 : NaN;
      n++;
    }
    this.n = n;
    // Rows read but all skipped or filtered: the day may still have more.
    return rows.n > 0;
  }

  private liveRows(
    d: OpenDay,
    symId: number,
    lo: number,
    hi: number,
    ids: number[] | null,
  ): (RowColumns & { n: number }) | null {
    const rows = rowsOf(d.version, symId);
    const a = this.after;
    let where: string;
    let params: KeyValue[];
    if (a) {
      where = `${rows.key} < ? AND (${rows.cols}) > (${rows.withU ? '?, ?, ?, ?, ?' : '?, ?, ?, ?'})`;
      params = [rows.keyAt(hi), rows.keyAt(a[0]), a[1], a[2], a[3], ...(rows.withU ? [a[4]] : [])];
    } else {
      where = `${rows.key} >= ? AND ${rows.key} < ?`;
      params = [rows.keyAt(lo), rows.keyAt(hi)];
    }
    if (ids !== null) {
      const stored = ids.flatMap((id) => [id, -1 - id]);
      where += ` AND src IN (${stored.map(() => '?').join(', ')})`;
      params.push(...stored);
    }
    const sql = `SELECT ${rows.t}, src, b, s, ${rows.withU ? 'u' : '0'}, r, ${this.spec.sizes ? 'bs, asz' : 'NULL, NULL'}
                 FROM ${rows.table} WHERE ${where} ORDER BY ${rows.cols} LIMIT ?`;
    const got = d.db
      .prepare(sql)
      .raw()
      .all(...params, this.spec.chunk) as (number | null)[][];
    if (got.length === 0) return null;
    const n = got.length;
    const out = {
      n,
      t: new Float64Array(n),
      src: new Float64Array(n),
      b: new Float64Array(n),
      s: new Float64Array(n),
      u: new Float64Array(n),
      r: new Float64Array(n),
      bs: new Float64Array(n),
      asz: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      const row = got[i];
      out.t[i] = row[0] as number;
      out.src[i] = row[1] as number;
      out.b[i] = row[2] as number;
      out.s[i] = row[3] as number;
      out.u[i] = row[4] as number;
      out.r[i] = row[5] === null ? NaN : row[5];
      out.bs[i] = row[6] === null ? NaN : row[6];
      out.asz[i] = row[7] === null ? NaN : row[7];
    }
    const last = got[n - 1];
    this.after = [
      last[0] as number,
      last[1] as number,
      last[2] as number,
      last[3] as number,
      last[4] as number,
    ];
    return out;
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
