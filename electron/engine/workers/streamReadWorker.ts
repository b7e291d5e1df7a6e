// Worker entry: reads one selection's ordered stream a page at a time and posts the pages
// (transferred, not copied) to the export worker, at most `depth` pages ahead of it. Reading and
// encoding then run on two cores: either alone is about as fast as an export needs to be.
import { workerData } from 'node:worker_threads';
import { TickReader } from '../reader/tickReader.ts';
import { STREAM_ARRAYS } from '../stream/streamColumns.ts';
import { createTickStreamReader } from '../stream/streamReader.ts';
import type { StreamCursor } from '../stream/streamTypes.ts';
import type { StreamReadMessage, StreamReadWorkerData } from './streamReadApi.ts';
import { FINISHED, POSTED, STOP, TAKEN } from './streamReadApi.ts';

const data = workerData as StreamReadWorkerData;
const signal = new Int32Array(data.signal);
const post = (m: StreamReadMessage, transfer: ArrayBuffer[] = []): void => {
  data.port.postMessage(m, transfer);
  Atomics.add(signal, POSTED, 1);
  Atomics.notify(signal, POSTED);
};

let reader: TickReader | null = null;
try {
  reader = new TickReader(data.sqliteDir);
  const stream = createTickStreamReader(reader);
  let cursor: StreamCursor | null = null;
  do {
    // Blocking here is the point: this thread does nothing else, and it keeps memory bounded.
    for (;;) {
      if (Atomics.load(signal, STOP) !== 0) break;
      const taken = Atomics.load(signal, TAKEN);
      if (Atomics.load(signal, POSTED) - taken < data.depth) break;
      Atomics.wait(signal, TAKEN, taken, 1000);
    }
    if (Atomics.load(signal, STOP) !== 0) break;
    const page = stream.page(data.selection, cursor, data.pageTicks);
    cursor = page.cursor;
    post(
      { type: 'page', page },
      STREAM_ARRAYS.map((c) => page.ticks[c].buffer as ArrayBuffer),
    );
  } while (cursor !== null);
} catch (e) {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
} finally {
  reader?.close();
  Atomics.store(signal, FINISHED, 1);
  Atomics.notify(signal, POSTED);
  data.port.close();
}
