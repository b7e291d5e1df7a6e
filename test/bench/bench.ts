// npm run bench [-- --json FILE] [--ticks-per-symbol N] [--symbols N]
// Every figure is measured in this run and printed next to its baseline or target.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import { listDayFiles } from '../../electron/engine/storage/dayFileCatalog.ts';
import { DemoQuoteGenerator } from '../../electron/feeds/demoQuotes.ts';
import type { TickInput } from '../../shared/tick.ts';
import { US_PER_DAY, US_PER_HOUR } from '../../shared/time.ts';
import { measureManySymbols } from './manySymbols.ts';
import { medianMs } from './medianTime.ts';
import { rawInsertBaseline } from './rawInsertBaseline.ts';

const { values: opts } = parseArgs({
  options: {
    json: { type: 'string' },
    'ticks-per-symbol': { type: 'string', default: '100000' },
    symbols: { type: 'string', default: '128' },
    'skip-migration': { type: 'boolean', default: false },
  },
});
const SYMBOLS = Number(opts.symbols);
const PER_SYMBOL = Number(opts['ticks-per-symbol']);
const N = SYMBOLS * PER_SYMBOL;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tickscope-bench-'));
const figures: Record<string, number> = {};
const rows: [string, string, string][] = [];
function report(key: string, value: number, against: string): void {
  figures[key] = value;
  rows.push([key, String(Math.round(value * 1000) / 1000), against]);
  console.log(`${key.padEnd(26)} ${String(Math.round(value * 1000) / 1000).padStart(14)}   ${against}`);
}

console.log(
  `Tickscope bench: ${SYMBOLS} symbols x ${PER_SYMBOL} ticks = ${N} ticks in one UTC day, node ${process.version}, ${os.cpus().length} cores`,
);

// 1. Baselines in this run: a raw better-sqlite3 loop into the same schema, with and without the unique key.
const rawN = Math.min(N, 2_000_000);
const raw = rawInsertBaseline(path.join(work, 'raw'), rawN, SYMBOLS, true);
const rawNoKey = rawInsertBaseline(path.join(work, 'raw'), rawN, SYMBOLS, false);

// 2. The whole engine: a producer on this thread offering ticks as fast as the engine takes them.
const dataDir = path.join(work, 'engine');
const store = await openTickStore({ dataDir });
const gen = new DemoQuoteGenerator(SYMBOLS, 7);
const dayStartUs = Date.UTC(2026, 0, 5) * 1000;
const CHUNK = 1_024;
// One reusable object per slot, as a feed parser with a tick pool would: the engine copies what
// it ingests, so the figure below is the engine's cost, not the synthetic feed's garbage.
const chunk: TickInput[] = Array.from({ length: CHUNK }, () => gen.quote(0, dayStartUs));
let enqueueNs = 0;
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const t0 = performance.now();
for (let c = 0; c < N; c += CHUNK) {
  const end = Math.min(N, c + CHUNK);
  for (let i = c; i < end; i++)
    gen.quoteInto(chunk[i - c], i % SYMBOLS, dayStartUs + Math.floor((i * US_PER_DAY) / N));
  const s = process.hrtime.bigint();
  for (let i = 0; i < end - c; i++) store.ingest(chunk[i]);
  enqueueNs += Number(process.hrtime.bigint() - s);
  // Yield to the event loop (as a real feed's socket callbacks do) and respect backpressure.
  await store.whenWritable();
  await new Promise((r) => setImmediate(r));
}
await store.flush();
const ingestMs = performance.now() - t0;
loop.disable();
const st = store.getStorageStats();
if (st.ticks_written !== N)
  throw new Error(`bench: ${st.ticks_written} of ${N} ticks written (spilled ${st.ticks_spilled})`);

report(
  'ingest_ticks_per_s',
  (N / ingestMs) * 1000,
  `raw baseline ${raw.ticksPerS}/s -> ratio ${(((N / ingestMs) * 1000) / raw.ticksPerS).toFixed(2)} (target >= 300000 and >= 0.7)`,
);
report(
  'raw_insert_ticks_per_s',
  raw.ticksPerS,
  `same schema, per-tick run(), 50K-tick transactions, ${rawN} ticks`,
);
report(
  'raw_insert_nokey_ticks_per_s',
  rawNoKey.ticksPerS,
  `no unique key: the key costs ${((1 - raw.ticksPerS / rawNoKey.ticksPerS) * 100).toFixed(0)}% of raw insert speed`,
);
report('enqueue_ns_per_tick', enqueueNs / N, 'target <= 1000');
report('event_loop_p99_ms', loop.percentile(99) / 1e6, 'target <= 5');
report(
  'flush_ms_p50',
  st.batch_latency_p50_ms,
  `per writer transaction; max batch ${st.max_batch_ticks} ticks (config batch ${store.config.batchSize})`,
);
report('flush_ms_p99', st.batch_latency_p99_ms, `${st.batches_written} transactions for ${N} ticks`);

// 3. Queries on that day (~PER_SYMBOL ticks per symbol). Median of several runs each.
const sym = gen.symbols[0];
const recent = await store.recent(sym, 100);
if (recent.tsUs.length !== 100) throw new Error('bench: recent-100 returned too few ticks');
report(
  'recent100_ms',
  await medianMs(() => store.recent(sym, 100), 21),
  'target <= 1 (served from the ring)',
);
const h = dayStartUs + 12 * US_PER_HOUR;
report(
  'range_1h_ms',
  await medianMs(() => store.range({ symbol: sym, fromUs: h, toUs: h + US_PER_HOUR }), 11),
  'one symbol, one hour',
);
const day = await store.range({
  symbol: sym,
  fromUs: dayStartUs,
  toUs: dayStartUs + US_PER_DAY,
  limit: 500_000,
});
if (day.tsUs.length !== PER_SYMBOL) throw new Error(`bench: day range returned ${day.tsUs.length} ticks`);
report(
  'range_1d_ms',
  await medianMs(
    () =>
      store.range({
        symbol: sym,
        fromUs: dayStartUs,
        toUs: dayStartUs + US_PER_DAY,
        limit: 500_000,
        sizes: false,
      }),
    7,
  ),
  `${PER_SYMBOL} ticks (time, prices, source), split between two readers; target <= 30`,
);
report(
  'range_1d_sizes_ms',
  await medianMs(
    () => store.range({ symbol: sym, fromUs: dayStartUs, toUs: dayStartUs + US_PER_DAY, limit: 500_000 }),
    7,
  ),
  `the same with bid/ask sizes (the default; History's tick view asks for them)`,
);
report(
  'bars_1d_1m_ms',
  await medianMs(
    () =>
      store.bars({
        symbol: sym,
        fromUs: dayStartUs,
        toUs: dayStartUs + US_PER_DAY,
        timeframeSec: 60,
      }),
    11,
  ),
  'bid, ask and mid in one answer; target <= 20',
);
await store.stop();
const dayBytes = listDayFiles(path.join(dataDir, 'sqlite')).reduce((a, f) => a + fs.statSync(f.path).size, 0);
report(
  'bytes_per_tick',
  dayBytes / N,
  `target <= 40; raw same-schema file ${raw.bytesPerTick.toFixed(1)}, no-key file ${rawNoKey.bytesPerTick.toFixed(1)}`,
);
report('peak_rss_mb', process.resourceUsage().maxRSS / 1024, 'whole bench process');

// 3b. The archive tier (issue 10): that day compacted, and real days, next to their live figures.
const { runArchiveBench } = await import('./archiveBench.ts');
const archive = await runArchiveBench({
  tmpDir: path.join(work, 'archive'),
  demoDataDir: dataDir,
  demoDayUs: dayStartUs,
  demoSymbol: sym,
  ticks: N,
  perSymbol: PER_SYMBOL,
  liveRange1dMs: figures.range_1d_ms,
  liveBars1dMs: figures.bars_1d_1m_ms,
});
for (const [k, f] of Object.entries(archive)) report(k, f.value, f.against);

// 4. Many symbols at once, in a process of its own: 10,000 symbols x 300 ticks at full speed.
const many = await measureManySymbols(10_000, 300);
report(
  'rss_10k_symbols_mb',
  many.peakRssMb,
  `target <= 1024; ${many.ticks} ticks, ${many.ticksWritten} written, rings ${many.ringMbBusy} MB busy -> ${many.ringMbIdle} MB idle (${many.idleBytesPerSymbol} B per idle symbol, target <= 16384)`,
);

// 5. Migration (issue 4), when present.
if (!opts['skip-migration']) {
  const migrationBench = path.join(import.meta.dirname, 'migrationBench.ts');
  if (fs.existsSync(migrationBench)) {
    const { runMigrationBench } = (await import(migrationBench)) as {
      runMigrationBench: (o: {
        tmpDir: string;
      }) => Promise<Record<string, number | { value: number; against: string }>>;
    };
    const m = await runMigrationBench({ tmpDir: path.join(work, 'migration') });
    // Each figure carries its own baseline or target (older benches returned bare numbers).
    for (const [k, f] of Object.entries(m)) {
      if (typeof f === 'number')
        report(k, f, k === 'migrate_ticks_per_s' ? 'target >= 300000' : 'peak RSS, MB');
      else report(k, f.value, f.against);
    }
  } else console.log('migration bench: not present in this build');
}

// 6. Feeds (issue 8): the Binance parser, and receive-to-durable through the real feed and engine.
{
  const { runFeedBench } = await import('./feedBench.ts');
  for (const [k, f] of Object.entries(await runFeedBench({ tmpDir: path.join(work, 'feeds') })))
    report(k, f.value, f.against);
}

// 7. Export (issue 11): the Parquet and CSV writers.
{
  const { runExportBench } = await import('./exportBench.ts');
  for (const [k, f] of Object.entries(await runExportBench())) report(k, f.value, f.against);
}

// 8. ClickHouse sink (issue 11): stored ticks forwarded into two real shards behind a Distributed table.
{
  const { runClickhouseBench } = await import('./clickhouseBench.ts');
  for (const [k, f] of Object.entries(await runClickhouseBench())) report(k, f.value, f.against);
}

// 9. The live chart's frame rate under the demo feed at load (issue 9), in Debian's Chromium.
{
  const { runLiveChartBench } = await import('./liveChartBench.ts');
  for (const [k, f] of Object.entries(await runLiveChartBench())) report(k, f.value, f.against);
}

fs.rmSync(work, { recursive: true, force: true });
if (opts.json) {
  fs.writeFileSync(opts.json, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`figures written to ${opts.json}`);
}
