// Append-only journal for ticks that could not go to SQLite in time (queue full, or a batch that
// still failed after its retries). Each record is self-contained (names included) and framed
// with a length and CRC-32, so a record torn by a crash is detected and skipped, never misread.
// Replay goes through the normal insert path, whose unique key makes it idempotent.
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { ColumnBatch } from './columnBatch.ts';
import { allocateColumnBatch } from './columnBatch.ts';

const MAGIC = 0x54534a31; // 'TSJ1'
const HEADER = 12;

export const SINK_SQLITE = 1;
export const SINK_JSON = 2;

export interface SpillRecord {
  sinks: number;
  batch: ColumnBatch;
  symNames: string[];
  srcNames: string[];
}

export function encodeSpillRecord(
  batch: ColumnBatch,
  symName: (id: number) => string,
  srcName: (id: number) => string,
  sinks: number,
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
  /** Bytes at the end that did not form a whole, valid record (a torn write). */
  tornBytes: number;
}

export function decodeSpillJournal(buf: Buffer): DecodedJournal {
  const records: SpillRecord[] = [];
  let o = 0;
  while (o + HEADER <= buf.length) {
    if (buf.readUInt32LE(o) !== MAGIC) break;
    const len = buf.readUInt32LE(o + 4);
    if (o + HEADER + len > buf.length) break;
    const payload = buf.subarray(o + HEADER, o + HEADER + len);
    if (crc32(payload) !== buf.readUInt32LE(o + 8)) break;
    records.push(decodePayload(payload));
    o += HEADER + len;
  }
  return { records, tornBytes: buf.length - o };
}

function decodePayload(p: Buffer): SpillRecord {
  const n = p.readUInt32LE(0);
  const sinks = p.readUInt32LE(4);
  const nameLen = p.readUInt32LE(8);
  const [symNames, srcNames] = JSON.parse(p.toString('utf8', 16, 16 + nameLen)) as [string[], string[]];
  const o = 16 + ((nameLen + 7) & ~7);
  const batch = allocateColumnBatch(n);
  batch.n = n;
  const raw = Buffer.from(batch.tsUs.buffer);
  // The column batch lays out the same columns in the same order, so the payload copies as one block.
  p.copy(raw, 0, o, o + n * (6 * 8 + 2 * 4));
  return { sinks, batch, symNames, srcNames };
}

export function listSpillSegments(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((f) => f.endsWith('.tsj') || f.endsWith('.tsj.open'))
    .sort()
    .map((f) => path.join(dir, f));
}

let segmentCounter = 0;

export function newSegmentName(dir: string, prefix: string): string {
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  return path.join(dir, `${prefix}-${stamp}-${process.pid}-${++segmentCounter}.tsj`);
}

/** Writes a whole segment at once (write to .open, fsync, rename): used for failed batches. */
export function writeSealedSegment(dir: string, prefix: string, records: Buffer[]): string {
  fs.mkdirSync(dir, { recursive: true });
  const final = newSegmentName(dir, prefix);
  const tmp = `${final}.open`;
  const fd = fs.openSync(tmp, 'w');
  try {
    for (const r of records) fs.writeSync(fd, r);
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, final);
  return final;
}

/** An open segment that overflow batches are appended to until it is sealed for replay. */
export class SpillSegmentAppender {
  private fd: number | null = null;
  private openPath: string | null = null;
  ticks = 0;
  bytes = 0;
  private readonly dir: string;
  private readonly prefix: string;

  constructor(dir: string, prefix: string) {
    this.dir = dir;
    this.prefix = prefix;
  }

  append(record: Buffer, ticks: number): void {
    if (this.fd === null) {
      fs.mkdirSync(this.dir, { recursive: true });
      this.openPath = `${newSegmentName(this.dir, this.prefix)}.open`;
      this.fd = fs.openSync(this.openPath, 'a');
    }
    fs.writeSync(this.fd, record);
    fs.fdatasyncSync(this.fd);
    this.ticks += ticks;
    this.bytes += record.length;
  }

  /** Closes the current segment and renames it to .tsj; returns its path, or null when empty. */
  seal(): { path: string; ticks: number } | null {
    if (this.fd === null || this.openPath === null) return null;
    fs.closeSync(this.fd);
    const sealed = this.openPath.slice(0, -'.open'.length);
    fs.renameSync(this.openPath, sealed);
    const out = { path: sealed, ticks: this.ticks };
    this.fd = null;
    this.openPath = null;
    this.ticks = 0;
    this.bytes = 0;
    return out;
  }
}
