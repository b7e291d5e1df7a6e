// Checks, per symbol and day, that every tick read from the sources is in the day file, value for
// value. The store may hold more (live recording, other imports of the same day), so the source
// is compared as a subset and the rest is reported as `extra`. Sources are read again rather than
// trusted from the migration pass: this is the independent check.
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ImportOptions, ValidationEntry, ValidationResult } from '../../shared/migration.ts';
import { validateTick } from '../../shared/tick.ts';
import { US_PER_DAY, dayIndexToKey } from '../../shared/time.ts';
import type { FilePlan } from './fileFormat.ts';
import type { MigrationLedger } from './migrationLedger.ts';
import { readTickFile, MigrationCancelledError } from './tickFileReader.ts';
import { tickChecksum, checksumHex } from './tickChecksum.ts';
import type { Checksum } from './tickChecksum.ts';

/** Day-file rows held in memory at once; symbol-days are checked in groups of about this size. */
const ROW_BUDGET = 1_500_000;
const MISSING_SAMPLES = 5;

export interface ValidateInput {
  plans: FilePlan[];
  ledger: MigrationLedger;
  sqliteDir: string;
  options: ImportOptions & { batchSize: number };
  /** Source the store gave ticks without one. */
  defaultSource: string;
  signal?: AbortSignal;
}

export function dayFilePath(sqliteDir: string, day: string): string {
  return path.join(sqliteDir, day.slice(0, 4), day.slice(5, 7), `ticks_${day}.db`);
}

function tickKey(tsUs: number, bid: number, ask: number, source: string): string {
  return `${tsUs}|${bid}|${ask}|${source}`;
}

/**
 * The day file's rows of one symbol, in typed arrays with a hash index on the timestamp: about
 * 40 bytes a row, where a Map of string keys took several hundred.
 */
class DayRows {
  size = 0;
  private ts: Float64Array;
  private bid: Float64Array;
  private ask: Float64Array;
  private src: Int32Array;
  private next: Int32Array;
  readonly matched: Uint8Array;
  private readonly head = new Map<number, number>();
  private readonly sources: string[] = [];
  private readonly sourceIds = new Map<string, number>();

  constructor(capacity: number) {
    this.ts = new Float64Array(capacity);
    this.bid = new Float64Array(capacity);
    this.ask = new Float64Array(capacity);
    this.src = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.matched = new Uint8Array(capacity);
  }

  private sourceId(source: string): number {
    let id = this.sourceIds.get(source);
    if (id === undefined) {
      id = this.sources.length;
      this.sources.push(source);
      this.sourceIds.set(source, id);
    }
    return id;
  }

  add(ts: number, bid: number, ask: number, source: string): void {
    const i = this.size++;
    this.ts[i] = ts;
    this.bid[i] = bid;
    this.ask[i] = ask;
    this.src[i] = this.sourceId(source);
    this.next[i] = this.head.get(ts) ?? -1;
    this.head.set(ts, i);
  }

  /** Row index of this exact tick, or -1. Prices compare as doubles: exact, to the last bit. */
  find(ts: number, bid: number, ask: number, source: string): number {
    const sid = this.sourceIds.get(source);
    if (sid === undefined) return -1;
    for (let i = this.head.get(ts) ?? -1; i >= 0; i = this.next[i]) {
      if (this.bid[i] === bid && this.ask[i] === ask && this.src[i] === sid) return i;
    }
    return -1;
  }
}

interface DayState {
  entry: ValidationEntry;
  rows: DayRows;
  missingSeen: Set<string>;
  source: Checksum;
  db: Checksum;
}

export async function validateMigration(input: ValidateInput): Promise<ValidationResult> {
  // symbol-day -> files that contributed to it
  const filesOf = new Map<string, FilePlan[]>();
  const expected = new Map<string, number>();
  for (const plan of input.plans) {
    for (const d of input.ledger.daysOf(plan.file.abs)) {
      const key = `${d.symbol}|${d.day}`;
      const list = filesOf.get(key) ?? [];
      list.push(plan);
      filesOf.set(key, list);
      expected.set(key, (expected.get(key) ?? 0) + d.ticks);
    }
  }
  const keys = [...filesOf.keys()].sort();
  const entries: ValidationEntry[] = [];
  let group: string[] = [];
  let groupRows = 0;
  for (const key of keys) {
    group.push(key);
    groupRows += expected.get(key) ?? 0;
    if (groupRows >= ROW_BUDGET) {
      entries.push(...(await validateGroup(group, filesOf, input)));
      group = [];
      groupRows = 0;
    }
  }
  if (group.length > 0) entries.push(...(await validateGroup(group, filesOf, input)));
  const mismatches = entries.filter((e) => !e.ok);
  return {
    ok: mismatches.length === 0,
    checkedDays: entries.length,
    sourceTicks: entries.reduce((s, e) => s + e.sourceTicks, 0),
    dbTicks: entries.reduce((s, e) => s + e.dbTicks, 0),
    missing: entries.reduce((s, e) => s + e.missing, 0),
    extra: entries.reduce((s, e) => s + e.extra, 0),
    mismatches,
    entries: entries.length > 2000 ? mismatches.slice(0, 2000) : entries,
  };
}

function loadDayRows(sqliteDir: string, symbol: string, day: string): DayRows {
  const file = dayFilePath(sqliteDir, day);
  if (!existsSync(file)) return new DayRows(0);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // One read transaction, so the count and the rows agree while the store keeps writing.
    return db.transaction(() => {
      const n = db.prepare('SELECT count(*) FROM ticks WHERE symbol = ?').pluck().get(symbol) as number;
      const rows = new DayRows(n);
      const stmt = db.prepare('SELECT ts_us, bid, ask, source FROM ticks WHERE symbol = ?').raw(true);
      for (const row of stmt.iterate(symbol) as Iterable<[number, number, number, string]>) {
        if (rows.size === n) break;
        rows.add(Number(row[0]), row[1], row[2], row[3]);
      }
      return rows;
    })();
  } finally {
    db.close();
  }
}

async function validateGroup(
  group: string[],
  filesOf: Map<string, FilePlan[]>,
  input: ValidateInput,
): Promise<ValidationEntry[]> {
  const states = new Map<string, DayState>();
  const plans = new Set<FilePlan>();
  for (const key of group) {
    const sep = key.lastIndexOf('|');
    const symbol = key.slice(0, sep);
    const day = key.slice(sep + 1);
    const st: DayState = {
      entry: {
        symbol,
        day,
        sourceTicks: 0,
        sourceDistinct: 0,
        dbTicks: 0,
        missing: 0,
        extra: 0,
        sourceChecksum: '',
        dbChecksum: '',
        ok: false,
        missingSamples: [],
      },
      rows: loadDayRows(input.sqliteDir, symbol, day),
      missingSeen: new Set(),
      source: { hi: 0, lo: 0 },
      db: { hi: 0, lo: 0 },
    };
    st.entry.dbTicks = st.rows.size;
    states.set(key, st);
    for (const p of filesOf.get(key) ?? []) plans.add(p);
  }
  const bounds = { minTsUs: Date.UTC(1971, 0, 1) * 1000, maxTsUs: Date.now() * 1000 + US_PER_DAY };
  for (const plan of plans) {
    if (input.signal?.aborted) throw new MigrationCancelledError();
    if (plan.format === null) continue;
    let lastSym = -1;
    let lastDay = -1;
    let lastSymbols: string[] | null = null;
    let st: DayState | undefined;
    await readTickFile({
      absPath: plan.file.abs,
      relPath: plan.file.rel,
      format: plan.format,
      batchSize: 8192,
      serverOffsetHours: input.options.serverOffsetHours,
      fallbackSymbol: plan.fallbackSymbol,
      hash: false,
      signal: input.signal,
      onReject: () => undefined,
      onBatch: async (b) => {
        for (let i = 0; i < b.count; i++) {
          const ts = b.tsUs[i];
          const d = Math.floor(ts / US_PER_DAY);
          if (b.sym[i] !== lastSym || d !== lastDay || b.symbols !== lastSymbols) {
            lastSym = b.sym[i];
            lastDay = d;
            lastSymbols = b.symbols;
            st = states.get(`${b.symbols[lastSym]}|${dayIndexToKey(d)}`);
          }
          if (st === undefined) continue;
          const symbol = b.symbols[b.sym[i]];
          const source = b.src[i] >= 0 ? b.sources[b.src[i]] : input.defaultSource;
          const bid = b.bid[i];
          const ask = b.ask[i];
          // Ticks the store refuses are reported as rejections, not expected in the day file.
          if (validateTick({ symbol, bid, ask, tsUs: ts, source }, bounds) !== null) continue;
          st.entry.sourceTicks++;
          const row = st.rows.find(ts, bid, ask, source);
          if (row >= 0) {
            if (st.rows.matched[row] === 0) {
              st.rows.matched[row] = 1;
              st.entry.sourceDistinct++;
              const h = tickChecksum(ts, bid, ask, source);
              addTo(st.source, h);
              addTo(st.db, h);
            }
          } else {
            const key = tickKey(ts, bid, ask, source);
            if (!st.missingSeen.has(key)) {
              st.missingSeen.add(key);
              st.entry.sourceDistinct++;
              st.entry.missing++;
              addTo(st.source, tickChecksum(ts, bid, ask, source));
              if (st.entry.missingSamples.length < MISSING_SAMPLES) st.entry.missingSamples.push(key);
            }
          }
        }
      },
    });
  }
  const out: ValidationEntry[] = [];
  for (const st of states.values()) {
    const e = st.entry;
    e.extra = e.dbTicks - (e.sourceDistinct - e.missing);
    e.sourceChecksum = checksumHex(st.source);
    e.dbChecksum = checksumHex(st.db);
    e.ok = e.missing === 0 && e.sourceChecksum === e.dbChecksum;
    out.push(e);
  }
  return out;
}

function addTo(c: Checksum, h: Checksum): void {
  const lo = c.lo + h.lo;
  c.lo = lo >>> 0;
  c.hi = (c.hi + h.hi + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}
