// One export, start to end, inside the export worker: reads the ordered stream page by page
// (synchronously, bounded memory) into the format's writer, yielding between pages so a cancel
// is seen promptly. Partial output is removed on cancel and on failure.
import fs from 'node:fs';
import type { ExportRequest } from '../../../shared/export.ts';
import { dayIndexToStartUs, utcDayIndex } from '../../../shared/time.ts';
import type { TickReader } from '../reader/tickReader.ts';
import type { TickStreamReader } from '../stream/streamTypes.ts';
import type { ExportWorkerMessage } from '../workers/exportApi.ts';
import { BarsCsvWriter } from './barsCsvWriter.ts';
import { CsvWriter } from './csvWriter.ts';
import { JsonlWriter } from './jsonlWriter.ts';
import { LegacyJsonWriter } from './legacyJsonWriter.ts';
import { PAGE_TICKS, exportSelection } from './exportSelection.ts';
import type { PageWriter } from './pageWriter.ts';
import { ParquetWriter, UnknownNameError } from './parquetWriter.ts';
import type { ParquetOptions } from './parquetWriter.ts';

export interface ExportEnv {
  reader: TickReader;
  stream: TickStreamReader;
  emit: (m: ExportWorkerMessage) => void;
  cancelled: () => boolean;
  /** Parquet row group size; tests pass a small one to get several groups. */
  rowGroupRows?: number;
}

const yieldTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

export function tickWriter(req: ExportRequest): PageWriter {
  switch (req.format) {
    case 'parquet':
      throw new Error('parquet pulls the stream itself (runParquet)');
    case 'csv':
      return new CsvWriter(req.outPath, req.csv);
    case 'jsonl':
      return new JsonlWriter(req.outPath);
    case 'legacy-json':
      return new LegacyJsonWriter(req.outPath);
    case 'bars-csv':
      throw new Error('bars-csv is not a tick writer');
  }
}

/** The catalogs' stored ticks of the days the range touches (all symbols: an upper bound). */
function ticksTotal(reader: TickReader, req: ExportRequest): number {
  const first = dayIndexToStartUs(utcDayIndex(req.fromUs));
  return reader
    .days()
    .filter((d) => {
      const start = Date.parse(`${d.day}T00:00:00Z`) * 1000;
      return start >= first && start < req.toUs;
    })
    .reduce((n, d) => n + d.ticks, 0);
}

function checkSymbols(reader: TickReader, req: ExportRequest): void {
  if (req.symbols.length === 0) return;
  const known = new Set(reader.symbols().map((s) => s.symbol));
  const unknown = req.symbols.filter((s) => !known.has(s));
  if (unknown.length > 0)
    throw new Error(`unknown symbol${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
}

export async function runExport(env: ExportEnv, req: ExportRequest): Promise<void> {
  let writer: PageWriter | BarsCsvWriter | ParquetWriter | null = null;
  try {
    checkSymbols(env.reader, req);
    env.emit({ type: 'total', ticksTotal: ticksTotal(env.reader, req) });
    if (req.format === 'bars-csv') {
      const bars = new BarsCsvWriter(req.outPath, req.side ?? 'bid');
      writer = bars;
      const symbols =
        req.symbols.length > 0
          ? req.symbols
          : env.reader
              .symbols()
              .map((s) => s.symbol)
              .sort();
      const source = req.sources && req.sources.length === 1 ? req.sources[0]! : null;
      let ticks = 0;
      for (const s of symbols) {
        if (env.cancelled()) break;
        const b = env.reader.bars(s, req.fromUs, req.toUs, req.timeframeSec ?? 60, source);
        await bars.write(b);
        ticks += b.count.reduce((a, c) => a + c, 0);
        env.emit({
          type: 'progress',
          ticksDone: ticks,
          rowsWritten: bars.rowsWritten,
          bytesWritten: bars.bytesWritten,
        });
        await yieldTurn();
      }
      if (env.cancelled()) return cancel(env, bars);
      const files = await bars.finish();
      env.emit({
        type: 'done',
        files,
        ticksDone: ticks,
        rowsWritten: bars.rowsWritten,
        bytesWritten: bars.bytesWritten,
      });
      return;
    }
    if (req.format === 'parquet') return await runParquet(env, req, (w) => (writer = w));
    const w = tickWriter(req);
    writer = w;
    const sel = exportSelection(req);
    let cursor: string | null = null;
    let done = 0;
    do {
      if (env.cancelled()) return cancel(env, w);
      const page = env.stream.page(sel, cursor, PAGE_TICKS);
      await w.write(page.ticks);
      done += page.ticks.length;
      cursor = page.cursor;
      env.emit({
        type: 'progress',
        ticksDone: done,
        rowsWritten: w.rowsWritten,
        bytesWritten: w.bytesWritten,
      });
      await yieldTurn();
    } while (cursor !== null);
    if (env.cancelled()) return cancel(env, w);
    const files = await w.finish();
    env.emit({
      type: 'done',
      files,
      ticksDone: done,
      rowsWritten: w.rowsWritten,
      bytesWritten: w.bytesWritten,
    });
  } catch (e) {
    writer?.abort();
    env.emit({ type: 'failed', error: describe(e, req) });
  }
}

/** The stored names the selection can meet, for the Parquet writer's ENUMs. */
function parquetNames(reader: TickReader, req: ExportRequest): ParquetOptions {
  const wanted = new Set(req.symbols);
  const infos = reader.symbols().filter((s) => wanted.size === 0 || wanted.has(s.symbol));
  const only = req.sources && req.sources.length > 0 ? new Set(req.sources) : null;
  const sources = [...new Set(infos.flatMap((s) => s.sources))].filter((s) => !only || only.has(s));
  return { symbols: infos.map((s) => s.symbol).sort(), sources: sources.sort() };
}

/**
 * Parquet pulls pages from inside DuckDB's scan (parquetWriter.ts), emitting progress as it
 * goes; DuckDB returns to the event loop between chunks, so a cancel is still seen. A name the
 * catalogs did not list yet (recorded after the export started) restarts the file with it.
 */
async function runParquet(
  env: ExportEnv,
  req: ExportRequest,
  track: (w: ParquetWriter) => void,
): Promise<void> {
  const sel = exportSelection(req);
  const names = parquetNames(env.reader, req);
  for (let attempt = 0; ; attempt++) {
    const w = new ParquetWriter(req.outPath, { ...names, rowGroupRows: env.rowGroupRows });
    track(w);
    let cursor: string | null = null;
    let done = 0;
    let end = false;
    let stopped = false;
    try {
      const files = await w.writeAll(() => {
        if (end) return null;
        if (env.cancelled()) {
          stopped = true;
          return null;
        }
        const page = env.stream.page(sel, cursor, PAGE_TICKS);
        cursor = page.cursor;
        end = cursor === null;
        done += page.ticks.length;
        env.emit({ type: 'progress', ticksDone: done, rowsWritten: done, bytesWritten: w.flushedBytes() });
        return page.ticks;
      });
      if (stopped || env.cancelled()) {
        fs.rmSync(files[0]!, { force: true });
        env.emit({ type: 'cancelled' });
        return;
      }
      env.emit({
        type: 'done',
        files,
        ticksDone: done,
        rowsWritten: w.rowsWritten,
        bytesWritten: w.bytesWritten,
      });
      return;
    } catch (e) {
      w.abort();
      if (!(e instanceof UnknownNameError) || attempt >= 3) throw e;
      if (e.kind === 'symbol') names.symbols = [...names.symbols, e.value];
      else names.sources = [...names.sources, e.value];
    }
  }
}

function cancel(env: ExportEnv, w: { abort(): void }): void {
  w.abort();
  env.emit({ type: 'cancelled' });
}

function describe(e: unknown, req: ExportRequest): string {
  const err = e as NodeJS.ErrnoException;
  const msg = err instanceof Error ? err.message : String(e);
  if (err.code === 'ENOSPC') return `the disk is full writing ${req.outPath}`;
  if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'ENOTDIR' || err.code === 'EROFS')
    return `cannot write ${req.outPath}: ${msg}`;
  return msg;
}
