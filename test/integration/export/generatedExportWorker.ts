// Worker entry for the export memory test: runs the export engine's own runExport over a
// generated stream of N ticks (fresh column pages, as the real stream allocates them) and posts
// back the worker's memory at every progress message, so the test sees what a job holds while
// it runs. The stream is generated rather than read from a store so that millions of ticks cost
// the test seconds, not a minute of recording first.
import { parentPort, workerData } from 'node:worker_threads';
import { runExport } from '../../../electron/engine/export/exportRun.ts';
import type { TickReader } from '../../../electron/engine/reader/tickReader.ts';
import { streamColumnsOf } from '../../../electron/engine/stream/streamColumns.ts';
import type { StreamColumns, TickStreamReader } from '../../../electron/engine/stream/streamTypes.ts';
import type { ExportWorkerMessage } from '../../../electron/engine/workers/exportApi.ts';
import type { ExportRequest } from '../../../shared/export.ts';

export interface GeneratedExportData {
  request: ExportRequest;
  ticks: number;
  rowGroupRows?: number;
}

/** Worker -> test: the engine's messages, plus a memory sample taken at each progress. */
export type GeneratedExportMessage =
  | ExportWorkerMessage
  | { type: 'memory'; ticksDone: number; rss: number; heapUsed: number; external: number };

const { request, ticks, rowGroupRows } = workerData as GeneratedExportData;
const SYMBOLS = ['EURUSD', 'GBPUSD', 'USDJPY'];

function page(from: number, n: number): StreamColumns {
  const p: StreamColumns = streamColumnsOf(n, SYMBOLS, ['gen']);
  for (let i = 0; i < n; i++) {
    const k = from + i;
    p.symbol[i] = k % 3;
    p.tsUs[i] = request.fromUs + k * 40;
    // A random walk's worth of distinct 5-decimal prices, not one repeated value.
    p.bid[i] = Math.round((1.1 + Math.sin(k / 5000) * 0.01 + (k % 7) * 1e-5) * 1e5) / 1e5;
    p.ask[i] = Math.round((p.bid[i]! + 0.00012) * 1e5) / 1e5;
    p.bidSize[i] = k % 4 === 0 ? NaN : (k % 100) / 10;
    p.askSize[i] = (k % 90) / 10;
    p.recvUs[i] = p.tsUs[i]! + 150 + (k % 13);
    p.seq[i] = k % 2 === 0 ? NaN : 1e12 + k;
  }
  return p;
}

const stream: TickStreamReader = {
  page(_sel, cursor, maxTicks) {
    const from = cursor === null ? 0 : Number(cursor);
    const n = Math.min(maxTicks, ticks - from);
    return { ticks: page(from, n), cursor: from + n < ticks ? String(from + n) : null };
  },
};
// What runExport asks a reader for besides the stream: the catalogs' names and day totals.
const reader = {
  symbols: () => SYMBOLS.map((symbol) => ({ symbol, sources: ['gen'], firstUs: 0, lastUs: 0, count: 0 })),
  days: () => [],
} as unknown as TickReader;

const emit = (m: ExportWorkerMessage): void => {
  if (m.type === 'progress') {
    const u = process.memoryUsage();
    parentPort!.postMessage({
      type: 'memory',
      ticksDone: m.ticksDone,
      rss: u.rss,
      heapUsed: u.heapUsed,
      external: u.external,
    } satisfies GeneratedExportMessage);
  }
  parentPort!.postMessage(m);
};
await runExport({ reader, stream, emit, cancelled: () => false, rowGroupRows }, request);
parentPort!.close();
