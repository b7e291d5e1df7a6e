// ClickHouse sink throughput, end to end: a generated day recorded into a real store, then
// forwarded by the sink follower (the ordered stream read page by page, TSV batches of 100K rows
// posted over HTTP) into two real ClickHouse shards behind a Distributed table, every batch
// acknowledged by both shards. Run directly: node test/bench/clickhouseBench.ts [ticks] [symbols]
import path from 'node:path';
import { TickReader } from '../../electron/engine/reader/tickReader.ts';
import { createTickStreamReader } from '../../electron/engine/stream/streamReader.ts';
import { ClickhouseHttp } from '../../electron/engine/sink/clickhouseHttp.ts';
import { SinkFollower } from '../../electron/engine/sink/sinkFollower.ts';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import { clickhouseMissing, startClickhouseCluster } from '../helpers/clickhouseServers.ts';
import { applyReadmeDdl } from '../helpers/sinkReadme.ts';
import { makeTempDir } from '../helpers/tempDir.ts';

type Figures = Record<string, { value: number; against: string }>;
const DAY_US = Date.UTC(2026, 0, 5) * 1000;

/** `symbolCount` interleaved symbols (1-4): the stream merges them tick by tick. */
export async function runClickhouseBench(ticks = 1_000_000, symbolCount = 4): Promise<Figures> {
  const missing = clickhouseMissing();
  if (missing) {
    console.log(`clickhouse bench: skipped, ${missing}`);
    return {};
  }
  const dataDir = makeTempDir('ch-bench');
  const store = await openTickStore({ dataDir });
  const syms = ['EURUSD', 'USDJPY', 'GBPUSD', 'XAUUSD'].slice(0, Math.min(Math.max(symbolCount, 1), 4));
  for (let i = 0; i < ticks;) {
    const bid = 1.1 + (i % 97) * 0.00001;
    const tsUs = DAY_US + i * 50;
    const r = store.ingest({
      symbol: syms[i % syms.length],
      source: 'lp1',
      tsUs,
      bid,
      ask: bid + 0.0002,
      recvUs: tsUs + 30,
      seq: i,
    });
    if (r === 'accepted') i++;
    else await store.whenWritable();
  }
  await store.flush();
  await store.stop();
  const ch = await startClickhouseCluster(2, 'ticks_cluster');
  const reader = new TickReader(path.join(dataDir, 'sqlite'));
  const http = new ClickhouseHttp({ url: ch.shards[0].url });
  try {
    await applyReadmeDdl(ch.query, 2);
    const f = new SinkFollower({
      stream: createTickStreamReader(reader),
      days: () => reader.days(),
      clickhouse: http,
      table: 'tickscope.ticks',
      workstation: 'bench',
      cursorFile: path.join(dataDir, 'clickhouse-sink.json'),
      batchRows: 100_000,
    });
    const t0 = performance.now();
    const rows = await f.step();
    const s = (performance.now() - t0) / 1000;
    const count = Number(await ch.query('SELECT count() FROM tickscope.ticks'));
    if (count !== ticks || rows !== ticks)
      throw new Error(`clickhouse bench: forwarded ${rows}, ClickHouse holds ${count}, stored ${ticks}`);
    return {
      clickhouse_forward_ticks_per_s: {
        value: rows / s,
        against: 'target >= 200000 (2 shards, Distributed, sync insert)',
      },
    };
  } finally {
    http.close();
    reader.close();
    await ch.stop();
  }
}

if (import.meta.main) {
  const figs = await runClickhouseBench(Number(process.argv[2] ?? 1_000_000), Number(process.argv[3] ?? 4));
  for (const [k, f] of Object.entries(figs)) console.log(`${k} ${Math.round(f.value)}   ${f.against}`);
}
