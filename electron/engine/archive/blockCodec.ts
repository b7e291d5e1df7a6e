// An archive block: a few thousand consecutive rows of one symbol's day, stored column by column
// (time, source, bid, spread, update id, receive latency, bid size, ask size), each column coded
// by columnCodec.ts and then compressed with zstd on its own (columns of one kind compress far
// better apart than interleaved). The values are the day file's stored row values, so a decoded
// block goes through the same price codec as a live row and reads back bit for bit.
import zlib from 'node:zlib';
import { ByteReader, ByteWriter } from './byteStream.ts';
import type { ColumnHint } from './columnCodec.ts';
import { decodeColumn, encodeColumn } from './columnCodec.ts';

export const BLOCK_FORMAT = 1;
const METHOD_STORED = 0;
const METHOD_ZSTD = 1;

/** The stored columns of q rows, in key order; NaN stands for NULL. */
export interface RowColumns {
  t: Float64Array;
  src: Float64Array;
  b: Float64Array;
  s: Float64Array;
  u: Float64Array;
  r: Float64Array;
  bs: Float64Array;
  asz: Float64Array;
}

export const ROW_COLUMNS = ['t', 'src', 'b', 's', 'u', 'r', 'bs', 'asz'] as const;
export type RowColumn = (typeof ROW_COLUMNS)[number];

const HINTS: Record<RowColumn, ColumnHint> = {
  t: 'time',
  src: 'dict',
  b: 'delta',
  s: 'raw',
  u: 'delta',
  r: 'raw',
  bs: 'auto',
  asz: 'auto',
};

export function emptyRows(n: number): RowColumns {
  const out = {} as RowColumns;
  for (const c of ROW_COLUMNS) out[c] = new Float64Array(n);
  return out;
}

export interface EncodedBlock {
  data: Buffer;
  /** CRC-32 of the columns before compression, for the reader to check a block it decodes. */
  crc: number;
}

/**
 * zstd level 3: level 9 is under 2% smaller on real days (1.86 against 1.90 bytes a tick on
 * EURUSD, 3.52 against 3.54 with sizes) and codes at half the speed.
 */
export const DEFAULT_ZSTD_LEVEL = 3;

export function encodeBlock(
  rows: RowColumns,
  from: number,
  to: number,
  level = DEFAULT_ZSTD_LEVEL,
  scratch = new ByteWriter(),
): EncodedBlock {
  const out = new ByteWriter(1024);
  out.byte(BLOCK_FORMAT);
  out.uint(to - from);
  let crc = 0;
  for (const c of ROW_COLUMNS) {
    const best = codeChosen(rows, c, from, to, level, scratch);
    // The transform changes every value of its column: the crc covers it with the column.
    crc = zlib.crc32(best.raw, zlib.crc32(Uint8Array.of(best.transform), crc));
    out.byte(best.method);
    out.byte(best.transform);
    out.uint(best.raw.length);
    out.uint(best.packed.length);
    out.bytes(best.packed);
  }
  return { data: Buffer.from(out.view8()), crc };
}

/** Rows a choice between two codings is tried on before the whole column is coded. */
const CHOICE_SAMPLE = 4096;

/**
 * The column coded the better of its ways: a receive latency derived from a clock that did not
 * follow the ticks (a backfill, a migration) is a near-constant receive time minus a moving tick
 * time, nearly free as the receive time's deltas; spreads of FX quotes repeat (raw values code
 * best), a crypto book's wander (deltas do). The choice is made on a sample of the block.
 */
function codeChosen(
  rows: RowColumns,
  c: RowColumn,
  from: number,
  to: number,
  level: number,
  scratch: ByteWriter,
): CodedColumn {
  const alt: { transform: number; hint: ColumnHint } | null =
    c === 'r' && receiveTimeIsExact(rows, from, to)
      ? { transform: TRANSFORM_PLUS_T, hint: 'delta' }
      : c === 's'
        ? { transform: TRANSFORM_NONE, hint: 'delta' }
        : null;
  if (alt === null) return codeColumn(rows, c, from, to, TRANSFORM_NONE, level, scratch);
  const end = Math.min(to, from + CHOICE_SAMPLE);
  const plain = codeColumn(rows, c, from, end, TRANSFORM_NONE, level, scratch);
  if (plain.packed.length <= 64 && end === to) return plain;
  const other = codeColumn(rows, c, from, end, alt.transform, level, new ByteWriter(), alt.hint);
  const useAlt = other.packed.length < plain.packed.length;
  if (end === to) return useAlt ? other : plain;
  return useAlt
    ? codeColumn(rows, c, from, to, alt.transform, level, scratch, alt.hint)
    : codeColumn(rows, c, from, to, TRANSFORM_NONE, level, scratch);
}

/** Whether (r + t) - t gives every r back (not so for -0, or for sums past 2^53). */
function receiveTimeIsExact(rows: RowColumns, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const r = rows.r[i];
    if (r === r && !Object.is(r + rows.t[i] - rows.t[i], r)) return false;
  }
  return true;
}

const TRANSFORM_NONE = 0;
/** The column holds r + t (the receive time), coded as deltas. */
const TRANSFORM_PLUS_T = 1;

interface CodedColumn {
  method: number;
  transform: number;
  raw: Uint8Array;
  packed: Uint8Array;
}

function codeColumn(
  rows: RowColumns,
  c: RowColumn,
  from: number,
  to: number,
  transform: number,
  level: number,
  scratch: ByteWriter,
  hint: ColumnHint = HINTS[c],
): CodedColumn {
  scratch.reset();
  if (transform === TRANSFORM_PLUS_T) {
    const v = new Float64Array(to - from);
    for (let i = from; i < to; i++) v[i - from] = rows.r[i] + rows.t[i];
    encodeColumn(scratch, v, 0, to - from, hint);
  } else encodeColumn(scratch, rows[c], from, to, hint);
  // A copy: the scratch buffer is reused for the next column.
  const raw = scratch.view8().slice();
  const packed =
    raw.length > 32
      ? zlib.zstdCompressSync(raw, { params: { [zlib.constants.ZSTD_c_compressionLevel]: level } })
      : null;
  return packed && packed.length < raw.length
    ? { method: METHOD_ZSTD, transform, raw, packed }
    : { method: METHOD_STORED, transform, raw, packed: raw };
}

export class BlockFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockFormatError';
  }
}

/**
 * Decodes a block into out[c][at..at+n) for the wanted columns (the others are skipped without
 * being decompressed). Returns the block's row count. With `crc`, the block's columns are
 * checked against it (only when every column is decoded).
 */
export function decodeBlock(
  data: Uint8Array,
  out: RowColumns,
  at: number,
  want: ReadonlySet<RowColumn> | null = null,
  crc: number | null = null,
): number {
  try {
    return decodeBlockBytes(data, out, at, want, crc);
  } catch (e) {
    // Damaged bytes fail in the varint reader, the column decoder or zstd: one error type for all.
    if (e instanceof BlockFormatError) throw e;
    throw new BlockFormatError(`archive block: damaged (${(e as Error).message})`);
  }
}

function decodeBlockBytes(
  data: Uint8Array,
  out: RowColumns,
  at: number,
  want: ReadonlySet<RowColumn> | null,
  crc: number | null,
): number {
  const r = new ByteReader(data);
  const version = r.byte();
  if (version !== BLOCK_FORMAT)
    throw new BlockFormatError(
      `archive block format ${version} is not one this Tickscope reads (${BLOCK_FORMAT})`,
    );
  const n = r.uint();
  let sum = 0;
  for (const c of ROW_COLUMNS) {
    const method = r.byte();
    const transform = r.byte();
    const rawLen = r.uint();
    const len = r.uint();
    const stored = r.bytes(len);
    if (want && !want.has(c)) continue;
    const raw =
      method === METHOD_ZSTD
        ? zlib.zstdDecompressSync(stored, { maxOutputLength: rawLen })
        : method === METHOD_STORED
          ? stored
          : null;
    if (raw === null) throw new BlockFormatError(`archive block: unknown compression method ${method}`);
    if (raw.length !== rawLen)
      throw new BlockFormatError('archive block: a column decompressed to the wrong size');
    if (crc !== null) sum = zlib.crc32(raw, zlib.crc32(Uint8Array.of(transform), sum));
    const col = out[c].subarray(at, at + n);
    decodeColumn(new ByteReader(raw), n, col);
    if (transform === TRANSFORM_PLUS_T) {
      if (want && !want.has('t'))
        throw new BlockFormatError('archive block: the receive latency needs the time column');
      const t = out.t.subarray(at, at + n);
      for (let i = 0; i < n; i++) col[i] -= t[i];
    } else if (transform !== TRANSFORM_NONE)
      throw new BlockFormatError(`archive block: unknown transform ${transform}`);
  }
  if (crc !== null && want === null && sum !== crc)
    throw new BlockFormatError('archive block: checksum mismatch (the block is damaged)');
  return n;
}
