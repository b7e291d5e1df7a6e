// Growable byte output and its reader, with the two integer forms the archive format uses:
// LEB128 varints of non-negative integers up to 2^53 and their zigzag form for signed ones.
// Values below 2^28 take the bitwise fast path; larger ones fall back to exact float arithmetic.

const TWO_28 = 2 ** 28;

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initial = 1 << 16) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(v: number): void {
    this.room(1);
    this.buf[this.length++] = v;
  }

  /** A non-negative integer (at most 2^53 - 1) as a LEB128 varint. */
  uint(v: number): void {
    this.room(8);
    const b = this.buf;
    let o = this.length;
    if (v < TWO_28) {
      while (v >= 0x80) {
        b[o++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      b[o++] = v;
    } else {
      while (v >= 0x80) {
        b[o++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
      b[o++] = v;
    }
    this.length = o;
  }

  /** A signed integer (|v| < 2^52) in zigzag form: 0, -1, 1, -2 ... as 0, 1, 2, 3 ... */
  sint(v: number): void {
    this.uint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  float64(v: number): void {
    this.room(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  bytes(src: Uint8Array): void {
    this.room(src.length);
    this.buf.set(src, this.length);
    this.length += src.length;
  }

  /** The bytes written so far (a view: copy it before writing more if it must be kept). */
  view8(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

export class ByteReader {
  readonly buf: Uint8Array;
  private readonly view: DataView;
  offset: number;
  private readonly end: number;

  constructor(buf: Uint8Array, offset = 0, end = buf.length) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  byte(): number {
    if (this.offset >= this.end) throw new RangeError('archive block: truncated (byte past the end)');
    return this.buf[this.offset++];
  }

  uint(): number {
    const b = this.buf;
    let o = this.offset;
    let x = b[o++];
    if (x < 0x80) {
      this.offset = o;
      return x;
    }
    let v = x & 0x7f;
    let shift = 7;
    // Up to four bytes stay in 28 bits: bitwise; beyond, multiply (exact below 2^53).
    while (shift < 28) {
      x = b[o++];
      v |= (x & 0x7f) << shift;
      if (x < 0x80) {
        this.offset = o;
        return v;
      }
      shift += 7;
    }
    let mul = TWO_28;
    for (;;) {
      if (o >= this.end) throw new RangeError('archive block: truncated varint');
      x = b[o++];
      v += (x & 0x7f) * mul;
      if (x < 0x80) break;
      mul *= 0x80;
    }
    this.offset = o;
    return v;
  }

  sint(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  float64(): number {
    if (this.offset + 8 > this.end) throw new RangeError('archive block: truncated float');
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }

  bytes(n: number): Uint8Array {
    if (this.offset + n > this.end) throw new RangeError('archive block: truncated bytes');
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}
