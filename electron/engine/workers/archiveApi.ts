// What an archive worker answers. A day is compacted in three steps so its symbols can be coded
// by several workers at once (archive/parallelCompaction.ts): the day's head (dictionaries and
// fingerprint), then each worker codes its share of the symbols, then one worker writes the
// compacted file beside the day and verifies it. No compaction work runs on the main thread or
// in the writer; the writer only swaps the finished file in.
import type { DayHead, EncodedSymbol, PreparedArchive, SymbolRow } from '../archive/compactDay.ts';

export interface ArchiveApi {
  [method: string]: (...args: never[]) => unknown;
  head(sourcePath: string): DayHead;
  /** Codes these symbols of the day; progress events carry `part`. */
  encode(
    sourcePath: string,
    day: number,
    part: number,
    symbols: SymbolRow[],
    archived: boolean,
  ): EncodedSymbol[];
  write(sourcePath: string, day: number, head: DayHead, encoded: EncodedSymbol[]): PreparedArchive;
  /** Removes a prepared file that will not be swapped in. */
  discard(tmpPath: string): void;
}

export interface ArchiveEvents {
  [event: string]: unknown;
  progress: { day: number; part: number; ticksDone: number };
}
