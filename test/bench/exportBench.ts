// Export throughput, end to end: a generated few-million-tick day is recorded into a real store,
// then exported by the export job (its own worker: the ordered stream read page by page into the
// writer) to Parquet and to CSV. Printed beside them, measured in the same run: the stream read
// alone (the ceiling an export sits under), the writers alone on in-memory pages, and a raw write
// of the same CSV bytes. Run directly: node test/bench/exportBench.ts [ticks]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startExport } from '../../electron/engine/export/exportJob.ts';
import { CsvWriter } from '../../electron/engine/export/csvWriter.ts';
import { ParquetWriter } from '../../electron/engine/export/parquetWriter.ts';
import { TickReader } from '../../electron/engine/reader/tickReader.ts';
import { createTickStreamReader } from '../../electron/engine/stream/streamReader.ts';
import type { StreamColumns } from '../../electron/engine/stream/streamTypes.ts';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import { DemoQuoteGenerator } from '../../electron/feeds/demoQuotes.ts';
import type { ExportFormat } from '../../shared/export.ts';
import type { TickInput } from '../../shared/tick.ts';
import { US_PER_DAY } from '../../shared/time.ts';
import { syntheticPage } from '../unit/export/syntheticPage.ts';

const SYMBOLS = 4;
const PAGE = 65_536;
const DAY_US = Date.UTC(2026, 0, 5) * 1000;

type Figures = Record<string, { value: number; against: string }>;

/** Records `ticks` FX-like quotes over one UTC day, `SYMBOLS` symbols interleaved. */
async function recordDay(dataDir: string, ticks: number): Promise<string> {
  const store = await openTickStore({ dataDir });
  const gen = new DemoQuoteGenerator(SYMBOLS, 11);
  const chunk: TickInput[] = Array.from({ length: 1024 }, () => gen.quote(0, DAY_US));
  for (let c = 0; c < ticks; c += chunk.length) {
    const end = Math.min(ticks, c + chunk.length);
    for (let i = c; i < end; i++)
      gen.quoteInto(chunk[i - c]!, i % SYMBOLS, DAY_US + Math.floor((i * US_PER_DAY) / ticks));
    for (let i = 0; i < end - c; i++) store.ingest(chunk[i]!);
    await store.whenWritable();
    await new Promise((r) => setImmediate(r));
  }
  await store.flush();
  await store.stop();
  return path.join(dataDir, 'sqlite');
}

/** The stream alone, in the export's page size: what an export cannot beat. */
function streamRate(sqliteDir: string): { rate: number; ticks: number } {
  const reader = new TickReader(sqliteDir);
  try {
    const s = createTickStreamReader(reader);
    const sel = { symbols: [], fromUs: DAY_US, toUs: DAY_US + US_PER_DAY };
    const t0 = performance.now();
    let cursor: string | null = null;
    let n = 0;
    do {
      const p = s.page(sel, cursor, PAGE);
      n += p.ticks.length;
      cursor = p.cursor;
    } while (cursor !== null);
    return { rate: Math.round(n / ((performance.now() - t0) / 1000)), ticks: n };
  } finally {
    reader.close();
  }
}

/** One export job end to end, timed from start to its `done`. */
async function exportRate(sqliteDir: string, format: ExportFormat, outPath: string): Promise<number> {
  const t0 = performance.now();
  const job = startExport(sqliteDir, {
    format,
    symbols: [],
    fromUs: DAY_US,
    toUs: DAY_US + US_PER_DAY,
    outPath,
    csv: { time: 'iso' },
  });
  const final = await job.done;
  if (final.state !== 'done') throw new Error(`export bench: ${format} ended ${final.state}: ${final.error}`);
  const rate = Math.round(final.ticksDone / ((performance.now() - t0) / 1000));
  fs.rmSync(outPath, { force: true });
  return rate;
}

/** An FX day's shape: 5-decimal prices, 2-decimal sizes, no exchange sequence numbers. */
function realistic(p: StreamColumns): StreamColumns {
  for (let i = 0; i < p.length; i++) {
    p.bid[i] = Math.round(p.bid[i]! * 1e5) / 1e5;
    p.ask[i] = Math.round(p.ask[i]! * 1e5) / 1e5;
    p.bidSize[i] = Math.round(p.bidSize[i]! * 100) / 100;
    p.askSize[i] = Math.round((p.askSize[i]! % 1000) * 100) / 100;
    p.seq[i] = NaN;
  }
  return p;
}

/** The writers alone on in-memory pages (no stream read): where the time goes. */
async function writerRates(dir: string, ticks: number): Promise<{ parquet: number; csv: number }> {
  const pages = Array.from({ length: 4 }, (_, k) => realistic(syntheticPage(PAGE, 1.5e15 + k * PAGE * 200)));
  const t0 = performance.now();
  const pq = new ParquetWriter(path.join(dir, 'w.parquet'), {
    symbols: pages[0]!.symbols,
    sources: pages[0]!.sources,
  });
  let k = 0;
  await pq.writeAll(() => (k * PAGE >= ticks ? null : pages[k++ % 4]!));
  const parquet = Math.round(pq.rowsWritten / ((performance.now() - t0) / 1000));
  const t1 = performance.now();
  const csv = new CsvWriter(path.join(dir, 'w.csv'), { time: 'iso' });
  for (let done = 0; done < ticks; done += PAGE) await csv.write(pages[(done / PAGE) % 4]!);
  await csv.finish();
  return { parquet, csv: Math.round(csv.rowsWritten / ((performance.now() - t1) / 1000)) };
}

/** The bytes of one CSV page written `ticks / PAGE` times with no formatting at all. */
async function rawWriteRate(dir: string, ticks: number): Promise<number> {
  const one = path.join(dir, 'one.csv');
  const w0 = new CsvWriter(one, { time: 'iso' });
  w0.write(realistic(syntheticPage(PAGE)));
  await w0.finish();
  const bytes = fs.readFileSync(one);
  const t0 = performance.now();
  const fd = fs.openSync(path.join(dir, 'raw'), 'w');
  for (let done = 0; done < ticks; done += PAGE) fs.writeSync(fd, bytes);
  fs.closeSync(fd);
  return Math.round(ticks / ((performance.now() - t0) / 1000));
}

export async function runExportBench(ticks = 3_000_000): Promise<Figures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-bench-'));
  try {
    const sqliteDir = await recordDay(path.join(dir, 'data'), ticks);
    const stream = streamRate(sqliteDir);
    const parquet = await exportRate(sqliteDir, 'parquet', path.join(dir, 'day.parquet'));
    const csv = await exportRate(sqliteDir, 'csv', path.join(dir, 'day.csv'));
    const writers = await writerRates(dir, ticks);
    const raw = await rawWriteRate(dir, ticks);
    const day = `export job end to end (stream + writer, own worker) on a recorded ${stream.ticks}-tick day of ${SYMBOLS} symbols; target >= 1000000`;
    const baseline = `stream read alone ${stream.rate}/s; writers alone on in-memory pages: parquet ${writers.parquet}/s, csv ${writers.csv}/s; raw write of the CSV bytes ${raw}/s`;
    return {
      export_parquet_ticks_per_s: { value: parquet, against: `${day}; ${baseline}` },
      export_csv_ticks_per_s: { value: csv, against: `${day}; ${baseline}` },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(await runExportBench(process.argv[2] ? Number(process.argv[2]) : undefined));
