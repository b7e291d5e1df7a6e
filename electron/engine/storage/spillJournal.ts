// The spill journal's record format: ticks that could not go to SQLite in time (queue full, or a
// batch that still failed after its retries). Each record is self-contained (names included) and
// framed with a magic number, a length and a CRC-32, so damage is detected and never misread;
// the decoder skips a bad frame and picks up at the next valid one, so one damaged record never
// takes the intact records behind it. Replay goes through the normal insert path, whose unique
// key makes it idempotent.
//
// Record formats, told apart by their magic number (a segment may hold both):
//   TSJ1  6 float columns (tsUs, recvUs, bid, ask, bidSize, askSize), then sym and src
//   TSJ2  7 float columns (TSJ1's plus seq, the exchange's update id), then sym and src;
//         recvUs NaN means the exchange sent no time
// Records are written in the newest format; every older one is still read (seq NaN).
import { crc32 } from 'node:zlib';
import type { ColumnBatch } from './columnBatch.ts';
import { F64_COLUMNS, allocateColumnBatch } from './columnBatch.ts';

const MAGIC_V1 = 0x54534a31; // 'TSJ1'
const MAGIC_V2 = 0x54534a32; // 'TSJ2'
/** Float columns of each format's record, by magic number. */
const FLOAT_COLUMNS = new Map([
  [MAGIC_V1, 6],
  [MAGIC_V2, F64_COLUMNS],
]);
const HEADER = 12;
const MIN_PAYLOAD = 16;
/** Larger than any batch the engine makes; a longer length field is damage. */
const MAX_PAYLOAD = 512 * 1024 * 1024;

export const SINK_SQLITE = 1;
export const SINK_JSON = 2;
/**
 * The ticks' outcome is already accounted for (their SQLite write succeeded); this record only
 * mirrors them to the legacy JSON files. Kept out of the pending counts so nothing counts twice.
 */
export const FLAG_COUNTED = 4;

export interface SpillRecord {
  sinks: number;
  /** The engine's id of the batch the record holds (0 when unknown), to tell appends apart. */
  id: number;
  batch: ColumnBatch;
  symNames: string[];
  srcNames: string[];
}

export function encodeSpillRecord(
  batch: ColumnBatch,
  symName: (id: number) => string,
  srcName: (id: number) => string,
  sinks: number,
  id = 0,
): Buffer {
  const n = batch.n;
  const symIdx = new Map<number, number>();
  const srcIdx = new Map<number, number>();
  const localSym = new Uint32Array(n);
  const localSrc = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let s = symIdx.get(batch.sym[i]);
    if (s === undefined) symIdx.set(batch.sym[i], (s = symIdx.size));
    localSym[i] = s;
    let r = srcIdx.get(batch.src[i]);
    if (r === undefined) srcIdx.set(batch.src[i], (r = srcIdx.size));
    localSrc[i] = r;
  }
  const names = JSON.stringify([[...symIdx.keys()].map(symName), [...srcIdx.keys()].map(srcName)]);
  const nameBytes = Buffer.from(names, 'utf8');
  const namesPadded = (nameBytes.length + 7) & ~7;
  const payloadLen = 16 + namesPadded + n * (F64_COLUMNS * 8 + 2 * 4);
  const buf = Buffer.alloc(HEADER + payloadLen);
  let o = HEADER;
  buf.writeUInt32LE(n, o);
  buf.writeUInt32LE(sinks, o + 4);
  buf.writeUInt32LE(nameBytes.length, o + 8);
  buf.writeUInt32LE(id >>> 0, o + 12);
  o += 16;
  nameBytes.copy(buf, o);
  o += namesPadded;
  for (const col of [
    batch.tsUs,
    batch.recvUs,
    batch.bid,
    batch.ask,
    batch.bidSize,
    batch.askSize,
    batch.seq,
  ]) {
    Buffer.from(col.buffer, col.byteOffset, n * 8).copy(buf, o);
    o += n * 8;
  }
  for (const col of [localSym, localSrc]) {
    Buffer.from(col.buffer, col.byteOffset, n * 4).copy(buf, o);
    o += n * 4;
  }
  buf.writeUInt32LE(MAGIC_V2, 0);
  buf.writeUInt32LE(payloadLen, 4);
  buf.writeUInt32LE(crc32(buf.subarray(HEADER)), 8);
  return buf;
}

export interface DecodedJournal {
  records: SpillRecord[];
  /** Bytes between valid records that formed no valid record (damage), and how many stretches. */
  damagedBytes: number;
  damagedStretches: number;
  /** Bytes after the last valid record that form no whole record (a write torn by a crash). */
  tornBytes: number;
}

/** The length of the valid record at o, or 0 when none starts there. */
function frameAt(buf: Buffer, o: number): number {
  if (o + HEADER + MIN_PAYLOAD > buf.length) return 0;
  if (!FLOAT_COLUMNS.has(buf.readUInt32LE(o))) return 0;
  const len = buf.readUInt32LE(o + 4);
  if (len < MIN_PAYLOAD || len > MAX_PAYLOAD || o + HEADER + len > buf.length) return 0;
  if (crc32(buf.subarray(o + HEADER, o + HEADER + len)) !== buf.readUInt32LE(o + 8)) return 0;
  return HEADER + len;
}

/** The record at o (framed and checked by frameAt), decoded in its own format. */
function recordAt(buf: Buffer, o: number, len: number): SpillRecord | null {
  return tryDecodePayload(buf.subarray(o + HEADER, o + len), FLOAT_COLUMNS.get(buf.readUInt32LE(o))!);
}

// Every format's magic ends in the same three bytes ('JST' little-endian): resynchronising
// searches for those and looks one byte back.
const MAGIC_TAIL = Buffer.from('JST', 'latin1');

/** The next offset after `from` where a known magic number starts, or -1. */
function nextMagic(buf: Buffer, from: number): number {
  for (let p = buf.indexOf(MAGIC_TAIL, from + 1); p >= 0; p = buf.indexOf(MAGIC_TAIL, p + 1)) {
    if (p - 1 > from && FLOAT_COLUMNS.has(buf.readUInt32LE(p - 1))) return p - 1;
  }
  return -1;
}

export function decodeSpillJournal(buf: Buffer): DecodedJournal {
  const records: SpillRecord[] = [];
  let damagedBytes = 0;
  let damagedStretches = 0;
  let o = 0;
  while (o < buf.length) {
    const len = frameAt(buf, o);
    const rec = len > 0 ? recordAt(buf, o, len) : null;
    if (rec) {
      records.push(rec);
      o += len;
      continue;
    }
    // Resynchronise: the next offset where a whole valid record starts.
    let next = -1;
    for (let p = nextMagic(buf, o); p >= 0; p = nextMagic(buf, p)) {
      const l = frameAt(buf, p);
      if (l > 0 && recordAt(buf, p, l)) {
        next = p;
        break;
      }
    }
    if (next < 0) return { records, damagedBytes, damagedStretches, tornBytes: buf.length - o };
    damagedBytes += next - o;
    damagedStretches++;
    o = next;
  }
  return { records, damagedBytes, damagedStretches, tornBytes: 0 };
}

function tryDecodePayload(p: Buffer, floats: number): SpillRecord | null {
  const n = p.readUInt32LE(0);
  const sinks = p.readUInt32LE(4);
  const nameLen = p.readUInt32LE(8);
  const id = p.readUInt32LE(12);
  const o = 16 + ((nameLen + 7) & ~7);
  if (o + n * (floats * 8 + 2 * 4) !== p.length) return null;
  let names: unknown;
  try {
    names = JSON.parse(p.toString('utf8', 16, 16 + nameLen));
  } catch {
    return null;
  }
  if (!Array.isArray(names) || names.length !== 2) return null;
  const [symNames, srcNames] = names as [string[], string[]];
  const batch = allocateColumnBatch(n);
  batch.n = n;
  // The column batch lays out the same columns in the same order (the newest format's, older
  // ones a prefix of its floats), so the payload copies as one or two blocks.
  const fl = n * floats * 8;
  p.copy(Buffer.from(batch.tsUs.buffer, batch.tsUs.byteOffset, fl), 0, o, o + fl);
  p.copy(Buffer.from(batch.sym.buffer, batch.sym.byteOffset, n * 8), 0, o + fl, o + fl + n * 8);
  if (floats < F64_COLUMNS) batch.seq.fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    if (batch.sym[i] >= symNames.length || batch.src[i] >= srcNames.length) return null;
  }
  return { sinks, id, batch, symNames, srcNames };
}
