// The default CSV layout (every column) written straight into bytes. Built as JS strings, a
// 3M-tick day's 360 MB of text cost as much again to flatten and encode as to format, plus the
// garbage of millions of short strings; here each value's bytes are copied from a cache (prices
// and sizes repeat) or written digit by digit (times), and a full chunk goes to the file as is.
// The text is the string path's, byte for byte (the tests compare the two).
import type { CsvTimeFormat } from '../../../shared/export.ts';
import type { StreamColumns } from '../stream/streamTypes.ts';

const CHUNK_BYTES = 1 << 20;
/**
 * A row's bytes beside its two names, at most: four numbers as String() prints a double (24
 * chars at most), two ISO times (27), a sequence number (24), nine separators. A typed array
 * drops writes past its end without a word, so every row must fit before it is written.
 */
const ROW_BESIDE_NAMES = 4 * 24 + 2 * 27 + 24 + 9;
const CACHE_LIMIT = 1 << 16;
const COMMA = 0x2c;
const NL = 0x0a;
const ZERO = 0x30;
const EMPTY = new Uint8Array(0);

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** Each distinct value's text as bytes, for the values that repeat (prices, sizes). */
class NumBytes {
  private readonly bytes = new Map<number, Uint8Array>();

  of(x: number): Uint8Array {
    let b = this.bytes.get(x);
    if (b === undefined) {
      if (this.bytes.size >= CACHE_LIMIT) this.bytes.clear();
      b = x === x ? utf8(String(x)) : EMPTY;
      this.bytes.set(x, b);
    }
    return b;
  }
}

export class CsvRowBytes {
  /** Room past CHUNK_BYTES: the longest row the current page can have. */
  private room = 256 + ROW_BESIDE_NAMES;
  private buf = Buffer.allocUnsafe(CHUNK_BYTES + this.room);
  private pos = 0;
  private readonly time: CsvTimeFormat;
  private readonly bid = new NumBytes();
  private readonly ask = new NumBytes();
  private readonly bidSize = new NumBytes();
  private readonly askSize = new NumBytes();
  /** The ISO prefix `YYYY-MM-DDTHH:MM:SS.` of the last second written, per time column. */
  private readonly isoSec = [NaN, NaN];
  private readonly isoPrefix: Uint8Array[] = [EMPTY, EMPTY];
  private readonly emit: (chunk: Buffer) => void;

  /** `emit` takes each full chunk; the writer does not touch a chunk once emitted. */
  constructor(time: CsvTimeFormat, emit: (chunk: Buffer) => void) {
    this.time = time;
    this.emit = emit;
  }

  private copy(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i]!;
    this.pos = p;
  }

  /** A non-negative safe integer's digits; anything else as String() gives it. */
  private int(n: number): void {
    if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n)) {
      this.copy(utf8(String(n)));
      return;
    }
    const buf = this.buf;
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    let x = n;
    do {
      const q = Math.floor(x / 10);
      buf[--p] = ZERO + (x - q * 10);
      x = q;
    } while (x > 0);
  }

  /** `YYYY-MM-DDTHH:MM:SS.uuuuuuZ`, as IsoUs.format (numberText.ts) prints it. */
  private iso(us: number, slot: 0 | 1): void {
    const sec = Math.floor(us / 1e6);
    if (sec !== this.isoSec[slot]) {
      this.isoSec[slot] = sec;
      this.isoPrefix[slot] = utf8(new Date(sec * 1000).toISOString().slice(0, 20));
    }
    this.copy(this.isoPrefix[slot]!);
    const buf = this.buf;
    let frac = us - sec * 1e6;
    const p = this.pos;
    for (let d = 5; d >= 0; d--) {
      const q = Math.floor(frac / 10);
      buf[p + d] = ZERO + (frac - q * 10);
      frac = q;
    }
    buf[p + 6] = 0x5a; // Z
    this.pos = p + 7;
  }

  private timeOf(us: number, slot: 0 | 1): void {
    if (this.time === 'iso') this.iso(us, slot);
    else this.int(this.time === 'ms' ? Math.floor(us / 1000) : us);
  }

  /** Appends every tick of the page; `names` are the page's symbols and sources as CSV text. */
  write(p: StreamColumns, symbols: readonly string[], sources: readonly string[]): void {
    const sym = symbols.map(utf8);
    const src = sources.map(utf8);
    const longest = (xs: Uint8Array[]) => xs.reduce((m, b) => Math.max(m, b.length), 0);
    const room = longest(sym) + longest(src) + ROW_BESIDE_NAMES;
    if (room > this.room) {
      this.flush();
      this.room = room;
      this.buf = Buffer.allocUnsafe(CHUNK_BYTES + room);
    }
    let buf = this.buf;
    for (let i = 0; i < p.length; i++) {
      const ts = p.tsUs[i]!;
      const recv = p.recvUs[i]!;
      const seq = p.seq[i]!;
      const start = this.pos;
      this.timeOf(ts, 0);
      const timeEnd = this.pos;
      buf[this.pos++] = COMMA;
      this.copy(sym[p.symbol[i]!]!);
      buf[this.pos++] = COMMA;
      this.copy(src[p.source[i]!]!);
      buf[this.pos++] = COMMA;
      this.copy(this.bid.of(p.bid[i]!));
      buf[this.pos++] = COMMA;
      this.copy(this.ask.of(p.ask[i]!));
      buf[this.pos++] = COMMA;
      this.copy(this.bidSize.of(p.bidSize[i]!));
      buf[this.pos++] = COMMA;
      this.copy(this.askSize.of(p.askSize[i]!));
      buf[this.pos++] = COMMA;
      if (recv === ts) {
        // The same text again: copied from this row's own time.
        buf.copyWithin(this.pos, start, timeEnd);
        this.pos += timeEnd - start;
      } else this.timeOf(recv, 1);
      buf[this.pos++] = COMMA;
      if (seq === seq) this.int(seq);
      buf[this.pos++] = NL;
      if (this.pos >= CHUNK_BYTES) {
        this.flush();
        buf = this.buf;
      }
    }
  }

  /** Hands over what is buffered (at a chunk's end, and before the file finishes). */
  flush(): void {
    if (this.pos === 0) return;
    this.emit(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES + this.room);
    this.pos = 0;
  }
}
