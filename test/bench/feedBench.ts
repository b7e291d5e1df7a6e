// Feed figures for `npm run bench`:
// - feed_parse_ns_per_msg: the Binance bookTicker parser over combined-stream messages, next to
//   JSON.parse alone on the same texts (the floor any JSON parser pays);
// - feed_to_durable_ms_p99: from a quote's receive time to the moment the engine reports it
//   written to the day file, with the real Binance feed reading a local peer (its own process) at
//   20,000 messages/s. Durability is sampled every 2 ms from the engine's written count, so each
//   figure is an upper bound by at most that.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { FEED_CONFIG_SCHEMA } from '../../shared/feeds/feedConfig.ts';
import type { FeedConfigOf } from '../../shared/feeds/feedConfig.ts';
import { createBinanceFeed } from '../../electron/feeds/binance/binanceFeed.ts';
import { emptyBookTickerQuote, parseBookTicker } from '../../electron/feeds/binance/bookTicker.ts';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import { burstSymbols } from '../helpers/burstPeer.ts';

export interface Figure {
  value: number;
  against: string;
}

function bookTickerTexts(n: number): string[] {
  const symbols = burstSymbols(50);
  return Array.from({ length: n }, (_, i) => {
    const s = symbols[i % symbols.length];
    const bid = (100 + (i % 977) * 0.01).toFixed(2);
    return `{"stream":"${s.toLowerCase()}@bookTicker","data":{"u":${400900217 + i},"s":"${s}","b":"${bid}","B":"31.21000000","a":"${(Number(bid) + 0.01).toFixed(2)}","A":"40.66000000"}}`;
  });
}

export function measureParse(): { parseNs: number; jsonParseNs: number } {
  const texts = bookTickerTexts(200_000);
  const into = emptyBookTickerQuote();
  let sink = 0;
  const time = (fn: (t: string) => void): number => {
    for (let r = 0; r < 2; r++) for (const t of texts) fn(t); // warm up the JIT
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const t0 = process.hrtime.bigint();
      for (const t of texts) fn(t);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / texts.length);
    }
    return best;
  };
  const parseNs = time((t) => {
    if (parseBookTicker(t, into) === 'tick') sink += into.bid;
  });
  const jsonParseNs = time((t) => {
    sink += (JSON.parse(t) as { data: { u: number } }).data.u;
  });
  if (sink === 42) console.log(''); // keeps the loops from being optimised away
  return { parseNs, jsonParseNs };
}

export async function measureFeedToDurable(
  tmpDir: string,
  ratePerSec = 20_000,
  seconds = 10,
): Promise<{ p99Ms: number; p50Ms: number; ticks: number; achievedRate: number }> {
  const peer = spawn(
    process.execPath,
    [
      path.join(import.meta.dirname, '../helpers/burstPeer.ts'),
      '--format',
      'binance',
      '--rate',
      String(ratePerSec),
      '--seconds',
      String(seconds),
      '--symbols',
      '50',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  peer.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearInterval(t);
        resolve(Number(m[1]));
      }
    }, 10);
    peer.on('exit', () => reject(new Error(`the peer exited: ${out}`)));
  });
  const store = await openTickStore({ dataDir: tmpDir });
  const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;
  const recv: number[] = [];
  const durable: number[] = [];
  const config = FEED_CONFIG_SCHEMA.parse({
    id: 'binance',
    kind: 'binance',
    url: `ws://127.0.0.1:${port}/stream`,
    symbols: burstSymbols(50),
  }) as FeedConfigOf<'binance'>;
  const feed = createBinanceFeed(config);
  feed.start({
    tick: (t) => {
      if (store.ingest(t) === 'accepted') recv.push(t.recvUs ?? nowUs());
    },
    event: (e) => store.recordFeedEvent(e),
    wait: () => store.ingestPressure(),
  });
  // Every 2 ms: the ticks written so far became durable by now.
  const sampler = setInterval(() => {
    const written = store.getStorageStats().ticks_written;
    const t = nowUs();
    while (durable.length < written && durable.length < recv.length) durable.push(t);
  }, 2);
  const summary = await new Promise<{ sent: number; achievedRate: number }>((resolve) => {
    const t = setInterval(() => {
      const m = /^\{"sent".*\}$/m.exec(out);
      if (m) {
        clearInterval(t);
        resolve(JSON.parse(m[0]));
      }
    }, 20);
  });
  const until = Date.now() + 10_000;
  while (durable.length < summary.sent && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  clearInterval(sampler);
  await feed.stop();
  await store.stop();
  peer.kill('SIGTERM');
  const lat = durable.map((d, i) => (d - recv[i]) / 1000).sort((a, b) => a - b);
  const pick = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] ?? NaN;
  if (durable.length < summary.sent)
    console.log(
      `feed bench: only ${durable.length} of ${summary.sent} quotes became durable within the wait`,
    );
  return { p99Ms: pick(0.99), p50Ms: pick(0.5), ticks: durable.length, achievedRate: summary.achievedRate };
}

export async function runFeedBench(o: { tmpDir: string }): Promise<Record<string, Figure>> {
  const { parseNs, jsonParseNs } = measureParse();
  const d = await measureFeedToDurable(o.tmpDir);
  return {
    feed_parse_ns_per_msg: {
      value: parseNs,
      against: `target <= 1000; JSON.parse alone on the same messages ${jsonParseNs.toFixed(0)} ns`,
    },
    feed_to_durable_ms_p99: {
      value: d.p99Ms,
      against: `target <= 200; p50 ${d.p50Ms.toFixed(1)} ms over ${d.ticks} quotes at ${Math.round(d.achievedRate)} msgs/s (asked 20000), sampled every 2 ms`,
    },
  };
}

if (import.meta.main) {
  const os = await import('node:os');
  const fs = await import('node:fs');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickscope-feedbench-'));
  for (const [k, f] of Object.entries(await runFeedBench({ tmpDir: dir })))
    console.log(`${k.padEnd(26)} ${f.value.toFixed(3).padStart(14)}   ${f.against}`);
  fs.rmSync(dir, { recursive: true, force: true });
}
