// Tells when a source file's ticks are already in the store because the same bytes were migrated
// before (earlier in this run or by an earlier run): such a file is skipped without parsing.
// The bytes decide the ticks except for what a reader takes from outside the file: the format,
// the symbol its name implies (only for records without one) and the MT5 server offset. That is
// the file's ticks key; a copy counts as identical only if it would be read the same way.
//
// Hashing costs a read of the whole file, so only a file that can have a twin is hashed before
// parsing: one whose size equals that of a file migrated earlier in the run or in the ledger.
// Every other file is hashed while it is parsed, as before.
import type { MigrationFormat } from '../../shared/migration.ts';
import type { FilePlan } from './fileFormat.ts';
import type { LedgerEntry, MigrationLedger } from './migrationLedger.ts';

/**
 * fallback: null when no record needed the fallback symbol; else the symbol it gave them ('' when
 * there was none, so those records were rejected).
 */
export function ticksKeyOf(
  format: MigrationFormat,
  fallback: string | null,
  serverOffsetHours: number,
): string {
  return JSON.stringify([format, fallback, format === 'mt5' ? serverOffsetHours : null]);
}

/** The ticks key of a file that was read, from its plan and whether the reader used the fallback. */
export function ticksKeyOfRead(
  plan: FilePlan,
  fallbackSymbolUsed: boolean,
  serverOffsetHours: number,
): string {
  if (plan.format === null) return '';
  return ticksKeyOf(plan.format, fallbackSymbolUsed ? (plan.fallbackSymbol ?? '') : null, serverOffsetHours);
}

/**
 * Whether a file planned as `plan` reads to the same ticks as a file with the same bytes that
 * was migrated under `key`. Same bytes need the fallback symbol for the same records, so the
 * earlier file's key either has none (no record needed one) or must carry this file's.
 */
export function sameTicksKey(key: string | null, plan: FilePlan, serverOffsetHours: number): boolean {
  if (key === null || plan.format === null) return false;
  return (
    key === ticksKeyOf(plan.format, null, serverOffsetHours) ||
    key === ticksKeyOf(plan.format, plan.fallbackSymbol ?? '', serverOffsetHours)
  );
}

export interface Twin {
  /** How the report names the earlier file: relative for this run, absolute from the ledger. */
  path: string;
  /** The ledger entry of the earlier file, when it comes from an earlier run. */
  ledgerPath: string | null;
  /** The earlier file is this very path (only its modification time changed). */
  self: boolean;
  /** The earlier run's ledger entry, when it comes from one. */
  entry: LedgerEntry | null;
}

export class FileIdentity {
  private readonly ledger: MigrationLedger | null;
  private readonly ledgerSizes: Set<number>;
  private readonly runSizes = new Set<number>();
  private readonly runByHash = new Map<string, Array<{ rel: string; ticksKey: string }>>();
  private readonly present = new Set<string>();

  constructor(ledger: MigrationLedger | null) {
    this.ledger = ledger;
    this.ledgerSizes = ledger ? ledger.migratedSizes() : new Set();
  }

  /** Whether a file of this size may be a copy of one already migrated (worth hashing first). */
  mayHaveTwin(size: number): boolean {
    return size > 0 && (this.runSizes.has(size) || this.ledgerSizes.has(size));
  }

  /** Records a file of this run whose ticks are now in the store. */
  addMigrated(rel: string, size: number, sha256: string, ticksKey: string): void {
    this.present.add(rel);
    if (sha256 === '') return;
    this.runSizes.add(size);
    const list = this.runByHash.get(sha256) ?? [];
    list.push({ rel, ticksKey });
    this.runByHash.set(sha256, list);
  }

  /** A file of this run whose content is in the store without being migrated itself. */
  addPresent(rel: string): void {
    this.present.add(rel);
  }

  /** Whether the file at `rel` (earlier in this run) ended with its ticks in the store. */
  isPresent(rel: string): boolean {
    return this.present.has(rel);
  }

  find(sha256: string, plan: FilePlan, serverOffsetHours: number): Twin | null {
    const earlier = this.ledger?.migratedWithHash(sha256) ?? [];
    // This very path, migrated by an earlier run and since touched: it is that file, not a copy.
    const self = earlier.find((e) => e.path === plan.file.abs);
    if (self) return { path: self.path, ledgerPath: self.path, self: true, entry: self };
    for (const t of this.runByHash.get(sha256) ?? []) {
      if (sameTicksKey(t.ticksKey, plan, serverOffsetHours)) {
        return { path: t.rel, ledgerPath: null, self: false, entry: null };
      }
    }
    for (const e of earlier) {
      if (sameTicksKey(e.ticksKey, plan, serverOffsetHours)) {
        return { path: e.path, ledgerPath: e.path, self: false, entry: e };
      }
    }
    return null;
  }
}
