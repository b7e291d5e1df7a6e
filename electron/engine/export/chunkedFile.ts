// A text file written in ~1 MB chunks: one fs write per chunk keeps the syscall count, not the
// string building, from setting the export's pace, and memory stays at one chunk.
import fs from 'node:fs';
import { partialPath } from './pageWriter.ts';

const CHUNK_CHARS = 1 << 20;

export class ChunkedFile {
  readonly outPath: string;
  private readonly tmp: string;
  private fd: number | null;
  private buf = '';
  bytes = 0;

  constructor(outPath: string) {
    this.outPath = outPath;
    this.tmp = partialPath(outPath);
    this.fd = fs.openSync(this.tmp, 'w');
  }

  add(text: string): void {
    this.buf += text;
    if (this.buf.length >= CHUNK_CHARS) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0 || this.fd === null) return;
    this.bytes += fs.writeSync(this.fd, this.buf);
    this.buf = '';
  }

  finish(): string[] {
    this.flush();
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    fs.renameSync(this.tmp, this.outPath);
    return [this.outPath];
  }

  abort(): void {
    try {
      if (this.fd !== null) fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
    this.fd = null;
    fs.rmSync(this.tmp, { force: true });
  }
}
