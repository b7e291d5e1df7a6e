// Handlers of export.start / export.cancel / export.status over the service's export manager.
// The destination decides outPath: the shell's save dialog, a browser download, or a given path.
import type { exportRequests } from '../../shared/ipc/exportChannels.ts';
import { ExportBusyError, ExportUnsupportedError, defaultExportFileName } from './exportManager.ts';
import type { ExportManager } from './exportManager.ts';
import type { HandlerMap } from './handlerTypes.ts';
import { HandlerError } from './handlerTypes.ts';

export type ExportChannel = keyof typeof exportRequests;

export interface SaveFileFilter {
  name: string;
  extensions: string[];
}

/** The Electron shell's native save dialog; null in the browser. Resolves null when dismissed. */
export type ChooseSaveFile = (
  title: string,
  defaultName: string,
  filters: SaveFileFilter[],
) => Promise<string | null>;

export function createExportHandlers(
  exports: ExportManager,
  chooseSaveFile: ChooseSaveFile | null,
): HandlerMap<ExportChannel> {
  return {
    'export.start': async ({ destination, ...request }) => {
      let outPath: string | null;
      if (destination === 'download') outPath = null;
      else if (destination === 'dialog') {
        if (!chooseSaveFile)
          throw new HandlerError('unsupported', 'no save dialog here: export as a download or to a path');
        const name = defaultExportFileName(request);
        const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
        outPath = await chooseSaveFile(
          'Export ticks',
          name,
          ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : [],
        );
        if (outPath === null) return null;
      } else outPath = destination;
      try {
        return await exports.start(request, outPath);
      } catch (e) {
        if (e instanceof ExportBusyError) throw new HandlerError('busy', e.message);
        if (e instanceof ExportUnsupportedError) throw new HandlerError('unsupported', e.message);
        throw e;
      }
    },
    'export.cancel': async ({ id }) => {
      const s = exports.cancel(id);
      if (!s) throw new HandlerError('not_found', `no export ${id} is running or was the last one`);
      return s;
    },
    'export.status': async () => exports.status(),
  };
}
