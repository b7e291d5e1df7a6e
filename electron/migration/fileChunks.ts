// Reads a source file as a stream of decompressed chunks, hashing and counting the raw bytes on the
// way: one pass gives the parser its input, the ledger its sha256 and the progress bar its bytes.
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

const CHUNK_BYTES = 1 << 20;

export interface FileChunks {
  chunks: AsyncIterable<Buffer>;
  /** Raw (compressed) bytes read so far. */
  rawBytes(): number;
  /** sha256 of the raw bytes; complete once the chunks are exhausted. */
  sha256(): string;
}

export async function isGzipFile(absPath: string): Promise<boolean> {
  const fh = await open(absPath, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export async function openFileChunks(absPath: string, opts: { hash: boolean }): Promise<FileChunks> {
  const gz = await isGzipFile(absPath);
  const hash: Hash | null = opts.hash ? createHash('sha256') : null;
  let raw = 0;
  const tap = (c: Buffer): void => {
    raw += c.length;
    hash?.update(c);
  };
  async function* chunks(): AsyncGenerator<Buffer> {
    const stream = createReadStream(absPath, { highWaterMark: CHUNK_BYTES });
    if (!gz) {
      for await (const c of stream) {
        tap(c as Buffer);
        yield c as Buffer;
      }
      return;
    }
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    stream.on('data', (c) => tap(c as Buffer));
    pipeline(stream, gunzip, () => undefined);
    for await (const c of gunzip) yield c as Buffer;
  }
  let digest: string | null = null;
  return {
    chunks: chunks(),
    rawBytes: () => raw,
    sha256: () => {
      if (!hash) return '';
      digest ??= hash.digest('hex');
      return digest;
    },
  };
}

/** sha256 of a whole file, for deciding whether an earlier run already migrated it. */
export async function hashFile(absPath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const c of createReadStream(absPath, { highWaterMark: CHUNK_BYTES })) hash.update(c as Buffer);
  return hash.digest('hex');
}

/** The first bytes of a file, decompressed when it is gzip; for sniffing the format. */
export async function readHead(
  absPath: string,
  maxBytes: number,
): Promise<{ head: Buffer; gzip: boolean; compressionRatio: number }> {
  const gz = await isGzipFile(absPath);
  const fh = await open(absPath, 'r');
  let raw: Buffer;
  try {
    const buf = Buffer.alloc(maxBytes);
    const { bytesRead } = await fh.read(buf, 0, maxBytes, 0);
    raw = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  if (!gz) return { head: raw, gzip: false, compressionRatio: 1 };
  const { gunzipSync, constants } = await import('node:zlib');
  // The head is a cut-off stream: sync flush returns what decompresses so far instead of failing.
  const head = gunzipSync(raw, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: maxBytes * 64 });
  return { head, gzip: true, compressionRatio: raw.length > 0 ? head.length / raw.length : 1 };
}
