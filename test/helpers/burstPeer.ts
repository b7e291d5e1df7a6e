// A local WebSocket peer that sends quotes at a fixed rate for a fixed time, for the burst test
// and the feed benchmarks. Run as its own process so its sending does not share the recorder's
// event loop:  node test/helpers/burstPeer.ts --format batch|binance --rate N --seconds S --symbols K
// It prints `listening <port>` once it listens, starts sending on the first connection, and
// prints one JSON summary line ({"sent": …, "perSymbol": {…}, "achievedRate": …}) when done. It
// never drops a quote: when the client stops reading (backpressure) it waits for the socket to
// drain, and the summary's achievedRate says how close it came to the asked rate.
//   batch:   one message per 100 quotes, a JSON array of {symbol, bid, ask, ts (µs), seq}
//   binance: one combined-stream bookTicker message per quote {"stream", "data": {u, s, b, B, a, A}}
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

export interface BurstOptions {
  format: 'batch' | 'binance';
  rate: number;
  seconds: number;
  symbols: number;
  batch?: number;
}

export interface BurstSummary {
  sent: number;
  perSymbol: Record<string, number>;
  achievedRate: number;
  elapsedMs: number;
}

export function burstSymbols(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `SYM${String(i).padStart(3, '0')}USDT`);
}

/** Sends on `ws` until done; resolves with what was sent. */
export async function sendBurst(ws: WebSocket, o: BurstOptions): Promise<BurstSummary> {
  const symbols = burstSymbols(o.symbols);
  const perSymbol: Record<string, number> = Object.fromEntries(symbols.map((s) => [s, 0]));
  const batch = o.format === 'batch' ? (o.batch ?? 100) : 1;
  const total = Math.round(o.rate * o.seconds);
  const start = performance.now();
  let sent = 0;
  let seq = 0;
  const mids = symbols.map((_, i) => 100 + i);
  while (sent < total) {
    // Catch up to where the clock says we should be, in 5 ms slices.
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * o.rate));
    while (sent < due) {
      const n = Math.min(batch, due - sent);
      if (o.format === 'batch') {
        const items = [];
        for (let k = 0; k < n; k++) {
          const i = (sent + k) % symbols.length;
          const bid = Math.round((mids[i] + (seq % 200) * 0.0001) * 1e4) / 1e4;
          items.push({ symbol: symbols[i], bid, ask: bid + 0.01, ts: Date.now() * 1000 + k, seq: ++seq });
          perSymbol[symbols[i]]++;
        }
        ws.send(JSON.stringify(items));
      } else {
        const i = sent % symbols.length;
        const bid = mids[i] + (seq % 200) * 0.0001;
        const s = symbols[i];
        ws.send(
          `{"stream":"${s.toLowerCase()}@bookTicker","data":{"u":${++seq},"s":"${s}","b":"${bid.toFixed(4)}","B":"1.5","a":"${(bid + 0.01).toFixed(4)}","A":"2.25"}}`,
        );
        perSymbol[s]++;
      }
      sent += n;
      if (ws.bufferedAmount > 8 * 1024 * 1024) {
        // The client is not reading: wait instead of dropping (a test of backpressure, not loss).
        while (ws.bufferedAmount > 1024 * 1024 && ws.readyState === ws.OPEN) await sleep(2);
      }
    }
    if (ws.readyState !== ws.OPEN) break;
    await sleep(5);
  }
  const elapsedMs = performance.now() - start;
  return { sent, perSymbol, achievedRate: sent / (elapsedMs / 1000), elapsedMs };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      format: { type: 'string', default: 'batch' },
      rate: { type: 'string', default: '100000' },
      seconds: { type: 'string', default: '60' },
      symbols: { type: 'string', default: '50' },
    },
  });
  const o: BurstOptions = {
    format: values.format === 'binance' ? 'binance' : 'batch',
    rate: Number(values.rate),
    seconds: Number(values.seconds),
    symbols: Number(values.symbols),
  };
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('listening', () => {
    const a = server.address();
    process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : 0}\n`);
  });
  let started = false;
  server.on('connection', (ws) => {
    ws.on('message', () => undefined); // subscribe requests: any stream is served
    if (started) return;
    started = true;
    void sendBurst(ws, o).then((summary) => process.stdout.write(`${JSON.stringify(summary)}\n`));
  });
  process.on('SIGTERM', () => {
    server.close();
    process.exit(0);
  });
}
