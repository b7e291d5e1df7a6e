// What an export reads, computed alike by the job (which starts the stream read beside the
// export worker) and by the worker (which adopts that read only for the same selection and page).
import type { ExportRequest } from '../../../shared/export.ts';
import type { StreamSelection } from '../stream/streamTypes.ts';

export const PAGE_TICKS = 65_536;

export function exportSelection(req: ExportRequest): StreamSelection {
  return { symbols: req.symbols, sources: req.sources, fromUs: req.fromUs, toUs: req.toUs };
}

/** Formats that read the tick stream (bars come from the bar queries instead). */
export const readsStream = (req: ExportRequest): boolean => req.format !== 'bars-csv';
