// Worker entry: answers queries on its own read-only connections so no query runs on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { isTickColumns, packColumns } from './columnTransfer.ts';
import { TickReader } from './tickReader.ts';

export type ReaderRequest =
  | { id: number; op: 'range'; args: [string, number, number, number, string | undefined] }
  | { id: number; op: 'recent'; args: [string, number] }
  | { id: number; op: 'bars'; args: [string, number, number, number, 'bid' | 'ask' | 'mid'] }
  | { id: number; op: 'symbols'; args: [] }
  | { id: number; op: 'days'; args: [] }
  | { id: number; op: 'close'; args: [] };

export type ReaderResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string } };

const port = parentPort!;
const reader = new TickReader((workerData as { sqliteDir: string }).sqliteDir);

port.on('message', (req: ReaderRequest) => {
  try {
    let value: unknown;
    switch (req.op) {
      case 'range':
        value = reader.range(...req.args);
        break;
      case 'recent':
        value = reader.recent(...req.args);
        break;
      case 'bars':
        value = reader.bars(...req.args);
        break;
      case 'symbols':
        value = reader.symbols();
        break;
      case 'days':
        value = reader.days();
        break;
      case 'close':
        reader.close();
        value = null;
        break;
    }
    if (isTickColumns(value)) {
      const { packed, transfer } = packColumns(value);
      port.postMessage({ id: req.id, ok: true, value: packed } satisfies ReaderResponse, transfer);
    } else {
      port.postMessage({ id: req.id, ok: true, value } satisfies ReaderResponse);
    }
  } catch (e) {
    const err = e as Error;
    port.postMessage({
      id: req.id,
      ok: false,
      error: { name: err.name, message: err.message },
    } satisfies ReaderResponse);
  }
});
