// Splits decoded text chunks into lines (LF or CRLF), keeping the partial last line for the next
// chunk. UTF-16 (MetaTrader exports) and UTF-8 with or without BOM are decoded by the BOM.
import { StringDecoder } from 'node:string_decoder';

export type LineHandler = (line: string, lineNo: number) => void;

export class LineSplitter {
  private readonly onLine: LineHandler;
  private decoder: { write(b: Buffer): string; end(): string } | null = null;
  private rest = '';
  private lineNo = 0;

  constructor(onLine: LineHandler) {
    this.onLine = onLine;
  }

  push(chunk: Buffer): void {
    if (this.decoder === null) {
      if (chunk.length >= 2 && chunk[0] === 0xff && chunk[1] === 0xfe) {
        const td = new TextDecoder('utf-16le');
        this.decoder = {
          write: (b) => td.decode(b, { stream: true }),
          end: () => td.decode(),
        };
      } else {
        const sd = new StringDecoder('utf8');
        this.decoder = { write: (b) => sd.write(b), end: () => sd.end() };
      }
    }
    this.text(this.decoder.write(chunk));
  }

  private text(s: string): void {
    if (s.length === 0) return;
    let data = this.rest.length > 0 ? this.rest + s : s;
    if (this.lineNo === 0 && data.charCodeAt(0) === 0xfeff) data = data.slice(1);
    let start = 0;
    let nl = data.indexOf('\n', start);
    while (nl >= 0) {
      const end = nl > start && data.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.onLine(data.slice(start, end), ++this.lineNo);
      start = nl + 1;
      nl = data.indexOf('\n', start);
    }
    this.rest = data.slice(start);
  }

  /** Emits the last line if the file does not end with a newline. */
  end(): void {
    if (this.decoder) this.text(this.decoder.end());
    if (this.rest.length > 0) {
      const last = this.rest.endsWith('\r') ? this.rest.slice(0, -1) : this.rest;
      this.rest = '';
      this.onLine(last, ++this.lineNo);
    }
  }
}
