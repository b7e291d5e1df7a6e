// Exchange-to-receive latency (recvUs − tsUs) percentiles, for ticks that carried an exchange
// time. A log-scale histogram (1 µs .. ~2^40 µs, 32 bins per octave, 2.2 % wide) keeps memory
// fixed whatever the day's size; negative latencies (clock skew) count in the lowest bin.
import type { LatencySummary } from '../../../shared/quality.ts';

const BINS_PER_OCTAVE = 32;
const BIN_COUNT = 40 * BINS_PER_OCTAVE;

export interface LatencyHistogram {
  add(latencyUs: number): void;
  summary(): LatencySummary | null;
}

export function createLatencyHistogram(): LatencyHistogram {
  const bins = new Uint32Array(BIN_COUNT);
  let count = 0;
  const quantile = (q: number): number => {
    const rank = Math.ceil(q * count);
    let seen = 0;
    for (let b = 0; b < BIN_COUNT; b++) {
      seen += bins[b];
      if (seen >= rank) return b === 0 ? 0 : Math.round(2 ** ((b + 0.5) / BINS_PER_OCTAVE));
    }
    return Math.round(2 ** (BIN_COUNT / BINS_PER_OCTAVE));
  };
  return {
    add(latencyUs) {
      const b =
        latencyUs <= 1 ? 0 : Math.min(BIN_COUNT - 1, Math.floor(Math.log2(latencyUs) * BINS_PER_OCTAVE));
      bins[b]++;
      count++;
    },
    summary() {
      if (count === 0) return null;
      return { count, p50Us: quantile(0.5), p99Us: quantile(0.99) };
    },
  };
}
