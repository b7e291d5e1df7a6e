// The spill journal's record format: ticks that could not go to SQLite in time (queue full, or a
// batch that still failed after its retries). Each record is self-contained (names included) and
// framed with a magic number, a length and a CRC-32, so damage is detected and never misread;
// the decoder skips a bad frame and picks up at the next valid one, so one damaged record never
// takes the intact records behind it. Replay goes through the normal insert path, whose unique
// key makes it idempotent.
import { crc32 } from 'node:zlib';
import type { ColumnBatch } from './columnBatch.ts';
import { allocateColumnBatch } from './columnBatch.ts';

const MAGIC = 0x54534a31; // 'TSJ1'
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
  const payloadLen = 16 + namesPadded + n * (6 * 8 + 2 * 4);
  const buf = Buffer.alloc(HEADER + payloadLen);
  let o = HEADER;
  buf.writeUInt32LE(n, o);
  buf.writeUInt32LE(sinks, o + 4);
  buf.writeUInt32LE(nameBytes.length, o + 8);
  buf.writeUInt32LE(id >>> 0, o + 12);
  o += 16;
  nameBytes.copy(buf, o);
  o += namesPadded;
  for (const col of [batch.tsUs, batch.recvUs, batch.bid, batch.ask, batch.bidSize, batch.askSize]) {
    Buffer.from(col.buffer, col.byteOffset, n * 8).copy(buf, o);
    o += n * 8;
  }
  for (const col of [localSym, localSrc]) {
    Buffer.from(col.buffer, col.byteOffset, n * 4).copy(buf, o);
    o += n * 4;
  }
  buf.writeUInt32LE(MAGIC, 0);
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
  if (buf.readUInt32LE(o) !== MAGIC) return 0;
  const len = buf.readUInt32LE(o + 4);
  if (len < MIN_PAYLOAD || len > MAX_PAYLOAD || o + HEADER + len > buf.length) return 0;
  if (crc32(buf.subarray(o + HEADER, o + HEADER + len)) !== buf.readUInt32LE(o + 8)) return 0;
  return HEADER + len;
}

const MAGIC_BYTES = Buffer.alloc(4);
MAGIC_BYTES.writeUInt32LE(MAGIC, 0);

export function decodeSpillJournal(buf: Buffer): DecodedJournal {
  const records: SpillRecord[] = [];
  let damagedBytes = 0;
  let damagedStretches = 0;
  let o = 0;
  while (o < buf.length) {
    const len = frameAt(buf, o);
    const rec = len > 0 ? tryDecodePayload(buf.subarray(o + HEADER, o + len)) : null;
    if (rec) {
      records.push(rec);
      o += len;
      continue;
    }
    // Resynchronise: the next offset where a whole valid record starts.
    let next = -1;
    for (let p = buf.indexOf(MAGIC_BYTES, o + 1); p >= 0; p = buf.indexOf(MAGIC_BYTES, p + 1)) {
      const l = frameAt(buf, p);
      if (l > 0 && tryDecodePayload(buf.subarray(p + HEADER, p + l))) {
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

function tryDecodePayload(p: Buffer): SpillRecord | null {
  const n = p.readUInt32LE(0);
  const sinks = p.readUInt32LE(4);
  const nameLen = p.readUInt32LE(8);
  const id = p.readUInt32LE(12);
  const o = 16 + ((nameLen + 7) & ~7);
  if (o + n * (6 * 8 + 2 * 4) !== p.length) return null;
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
  // The column batch lays out the same columns in the same order, so the payload copies as one block.
  const raw = Buffer.from(batch.tsUs.buffer, batch.tsUs.byteOffset, n * (6 * 8 + 2 * 4));
  p.copy(raw, 0, o, o + n * (6 * 8 + 2 * 4));
  for (let i = 0; i < n; i++) {
    if (batch.sym[i] >= symNames.length || batch.src[i] >= srcNames.length) return null;
  }
  return { sinks, id, batch, symNames, srcNames };
}
