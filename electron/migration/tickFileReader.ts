// Reads one source file of any supported format into batches of ticks, streaming: memory stays
// at about one chunk plus one batch whatever the file size.
import { open } from 'node:fs/promises';
import type { MigrationFormat } from '../../shared/migration.ts';
import { openFileChunks } from './fileChunks.ts';
import { JsonRecordScanner } from './jsonRecordScanner.ts';
import { addDukascopyNumbers, addDukascopyValue } from './readers/dukascopyRecords.ts';
import { histDataLine, trueFxLine } from './readers/csvTickLines.ts';
import { addLegacyFlat, addLegacyValue, isTickField } from './readers/legacyJsonRecords.ts';
import { LineSplitter } from './readers/lineSplitter.ts';
import { mt5Line } from './readers/mt5TickLines.ts';
import { ReadContext } from './readers/readContext.ts';
import type { TickBatch } from './tickBatch.ts';

export interface ReadFileOptions {
  absPath: string;
  relPath: string;
  format: MigrationFormat;
  batchSize: number;
  serverOffsetHours: number;
  /** Symbol for records without one. */
  fallbackSymbol: string | null;
  hash: boolean;
  signal?: AbortSignal;
  onReject(location: string, reason: string): void;
  /** Awaited: this is where backpressure from the store reaches the reader. */
  onBatch(batch: TickBatch, locKind: 'record' | 'line'): Promise<void>;
  onProgress?(rawBytes: number): void;
}

export interface ReadFileResult {
  ticksRead: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  notes: string[];
  /** Set when the file ended early or is malformed as a whole; ticks before it were read. */
  structureProblem: string | null;
  sha256: string;
  rawBytes: number;
  /** Whether any tick took the file's fallback symbol (its name or --symbol). */
  fallbackSymbolUsed: boolean;
}

export class MigrationCancelledError extends Error {
  constructor() {
    super('migration cancelled');
    this.name = 'MigrationCancelledError';
  }
}

export async function readTickFile(o: ReadFileOptions): Promise<ReadFileResult> {
  const ctx = new ReadContext(o.relPath, o.fallbackSymbol, o.batchSize, o.onReject);
  const src = await openFileChunks(o.absPath, { hash: o.hash });
  let push: (chunk: Buffer) => void;
  let finish: () => string | null;
  if (o.format === 'legacy-json' || o.format === 'dukascopy') {
    const legacy = o.format === 'legacy-json';
    const scanner = new JsonRecordScanner({
      flat: legacy
        ? (keys, vals, count, loc) => addLegacyFlat(ctx, keys, vals, count, loc)
        : (_k, _v, _c, loc) =>
            ctx.reject(loc, 'not_a_tick: expected [timestamp_ms, ask, bid, askVolume, bidVolume]'),
      numbers: legacy
        ? (_n, _c, loc) => ctx.reject(loc, 'not_a_tick: record is not a JSON object')
        : (nums, count, loc) => addDukascopyNumbers(ctx, nums, count, loc),
      value: legacy ? (v, loc) => addLegacyValue(ctx, v, loc) : (v, loc) => addDukascopyValue(ctx, v, loc),
      bad: (loc, reason) => ctx.reject(loc, `malformed: ${reason}`),
      wants: legacy ? isTickField : undefined,
      layout: (l) => {
        ctx.locKind = l === 'array' ? 'record' : 'line';
      },
    });
    push = (chunk) => scanner.push(chunk);
    finish = () => scanner.end();
  } else {
    const onLine =
      o.format === 'truefx'
        ? trueFxLine(ctx)
        : o.format === 'histdata'
          ? histDataLine(ctx)
          : mt5Line(ctx, o.serverOffsetHours);
    const splitter = new LineSplitter(onLine);
    push = (chunk) => splitter.push(chunk);
    finish = () => {
      splitter.end();
      return null;
    };
  }
  let structureProblem: string | null;
  try {
    for await (const chunk of src.chunks) {
      if (o.signal?.aborted) throw new MigrationCancelledError();
      push(chunk);
      for (const b of ctx.drain(false)) await o.onBatch(b, ctx.locKind);
      o.onProgress?.(src.rawBytes());
    }
    structureProblem = finish();
  } catch (err) {
    if (err instanceof MigrationCancelledError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e.message)) {
      structureProblem = 'truncated: the gzip stream ends early';
    } else if (e.code === 'Z_DATA_ERROR') {
      structureProblem = `malformed: corrupt gzip data (${e.message})`;
    } else if (e.name === 'RecordTooLargeError') {
      structureProblem = e.message;
    } else {
      throw err;
    }
  }
  for (const b of ctx.drain(true)) await o.onBatch(b, ctx.locKind);
  o.onProgress?.(src.rawBytes());
  return {
    ticksRead: ctx.ticksRead,
    rejected: ctx.rejected,
    rejectedByReason: Object.fromEntries(ctx.rejectedByReason),
    notes: ctx.noteList(),
    structureProblem,
    sha256: structureProblem === null ? src.sha256() : '',
    rawBytes: src.rawBytes(),
    fallbackSymbolUsed: ctx.fallbackSymbolUsed,
  };
}

/**
 * For an uncompressed JSON file, whether it ends the way a complete file does. Checked before
 * migrating so that a truncated file is skipped whole rather than half-imported.
 */
export async function jsonTailProblem(absPath: string, size: number): Promise<string | null> {
  const fh = await open(absPath, 'r');
  try {
    const n = Math.min(size, 256);
    const buf = Buffer.alloc(n);
    await fh.read(buf, 0, n, size - n);
    const headBuf = Buffer.alloc(Math.min(size, 64));
    await fh.read(headBuf, 0, headBuf.length, 0);
    const head = headBuf
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    const tail = buf.toString('latin1').trimEnd();
    const last = tail.charAt(tail.length - 1);
    if (head.startsWith('[')) {
      return last === ']' ? null : 'truncated: the JSON array is not closed at end of file';
    }
    return last === '}' || last === ']' ? null : 'truncated: the last JSON line is incomplete';
  } finally {
    await fh.close();
  }
}
