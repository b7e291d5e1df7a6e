// Cuts the TCP byte stream into FIX messages and proves each one whole before anything reads it:
// BeginString first, BodyLength second, MsgType third, every field `tag=value<SOH>`, and the
// CheckSum over exactly BodyLength bytes. A bad message is reported with its reason and skipped,
// and reading resumes at the next `8=FIX` — a peer's garbage never stops the session and never
// throws. (jspurefix's stream parser ignores BodyLength and throws on a garbled header, so it only
// ever sees frames that passed here.)

/** Why bytes were not a FIX message; each is counted separately in the feed status. */
export const FIX_MALFORMED_REASONS = [
  /** Bytes before or between messages that do not start with `8=FIX`. */
  'not_fix',
  /** BeginString is not the session's (FIX.4.4). */
  'wrong_begin_string',
  /** Field 2 is not `9=<digits>`. */
  'bad_body_length',
  /** BodyLength is larger than any message this feed accepts. */
  'too_long',
  /** The message was cut off: a new message (or the end of the connection) came first. */
  'truncated',
  /** The CheckSum does not match the bytes. */
  'bad_checksum',
  /** A field is not `tag=value` (tag digits, non-empty value), or MsgType is not field 3. */
  'garbled_field',
] as const;
export type FixMalformedReason = (typeof FIX_MALFORMED_REASONS)[number];

export type FixFrame =
  | { kind: 'message'; bytes: Buffer; msgType: string }
  | { kind: 'malformed'; reason: FixMalformedReason; bytes: Buffer };

const SOH = 0x01;
const EQ = 0x3d;
const ZERO = 0x30;
const NINE = 0x39;
const START = Buffer.from('8=FIX');
/** `10=nnn<SOH>` */
const TRAILER_LEN = 7;

export interface FixFramerOptions {
  beginString?: string;
  /** The largest BodyLength accepted; larger claims are garbage, not a message to wait for. */
  maxBodyLength?: number;
}

export class FixFramer {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private readonly beginString: string;
  private readonly maxBodyLength: number;

  constructor(opts: FixFramerOptions = {}) {
    this.beginString = opts.beginString ?? 'FIX.4.4';
    this.maxBodyLength = opts.maxBodyLength ?? 256 * 1024;
  }

  push(chunk: Buffer): void {
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
  }

  /** Bytes held that are not yet a whole message. */
  get buffered(): number {
    return this.buf.length - this.pos;
  }

  /** The next whole message or malformed stretch, or null when more bytes are needed. */
  next(): FixFrame | null {
    for (;;) {
      const buf = this.buf;
      const start = this.pos;
      if (start >= buf.length) return null;

      const found = buf.indexOf(START, start);
      if (found < 0) {
        // Keep a tail that could be the beginning of `8=FIX` split across chunks.
        let keep = Math.min(buf.length - start, START.length - 1);
        while (keep > 0 && !buf.subarray(buf.length - keep).equals(START.subarray(0, keep))) keep--;
        const junkEnd = buf.length - keep;
        if (junkEnd <= start) return null;
        this.pos = junkEnd;
        return this.junk(start, junkEnd);
      }
      if (found > start) {
        this.pos = found;
        return this.junk(start, found);
      }

      // 8=<BeginString><SOH>
      const beginEnd = buf.indexOf(SOH, start);
      if (beginEnd < 0) return this.waitOrGarbage(start, 'bad_body_length', 32);
      const begin = buf.toString('latin1', start + 2, beginEnd);
      if (begin !== this.beginString) return this.skipTo(start, 'wrong_begin_string');

      // 9=<digits><SOH>
      const lenStart = beginEnd + 1;
      if (buf.length < lenStart + 2) return null;
      if (buf[lenStart] !== 0x39 || buf[lenStart + 1] !== EQ) return this.skipTo(start, 'bad_body_length');
      let bodyLength = 0;
      let p = lenStart + 2;
      for (; p < buf.length && buf[p] >= ZERO && buf[p] <= NINE; p++) {
        bodyLength = bodyLength * 10 + (buf[p] - ZERO);
        if (bodyLength > this.maxBodyLength) return this.skipTo(start, 'too_long');
      }
      if (p >= buf.length) return this.waitOrGarbage(start, 'bad_body_length', 16);
      if (p === lenStart + 2 || buf[p] !== SOH) return this.skipTo(start, 'bad_body_length');

      const bodyStart = p + 1;
      const bodyEnd = bodyStart + bodyLength;
      const end = bodyEnd + TRAILER_LEN;
      if (buf.length < end) {
        // A message that starts inside the claimed body means this one was cut short.
        const restart = this.nextStart(bodyStart, buf.length);
        if (restart >= 0) return this.cut(start, restart, 'truncated');
        return null;
      }
      if (!this.isTrailer(bodyEnd)) {
        const restart = this.nextStart(bodyStart, end);
        if (restart >= 0) return this.cut(start, restart, 'truncated');
        return this.skipTo(start, 'bad_body_length');
      }
      let sum = 0;
      for (let i = start; i < bodyEnd; i++) sum += buf[i];
      const claimed =
        (buf[bodyEnd + 3] - ZERO) * 100 + (buf[bodyEnd + 4] - ZERO) * 10 + (buf[bodyEnd + 5] - ZERO);
      this.pos = end;
      const bytes = Buffer.from(buf.subarray(start, end));
      if (sum % 256 !== claimed) return { kind: 'malformed', reason: 'bad_checksum', bytes };
      const msgType = this.checkFields(bytes, bodyStart - start, bodyEnd - start);
      if (msgType === null) return { kind: 'malformed', reason: 'garbled_field', bytes };
      return { kind: 'message', bytes, msgType };
    }
  }

  /** The connection closed: whatever is held is a cut-off message (or nothing). */
  end(): Extract<FixFrame, { kind: 'malformed' }> | null {
    const rest = this.buf.subarray(this.pos);
    this.buf = Buffer.alloc(0);
    this.pos = 0;
    if (rest.length === 0) return null;
    return {
      kind: 'malformed',
      reason: rest.indexOf(START) >= 0 ? 'truncated' : 'not_fix',
      bytes: Buffer.from(rest),
    };
  }

  private junk(from: number, to: number): FixFrame {
    return { kind: 'malformed', reason: 'not_fix', bytes: Buffer.from(this.buf.subarray(from, to)) };
  }

  /** A header field is still arriving; but past `limit` bytes without its SOH it is garbage. */
  private waitOrGarbage(start: number, reason: FixMalformedReason, limit: number): FixFrame | null {
    if (this.buf.length - start <= limit) return null;
    return this.skipTo(start, reason);
  }

  /** Drops the message starting at `start` up to the next `8=FIX` after it (or all held bytes). */
  private skipTo(start: number, reason: FixMalformedReason): FixFrame {
    const restart = this.nextStart(start + 1, this.buf.length);
    return this.cut(start, restart >= 0 ? restart : this.buf.length, reason);
  }

  private cut(start: number, to: number, reason: FixMalformedReason): FixFrame {
    this.pos = to;
    return { kind: 'malformed', reason, bytes: Buffer.from(this.buf.subarray(start, to)) };
  }

  /** The next `<SOH>8=FIX` (a message start after a field) in [from, to), as the `8`'s index. */
  private nextStart(from: number, to: number): number {
    let i = from;
    for (;;) {
      const at = this.buf.indexOf(START, i);
      if (at < 0 || at >= to) return -1;
      if (this.buf[at - 1] === SOH) return at;
      i = at + 1;
    }
  }

  private isTrailer(at: number): boolean {
    const b = this.buf;
    return (
      b[at] === 0x31 &&
      b[at + 1] === ZERO &&
      b[at + 2] === EQ &&
      isDigit(b[at + 3]) &&
      isDigit(b[at + 4]) &&
      isDigit(b[at + 5]) &&
      b[at + 6] === SOH
    );
  }

  /** Every body field `tag=value<SOH>`, MsgType first; returns the MsgType or null. */
  private checkFields(bytes: Buffer, from: number, to: number): string | null {
    let msgType: string | null = null;
    let p = from;
    let first = true;
    while (p < to) {
      const tagStart = p;
      let tag = 0;
      while (p < to && isDigit(bytes[p])) tag = tag * 10 + (bytes[p++] - ZERO);
      if (p === tagStart || bytes[tagStart] === ZERO || p >= to || bytes[p] !== EQ) return null;
      const valueStart = p + 1;
      const valueEnd = bytes.indexOf(SOH, valueStart);
      if (valueEnd < 0 || valueEnd >= to || valueEnd === valueStart) return null;
      if (first) {
        if (tag !== 35) return null;
        msgType = bytes.toString('latin1', valueStart, valueEnd);
        first = false;
      }
      p = valueEnd + 1;
    }
    return msgType;
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= NINE;
}

/** A message as people read it: SOH shown as `|`. */
export function fixToText(bytes: Buffer | string): string {
  const s = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  return s.replaceAll('\x01', '|');
}
