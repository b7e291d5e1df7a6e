// A realistic multi-symbol quote simulator: FX, metals and crypto at their usual precision,
// random-walk mids with per-symbol volatility, spreads that widen in bursts, several LPs, sizes
// in the units those markets quote. Deterministic for a seed, so tests and benchmarks repeat.
import type { TickInput } from '../../shared/tick.ts';

interface Instrument {
  symbol: string;
  mid: number;
  digits: number;
  /** Typical spread in points (1 point = 10^-digits). */
  spreadPts: number;
  /** Per-tick volatility in points. */
  volPts: number;
  sizeUnit: number;
  fractionalSize: boolean;
}

const BASE: [string, number, number, number, number][] = [
  // symbol, mid, digits, spread points, vol points
  ['EURUSD', 1.0845, 5, 8, 3],
  ['GBPUSD', 1.2712, 5, 12, 4],
  ['USDJPY', 151.42, 3, 10, 4],
  ['USDCHF', 0.8841, 5, 12, 3],
  ['AUDUSD', 0.6573, 5, 10, 3],
  ['USDCAD', 1.3561, 5, 14, 3],
  ['NZDUSD', 0.6012, 5, 15, 3],
  ['EURGBP', 0.8531, 5, 10, 2],
  ['EURJPY', 164.22, 3, 15, 5],
  ['GBPJPY', 192.48, 3, 22, 7],
  ['EURCHF', 0.9588, 5, 15, 3],
  ['AUDJPY', 99.53, 3, 15, 5],
  ['EURAUD', 1.6499, 5, 18, 5],
  ['EURCAD', 1.4707, 5, 20, 4],
  ['GBPCHF', 1.1238, 5, 22, 4],
  ['CADJPY', 111.66, 3, 18, 5],
  ['XAUUSD', 2331.45, 2, 25, 20],
  ['XAGUSD', 27.512, 3, 25, 8],
  ['BTCUSD', 67250.5, 1, 80, 60],
  ['ETHUSD', 3512.35, 2, 60, 40],
  ['SOLUSD', 151.234, 3, 50, 30],
  ['XRPUSD', 0.52314, 5, 30, 15],
  ['LTCUSD', 84.52, 2, 8, 5],
  ['ADAUSD', 0.45123, 5, 25, 12],
];

const SOURCES = ['LP-A', 'LP-B', 'LP-C', 'LP-D'];

export function demoSymbols(count: number): string[] {
  return instruments(count).map((i) => i.symbol);
}

function instruments(count: number): Instrument[] {
  const out: Instrument[] = [];
  for (let k = 0; k < count; k++) {
    const [symbol, mid, digits, spreadPts, volPts] = BASE[k % BASE.length];
    const round = Math.floor(k / BASE.length);
    const crypto =
      symbol.endsWith('USD') && ['BTC', 'ETH', 'SOL', 'XRP', 'LTC', 'ADA'].includes(symbol.slice(0, 3));
    out.push({
      // Beyond the real list, variants keep realistic precision (as brokers' suffixed symbols do).
      symbol: round === 0 ? symbol : `${symbol}.${round}`,
      mid: mid * (1 + round * 0.001),
      digits,
      spreadPts,
      volPts,
      sizeUnit: crypto ? 0.01 : 100_000,
      fractionalSize: crypto,
    });
  }
  return out;
}

/** mulberry32: small, fast, good enough for simulation. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class DemoQuoteGenerator {
  readonly symbols: string[];
  private readonly inst: Instrument[];
  private readonly midPts: Float64Array;
  private readonly rand: () => number;
  private burst = 1;

  constructor(symbolCount: number, seed = 42) {
    this.inst = instruments(symbolCount);
    this.symbols = this.inst.map((i) => i.symbol);
    this.midPts = Float64Array.from(this.inst, (i) => Math.round(i.mid * 10 ** i.digits));
    this.rand = seededRandom(seed);
  }

  /** Spreads and volatility widen during bursts (news); the feed also sends faster then. */
  setBurst(factor: number): void {
    this.burst = factor;
  }

  /** The next quote of a randomly chosen symbol (busier symbols first in the list). */
  next(tsUs: number, recvLatencyUs = 150): TickInput {
    return this.quote(this.pickInstrument(), tsUs, recvLatencyUs);
  }

  /** Like `next`, written into a reused object. */
  nextInto(out: TickInput, tsUs: number, recvLatencyUs = 150): TickInput {
    return this.quoteInto(out, this.pickInstrument(), tsUs, recvLatencyUs);
  }

  private pickInstrument(): number {
    const r = this.rand;
    // Skew activity toward the majors, as real feeds are.
    return Math.min(this.inst.length - 1, Math.floor(this.inst.length * r() * r() * 1.6));
  }

  quote(k: number, tsUs: number, recvLatencyUs = 150): TickInput {
    return this.quoteInto(
      { symbol: '', bid: 0, ask: 0, source: '', tsUs: 0, recvUs: 0, bidSize: 0, askSize: 0 },
      k,
      tsUs,
      recvLatencyUs,
    );
  }

  /**
   * Writes the next quote of instrument k into `out` and returns it. The engine copies what it
   * ingests, so a producer may reuse one object per slot and make no garbage per tick.
   */
  quoteInto(out: TickInput, k: number, tsUs: number, recvLatencyUs = 150): TickInput {
    const r = this.rand;
    const ins = this.inst[k];
    const step = Math.round((r() - 0.5) * 2 * ins.volPts * this.burst);
    this.midPts[k] = Math.max(ins.spreadPts * 4, this.midPts[k] + step);
    const spread = Math.max(1, Math.round(ins.spreadPts * this.burst * (0.6 + r() * 0.8)));
    let bidPts = this.midPts[k] - Math.floor(spread / 2);
    let askPts = bidPts + spread;
    // Across LPs a crossed quote happens now and then; it is real data and must be kept.
    if (r() < 0.0005) {
      const t = bidPts;
      bidPts = askPts;
      askPts = t;
    }
    const scale = 10 ** ins.digits;
    out.symbol = ins.symbol;
    out.bid = bidPts / scale;
    out.ask = askPts / scale;
    out.source = SOURCES[Math.floor(r() * r() * SOURCES.length)];
    out.tsUs = tsUs;
    out.recvUs = tsUs + recvLatencyUs + Math.floor(r() * 200);
    out.bidSize = this.size(ins);
    out.askSize = this.size(ins);
    return out;
  }

  private size(ins: Instrument): number {
    const r = this.rand;
    return ins.fractionalSize
      ? Math.round((0.01 + r() * 5) * 1000) / 1000
      : Math.ceil(r() * 50) * ins.sizeUnit;
  }
}
