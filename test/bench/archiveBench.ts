// Archive-tier figures (issue 10), each next to the live figure of the same data measured in
// this run: whole day file bytes per tick after compaction for the real EURUSD day (without and
// with its volumes as sizes), the BTCUSD hour and the demo feed; compaction speed; and a day's
// range and 1-minute bars read from an archived day.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../../electron/engine/clock.ts';
import { fileBytesWithWal, listDayFiles } from '../../electron/engine/storage/dayFileCatalog.ts';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import type { TickStore } from '../../electron/engine/tickStoreApi.ts';
import type { TickInput } from '../../shared/tick.ts';
import { US_PER_DAY } from '../../shared/time.ts';
import { medianMs } from './medianTime.ts';

type Figure = { value: number; against: string };
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/dukascopy');

function dukascopy(file: string, symbol: string, sizes: boolean): TickInput[] {
  const raw = fs.readFileSync(path.join(FIXTURES, file));
  const rows = JSON.parse((file.endsWith('.gz') ? zlib.gunzipSync(raw) : raw).toString('utf8')) as number[][];
  // Stored as time, bid, ask and source (and sizes): no separate exchange time.
  return rows.map(([ms, ask, bid, askVol, bidVol]) => ({
    symbol,
    bid,
    ask,
    source: 'dukascopy',
    tsUs: ms * 1000,
    noExchangeTime: true,
    ...(sizes ? { bidSize: bidVol, askSize: askVol } : {}),
  }));
}

async function waitCompacted(store: TickStore): Promise<void> {
  while (store.compactionStatus().running) await new Promise((r) => setTimeout(r, 20));
  const s = store.compactionStatus();
  if (s.failed.length > 0 || s.skipped.length > 0)
    throw new Error(`bench: compaction ${JSON.stringify({ failed: s.failed, skipped: s.skipped })}`);
}

function dayFileBytes(dataDir: string, dayUs: number): number {
  const day = Math.floor(dayUs / US_PER_DAY);
  const ref = listDayFiles(path.join(dataDir, 'sqlite')).find((f) => f.day === day);
  if (!ref) throw new Error('bench: day file missing');
  return fileBytesWithWal(ref.path);
}

/** Records ticks of one day, compacts the day; answers live and archived bytes per tick. */
async function archivedBytes(
  tmpDir: string,
  name: string,
  ticks: TickInput[],
): Promise<{ live: number; archived: number }> {
  const dataDir = path.join(tmpDir, name);
  const dayUs = Math.floor(ticks[0].tsUs / US_PER_DAY) * US_PER_DAY;
  const clock = () => ({ clock: new ManualClock(dayUs + 30 * US_PER_DAY) });
  // Recorded and closed first (its log checkpointed into the file), as a past day is.
  const rec = await openTickStore({ dataDir }, clock());
  for (const t of ticks) rec.ingest(t);
  await rec.stop();
  const live = dayFileBytes(dataDir, dayUs) / ticks.length;
  const store = await openTickStore({ dataDir }, clock());
  try {
    store.compact({ days: [new Date(dayUs / 1000).toISOString().slice(0, 10)] });
    await waitCompacted(store);
    return { live, archived: dayFileBytes(dataDir, dayUs) / ticks.length };
  } finally {
    await store.stop();
  }
}

/**
 * `demoDataDir` holds the main bench's demo day (`demoDayUs`, `symbols` x `perSymbol` ticks),
 * recorded and closed; its live range and bars figures are the baselines.
 */
export async function runArchiveBench(o: {
  tmpDir: string;
  demoDataDir: string;
  demoDayUs: number;
  demoSymbol: string;
  ticks: number;
  perSymbol: number;
  liveRange1dMs: number;
  liveBars1dMs: number;
}): Promise<Record<string, Figure>> {
  const out: Record<string, Figure> = {};
  const eur = await archivedBytes(
    o.tmpDir,
    'eurusd',
    dukascopy('eurusd-2019-02-04.json.gz', 'EURUSD', false),
  );
  out.archived_bytes_per_tick_eurusd = {
    value: eur.archived,
    against: `live ${eur.live.toFixed(1)} -> ${(eur.live / eur.archived).toFixed(1)}x smaller; 136,741 real ticks, time/bid/ask/source; target <= 2.5`,
  };
  const eurS = await archivedBytes(
    o.tmpDir,
    'eurusd-sizes',
    dukascopy('eurusd-2019-02-04.json.gz', 'EURUSD', true),
  );
  out.archived_bytes_per_tick_eurusd_sizes = {
    value: eurS.archived,
    against: `live ${eurS.live.toFixed(1)}; with bid/ask volumes as sizes; Dukascopy's .bi5 5.35; target <= 4.0`,
  };
  const btc = await archivedBytes(o.tmpDir, 'btcusd', dukascopy('btcusd-2023-02-20T12.json', 'BTCUSD', true));
  out.archived_bytes_per_tick_btcusd = {
    value: btc.archived,
    against: `live ${btc.live.toFixed(1)}; the 8,523-tick hour with sizes, whole file; target <= 4`,
  };

  // The demo day of the main bench: compacted in place, then read.
  const store = await openTickStore(
    { dataDir: o.demoDataDir },
    { clock: new ManualClock(o.demoDayUs + 30 * US_PER_DAY) },
  );
  try {
    const liveBytes = dayFileBytes(o.demoDataDir, o.demoDayUs);
    const t0 = performance.now();
    store.compact({ days: [new Date(o.demoDayUs / 1000).toISOString().slice(0, 10)] });
    await waitCompacted(store);
    const ms = performance.now() - t0;
    const archived = dayFileBytes(o.demoDataDir, o.demoDayUs);
    out.archived_bytes_per_tick_demo = {
      value: archived / o.ticks,
      against: `live ${(liveBytes / o.ticks).toFixed(1)}; demo feed, 4 LPs, sizes, µs times; target <= 6`,
    };
    out.compaction_ticks_per_s = {
      value: (o.ticks / ms) * 1000,
      against: `${o.ticks} ticks, read + code + write + verify + swap, in the archive worker; target >= 1000000`,
    };
    const range = {
      symbol: o.demoSymbol,
      fromUs: o.demoDayUs,
      toUs: o.demoDayUs + US_PER_DAY,
      limit: 500_000,
    };
    const day = await store.range({ ...range, sizes: false });
    if (day.tsUs.length !== o.perSymbol)
      throw new Error(`bench: the archived day range returned ${day.tsUs.length} of ${o.perSymbol} ticks`);
    out.archived_range_1d_ms = {
      value: await medianMs(() => store.range({ ...range, sizes: false }), 11),
      against: `${day.tsUs.length} ticks (time, prices, source); live ${o.liveRange1dMs.toFixed(1)} ms; target <= 5`,
    };
    out.archived_range_1d_sizes_ms = {
      value: await medianMs(() => store.range(range), 11),
      against: 'the same with bid/ask sizes',
    };
    out.archived_bars_1d_1m_ms = {
      value: await medianMs(
        () => store.bars({ symbol: range.symbol, fromUs: range.fromUs, toUs: range.toUs, timeframeSec: 60 }),
        11,
      ),
      against: `bid, ask and mid from the stored bars; live ${o.liveBars1dMs.toFixed(1)} ms; target <= 5`,
    };
  } finally {
    await store.stop();
  }
  return out;
}
