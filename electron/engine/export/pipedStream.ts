// The ordered stream for an export, read by a worker of its own a few pages ahead, so the read
// and the encoding use both cores. It answers the TickStreamReader interface synchronously
// (Parquet pulls pages from inside DuckDB's scan, which cannot await): a page not there yet is
// waited for with Atomics.wait and taken with receiveMessageOnPort. The job can start the read
// worker itself, beside the export worker (startStreamRead), so neither waits for the other's
// start-up: the export worker then adopts its consumer end for the first read of that selection.
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
/**
 * Pages read ahead at most: enough to ride out the bursts in which one side stalls (a DuckDB row
 * group flush, a SQLite chunk), at about 4.5 MB a page of 65,536 ticks.
 */
export const PIPE_DEPTH = 4;

/** The consumer's end of a read started elsewhere, for the one selection it reads. */
export interface StreamReadEnd {
  selection: StreamSelection;
  pageTicks: number;
  port: MessagePort;
  signal: SharedArrayBuffer;
}

/** Starts a read worker on a selection; its owner terminates it once the consumer is done. */
export function startStreamRead(
  sqliteDir: string,
  selection: StreamSelection,
  pageTicks: number,
  depth = PIPE_DEPTH,
): { worker: Worker; end: StreamReadEnd } {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(SIGNAL_SLOTS * 4);
  const data: StreamReadWorkerData = { sqliteDir, selection, pageTicks, depth, port: port2, signal };
  const worker = spawnWorker('streamReadWorker', data, [port2]);
  return { worker, end: { selection, pageTicks, port: port1, signal } };
}

const sameSelection = (a: StreamSelection, b: StreamSelection): boolean =>
  a.fromUs === b.fromUs &&
  a.toUs === b.toUs &&
  a.symbols.join('\n') === b.symbols.join('\n') &&
  (a.sources ?? []).join('\n') === (b.sources ?? []).join('\n');

interface Pipe {
  selection: StreamSelection;
  pageTicks: number;
  /** Null for an adopted read: its starter terminates the worker. */
  worker: Worker | null;
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

export function pipedStream(
  sqliteDir: string,
  depth = PIPE_DEPTH,
  started: StreamReadEnd | null = null,
): PipedStream {
  let pipe: Pipe | null = null;
  let waiting = started;

  const halt = (signal: Int32Array, port: MessagePort): void => {
    Atomics.store(signal, STOP, 1);
    Atomics.notify(signal, TAKEN);
    port.close();
  };

  const dropPipe = () => {
    if (!pipe) return;
    halt(pipe.signal, pipe.port);
    void pipe.worker?.terminate();
    pipe = null;
  };

  const stop = () => {
    if (waiting) halt(new Int32Array(waiting.signal), waiting.port);
    waiting = null;
    dropPipe();
  };

  const start = (selection: StreamSelection, pageTicks: number): Pipe => {
    const base = { selection, pageTicks, expect: null, ended: false };
    const adopt = waiting;
    waiting = null;
    if (adopt && adopt.pageTicks === pageTicks && sameSelection(adopt.selection, selection))
      return { ...base, worker: null, port: adopt.port, signal: new Int32Array(adopt.signal) };
    if (adopt) halt(new Int32Array(adopt.signal), adopt.port);
    const { worker, end } = startStreamRead(sqliteDir, selection, pageTicks, depth);
    worker.unref();
    return { ...base, worker, port: end.port, signal: new Int32Array(end.signal) };
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
        dropPipe();
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
