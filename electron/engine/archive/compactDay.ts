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

interface SymbolRow {
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

interface SymbolDay {
  sym: SymbolRow;
  n: number;
  bars: number[][];
  checksum: number;
}

export function prepareArchive(sourcePath: string, day: number, opts: CompactOptions = {}): PreparedArchive {
  const blockRows = opts.blockRows ?? DEFAULT_BLOCK_ROWS;
  const level = opts.zstdLevel ?? DEFAULT_ZSTD_LEVEL;
  const dayStartUs = dayIndexToStartUs(day);
  const bytesBefore = fileBytesWithWal(sourcePath);
  const tmpPath = sourcePath + TMP_SUFFIX;
  const src = new Database(sourcePath, { fileMustExist: true });
  let read: SourceRead;
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
    // One read transaction for the whole day: a snapshot, whatever the writer does meanwhile.
    src.exec('BEGIN');
    try {
      read = readHead(src);
      const total = read.symbols.reduce((a, x) => a + x.count, 0);
      opts.onStage?.('read');
      fs.rmSync(tmpPath, { force: true });
      fs.rmSync(tmpPath + '-journal', { force: true });
      writeArchive(src, tmpPath, dayStartUs, read, { blockRows, level, bytesBefore, total, opts });
    } finally {
      src.exec('COMMIT');
    }
  } finally {
    src.close();
  }
  fsyncFile(tmpPath);
  opts.onStage?.('written');
  verifyArchive(tmpPath, read);
  opts.onStage?.('verified');
  return {
    day,
    sourcePath,
    tmpPath,
    fingerprint: read.fingerprint,
    ticks: read.days.reduce((a, d) => a + d.n, 0),
    symbols: read.days.length,
    bytesBefore,
    bytesAfter: fileBytesWithWal(tmpPath),
  };
}

/** Symbol by symbol (one symbol's rows in memory at a time) into the new file, in one transaction. */
function writeArchive(
  src: Database.Database,
  tmpPath: string,
  dayStartUs: number,
  read: SourceRead,
  o: { blockRows: number; level: number; bytesBefore: number; total: number; opts: CompactOptions },
): void {
  const out = new Database(tmpPath);
  try {
    // Small pages: an archived day is a few hundred KB and each of its dozen tables costs a page;
    // blobs read as fast from 512-byte overflow pages as from 4 KB ones (measured: 0.17 ms a day).
    out.pragma('page_size = 512');
    out.pragma('journal_mode = OFF');
    out.pragma('synchronous = OFF');
    createArchiveSchema(out, dayStartUs);
    let done = 0;
    out.transaction(() => {
      const addBlock = out.prepare(
        `INSERT INTO blocks (sym, t_first, t_last, n, bid_min, bid_max, ask_min, ask_max, format, crc, data)
         VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
      );
      const addBars = out.prepare('INSERT INTO bars_blocks (sym, n, format, crc, data) VALUES (?,?,?,?,?)');
      const scratch = new ByteWriter(1 << 20);
      let blocks = 0;
      for (const sym of read.symbols) {
        const { rows, bars } = readSymbol(src, sym, read.archived);
        if (rows.n === 0 && bars.length === 0) continue;
        read.days.push({ sym, n: rows.n, bars, checksum: rowsChecksum(sym.name, rows, rows.n) });
        for (let f = 0; f < rows.n; f += o.blockRows) {
          const to = Math.min(rows.n, f + o.blockRows);
          const e = encodeBlock(rows, f, to, o.level, scratch);
          const r = priceRange(rows, f, to, sym.scale);
          addBlock.run(
            sym.id,
            rows.t[f],
            rows.t[to - 1],
            to - f,
            r[0],
            r[1],
            r[2],
            r[3],
            BLOCK_FORMAT,
            e.crc,
            e.data,
          );
          done += to - f;
          o.opts.onProgress?.(done, o.total);
          if (++blocks === 1) o.opts.onStage?.('blocks');
        }
        if (bars.length > 0) {
          const b = encodeBars(bars, sym.scale, o.level);
          addBars.run(sym.id, bars.length, BARS_FORMAT, b.crc, b.data);
        }
      }
      copyDictionaries(out, read);
      const meta = out.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
      meta.run('tier', 'archived');
      meta.run('live_bytes', String(o.bytesBefore));
      meta.run('block_rows', String(o.blockRows));
      meta.run('codec', `tsb${BLOCK_FORMAT}+zstd${o.level}`);
    })();
    out.pragma('journal_mode = DELETE');
  } finally {
    out.close();
  }
}

interface SourceRead {
  fingerprint: string;
  archived: boolean;
  symbols: SymbolRow[];
  /** Filled as each symbol is written: what verification compares. */
  days: SymbolDay[];
  sources: unknown[][];
  symbolSources: unknown[][];
  feedEvents: unknown[][];
  meta: unknown[][];
}

function readHead(db: Database.Database): SourceRead {
  return {
    fingerprint: dayFingerprint(db),
    archived: isArchived(db),
    symbols: db
      .prepare(
        'SELECT id, name, scale, size_scale, count, src_min, src_max, first_t, last_t FROM symbols ORDER BY id',
      )
      .all() as SymbolRow[],
    days: [],
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
  const stored = db.prepare('SELECT data FROM bars_blocks WHERE sym = ?').pluck().get(sym.id) as
    Buffer | undefined;
  // Late rows change their minutes' bars: rebuild the symbol's bars from all its rows.
  return { rows, bars: late.n === 0 && stored ? decodeBars(stored) : barsOf(rows, sym.scale) };
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

function copyDictionaries(out: Database.Database, read: SourceRead): void {
  const sym = out.prepare(
    'INSERT INTO symbols (id, name, scale, size_scale, count, src_min, src_max, first_t, last_t) VALUES (?,?,?,?,?,?,?,?,?)',
  );
  for (const d of read.days) {
    const s = d.sym;
    // The count is the rows actually stored (a counter behind its rows is corrected here).
    sym.run(s.id, s.name, s.scale, s.size_scale, d.n, s.src_min, s.src_max, s.first_t, s.last_t);
  }
  const src = out.prepare('INSERT INTO sources (id, name) VALUES (?, ?)');
  for (const r of read.sources) src.run(...r);
  const ss = out.prepare('INSERT INTO symbol_sources (sym, src) VALUES (?, ?)');
  const kept = new Set(read.days.map((d) => d.sym.id));
  for (const r of read.symbolSources) if (kept.has(r[0] as number)) ss.run(...r);
  const fe = out.prepare(`INSERT INTO feed_events (${FEED_EVENT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)`);
  for (const r of read.feedEvents) fe.run(...r);
  const meta = out.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  for (const r of read.meta) meta.run(...r);
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

/** Reads the compacted file back: every symbol's values, bars, dictionaries and feed events. */
function verifyArchive(tmpPath: string, read: SourceRead): void {
  const db = new Database(tmpPath, { readonly: true, fileMustExist: true });
  const fail = (what: string) => {
    throw new CompactionError(
      tmpPath,
      `the compacted file does not read back as the original (${what}); the original is kept`,
    );
  };
  try {
    if ((db.pragma('user_version', { simple: true }) as number) !== SCHEMA_VERSION) fail('schema version');
    for (const d of read.days) {
      const rows = decodeBlocks(db, blocksOf(db, d.sym.id), null, true);
      if (rows.n !== d.n) fail(`${d.sym.name}: ${rows.n} rows instead of ${d.n}`);
      if (rowsChecksum(d.sym.name, rows, rows.n) !== d.checksum) fail(`${d.sym.name}: value checksum`);
      const stored = db.prepare('SELECT data FROM bars_blocks WHERE sym = ?').pluck().get(d.sym.id) as
        Buffer | undefined;
      const bars = stored ? decodeBars(stored) : [];
      if (bars.length !== d.bars.length)
        fail(`${d.sym.name}: ${bars.length} bars instead of ${d.bars.length}`);
      for (let i = 0; i < bars.length; i++)
        for (let c = 0; c < BAR_COLUMNS.length; c++)
          if (!Object.is(bars[i][c], d.bars[i][c])) fail(`${d.sym.name}: bar ${i} ${BAR_COLUMNS[c]}`);
    }
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    if (count('SELECT count(*) FROM q') !== 0) fail('rows left in q');
    if (count('SELECT count(*) FROM sources') !== read.sources.length) fail('sources');
    if (count('SELECT count(*) FROM feed_events') !== read.feedEvents.length) fail('feed events');
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
