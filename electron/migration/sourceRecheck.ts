// The full check of symbol-days that counts and checksums could not decide: their sources are
// read again and every tick is looked up in the day file's rows. The store may hold more (live
// recording, other imports of the same day), so the source is compared as a subset and the rest
// is reported as `extra`; a source tick seen twice is expected once.
import type { ValidationEntry } from '../../shared/migration.ts';
import { validateTick } from '../../shared/tick.ts';
import { US_PER_DAY, dayIndexToKey } from '../../shared/time.ts';
import { daySymbolKey } from './dayTally.ts';
import { readDayFileTicks } from './dayFileTicks.ts';
import { readTickFile, MigrationCancelledError } from './tickFileReader.ts';
import { addChecksum, checksumHex, emptyTally, tickChecksum } from './tickChecksum.ts';
import type { Checksum, TickTally } from './tickChecksum.ts';
import type { ValidateInput, ValidationSource } from './validateMigration.ts';

/** Day-file rows held in memory at once; symbol-days are checked in groups of about this size. */
const ROW_BUDGET = 1_500_000;
const MISSING_SAMPLES = 5;

export interface ExpectedDay {
  symbol: string;
  day: string;
  /** Ticks the sources contributed (the store accepted), repeats included. */
  ticks: number;
  /** Their count and checksum, or null when a ledger entry predates checksums. */
  tally: TickTally | null;
  sources: ValidationSource[];
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
  matched: Uint8Array;
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

  private grow(): void {
    const cap = Math.max(1024, this.ts.length * 2);
    const f = (a: Float64Array): Float64Array => {
      const n = new Float64Array(cap);
      n.set(a);
      return n;
    };
    this.ts = f(this.ts);
    this.bid = f(this.bid);
    this.ask = f(this.ask);
    const src = new Int32Array(cap);
    src.set(this.src);
    this.src = src;
    const next = new Int32Array(cap);
    next.set(this.next);
    this.next = next;
    const matched = new Uint8Array(cap);
    matched.set(this.matched);
    this.matched = matched;
  }

  add(ts: number, bid: number, ask: number, source: string): void {
    if (this.size === this.ts.length) this.grow();
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

function newState(e: ExpectedDay): DayState {
  return {
    entry: {
      symbol: e.symbol,
      day: e.day,
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
    // Sized for what the sources bring; grows for the rows the day holds besides.
    rows: new DayRows(e.ticks),
    missingSeen: new Set(),
    source: emptyTally(),
    db: emptyTally(),
  };
}

export async function recheckAgainstSources(
  days: ExpectedDay[],
  input: ValidateInput,
): Promise<{ entries: ValidationEntry[]; filesRead: number }> {
  const sorted = [...days].sort((a, b) =>
    a.day < b.day ? -1 : a.day > b.day ? 1 : a.symbol < b.symbol ? -1 : 1,
  );
  const entries: ValidationEntry[] = [];
  let filesRead = 0;
  let group: ExpectedDay[] = [];
  let groupRows = 0;
  const run = async (): Promise<void> => {
    const r = await recheckGroup(group, input);
    entries.push(...r.entries);
    filesRead += r.filesRead;
    group = [];
    groupRows = 0;
  };
  for (const d of sorted) {
    group.push(d);
    groupRows += d.ticks;
    if (groupRows >= ROW_BUDGET) await run();
  }
  if (group.length > 0) await run();
  return { entries, filesRead };
}

async function recheckGroup(
  group: ExpectedDay[],
  input: ValidateInput,
): Promise<{ entries: ValidationEntry[]; filesRead: number }> {
  const states = new Map<string, DayState>();
  const bySymbolOfDay = new Map<string, Map<string, DayState>>();
  const sources = new Map<string, ValidationSource>();
  for (const e of group) {
    const st = newState(e);
    states.set(daySymbolKey(e.symbol, e.day), st);
    const m = bySymbolOfDay.get(e.day) ?? new Map<string, DayState>();
    m.set(e.symbol, st);
    bySymbolOfDay.set(e.day, m);
    for (const s of e.sources) sources.set(s.ledgerPath, s);
  }
  for (const [day, m] of bySymbolOfDay) {
    readDayFileTicks(input.sqliteDir, day, m.keys(), (symbol, ts, bid, ask, source) => {
      m.get(symbol)?.rows.add(ts, bid, ask, source);
    });
  }
  for (const st of states.values()) st.entry.dbTicks = st.rows.size;
  const bounds = { minTsUs: Date.UTC(1971, 0, 1) * 1000, maxTsUs: Date.now() * 1000 + US_PER_DAY };
  let filesRead = 0;
  for (const { plan } of sources.values()) {
    if (input.signal?.aborted) throw new MigrationCancelledError();
    if (plan.format === null) continue;
    filesRead++;
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
            st = states.get(daySymbolKey(b.symbols[lastSym], dayIndexToKey(d)));
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
              addChecksum(st.source, h);
              addChecksum(st.db, h);
            }
          } else {
            const key = tickKey(ts, bid, ask, source);
            if (!st.missingSeen.has(key)) {
              st.missingSeen.add(key);
              st.entry.sourceDistinct++;
              st.entry.missing++;
              addChecksum(st.source, tickChecksum(ts, bid, ask, source));
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
  return { entries: out, filesRead };
}
