// Worker entry: answers queries on its own read-only connections so no query runs on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { serveRpc } from '../rpc/rpcServer.ts';
import { Transfer } from '../rpc/rpcWire.ts';
import { TickReader } from '../reader/tickReader.ts';
import { STREAM_ARRAYS } from '../stream/streamColumns.ts';
import { createTickStreamReader } from '../stream/streamReader.ts';
import type { PackedTicks, ReaderApi } from './readerApi.ts';
import { PACKED_COLUMNS } from './readerApi.ts';

const reader = new TickReader((workerData as { sqliteDir: string }).sqliteDir);
const stream = createTickStreamReader(reader);
const packed = (p: PackedTicks) =>
  new Transfer(
    p,
    PACKED_COLUMNS.map((c) => p[c].buffer as ArrayBuffer),
  );

serveRpc<ReaderApi>(parentPort!, {
  range: (...args) => packed(reader.range(...args)),
  recent: (...args) => packed(reader.recent(...args)),
  streamPage: (...args) => {
    const p = stream.page(...args);
    return new Transfer(
      p,
      STREAM_ARRAYS.map((c) => p.ticks[c].buffer as ArrayBuffer),
    );
  },
  bars: (...args) => reader.bars(...args),
  symbols: () => reader.symbols(),
  feedEvents: (...args) => reader.feedEvents(...args),
  days: () => reader.days(),
  close: () => reader.close(),
});
