// Memory stays bounded while an export runs: 2 Mi generated ticks exported to Parquet and to CSV
// by the engine's runExport in a worker, the worker's memory sampled at every progress message.
//
// The bounds. A Parquet job holds one stream page (64 Ki ticks, ~6 MB of columns) in JS and, in
// DuckDB, the row group being encoded (here 128 Ki rows of ~58 bytes, ~8 MB, plus its compressed
// pages and DuckDB's own buffers, under its 256 MB cap); a CSV job holds one page and ~2 MB of
// text. Holding the export instead would grow with the ticks: 2 Mi ticks are ~120 MB as DuckDB
// columns and ~190 MB as JS columns or CSV text. So RSS may grow by at most 160 MB (Parquet; 87-
// 148 MB measured on 2 loaded cores) or 120 MB (CSV; ~116 MB measured, most of it the first
// page's strings before the GC settles), the heap by 64 MB, and, the real test of "bounded", the
// second half of the export may add at most 40 MB over the first half's peak (measured 8-30 MB),
// where a job keeping its ticks would add another ~60-95 MB. The worker's old generation is
// capped at 96 MB besides, so a job keeping its ticks in JS fails outright instead of passing on
// a lucky sample.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { ExportFormat } from '../../../shared/export.ts';
import { makeTempDir, removeTempDirs } from '../../helpers/tempDir.ts';
import type { GeneratedExportData, GeneratedExportMessage } from './generatedExportWorker.ts';

after(removeTempDirs);
const TICKS = 2 * 1024 * 1024;
/** Parquet row groups of 128 Ki rows: 16 over the export, so the second half is steady state. */
const ROW_GROUP = 131_072;
const MB = 1024 * 1024;
const OLD_GEN_MB = 96;

interface Sample {
  ticksDone: number;
  rss: number;
  heapUsed: number;
}

async function exportInWorker(
  format: ExportFormat,
): Promise<{ samples: Sample[]; end: GeneratedExportMessage }> {
  const dir = makeTempDir(`export-mem-${format}`);
  const data: GeneratedExportData = {
    ticks: TICKS,
    rowGroupRows: ROW_GROUP,
    request: {
      format,
      symbols: [],
      fromUs: Date.UTC(2026, 0, 5) * 1000,
      toUs: Date.UTC(2026, 0, 6) * 1000,
      outPath: path.join(dir, `out.${format}`),
      csv: { time: 'iso' },
    },
  };
  // An old generation capped well under what 2 Mi ticks take in JS: a job that kept them dies.
  const w = new Worker(new URL('./generatedExportWorker.ts', import.meta.url), {
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: OLD_GEN_MB },
  });
  const samples: Sample[] = [];
  const end = await new Promise<GeneratedExportMessage>((resolve, reject) => {
    w.on('message', (m: GeneratedExportMessage) => {
      if (m.type === 'memory') samples.push(m);
      else if (m.type === 'done' || m.type === 'failed' || m.type === 'cancelled') resolve(m);
    });
    w.on('error', reject);
    w.on('exit', (code) => reject(new Error(`generated export worker exited (${code}) before finishing`)));
  });
  await w.terminate();
  assert.ok(fs.statSync(data.request.outPath).size > 0);
  return { samples, end };
}

function check(format: ExportFormat, samples: Sample[], rssBound: number): void {
  const base = samples[0]!;
  const half = samples.filter((s) => s.ticksDone <= TICKS / 2);
  const late = samples.filter((s) => s.ticksDone > TICKS / 2);
  const peak = (xs: Sample[], k: 'rss' | 'heapUsed') => Math.max(...xs.map((s) => s[k]));
  const figures = {
    rssGrowthMB: Math.round((peak(samples, 'rss') - base.rss) / MB),
    heapGrowthMB: Math.round((peak(samples, 'heapUsed') - base.heapUsed) / MB),
    secondHalfOverFirstMB: Math.round((peak(late, 'rss') - peak(half, 'rss')) / MB),
  };
  console.log(`# ${format} memory over ${TICKS} ticks: ${JSON.stringify(figures)}`);
  assert.ok(samples.length >= 30, `${samples.length} progress samples`);
  assert.ok(figures.rssGrowthMB < rssBound / MB, `${format}: RSS grew ${figures.rssGrowthMB} MB`);
  assert.ok(figures.heapGrowthMB < 64, `${format}: the JS heap grew ${figures.heapGrowthMB} MB`);
  assert.ok(figures.secondHalfOverFirstMB < 40, `${format}: still growing (${JSON.stringify(figures)})`);
}

test('a 2 Mi-tick Parquet export holds a row group, not the export', async () => {
  const { samples, end } = await exportInWorker('parquet');
  assert.equal(end.type, 'done', JSON.stringify(end));
  assert.equal(end.type === 'done' && end.rowsWritten, TICKS);
  check('parquet', samples, 160 * MB);
});

test('a 2 Mi-tick CSV export holds a page and a chunk of text, not the export', async () => {
  const { samples, end } = await exportInWorker('csv');
  assert.equal(end.type, 'done', JSON.stringify(end));
  assert.equal(end.type === 'done' && end.rowsWritten, TICKS);
  check('csv', samples, 120 * MB);
});
