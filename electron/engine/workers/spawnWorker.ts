// Worker entry files sit beside the module that starts them: `<name>.ts` when running from source
// under Node's type stripping, `<name>.js` beside the bundle when built for Electron. In a packaged
// app the bundle is inside app.asar, but worker threads load their entry from the real file
// system, so the entries are unpacked (build/electron-builder.yml) and loaded from there.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TransferListItem } from 'node:worker_threads';

export type WorkerName =
  | 'writerWorker'
  | 'readerWorker'
  | 'spillWorker'
  | 'archiveWorker'
  | 'exportWorker'
  | 'qualityWorker'
  | 'sinkWorker'
  | 'streamReadWorker';

/** The file a worker entry is loaded from, next to `baseUrl` (a module's import.meta.url). */
export function workerEntryUrl(name: string, baseUrl: string): URL {
  const ext = baseUrl.endsWith('.ts') ? '.ts' : '.js';
  const url = new URL(`./${name}${ext}`, baseUrl);
  if (url.protocol !== 'file:') return url;
  return pathToFileURL(unpackedPath(fileURLToPath(url)));
}

/** `.../app.asar/dist/x.js` -> `.../app.asar.unpacked/dist/x.js`; other paths unchanged. */
export function unpackedPath(file: string): string {
  const marker = `${path.sep}app.asar${path.sep}`;
  const at = file.indexOf(marker);
  return at < 0
    ? file
    : `${file.slice(0, at)}${path.sep}app.asar.unpacked${path.sep}${file.slice(at + marker.length)}`;
}

/** `transferList`: what workerData hands over rather than copies (a MessagePort must be). */
export function spawnWorker(
  name: WorkerName,
  workerData?: unknown,
  transferList?: TransferListItem[],
): Worker {
  return new Worker(workerEntryUrl(name, import.meta.url), { workerData, transferList });
}
