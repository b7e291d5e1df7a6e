// A generated day with flaws injected at known places, and the list of what was injected: the
// quality report must find exactly these. Deterministic (seeded), ticks 0.3-0.7 s apart so no
// ordinary pause comes near the 5 s gap floor, mid moves of at most 1 pip so a 50-pip jump
// stands far out.
import type { PlainTick } from './streamPages.ts';

export interface Injected {
  gaps: { fromUs: number; toUs: number }[];
  spikes: number[];
  crossed: number[];
  locked: number[];
  regressions: number[];
  duplicates: number[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;

export function injectedDay(dayStartUs: number, hours = 24): { ticks: PlainTick[]; injected: Injected } {
  const rand = rng(42);
  const ticks: PlainTick[] = [];
  const injected: Injected = {
    gaps: [],
    spikes: [],
    crossed: [],
    locked: [],
    regressions: [],
    duplicates: [],
  };
  const endUs = dayStartUs + hours * 3_600_000_000;
  const gapAt = new Set([3000, 40_000, 90_000]);
  const spikeAt = new Set([10_000, 70_000]);
  const crossedAt = new Set([5000, 20_000, 60_000]);
  const lockedAt = new Set([25_000, 80_000]);
  const regressionAt = new Set([15_000, 30_000, 50_000, 100_000]);
  const duplicateAt = new Set([12_000, 45_000]);
  let t = dayStartUs + 1_000_000;
  let mid = 1.145;
  let seq = 0;
  for (let i = 0; t < endUs; i++) {
    const r = rand();
    if (r < 0.25) mid += 0.00001 * Math.ceil(rand() * 10);
    else if (r < 0.5) mid -= 0.00001 * Math.ceil(rand() * 10);
    mid = round5(mid);
    let bid = round5(mid - 0.00005);
    let ask = round5(mid + 0.00005);
    if (spikeAt.has(i)) {
      bid = round5(bid + 0.005);
      ask = round5(ask + 0.005);
      injected.spikes.push(t);
    }
    if (crossedAt.has(i)) {
      [bid, ask] = [ask, bid];
      injected.crossed.push(t);
    }
    if (lockedAt.has(i)) {
      bid = mid;
      ask = mid;
      injected.locked.push(t);
    }
    const tick: PlainTick = {
      symbol: 'EURUSD',
      source: 'LP1',
      tsUs: t,
      bid,
      ask,
      bidSize: 1,
      askSize: 2,
      seq: ++seq,
    };
    tick.recvUs = t + 1000 + Math.floor(rand() * 2000);
    ticks.push(tick);
    if (regressionAt.has(i)) {
      // Received after the next tick: stamped earlier than the tick that arrived before it.
      tick.recvUs = t + 1_000_000;
      injected.regressions.push(t);
    }
    if (duplicateAt.has(i)) {
      ticks.push({ ...tick, seq: ++seq, recvUs: tick.recvUs + 5 });
      injected.duplicates.push(t);
    }
    // A clean second source without exchange times: no flags, no latency.
    if (i % 4 === 0)
      ticks.push({
        symbol: 'EURUSD',
        source: 'LP2',
        tsUs: t + 7,
        bid: round5(mid - 0.0001),
        ask: round5(mid + 0.0001),
        noExchangeTime: true,
      });
    const step = 300_000 + Math.floor(rand() * 400_000);
    if (gapAt.has(i)) {
      const silence = 60_000_000 * (injected.gaps.length + 1);
      injected.gaps.push({ fromUs: t, toUs: t + silence + step });
      t += silence;
    }
    t += step;
  }
  return { ticks, injected };
}
