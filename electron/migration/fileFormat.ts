// The format a source file will be read as, its fallback symbol, and why it cannot be read.
import type { ImportOptions, MigrationFormat } from '../../shared/migration.ts';
import { readHead } from './fileChunks.ts';
import { SNIFF_BYTES, sniffFormat } from './formatSniffer.ts';
import type { SniffResult } from './formatSniffer.ts';
import type { SourceFile } from './sourceFiles.ts';
import { symbolFromPath } from './symbolFromPath.ts';

export interface FilePlan {
  file: SourceFile;
  format: MigrationFormat | null;
  problem: string | null;
  fallbackSymbol: string | null;
  sniff: SniffResult;
  gzip: boolean;
  compressionRatio: number;
}

export async function planFile(file: SourceFile, opts: ImportOptions): Promise<FilePlan> {
  let head: Buffer;
  let gzip = false;
  let compressionRatio = 1;
  try {
    const h = await readHead(file.abs, SNIFF_BYTES);
    head = h.head;
    gzip = h.gzip;
    compressionRatio = h.compressionRatio;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const problem = e.code?.startsWith('Z_')
      ? `malformed: corrupt gzip data (${e.message})`
      : `unreadable: ${e.message}`;
    const sniff: SniffResult = { format: null, problem, sampleRecords: 0, sampleBytes: 0, sampleValues: [] };
    return { file, format: null, problem, fallbackSymbol: null, sniff, gzip, compressionRatio };
  }
  const sniff = sniffFormat(head, file.size);
  let format = sniff.format;
  let problem = sniff.problem;
  if (opts.format !== 'auto' && sniff.problem !== null && !/^(empty|binary)/.test(sniff.problem)) {
    // A forced format reads what sniffing could not place; empty and binary files stay refused.
    format = opts.format;
    problem = null;
  } else if (opts.format !== 'auto' && format !== null && format !== opts.format) {
    problem = `looks like ${format}, not the ${opts.format} format that was asked for`;
    format = null;
  }
  const fallbackSymbol = opts.symbol ?? (format ? symbolFromPath(file.rel, format) : null);
  return { file, format, problem, fallbackSymbol, sniff, gzip, compressionRatio };
}
