// The ordered stream for an export, read by a worker of its own one or two pages ahead, so the
// read and the encoding use both cores. It answers the TickStreamReader interface synchronously
// (Parquet pulls pages from inside DuckDB's scan, which cannot await): a page not there yet is
// waited for with Atomics.wait and taken with receiveMessageOnPort.
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import { QueryError } from '../errors.ts';
import type { StreamCursor, StreamPage, StreamSelection, TickStreamReader } from '../stream/streamTypes.ts';
import { streamColumnsOf } from '../stream/streamColumns.ts';
import { spawnWorker } from '../workers/spawnWorker.ts';
import type { StreamReadMessage, StreamReadWorkerData } from '../workers/streamReadApi.ts';
import { FINISHED, POSTED, SIGNAL_SLOTS, STOP, TAKEN } from '../workers/streamReadApi.ts';

/** A read that hands over nothing for this long is a dead reader, not a slow one. */
const STALL_MS = 120_000;

interface Pipe {
  selection: StreamSelection;
  pageTicks: number;
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
  /** The cursor the next page() call must pass: the last page's. */
  expect: StreamCursor | null;
  ended: boolean;
}

export interface PipedStream extends TickStreamReader {
  /** Stops the read worker; the stream can be started again with a null cursor. */
  close(): void;
}

export function pipedStream(sqliteDir: string, depth = 2): PipedStream {
  let pipe: Pipe | null = null;

  const stop = () => {
    if (!pipe) return;
    Atomics.store(pipe.signal, STOP, 1);
    Atomics.notify(pipe.signal, TAKEN);
    pipe.port.close();
    void pipe.worker.terminate();
    pipe = null;
  };

  const start = (selection: StreamSelection, pageTicks: number): Pipe => {
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(SIGNAL_SLOTS * 4);
    const data: StreamReadWorkerData = {
      sqliteDir,
      selection,
      pageTicks,
      depth,
      port: port2,
      signal: shared,
    };
    const worker = spawnWorker('streamReadWorker', data, [port2]);
    worker.unref();
    return {
      selection,
      pageTicks,
      worker,
      port: port1,
      signal: new Int32Array(shared),
      expect: null,
      ended: false,
    };
  };

  const take = (p: Pipe): StreamReadMessage => {
    const deadline = Date.now() + STALL_MS;
    for (;;) {
      const got = receiveMessageOnPort(p.port);
      if (got) {
        Atomics.add(p.signal, TAKEN, 1);
        Atomics.notify(p.signal, TAKEN);
        return got.message as StreamReadMessage;
      }
      const posted = Atomics.load(p.signal, POSTED);
      if (posted > Atomics.load(p.signal, TAKEN)) continue; // posted, on its way to the port
      if (Atomics.load(p.signal, FINISHED) !== 0)
        throw new QueryError('the stream reader stopped before the end of the selection');
      if (Date.now() > deadline)
        throw new QueryError(`the stream reader handed over nothing for ${STALL_MS / 1000} s`);
      Atomics.wait(p.signal, POSTED, posted, 250);
    }
  };

  return {
    page(selection: StreamSelection, cursor: StreamCursor | null, maxTicks: number): StreamPage {
      if (cursor === null) {
        stop();
        pipe = start(selection, maxTicks);
      } else if (
        !pipe ||
        cursor !== pipe.expect ||
        selection !== pipe.selection ||
        maxTicks !== pipe.pageTicks
      ) {
        throw new QueryError(
          'a piped stream is read in order: pass the cursor of the page before, unchanged',
        );
      }
      const p = pipe;
      if (p.ended) return { ticks: streamColumnsOf(0), cursor: null };
      const m = take(p);
      if (m.type === 'error') {
        stop();
        throw new QueryError(m.message);
      }
      p.expect = m.page.cursor;
      if (m.page.cursor === null) {
        p.ended = true;
        stop();
      }
      return m.page;
    },
    close: stop,
  };
}
