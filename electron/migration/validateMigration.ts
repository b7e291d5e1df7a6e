// Checks, per symbol and day, that every tick the migration handed to the store is in the day
// file, value for value. While migrating, the run kept per file and symbol-day the count and the
// order-independent checksum of the ticks the store accepted (in the ledger). Validation reads
// back only the day files and compares: equal counts and equal checksums mean the day holds
// exactly those ticks (an accidental match needs a 2^-64 coincidence of two 64-bit sums).
//
// When the two cannot be compared that way, the symbol-day's sources are read again and matched
// tick by tick (sourceRecheck.ts): a source with repeated ticks (the store keeps one), a day that
// also holds other rows (live recording, other imports), a file that overlaps another, an entry
// from a ledger older than the checksums, or a real mismatch, which the recheck then describes.
import type { ImportOptions, ValidationEntry, ValidationResult } from '../../shared/migration.ts';
import { daySymbolKey } from './dayTally.ts';
import { readDayFileTicks } from './dayFileTicks.ts';
import type { FilePlan } from './fileFormat.ts';
import type { MigrationLedger } from './migrationLedger.ts';
import { recheckAgainstSources } from './sourceRecheck.ts';
import type { ExpectedDay } from './sourceRecheck.ts';
import { MigrationCancelledError } from './tickFileReader.ts';
import { addChecksum, addTickTo, checksumHex, emptyTally, sameTally } from './tickChecksum.ts';
import type { TickTally } from './tickChecksum.ts';

export { dayFilePath } from './dayFileTicks.ts';

/** A file whose ticks validation checks: its ledger entry, and what to read if it must. */
export interface ValidationSource {
  /** What to read again when the checksums cannot decide (a byte-identical copy will do). */
  plan: FilePlan;
  /** The ledger entry whose per-day counts and checksums stand for the file. */
  ledgerPath: string;
}

export interface ValidateInput {
  sources: ValidationSource[];
  ledger: MigrationLedger;
  sqliteDir: string;
  options: ImportOptions & { batchSize: number };
  /** Source the store gave ticks without one. */
  defaultSource: string;
  signal?: AbortSignal;
}

/** Entries listed in a result at most (all mismatches are always kept). */
const MAX_LISTED_ENTRIES = 2000;

/** Per symbol-day, what the sources contributed according to the ledger. */
function expectedDays(input: ValidateInput): Map<string, ExpectedDay> {
  const days = new Map<string, ExpectedDay>();
  const seen = new Set<string>();
  for (const src of input.sources) {
    // Two names for one ledger entry (a copy of a file migrated by an earlier run, and that
    // file itself) are one contribution, not two.
    if (seen.has(src.ledgerPath)) continue;
    seen.add(src.ledgerPath);
    for (const d of input.ledger.daysOf(src.ledgerPath)) {
      const key = daySymbolKey(d.symbol, d.day);
      let e = days.get(key);
      if (e === undefined) {
        e = { symbol: d.symbol, day: d.day, ticks: 0, tally: emptyTally(), sources: [] };
        days.set(key, e);
      }
      e.ticks += d.ticks;
      e.sources.push(src);
      if (d.tally === null || e.tally === null) e.tally = null;
      else {
        e.tally.ticks += d.tally.ticks;
        addChecksum(e.tally, d.tally);
      }
    }
  }
  return days;
}

function passedEntry(e: ExpectedDay, db: TickTally): ValidationEntry {
  const sum = checksumHex(db);
  return {
    symbol: e.symbol,
    day: e.day,
    sourceTicks: db.ticks,
    sourceDistinct: db.ticks,
    dbTicks: db.ticks,
    missing: 0,
    extra: 0,
    sourceChecksum: sum,
    dbChecksum: sum,
    ok: true,
    missingSamples: [],
  };
}

/** Count and checksum per symbol of the day file's rows, for the symbols asked. */
function dayFileTallies(sqliteDir: string, day: string, symbols: string[]): Map<string, TickTally> {
  const tallies = new Map<string, TickTally>(symbols.map((s) => [s, emptyTally()]));
  let lastSymbol = '';
  let t: TickTally | undefined;
  readDayFileTicks(sqliteDir, day, symbols, (symbol, ts, bid, ask, source) => {
    if (symbol !== lastSymbol) {
      lastSymbol = symbol;
      t = tallies.get(symbol);
    }
    if (t !== undefined) addTickTo(t, ts, bid, ask, source);
  });
  return tallies;
}

export async function validateMigration(input: ValidateInput): Promise<ValidationResult> {
  const expected = expectedDays(input);
  const byDay = new Map<string, ExpectedDay[]>();
  for (const e of expected.values()) {
    const list = byDay.get(e.day) ?? [];
    list.push(e);
    byDay.set(e.day, list);
  }
  const entries: ValidationEntry[] = [];
  const undecided: ExpectedDay[] = [];
  for (const [day, list] of [...byDay].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (input.signal?.aborted) throw new MigrationCancelledError();
    const candidates = list.filter((e) => e.tally !== null);
    const db = dayFileTallies(
      input.sqliteDir,
      day,
      candidates.map((e) => e.symbol),
    );
    for (const e of list) {
      const got = db.get(e.symbol);
      if (e.tally !== null && got !== undefined && sameTally(e.tally, got)) entries.push(passedEntry(e, got));
      else undecided.push(e);
    }
    // Give the event loop a turn between day files (progress, cancel).
    await new Promise<void>((r) => setImmediate(r));
  }
  const decidedByChecksum = entries.length;
  const recheck = await recheckAgainstSources(undecided, input);
  entries.push(...recheck.entries);
  entries.sort((a, b) =>
    a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.day < b.day ? -1 : a.day > b.day ? 1 : 0,
  );
  const mismatches = entries.filter((e) => !e.ok);
  return {
    ok: mismatches.length === 0,
    checkedDays: entries.length,
    decidedByChecksum,
    recheckedDays: recheck.entries.length,
    sourceFilesRead: recheck.filesRead,
    sourceTicks: entries.reduce((s, e) => s + e.sourceTicks, 0),
    dbTicks: entries.reduce((s, e) => s + e.dbTicks, 0),
    missing: entries.reduce((s, e) => s + e.missing, 0),
    extra: entries.reduce((s, e) => s + e.extra, 0),
    mismatches,
    entries: entries.length > MAX_LISTED_ENTRIES ? mismatches.slice(0, MAX_LISTED_ENTRIES) : entries,
  };
}
