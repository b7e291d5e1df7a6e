// A text file written in ~1 MB chunks, each handed to libuv's thread pool as bytes: the kernel's
// copy into the page cache (as much CPU as formatting the text, on this machine) then runs beside
// the formatting of the next chunks instead of after it. At most IN_FLIGHT_BYTES wait to be
// written; a writer awaits `drained()` between pages, which keeps memory at a few chunks.
import fs from 'node:fs';
import { partialPath } from './pageWriter.ts';

const CHUNK_CHARS = 1 << 20;
const IN_FLIGHT_BYTES = 4 << 20;

function writeAt(fd: number, buf: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const rest = (off: number): void =>
      fs.write(fd, buf, off, buf.length - off, position + off, (err, n) => {
        if (err) reject(err);
        else if (off + n < buf.length) rest(off + n);
        else resolve();
      });
    rest(0);
  });
}

export class ChunkedFile {
  readonly outPath: string;
  private readonly tmp: string;
  private fd: number | null;
  private buf = '';
  /** Bytes handed to the kernel so far: the next chunk's file offset. */
  private offset = 0;
  /** Chunks not yet written, oldest first, with their sizes. */
  private readonly writes: { done: Promise<void>; bytes: number }[] = [];
  private inFlight = 0;
  private tail: Promise<void> = Promise.resolve();
  private error: Error | null = null;
  private aborted = false;
  /** Bytes the kernel has taken. */
  bytes = 0;

  constructor(outPath: string) {
    this.outPath = outPath;
    this.tmp = partialPath(outPath);
    this.fd = fs.openSync(this.tmp, 'w');
  }

  add(text: string): void {
    if (this.error) throw this.error;
    this.buf += text;
    if (this.buf.length >= CHUNK_CHARS) this.flush();
  }

  /** Bytes after the text added so far; the file keeps `bytes` (no copy), so it must not change. */
  addBytes(bytes: Buffer): void {
    if (this.error) throw this.error;
    this.flush();
    this.queue(bytes);
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    const bytes = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    this.queue(bytes);
  }

  private queue(bytes: Buffer): void {
    if (this.fd === null || bytes.length === 0) return;
    const fd = this.fd;
    const at = this.offset;
    this.offset += bytes.length;
    this.inFlight += bytes.length;
    // Chained, so the chunks reach the file in order and one pool thread is busy, not four.
    const done = this.tail.then(() => (this.error || this.aborted ? undefined : writeAt(fd, bytes, at)));
    this.tail = done.then(
      () => {
        this.writes.shift();
        this.inFlight -= bytes.length;
        if (!this.aborted && !this.error) this.bytes += bytes.length;
      },
      (e: Error) => {
        this.writes.shift();
        this.inFlight -= bytes.length;
        this.error ??= e;
      },
    );
    this.writes.push({ done, bytes: bytes.length });
  }

  /** Resolves once no more than IN_FLIGHT_BYTES are waiting; rejects with a failed write's error. */
  async drained(): Promise<void> {
    while (this.inFlight > IN_FLIGHT_BYTES && this.writes.length > 0)
      await this.writes[0]!.done.catch(() => undefined);
    if (this.error) throw this.error;
  }

  async finish(): Promise<string[]> {
    this.flush();
    await this.tail;
    if (this.error) throw this.error;
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    fs.renameSync(this.tmp, this.outPath);
    return [this.outPath];
  }

  /** Removes the partial file at once; the descriptor closes after the writes under way. */
  abort(): void {
    this.aborted = true;
    fs.rmSync(this.tmp, { force: true });
    const fd = this.fd;
    this.fd = null;
    if (fd === null) return;
    // Closing now could hand the number to another open while a pool write still targets it.
    void this.tail.finally(() => {
      try {
        fs.closeSync(fd);
      } catch {
        /* already closed */
      }
    });
  }
}
