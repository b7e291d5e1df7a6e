// Worker entry files sit beside this module: `<name>.ts` when running from source under Node's
// type stripping, `<name>.js` beside the bundle when built for Electron.
import { Worker } from 'node:worker_threads';

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

export type WorkerName = 'writerWorker' | 'readerWorker' | 'spillWorker';

export function spawnWorker(name: WorkerName, workerData?: unknown): Worker {
  return new Worker(new URL(`./${name}${ext}`, import.meta.url), { workerData });
}
