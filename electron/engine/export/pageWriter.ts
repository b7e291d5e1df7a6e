// What every tick writer is to the export job: it takes the stream's column pages in order and
// either finishes (renaming its `.partial` output into place) or aborts (removing it).
import type { StreamColumns } from '../stream/streamTypes.ts';

export interface PageWriter {
  write(page: StreamColumns): void | Promise<void>;
  /** Completes the output; resolves with the files written. */
  finish(): Promise<string[]>;
  /** Removes whatever partial output exists; never throws. */
  abort(): void;
  readonly rowsWritten: number;
  readonly bytesWritten: number;
}

export function partialPath(outPath: string): string {
  return `${outPath}.partial`;
}
