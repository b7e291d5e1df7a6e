// Runs the service's exports, one at a time (a second start while one runs is 'busy': the export
// worker reads whole days and two would only halve each other's pace). Browser downloads are
// written to a private temporary folder, served by the headless server's /exports route, and
// removed when the next export starts or the service closes.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ExportFormat, ExportProgress, ExportRequest } from '../../shared/export.ts';
import type { ExportStatus } from '../../shared/ipc/exportChannels.ts';
import type { ExportHandle } from '../engine/export/exportJob.ts';

export const EXPORTS_PATH = '/exports';

const EXTENSIONS: Record<ExportFormat, string> = {
  parquet: 'parquet',
  csv: 'csv',
  jsonl: 'jsonl',
  'legacy-json': '',
  'bars-csv': 'csv',
};

export type StartExport = (request: ExportRequest, onProgress: (p: ExportProgress) => void) => ExportHandle;

export interface ExportManagerOptions {
  start: StartExport;
  onProgress: (status: ExportStatus) => void;
  log: (message: string) => void;
  /** Parent of the download folders; default the OS temp folder. */
  tempRoot?: string;
}

export interface ExportManager {
  /** outPath null: a browser download into a temporary folder. */
  start(request: Omit<ExportRequest, 'outPath'>, outPath: string | null): Promise<ExportStatus>;
  cancel(id: string): ExportStatus | null;
  status(): ExportStatus | null;
  /** The file of a finished download export, or null: only the exact id and name it wrote. */
  downloadFile(id: string, file: string): string | null;
  close(): Promise<void>;
}

export class ExportBusyError extends Error {
  constructor() {
    super('an export is already running; cancel it or wait for it to finish');
    this.name = 'ExportBusyError';
  }
}

export class ExportUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportUnsupportedError';
  }
}

/** A name a browser saves under: symbols and the UTC range, nothing a path could escape with. */
export function defaultExportFileName(
  r: Pick<ExportRequest, 'format' | 'symbols' | 'fromUs' | 'toUs'>,
): string {
  const stamp = (us: number) =>
    new Date(Math.floor(us / 1000))
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
  const who =
    r.symbols.length === 0
      ? 'all'
      : r.symbols.length > 3
        ? `${r.symbols.length}-symbols`
        : r.symbols.join('-');
  const base = `ticks_${who.replace(/[^A-Za-z0-9._-]/g, '_')}_${stamp(r.fromUs)}_${stamp(r.toUs)}`;
  const ext = EXTENSIONS[r.format];
  return r.format === 'bars-csv' ? `${base}_bars.${ext}` : ext ? `${base}.${ext}` : base;
}

export function createExportManager(o: ExportManagerOptions): ExportManager {
  let current: {
    handle: ExportHandle;
    last: ExportProgress;
    download: { dir: string; file: string } | null;
  } | null = null;
  let tempDirs: string[] = [];

  function toStatus(p: ExportProgress): ExportStatus {
    const d = current?.download;
    const downloadPath =
      d && p.state === 'done' && current?.handle.id === p.id
        ? `${EXPORTS_PATH}/${encodeURIComponent(p.id)}/${encodeURIComponent(d.file)}`
        : null;
    return { ...p, downloadPath };
  }

  async function removeTempDirs(): Promise<void> {
    const dirs = tempDirs;
    tempDirs = [];
    for (const dir of dirs) {
      await fs
        .rm(dir, { recursive: true, force: true })
        .catch((e: unknown) => o.log(`export cleanup: ${(e as Error).message}`));
    }
  }

  return {
    async start(request, outPath) {
      if (current && current.last.state === 'running') throw new ExportBusyError();
      if (outPath === null && request.format === 'legacy-json')
        throw new ExportUnsupportedError(
          'legacy-json writes a folder of files: choose a folder, not a browser download',
        );
      await removeTempDirs();
      let download: { dir: string; file: string } | null = null;
      let target = outPath;
      if (target === null) {
        const dir = await fs.mkdtemp(path.join(o.tempRoot ?? os.tmpdir(), 'tickscope-export-'));
        tempDirs.push(dir);
        download = { dir, file: defaultExportFileName(request) };
        target = path.join(dir, download.file);
      }
      const handle = o.start({ ...request, outPath: target }, (p) => {
        if (current?.handle === handle) current.last = p;
        o.onProgress(toStatus(p));
      });
      current = { handle, last: handle.progress(), download };
      void handle.done.then(
        (p) => {
          if (current?.handle === handle) current.last = p;
          o.onProgress(toStatus(p));
        },
        (e: unknown) => o.log(`export ${handle.id}: ${(e as Error).message}`),
      );
      return toStatus(current.last);
    },
    cancel(id) {
      if (!current || current.handle.id !== id) return null;
      current.handle.cancel();
      return toStatus(current.handle.progress());
    },
    status() {
      return current ? toStatus(current.last) : null;
    },
    downloadFile(id, file) {
      const c = current;
      if (!c || !c.download || c.handle.id !== id || c.last.state !== 'done') return null;
      if (file !== c.download.file) return null;
      return path.join(c.download.dir, c.download.file);
    },
    async close() {
      if (current && current.last.state === 'running') {
        current.handle.cancel();
        await current.handle.done.catch(() => undefined);
      }
      await removeTempDirs();
    },
  };
}
