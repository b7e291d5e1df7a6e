// Worker entry: codes and writes compacted days, off the main thread and the writer.
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { DEFAULT_BLOCK_ROWS, encodeDaySymbols, readDayHead, writeArchive } from '../archive/compactDay.ts';
import { DEFAULT_ZSTD_LEVEL } from '../archive/blockCodec.ts';
import { ownBuffers } from '../archive/parallelCompaction.ts';
import { serveRpc } from '../rpc/rpcServer.ts';
import { Transfer } from '../rpc/rpcWire.ts';
import type { ArchiveApi, ArchiveEvents } from './archiveApi.ts';

const PROGRESS_EVERY_TICKS = 100_000;

const server = serveRpc<ArchiveApi, ArchiveEvents>(parentPort!, {
  head: (sourcePath) => readDayHead(sourcePath),
  encode: (sourcePath, day, part, symbols, archived) => {
    let reported = 0;
    const encoded = encodeDaySymbols(sourcePath, symbols, archived, {
      onProgress: (ticksDone, ticksTotal) => {
        if (ticksDone - reported < PROGRESS_EVERY_TICKS && ticksDone < ticksTotal) return;
        reported = ticksDone;
        server.emit('progress', { day, part, ticksDone });
      },
    });
    return new Transfer(encoded, ownBuffers(encoded));
  },
  write: (sourcePath, day, head, encoded) =>
    writeArchive(sourcePath, day, head, encoded, {
      blockRows: DEFAULT_BLOCK_ROWS,
      level: DEFAULT_ZSTD_LEVEL,
    }),
  discard: (tmpPath) => fs.rmSync(tmpPath, { force: true }),
});
