// What every format reader writes into: the batch collector, rejections with their location, and
// notes about decisions the reader took on its own (which the report must show, not hide).
import { TickBatchBuilder } from '../tickBatch.ts';
import type { TickBatch } from '../tickBatch.ts';
import type { EpochUnit } from '../timeParsing.ts';
import { epochDigitsToUs, epochToUs, epochUnitOf, isoParseInfo, parseIsoUs } from '../timeParsing.ts';

export type LocKind = 'record' | 'line';

export class ReadContext {
  readonly file: string;
  /** Symbol for records without one (from --symbol, the file name or the folder). */
  private readonly fallbackSymbol: string | null;
  /**
   * Whether any tick took the fallback symbol: if none did, the file's ticks do not depend on
   * its name, and a byte-identical copy elsewhere holds the same ticks (see fileIdentity.ts).
   */
  fallbackSymbolUsed = false;
  locKind: LocKind = 'line';
  ticksRead = 0;
  rejected = 0;
  readonly rejectedByReason = new Map<string, number>();
  private readonly builder: TickBatchBuilder;
  private readonly full: TickBatch[] = [];
  private readonly notes = new Map<string, number>();
  private readonly onReject: (loc: string, reason: string) => void;
  private epochUnit: EpochUnit | null = null;

  constructor(
    file: string,
    fallbackSymbol: string | null,
    batchSize: number,
    onReject: (loc: string, reason: string) => void,
  ) {
    this.file = file;
    this.fallbackSymbol = fallbackSymbol;
    this.builder = new TickBatchBuilder(batchSize);
    this.onReject = onReject;
  }

  /** The fallback symbol, for a record (or a file) that does not name its own. */
  useFallbackSymbol(): string | null {
    this.fallbackSymbolUsed = true;
    return this.fallbackSymbol;
  }

  location(loc: number): string {
    return `${this.locKind} ${loc}`;
  }

  add(
    symbol: string,
    source: string | null,
    tsUs: number,
    bid: number,
    ask: number,
    loc: number,
    bidSize = Number.NaN,
    askSize = Number.NaN,
  ): void {
    this.ticksRead++;
    this.builder.add(symbol, source, tsUs, bid, ask, loc, bidSize, askSize);
    if (this.builder.full) this.full.push(this.builder.take());
  }

  reject(loc: number, reason: string): void {
    this.ticksRead++;
    this.rejected++;
    const key = reason.split(':')[0];
    this.rejectedByReason.set(key, (this.rejectedByReason.get(key) ?? 0) + 1);
    this.onReject(this.location(loc), reason);
  }

  /** Records something the reader decided; repeated notes are counted, not repeated. */
  note(text: string): void {
    this.notes.set(text, (this.notes.get(text) ?? 0) + 1);
  }

  noteList(): string[] {
    return [...this.notes].map(([t, n]) => (n > 1 ? `${t} (${n} times)` : t));
  }

  /** Batches filled so far; `final` also hands out the partial one. */
  drain(final: boolean): TickBatch[] {
    if (final && this.builder.count > 0) this.full.push(this.builder.take());
    return this.full.splice(0, this.full.length);
  }

  /**
   * A timestamp field's value as µs, or a rejection reason. Epoch numbers take their unit from
   * the first one in the file (by magnitude); a later value of another magnitude is rejected
   * rather than silently rescaled.
   */
  timeToUs(v: unknown): number | string {
    if (typeof v === 'number') return this.epochUs(v, null);
    if (typeof v !== 'string')
      return v === undefined || v === null ? 'time_missing' : 'time_invalid: not a string or number';
    const first = v.charCodeAt(0);
    if (v.length >= 16 && v.charCodeAt(4) === 45) {
      const us = parseIsoUs(v);
      if (Number.isNaN(us)) return `time_invalid: ${JSON.stringify(v.slice(0, 40))} is not an RFC 3339 time`;
      if (!isoParseInfo.hadZone) this.note('times without a zone were read as UTC');
      return us;
    }
    if ((first >= 48 && first <= 57) || first === 45) {
      const num = Number(v);
      if (!Number.isFinite(num)) return `time_invalid: ${JSON.stringify(v.slice(0, 40))} is not a time`;
      return this.epochUs(num, /^\d+$/.test(v) ? v : null);
    }
    return v.length === 0 ? 'time_missing' : `time_invalid: ${JSON.stringify(v.slice(0, 40))} is not a time`;
  }

  private epochUs(v: number, digits: string | null): number | string {
    if (!Number.isFinite(v)) return 'time_invalid: not a finite number';
    const unit = epochUnitOf(v);
    if (unit === null) {
      return `timestamp_unit_ambiguous: ${v} is not an epoch time in s, ms, µs or ns between 1980 and 2100`;
    }
    if (this.epochUnit === null) {
      this.epochUnit = unit;
      this.note(`epoch timestamps read as ${unitName(unit)} (from their magnitude, e.g. ${digits ?? v})`);
    } else if (unit !== this.epochUnit) {
      return `timestamp_unit_inconsistent: ${v} looks like ${unitName(unit)} but this file's times are in ${unitName(this.epochUnit)}`;
    }
    if (unit === 'ns' && digits === null && v > Number.MAX_SAFE_INTEGER) {
      this.note('nanosecond epoch numbers exceed double precision; µs may be off by one');
    }
    return digits !== null ? epochDigitsToUs(digits, unit) : epochToUs(v, unit);
  }
}

function unitName(u: EpochUnit): string {
  return u === 's' ? 'seconds' : u === 'ms' ? 'milliseconds' : u === 'us' ? 'microseconds' : 'nanoseconds';
}

/** A price field: numbers as they are, numeric strings converted exactly like JSON would. */
export function priceOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return Number.NaN;
}
