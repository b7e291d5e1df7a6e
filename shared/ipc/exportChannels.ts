// Export of stored ticks from History or Storage: started over the contract, run by the engine's
// export worker, followed by `export.progress` events until it is done, failed or cancelled.
import { z } from 'zod';
import type { ExportProgress } from '../export.ts';
import { BAR_SIDES, CSV_COLUMNS, CSV_PRESETS, CSV_TIME_FORMATS, EXPORT_FORMATS } from '../export.ts';
import { MAX_SYMBOL_LENGTH } from '../tick.ts';
import { event, request } from './define.ts';

/** Absolute on either OS: the service decides where relative paths would land, so it refuses them. */
function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/**
 * 'dialog': the Electron shell asks where to save; 'download': written to a temporary folder and
 * fetched by the browser from the server's /exports route; anything else: an absolute path.
 */
export const exportDestination = z.union([
  z.literal('dialog'),
  z.literal('download'),
  z
    .string()
    .min(1)
    .max(4096)
    .refine(isAbsolutePath, 'a destination is "dialog", "download" or an absolute path'),
]);

export const exportStartInput = z
  .strictObject({
    format: z.enum(EXPORT_FORMATS),
    symbols: z.array(z.string().min(1).max(MAX_SYMBOL_LENGTH)).max(1000),
    sources: z.array(z.string().min(1).max(200)).max(100).optional(),
    fromUs: z.number().int().nonnegative(),
    toUs: z.number().int().positive(),
    destination: exportDestination,
    csv: z
      .strictObject({
        time: z.enum(CSV_TIME_FORMATS).optional(),
        columns: z.array(z.enum(CSV_COLUMNS)).min(1).max(CSV_COLUMNS.length).optional(),
        preset: z.enum(CSV_PRESETS).optional(),
      })
      .optional(),
    timeframeSec: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .optional(),
    side: z.enum(BAR_SIDES).optional(),
  })
  .refine((r) => r.toUs > r.fromUs, {
    message: 'the range is empty: toUs must be after fromUs',
    path: ['toUs'],
  });

/** An export as the UI sees it: the engine's progress plus, for a browser download, its URL path. */
export interface ExportStatus extends ExportProgress {
  /** `/exports/<id>/<file>` once a 'download' export is done; the page adds nothing but cookies. */
  downloadPath: string | null;
}

export const exportRequests = {
  /** null when the user closed the save dialog without choosing; 'busy' while another runs. */
  'export.start': request<ExportStatus | null>()(exportStartInput),
  'export.cancel': request<ExportStatus>()(z.strictObject({ id: z.string().min(1).max(100) })),
  /** The running or last export (null before any). */
  'export.status': request<ExportStatus | null>()(z.strictObject({})),
};

export const exportEvents = {
  /** Every few hundred ms while running, and once at the end. */
  'export.progress': event<ExportStatus>(),
};
