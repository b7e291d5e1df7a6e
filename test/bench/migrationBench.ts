// Migration benchmark: legacy JSON files through `npm run migrate` (a child process, so its RSS is
// its own), timed over the reading-and-storing phase. Memory: peak RSS for one file of 500k ticks
// (one day) and one 5x larger file (2.5M ticks over five days, the same ticks per day), once
// through the whole engine and once as a dry run (the reader alone), so that growth can be told
// apart: the reader's memory should not depend on the file's size.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../electron/cli/migrate.ts', import.meta.url));

export interface MigrationBenchResult {
  migrate_ticks_per_s: number;
  migrate_peak_rss_mb: number;
  migrate_rss_small_mb: number;
  migrate_rss_large_mb: number;
  /** The same two files with --dry-run: reading and parsing only, no store. */
  migrate_dry_rss_small_mb: number;
  migrate_dry_rss_large_mb: number;
}

/** Writes one legacy day file (the old recorder's record shape) without holding it in memory. */
export async function writeLegacyFile(
  file: string,
  symbol: string,
  n: number,
  startMs: number,
  stepMs: number,
): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  let bid = 1.1;
  let seed = 12345;
  let buf = '[';
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    bid = Math.round((bid + (seed / 2 ** 32 - 0.5) * 0.0004) * 1e5) / 1e5;
    const ask = Math.round((bid + 0.00012) * 1e5) / 1e5;
    const t = startMs + i * stepMs;
    const ts = `${new Date(Math.floor(t)).toISOString().slice(0, -1)}${String(Math.round((t % 1) * 1000)).padStart(3, '0')}Z`;
    buf += `${i ? ',\n' : ''}{"symbol":"${symbol}","bid":${bid},"ask":${ask},"spread":${Math.round((ask - bid) * 1e5) / 1e5},"timestamp":"${ts}","lp":"LP${i % 3}"}`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(`${buf}]`);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

interface CliSummary {
  totals: { ticksRead: number; ticksAccepted: number; ticksPerSec: number; migrateMs: number };
  peakRssMb: number;
}

function runCli(input: string, output: string, extra: string[] = []): Promise<CliSummary> {
  return new Promise((resolve, reject) => {
    const args = [CLI, '--input-dir', input, '--output-dir', output, '--batch-size', '5000', ...extra];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`migrate exited ${code}: ${stderr.slice(-2000)}`));
      resolve(JSON.parse(stdout) as CliSummary);
    });
  });
}

export async function runMigrationBench(opts: { tmpDir: string }): Promise<MigrationBenchResult> {
  const dayMs = Date.UTC(2024, 0, 2);
  // Throughput: 2M ticks in the legacy layout, four symbols of a day each.
  const many = path.join(opts.tmpDir, 'many');
  const symbols = ['EURUSD', 'GBPUSD', 'USDJPY', 'AUDUSD'];
  for (const s of symbols)
    await writeLegacyFile(path.join(many, s, '2024-01-02.json'), s, 500_000, dayMs, 150);
  const big = await runCli(many, path.join(opts.tmpDir, 'out-many'));
  if (big.totals.ticksAccepted !== 2_000_000)
    throw new Error(`expected 2M ticks, stored ${big.totals.ticksAccepted}`);

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
  return {
    migrate_ticks_per_s: big.totals.ticksPerSec,
    migrate_peak_rss_mb: Math.max(big.peakRssMb, l.peakRssMb),
    migrate_rss_small_mb: s.peakRssMb,
    migrate_rss_large_mb: l.peakRssMb,
    migrate_dry_rss_small_mb: sd.peakRssMb,
    migrate_dry_rss_large_mb: ld.peakRssMb,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickscope-migbench-'));
  try {
    console.log(JSON.stringify(await runMigrationBench({ tmpDir: dir }), null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
