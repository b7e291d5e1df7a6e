// Generated stream pages for the writer tests: prices on odd decimals (so shortest round-trip
// printing matters), sizes and seq missing on some ticks, two symbols and two sources.
import { streamColumnsOf } from '../../../electron/engine/stream/streamColumns.ts';
import type { StreamColumns } from '../../../electron/engine/stream/streamTypes.ts';

export function syntheticPage(n: number, startUs = Date.UTC(2019, 1, 4) * 1000): StreamColumns {
  const p: StreamColumns = streamColumnsOf(n, ['EURUSD', 'BTC/USDT'], ['dukascopy', 'bin"ance']);
  for (let i = 0; i < n; i++) {
    p.symbol[i] = i % 3 === 0 ? 1 : 0;
    p.source[i] = i % 5 === 0 ? 1 : 0;
    p.tsUs[i] = startUs + i * 137 + (i % 7);
    p.bid[i] = 1.1 + (i % 1000) * 0.00001 + 1e-7 / 3;
    p.ask[i] = p.bid[i]! + 0.00013;
    p.bidSize[i] = i % 4 === 0 ? NaN : (i % 50) * 0.1;
    p.askSize[i] = i % 4 === 1 ? NaN : 1e6 + i;
    p.recvUs[i] = p.tsUs[i]! + 1234;
    p.seq[i] = i % 2 === 0 ? NaN : 1_000_000_000_000 + i;
  }
  return p;
}
