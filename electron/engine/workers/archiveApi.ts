// What the archive worker answers: it builds and verifies a day's compacted file beside the live
// one (archive/compactDay.ts), so no compaction work runs on the main thread or in the writer;
// the writer only swaps the finished file in.
import type { PreparedArchive } from '../archive/compactDay.ts';

export interface ArchiveApi {
  [method: string]: (...args: never[]) => unknown;
  prepare(sourcePath: string, day: number, blockRows: number | null): PreparedArchive;
  /** Removes a prepared file that will not be swapped in. */
  discard(tmpPath: string): void;
}

export interface ArchiveEvents {
  [event: string]: unknown;
  progress: { day: number; ticksDone: number; ticksTotal: number };
}
