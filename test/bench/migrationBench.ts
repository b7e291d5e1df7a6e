// Migration benchmark: legacy archives through `npm run migrate` (electron/cli/migrate.ts in a
// child process, so its time and RSS are its own). Every figure comes with what it is measured
// against in the same run:
// - migrate_validate_ticks_per_s: a mixed archive (~1.1M distinct ticks: a 112 MB day file and
//   its backup copy, a pretty-printed file, JSON Lines, a .json.gz, bad files) with --validate,
//   distinct ticks over the wall clock of the whole child process (spawn to exit; the time to its
//   summary on stdout is printed beside it), against the rate of a plain JSON.parse of the same
//   files (the copy left out) in this process;
// - migrate_10k_symbols_ticks_per_s: one UTC day of 1M ticks over 10,000 symbols interleaved in
//   time, in one file, with --validate, against the reader alone (--dry-run) on the same file;
// - migrate_ticks_per_s: 2M ticks in four day files, over the reading and storing phase;
// - peak RSS for one file of 500K ticks (one day) and one 5x larger (2.5M ticks over five days),
//   through the whole engine and as a dry run, so that growth can be told apart: the reader's
//   memory should not depend on the file's size.
// Timed runs are repeated; the median is the figure and the spread is printed beside it.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  writeBenchArchive,
  writeLegacySeries,
  writeManySymbolsDay,
} from '../fixtures/migration/legacyArchive.ts';
import type { BenchArchive } from '../fixtures/migration/legacyArchive.ts';

const CLI = fileURLToPath(new URL('../../electron/cli/migrate.ts', import.meta.url));

export interface BenchFigure {
  value: number;
  /** The baseline or target it is read against, in words. */
  against: string;
}

export type MigrationBenchResult = Record<
  | 'migrate_validate_ticks_per_s'
  | 'migrate_10k_symbols_ticks_per_s'
  | 'migrate_ticks_per_s'
  | 'migrate_peak_rss_mb'
  | 'migrate_rss_small_mb'
  | 'migrate_rss_large_mb'
  | 'migrate_dry_rss_small_mb'
  | 'migrate_dry_rss_large_mb',
  BenchFigure
>;

/** Writes one legacy day file (the old recorder's record shape) without holding it in memory. */
export async function writeLegacyFile(
  file: string,
  symbol: string,
  n: number,
  startMs: number,
  stepMs: number,
): Promise<void> {
  await writeLegacySeries(file, { symbols: [symbol], n, startMs, stepMs });
}

interface CliSummary {
  exitCode: number;
  totals: {
    ticksRead: number;
    ticksAccepted: number;
    ticksWritten: number;
    ticksPerSec: number;
    migrateMs: number;
  };
  validation: { ok: boolean; sourceFilesRead: number } | null;
  peakRssMb: number;
}

interface CliRun {
  summary: CliSummary;
  /** From spawn to the child's exit. */
  wallMs: number;
  /** From spawn to the last byte of the summary on stdout (the run's work is done by then). */
  summaryMs: number;
}

function runCli(input: string, output: string, extra: string[] = [], okCodes = [0]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const args = [CLI, '--input-dir', input, '--output-dir', output, '--batch-size', '5000', ...extra];
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let summaryMs = 0;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      summaryMs = performance.now() - t0;
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      if (code === null || !okCodes.includes(code)) {
        return reject(new Error(`migrate exited ${code}: ${stderr.slice(-2000)}`));
      }
      resolve({ summary: JSON.parse(stdout) as CliSummary, wallMs, summaryMs });
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function spread(xs: number[]): string {
  const r = (x: number) => Math.round(x).toLocaleString('en-US');
  return `${r(Math.min(...xs))}-${r(Math.max(...xs))} over ${xs.length} runs`;
}

/** Ticks per second of reading the archive's tick files and JSON.parse-ing them, nothing else. */
function jsonParseRate(archive: BenchArchive): number {
  const t0 = performance.now();
  let records = 0;
  for (const f of archive.tickFiles) {
    let buf = readFileSync(f.path);
    if (f.gzip) buf = gunzipSync(buf);
    const text = buf.toString('utf8');
    if (f.style === 'lines') {
      for (const line of text.split('\n')) if (line !== '') records += JSON.parse(line) === null ? 0 : 1;
    } else records += (JSON.parse(text) as unknown[]).length;
  }
  if (records !== archive.distinctTicks)
    throw new Error(`JSON.parse read ${records} of ${archive.distinctTicks} ticks`);
  return (records * 1000) / (performance.now() - t0);
}

async function validatedArchiveFigure(tmpDir: string, runs: number): Promise<BenchFigure> {
  const archive = await writeBenchArchive(path.join(tmpDir, 'archive'));
  const rates: number[] = [];
  const toSummary: number[] = [];
  const baselines: number[] = [];
  for (let i = 0; i < runs; i++) {
    baselines.push(jsonParseRate(archive));
    const out = path.join(tmpDir, 'out-archive');
    rmSync(out, { recursive: true, force: true });
    // Exit code 1: the bad files are skipped and listed, as they should be.
    const r = await runCli(archive.root, out, ['--validate'], [1]);
    if (r.summary.totals.ticksWritten !== archive.distinctTicks || !r.summary.validation?.ok) {
      throw new Error(
        `archive: wrote ${r.summary.totals.ticksWritten} of ${archive.distinctTicks}, validation ${JSON.stringify(r.summary.validation)}`,
      );
    }
    rates.push((archive.distinctTicks * 1000) / r.wallMs);
    toSummary.push((archive.distinctTicks * 1000) / r.summaryMs);
  }
  rmSync(archive.root, { recursive: true, force: true });
  const base = median(baselines);
  const value = median(rates);
  return {
    value,
    against:
      `target >= 250000; ${(archive.distinctTicks / 1e6).toFixed(2)}M distinct ticks, whole CLI run with --validate, spawn to exit (${spread(rates)}); ` +
      `to its summary on stdout ${Math.round(median(toSummary))}/s; ` +
      `plain JSON.parse of the same files ${Math.round(base)}/s (${spread(baselines)}) -> ratio ${(value / base).toFixed(2)}`,
  };
}

async function manySymbolsFigure(tmpDir: string, runs: number): Promise<BenchFigure> {
  const dir = path.join(tmpDir, 'many-symbols');
  const { ticks, symbols } = await writeManySymbolsDay(path.join(dir, 'ticks-2024-01-03.json'));
  const rates: number[] = [];
  const toSummary: number[] = [];
  const dry: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = path.join(tmpDir, 'out-many-symbols');
    rmSync(out, { recursive: true, force: true });
    const d = await runCli(dir, out, ['--dry-run']);
    dry.push((ticks * 1000) / d.wallMs);
    const r = await runCli(dir, out, ['--validate']);
    if (r.summary.totals.ticksWritten !== ticks || !r.summary.validation?.ok) {
      throw new Error(`10k symbols: wrote ${r.summary.totals.ticksWritten} of ${ticks}`);
    }
    rates.push((ticks * 1000) / r.wallMs);
    toSummary.push((ticks * 1000) / r.summaryMs);
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    value: median(rates),
    against:
      `target >= 100000; ${ticks / 1e6}M ticks over ${symbols} symbols in one day, whole CLI run with --validate, spawn to exit (${spread(rates)}); ` +
      `to its summary ${Math.round(median(toSummary))}/s; the reader alone (--dry-run) ${Math.round(median(dry))}/s`,
  };
}

export async function runMigrationBench(opts: {
  tmpDir: string;
  runs?: number;
}): Promise<MigrationBenchResult> {
  const runs = opts.runs ?? 3;
  mkdirSync(opts.tmpDir, { recursive: true });
  const validated = await validatedArchiveFigure(opts.tmpDir, runs);
  const manySymbols = await manySymbolsFigure(opts.tmpDir, Math.max(1, runs - 1));

  const dayMs = Date.UTC(2024, 0, 2);
  // Throughput: 2M ticks in the legacy layout, four symbols of a day each.
  const many = path.join(opts.tmpDir, 'many');
  const symbols = ['EURUSD', 'GBPUSD', 'USDJPY', 'AUDUSD'];
  for (const s of symbols)
    await writeLegacyFile(path.join(many, s, '2024-01-02.json'), s, 500_000, dayMs, 150);
  const big = await runCli(many, path.join(opts.tmpDir, 'out-many'));
  if (big.summary.totals.ticksAccepted !== 2_000_000) {
    throw new Error(`expected 2M ticks, stored ${big.summary.totals.ticksAccepted}`);
  }

  // Memory: one day in one file, and five days of the same density in one file 5x as large.
  const small = path.join(opts.tmpDir, 'small');
  await writeLegacyFile(
    path.join(small, 'EURUSD', '2024-01-03.json'),
    'EURUSD',
    500_000,
    dayMs + 86_400_000,
    172.8,
  );
  const large = path.join(opts.tmpDir, 'large');
  await writeLegacyFile(
    path.join(large, 'EURUSD', '2024-01-10.json'),
    'EURUSD',
    2_500_000,
    dayMs + 8 * 86_400_000,
    172.8,
  );
  const s = await runCli(small, path.join(opts.tmpDir, 'out-small'));
  const l = await runCli(large, path.join(opts.tmpDir, 'out-large'));
  const sd = await runCli(small, path.join(opts.tmpDir, 'out-dry'), ['--dry-run']);
  const ld = await runCli(large, path.join(opts.tmpDir, 'out-dry'), ['--dry-run']);
  const rss = (value: number, against: string): BenchFigure => ({ value, against });
  return {
    migrate_validate_ticks_per_s: validated,
    migrate_10k_symbols_ticks_per_s: manySymbols,
    migrate_ticks_per_s: {
      value: big.summary.totals.ticksPerSec,
      against: 'target >= 300000; 2M ticks in 4 day files, reading and storing phase',
    },
    migrate_peak_rss_mb: rss(Math.max(big.summary.peakRssMb, l.summary.peakRssMb), 'peak RSS, MB, bounded'),
    migrate_rss_small_mb: rss(s.summary.peakRssMb, 'peak RSS, MB: 0.5M ticks in one day'),
    migrate_rss_large_mb: rss(l.summary.peakRssMb, 'peak RSS, MB: 2.5M ticks over five days (5x the file)'),
    migrate_dry_rss_small_mb: rss(sd.summary.peakRssMb, 'peak RSS, MB: the reader alone, 0.5M ticks'),
    migrate_dry_rss_large_mb: rss(ld.summary.peakRssMb, 'peak RSS, MB: the reader alone, 2.5M ticks'),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { mkdtempSync } = await import('node:fs');
  const os = await import('node:os');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickscope-migbench-'));
  try {
    const result = await runMigrationBench({ tmpDir: dir });
    for (const [key, f] of Object.entries(result)) {
      console.log(`${key.padEnd(32)} ${String(Math.round(f.value)).padStart(10)}   ${f.against}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
