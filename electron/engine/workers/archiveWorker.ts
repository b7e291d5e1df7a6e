// Worker entry: compacts day files into the archive tier, off the main thread and the writer.
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { prepareArchive } from '../archive/compactDay.ts';
import { serveRpc } from '../rpc/rpcServer.ts';
import type { ArchiveApi, ArchiveEvents } from './archiveApi.ts';

const PROGRESS_EVERY_TICKS = 100_000;

const server = serveRpc<ArchiveApi, ArchiveEvents>(parentPort!, {
  prepare: (sourcePath, day, blockRows) => {
    let reported = 0;
    return prepareArchive(sourcePath, day, {
      ...(blockRows === null ? {} : { blockRows }),
      onProgress: (ticksDone, ticksTotal) => {
        if (ticksDone - reported < PROGRESS_EVERY_TICKS && ticksDone < ticksTotal) return;
        reported = ticksDone;
        server.emit('progress', { day, ticksDone, ticksTotal });
      },
    });
  },
  discard: (tmpPath) => fs.rmSync(tmpPath, { force: true }),
});
