// Many symbols recording at once, in a process of its own so its memory is its own: 10,000
// symbols (by default) each get a burst of ticks, then fall idle so their rings shrink. Reports
// peak RSS, the ring memory while busy and once idle, and what an idle symbol costs.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTickStore } from '../../electron/engine/tickStore.ts';

export interface ManySymbolsResult {
  symbols: number;
  ticks: number;
  peakRssMb: number;
  ringMbBusy: number;
  ringMbIdle: number;
  idleBytesPerSymbol: number;
  ticksWritten: number;
  lost: number;
  /** Of the peak, memory backed by files (the day file read through SQLite's memory map). */
  rssFileMb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function statusKb(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : 0;
}

async function run(symbols: number, ticksPerSymbol: number): Promise<ManySymbolsResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickscope-many-'));
  try {
    const store = await openTickStore({ dataDir: dir, ringIdleMs: 2_000 });
    const names = Array.from({ length: symbols }, (_, i) => `SYM${i.toString(36).toUpperCase()}`);
    const now = Date.now() * 1000;
    const tick = { symbol: '', bid: 1, ask: 1.0001, tsUs: 0, bidSize: 1, askSize: 2 };
    let n = 0;
    // Rounds over every symbol, as a feed of many quiet instruments delivers them.
    for (let r = 0; r < ticksPerSymbol; r++) {
      for (let s = 0; s < symbols; s++) {
        tick.symbol = names[s];
        tick.bid = 1 + ((s * 7 + r) % 1000) / 1e4;
        tick.ask = tick.bid + 0.0002;
        tick.tsUs = now - 3_600_000_000 + n++;
        store.ingest(tick);
      }
      await store.whenWritable();
      await new Promise((res) => setImmediate(res));
    }
    const busy = store.getStorageStats();
    await store.flush();
    // Idle: the rings shrink at the next sweeps.
    await sleep(4_500);
    const idle = store.getStorageStats();
    const r = await store.stop();
    return {
      symbols,
      ticks: n,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      ringMbBusy: Math.round(busy.ring_bytes / 1024 ** 2),
      ringMbIdle: Math.round(idle.ring_bytes / 1024 ** 2),
      idleBytesPerSymbol: Math.round(idle.ring_bytes / symbols),
      ticksWritten: idle.ticks_written,
      lost: r.lost,
      rssFileMb: statusKb('RssFile') / 1024,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the measurement in a child process and returns what it reports. */
export function measureManySymbols(symbols = 10_000, ticksPerSymbol = 300): Promise<ManySymbolsResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [String(symbols), String(ticksPerSymbol)], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`many-symbols run exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ManySymbolsResult);
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [symbols, per] = process.argv.slice(2).map(Number);
  console.log(JSON.stringify(await run(symbols || 10_000, per || 300)));
}
