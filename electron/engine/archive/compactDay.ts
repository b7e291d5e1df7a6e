// Compaction of one day file into the archive tier, beside the original: every symbol's rows
// are read in one read transaction, coded into blocks, written with the day's dictionaries,
// feed events and bars to `<file>.compacting`, and that file is read back and checked (counts
// and a checksum of every value, sizes and sources included) before anyone may swap it in
// (archiveSwap.ts). The original is never written here.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { dayIndexToStartUs } from '../../../shared/time.ts';
import { fileBytesWithWal } from '../storage/dayFileCatalog.ts';
import {
  ARCHIVE_VERSION,
  FEED_EVENT_COLUMNS,
  SCHEMA_VERSION,
  createArchiveSchema,
} from '../storage/daySchema.ts';
import { barColumns, foldTick, newBar } from '../storage/minuteBar.ts';
import type { MinuteBar } from '../storage/minuteBar.ts';
import { decodeAsk, decodeBid } from '../storage/priceCodec.ts';
import { BARS_FORMAT, BAR_COLUMNS, decodeBars, encodeBars } from './barsCodec.ts';
import type { RowColumns } from './blockCodec.ts';
import { BLOCK_FORMAT, DEFAULT_ZSTD_LEVEL, encodeBlock } from './blockCodec.ts';
import { ByteWriter } from './byteStream.ts';
import { blocksOf, decodeBlocks, mergeRows, readQRows } from './dayRows.ts';
import { rowsChecksum } from './rowChecksum.ts';
import { dayFingerprint, isArchived } from './archiveMeta.ts';

/** 32,768 rows a block: within 1% of the best size, and few zstd frames to open per day read. */
export const DEFAULT_BLOCK_ROWS = 32_768;
export const TMP_SUFFIX = '.compacting';

export type CompactStage = 'read' | 'blocks' | 'written' | 'verified' | 'renamed';

export interface CompactOptions {
  blockRows?: number;
  zstdLevel?: number;
  /** Ticks coded so far of the day's total. */
  onProgress?(ticksDone: number, ticksTotal: number): void;
  /** Called as each stage is reached (the crash tests kill the process there). */
  onStage?(stage: CompactStage): void;
}

export interface PreparedArchive {
  day: number;
  sourcePath: string;
  tmpPath: string;
  /** What the source held when it was read: the swap goes ahead only if it still holds that. */
  fingerprint: string;
  ticks: number;
  symbols: number;
  bytesBefore: number;
  bytesAfter: number;
}

export class CompactionError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'CompactionError';
    this.path = path;
  }
}

export interface SymbolRow {
  id: number;
  name: string;
  scale: number;
  size_scale: number;
  count: number;
  src_min: number | null;
  src_max: number | null;
  first_t: number | null;
  last_t: number | null;
}

/** One symbol's day, coded: its blocks and bars as they go into the archived file. */
export interface EncodedSymbol {
  symId: number;
  name: string;
  n: number;
  /** rowsChecksum of the rows read: the written file must read back to the same. */
  checksum: number;
  blocks: {
    tFirst: number;
    tLast: number;
    n: number;
    range: [number, number, number, number];
    crc: number;
    data: Uint8Array;
  }[];
  bars: { n: number; crc: number; data: Uint8Array } | null;
}

/** The day's dictionaries and what identifies its content, read before its symbols. */
export interface DayHead {
  fingerprint: string;
  archived: boolean;
  symbols: SymbolRow[];
  sources: unknown[][];
  symbolSources: unknown[][];
  feedEvents: unknown[][];
  meta: unknown[][];
}

export interface CodingOptions {
  blockRows: number;
  level: number;
}

function codingOf(opts: CompactOptions): CodingOptions {
  return { blockRows: opts.blockRows ?? DEFAULT_BLOCK_ROWS, level: opts.zstdLevel ?? DEFAULT_ZSTD_LEVEL };
}

function openSource(sourcePath: string): Database.Database {
  const src = new Database(sourcePath, { fileMustExist: true });
  try {
    src.pragma('query_only = ON');
    src.pragma('busy_timeout = 5000');
    const version = src.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION)
      throw new CompactionError(sourcePath, `schema version ${version} is newer than this Tickscope`);
    if (version < ARCHIVE_VERSION)
      throw new CompactionError(
        sourcePath,
        `schema version ${version}: let this Tickscope open the day once (it upgrades the file) before compacting`,
      );
  } catch (e) {
    src.close();
    throw e;
  }
  return src;
}

/**
 * Compacts a day in this thread: its head and every symbol read in one read transaction (a
 * snapshot), written beside it and verified. The engine runs the same steps split over its
 * archive workers (readDayHead, encodeDaySymbols, writeArchive).
 */
export function prepareArchive(sourcePath: string, day: number, opts: CompactOptions = {}): PreparedArchive {
  const coding = codingOf(opts);
  const src = openSource(sourcePath);
  let head: DayHead;
  let encoded: EncodedSymbol[];
  try {
    src.exec('BEGIN');
    try {
      head = readHead(src);
      opts.onStage?.('read');
      encoded = encodeSymbols(src, head.symbols, head.archived, coding, opts);
    } finally {
      src.exec('COMMIT');
    }
  } finally {
    src.close();
  }
  return writeArchive(sourcePath, day, head, encoded, coding, opts);
}

export function readDayHead(sourcePath: string): DayHead {
  const src = openSource(sourcePath);
  try {
    return readHead(src);
  } finally {
    src.close();
  }
}

/** The given symbols of the day, coded (in one read transaction of their own). */
export function encodeDaySymbols(
  sourcePath: string,
  symbols: SymbolRow[],
  archived: boolean,
  opts: CompactOptions = {},
): EncodedSymbol[] {
  const src = openSource(sourcePath);
  try {
    return src.transaction(() => encodeSymbols(src, symbols, archived, codingOf(opts), opts))();
  } finally {
    src.close();
  }
}

function encodeSymbols(
  src: Database.Database,
  symbols: SymbolRow[],
  archived: boolean,
  coding: CodingOptions,
  opts: CompactOptions,
): EncodedSymbol[] {
  const total = symbols.reduce((a, x) => a + x.count, 0);
  const scratch = new ByteWriter(1 << 20);
  const out: EncodedSymbol[] = [];
  let done = 0;
  let blocks = 0;
  for (const sym of symbols) {
    const { rows, bars } = readSymbol(src, sym, archived);
    if (rows.n === 0 && bars.length === 0) continue;
    const e: EncodedSymbol = {
      symId: sym.id,
      name: sym.name,
      n: rows.n,
      checksum: rowsChecksum(sym.name, rows, rows.n),
      blocks: [],
      bars: null,
    };
    for (let f = 0; f < rows.n; f += coding.blockRows) {
      const to = Math.min(rows.n, f + coding.blockRows);
      const b = encodeBlock(rows, f, to, coding.level, scratch);
      e.blocks.push({
        tFirst: rows.t[f],
        tLast: rows.t[to - 1],
        n: to - f,
        range: priceRange(rows, f, to, sym.scale),
        crc: b.crc,
        data: b.data,
      });
      done += to - f;
      opts.onProgress?.(done, total);
      if (++blocks === 1) opts.onStage?.('blocks');
    }
    if (bars.length > 0) {
      const b = encodeBars(bars, sym.scale);
      // Checked here, where the source bars are: the written file is then checked byte for byte.
      const back = decodeBars(b.data, b.crc);
      for (let i = 0; i < bars.length; i++)
        for (let c = 0; c < BAR_COLUMNS.length; c++)
          if (!Object.is(back[i]?.[c], bars[i][c]))
            throw new CompactionError(sym.name, `bar ${i} ${BAR_COLUMNS[c]} does not code back exactly`);
      e.bars = { n: bars.length, crc: b.crc, data: b.data };
    }
    out.push(e);
  }
  return out;
}

/** Writes the coded symbols and the head's dictionaries to `<file>.compacting`, then verifies it. */
export function writeArchive(
  sourcePath: string,
  day: number,
  head: DayHead,
  encoded: EncodedSymbol[],
  coding: CodingOptions,
  opts: CompactOptions = {},
): PreparedArchive {
  const tmpPath = sourcePath + TMP_SUFFIX;
  const bytesBefore = fileBytesWithWal(sourcePath);
  fs.rmSync(tmpPath, { force: true });
  fs.rmSync(tmpPath + '-journal', { force: true });
  const out = new Database(tmpPath);
  try {
    // Small pages: an archived day is a few hundred KB and each of its dozen tables costs a page;
    // blobs read as fast from 512-byte overflow pages as from 4 KB ones (measured: 0.17 ms a day).
    out.pragma('page_size = 512');
    out.pragma('journal_mode = OFF');
    out.pragma('synchronous = OFF');
    createArchiveSchema(out, dayIndexToStartUs(day));
    out.transaction(() => {
      const addBlock = out.prepare(
        `INSERT INTO blocks (sym, t_first, t_last, n, bid_min, bid_max, ask_min, ask_max, format, crc, data)
         VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
      );
      const addBars = out.prepare('INSERT INTO bars_blocks (sym, n, format, crc, data) VALUES (?,?,?,?,?)');
      for (const e of encoded) {
        for (const b of e.blocks)
          addBlock.run(e.symId, b.tFirst, b.tLast, b.n, ...b.range, BLOCK_FORMAT, b.crc, asBuffer(b.data));
        if (e.bars) addBars.run(e.symId, e.bars.n, BARS_FORMAT, e.bars.crc, asBuffer(e.bars.data));
      }
      copyDictionaries(out, head, encoded);
      const meta = out.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
      meta.run('tier', 'archived');
      meta.run('live_bytes', String(bytesBefore));
      meta.run('block_rows', String(coding.blockRows));
      meta.run('codec', `tsb${BLOCK_FORMAT}+zstd${coding.level}`);
    })();
    out.pragma('journal_mode = DELETE');
  } finally {
    out.close();
  }
  fsyncFile(tmpPath);
  opts.onStage?.('written');
  verifyArchive(tmpPath, head, encoded);
  opts.onStage?.('verified');
  return {
    day,
    sourcePath,
    tmpPath,
    fingerprint: head.fingerprint,
    ticks: encoded.reduce((a, e) => a + e.n, 0),
    symbols: encoded.length,
    bytesBefore,
    bytesAfter: fileBytesWithWal(tmpPath),
  };
}

/** A Uint8Array that crossed from a worker, as the Buffer better-sqlite3 binds as a BLOB. */
function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function readHead(db: Database.Database): DayHead {
  return {
    fingerprint: dayFingerprint(db),
    archived: isArchived(db),
    symbols: db
      .prepare(
        'SELECT id, name, scale, size_scale, count, src_min, src_max, first_t, last_t FROM symbols ORDER BY id',
      )
      .all() as SymbolRow[],
    sources: db.prepare('SELECT id, name FROM sources ORDER BY id').raw(true).all() as unknown[][],
    symbolSources: db
      .prepare('SELECT sym, src FROM symbol_sources ORDER BY sym, src')
      .raw(true)
      .all() as unknown[][],
    feedEvents: db
      .prepare(`SELECT ${FEED_EVENT_COLUMNS} FROM feed_events ORDER BY rowid`)
      .raw(true)
      .all() as unknown[][],
    meta: db
      .prepare("SELECT key, value FROM meta WHERE key NOT IN ('tier', 'live_bytes', 'block_rows', 'codec')")
      .raw(true)
      .all() as unknown[][],
  };
}

/** A symbol's rows (blocks and late rows of an archived day merged) and its minute bars. */
function readSymbol(
  db: Database.Database,
  sym: SymbolRow,
  archived: boolean,
): { rows: RowColumns & { n: number }; bars: number[][] } {
  const late = readQRows(db, sym.id);
  if (!archived) {
    const bars = db
      .prepare(`SELECT ${BAR_COLUMNS.join(', ')} FROM bars_1m WHERE sym = ? ORDER BY m`)
      .raw(true)
      .all(sym.id) as number[][];
    return { rows: late, bars };
  }
  const rows = mergeRows(decodeBlocks(db, blocksOf(db, sym.id), null, true), late);
  const stored = db.prepare('SELECT data, crc FROM bars_blocks WHERE sym = ?').get(sym.id) as
    { data: Buffer; crc: number } | undefined;
  // Late rows change their minutes' bars: rebuild the symbol's bars from all its rows.
  return {
    rows,
    bars: late.n === 0 && stored ? decodeBars(stored.data, stored.crc) : barsOf(rows, sym.scale),
  };
}

/** Minute bars from rows in key order, by the writer's rules (minuteBar.ts). */
function barsOf(rows: RowColumns & { n: number }, scale: number): number[][] {
  const out: number[][] = [];
  let cur: MinuteBar | null = null;
  for (let i = 0; i < rows.n; i++) {
    const t = rows.t[i];
    const pb = decodeBid(rows.src[i], rows.b[i], scale);
    const pa = decodeAsk(rows.src[i], rows.b[i], rows.s[i], scale);
    const m = Math.floor(t / 60_000_000);
    if (!cur || cur.m !== m) {
      if (cur) out.push(barColumns(cur));
      cur = newBar(m, t, pb, pa);
    } else foldTick(cur, t, pb, pa);
  }
  if (cur) out.push(barColumns(cur));
  return out;
}

function copyDictionaries(out: Database.Database, head: DayHead, encoded: EncodedSymbol[]): void {
  const sym = out.prepare(
    'INSERT INTO symbols (id, name, scale, size_scale, count, src_min, src_max, first_t, last_t) VALUES (?,?,?,?,?,?,?,?,?)',
  );
  const byId = new Map(head.symbols.map((x) => [x.id, x]));
  for (const e of encoded) {
    const s = byId.get(e.symId)!;
    // The count is the rows actually stored (a counter behind its rows is corrected here).
    sym.run(s.id, s.name, s.scale, s.size_scale, e.n, s.src_min, s.src_max, s.first_t, s.last_t);
  }
  const src = out.prepare('INSERT INTO sources (id, name) VALUES (?, ?)');
  for (const r of head.sources) src.run(...r);
  const ss = out.prepare('INSERT INTO symbol_sources (sym, src) VALUES (?, ?)');
  const kept = new Set(encoded.map((e) => e.symId));
  for (const r of head.symbolSources) if (kept.has(r[0] as number)) ss.run(...r);
  const fe = out.prepare(`INSERT INTO feed_events (${FEED_EVENT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)`);
  for (const r of head.feedEvents) fe.run(...r);
  const meta = out.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  for (const r of head.meta) meta.run(...r);
}

/** bid min/max and ask min/max of rows [from, to), decoded (for the shell and coarse bars). */
function priceRange(
  rows: RowColumns,
  from: number,
  to: number,
  scale: number,
): [number, number, number, number] {
  let bl = Infinity;
  let bh = -Infinity;
  let al = Infinity;
  let ah = -Infinity;
  for (let i = from; i < to; i++) {
    const b = decodeBid(rows.src[i], rows.b[i], scale);
    const a = decodeAsk(rows.src[i], rows.b[i], rows.s[i], scale);
    if (b < bl) bl = b;
    if (b > bh) bh = b;
    if (a < al) al = a;
    if (a > ah) ah = a;
  }
  return [bl, bh, al, ah];
}

/**
 * Reads the compacted file back: every symbol's values (decoded and checksummed against the rows
 * read from the original), its bars (the bytes coded and checked against the original's bars),
 * scales, dictionaries and feed events.
 */
function verifyArchive(tmpPath: string, head: DayHead, encoded: EncodedSymbol[]): void {
  const db = new Database(tmpPath, { readonly: true, fileMustExist: true });
  const fail = (what: string) => {
    throw new CompactionError(
      tmpPath,
      `the compacted file does not read back as the original (${what}); the original is kept`,
    );
  };
  try {
    if ((db.pragma('user_version', { simple: true }) as number) !== SCHEMA_VERSION) fail('schema version');
    const bars = db.prepare('SELECT data, crc FROM bars_blocks WHERE sym = ?');
    for (const e of encoded) {
      const rows = decodeBlocks(db, blocksOf(db, e.symId), null, true);
      if (rows.n !== e.n) fail(`${e.name}: ${rows.n} rows instead of ${e.n}`);
      if (rowsChecksum(e.name, rows, rows.n) !== e.checksum) fail(`${e.name}: value checksum`);
      const stored = bars.get(e.symId) as { data: Buffer; crc: number } | undefined;
      if ((stored === undefined) !== (e.bars === null)) fail(`${e.name}: bars missing`);
      if (stored && e.bars && (stored.crc !== e.bars.crc || !asBuffer(e.bars.data).equals(stored.data)))
        fail(`${e.name}: bars`);
    }
    const scales = new Map(
      (db.prepare('SELECT id, scale, size_scale FROM symbols').all() as SymbolRow[]).map((x) => [x.id, x]),
    );
    for (const s of head.symbols) {
      const x = scales.get(s.id);
      if (x && (x.scale !== s.scale || x.size_scale !== s.size_scale)) fail(`${s.name}: price scale`);
    }
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    if (count('SELECT count(*) FROM symbols') !== encoded.length) fail('symbols');
    if (count('SELECT count(*) FROM q') !== 0) fail('rows left in q');
    if (count('SELECT count(*) FROM sources') !== head.sources.length) fail('sources');
    if (count('SELECT count(*) FROM feed_events') !== head.feedEvents.length) fail('feed events');
  } finally {
    db.close();
  }
}

export function fsyncFile(p: string): void {
  const fd = fs.openSync(p, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
