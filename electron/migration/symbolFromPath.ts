// The symbol a file's name or folder implies, for records that do not carry one.
import path from 'node:path';
import type { MigrationFormat } from '../../shared/migration.ts';
import { checkSymbol } from '../../shared/tick.ts';

const DATE_IN_NAME = /^(.+?)[-_ .]\d{4}-?\d{2}-?\d{2}/;

function valid(s: string | undefined): string | null {
  if (s === undefined || s === '') return null;
  return checkSymbol(s) === null ? s : null;
}

/** `relPath` is relative to the input folder, with forward slashes. */
export function symbolFromPath(relPath: string, format: MigrationFormat | null): string | null {
  const base = path.posix
    .basename(relPath)
    .replace(/\.(gz)$/i, '')
    .replace(/\.[A-Za-z0-9]+$/, '');
  const parts = relPath.split('/');
  const folder = parts.length > 1 ? parts[parts.length - 2] : undefined;
  if (format === 'histdata') {
    // DAT_ASCII_EURUSD_T_201202
    const m = /^DAT_ASCII_([A-Za-z0-9]+)_T/i.exec(base);
    if (m) return m[1].toUpperCase();
  }
  if (format === 'dukascopy') {
    // eurusd-2019-02-04T00
    const m = /^([A-Za-z0-9]+)-\d{4}-\d{2}-\d{2}/.exec(base);
    if (m) return m[1].toUpperCase();
  }
  if (format === 'mt5') {
    // EURUSD_202401020000_202401022359 (MetaTrader's own export name)
    const m = /^([A-Za-z0-9.#]+?)_\d{8,12}/.exec(base);
    if (m) return valid(m[1]);
  }
  // Legacy layout: <SYMBOL>/<YYYY-MM-DD>.json; flat: <SYMBOL>_<YYYY-MM-DD>.json.
  if (/^\d{4}-\d{2}-\d{2}$/.test(base) && folder !== undefined) return valid(folder);
  const m = DATE_IN_NAME.exec(base);
  if (m) return valid(m[1]);
  return folder !== undefined && !/^\d+$/.test(folder) ? valid(folder) : null;
}

/** `YYYY-MM-DD` from a legacy file name, when it has one. */
export function dayFromPath(relPath: string): string | null {
  const m = /(\d{4}-\d{2}-\d{2})(?:T\d\d)?\.json/i.exec(path.posix.basename(relPath));
  return m ? m[1] : null;
}
