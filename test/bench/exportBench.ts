// Export writer throughput on a generated few-million-tick day, fed as the stream's 64 Ki pages.
// Writers only until the stream reader is wired in: the stream's own read rate is the baseline
// the end-to-end figure will sit under. Run directly: node test/bench/exportBench.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CsvWriter } from '../../electron/engine/export/csvWriter.ts';
import type { PageWriter } from '../../electron/engine/export/pageWriter.ts';
import { ParquetWriter } from '../../electron/engine/export/parquetWriter.ts';
import type { StreamColumns } from '../../electron/engine/stream/streamTypes.ts';
import { syntheticPage } from '../unit/export/syntheticPage.ts';

const TICKS = 3_000_000;
const PAGE = 65_536;

async function rate(make: (out: string) => PageWriter): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-bench-'));
  const pages = Array.from({ length: 4 }, (_, k) => realistic(syntheticPage(PAGE, 1.5e15 + k * PAGE * 200)));
  try {
    const w = make(path.join(dir, 'out'));
    const t0 = performance.now();
    for (let done = 0; done < TICKS; done += PAGE) await w.write(pages[(done / PAGE) % 4]!);
    await w.finish();
    return Math.round(TICKS / ((performance.now() - t0) / 1000));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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

export async function runExportBench(): Promise<Record<string, { value: number; against: string }>> {
  // Baseline in the same run: the bytes of one CSV page written with no formatting at all.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-bench-raw-'));
  const w0 = new CsvWriter(path.join(dir, 'one'), { time: 'iso' });
  w0.write(realistic(syntheticPage(PAGE)));
  await w0.finish();
  const bytes = fs.readFileSync(path.join(dir, 'one'));
  const t0 = performance.now();
  const fd = fs.openSync(path.join(dir, 'raw'), 'w');
  for (let done = 0; done < TICKS; done += PAGE) fs.writeSync(fd, bytes);
  fs.closeSync(fd);
  const raw = Math.round(TICKS / ((performance.now() - t0) / 1000));
  fs.rmSync(dir, { recursive: true, force: true });
  const against = `target >= 1000000; writers only on generated ${TICKS} ticks (stream read not included); raw write of the same CSV bytes ${raw}/s`;
  return {
    export_parquet_ticks_per_s: { value: await rate((o) => new ParquetWriter(o)), against },
    export_csv_ticks_per_s: { value: await rate((o) => new CsvWriter(o, { time: 'iso' })), against },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runExportBench());
