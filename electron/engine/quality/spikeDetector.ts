// Spikes: mid changes far outside this symbol+source's usual change, by the robust z-score
// z = 0.6745·(x − median)/MAD over the day's mid changes (Iglewicz and Hoaglin; 0.6745 makes MAD
// comparable to a standard deviation for normal data). When MAD is 0 (more than half the
// changes equal the median, as on a quiet FX night), the mean absolute deviation stands in:
// z = (x − median)/(1.253314·MeanAD). A spike that comes straight back flags two changes, out
// and back; the return (the next change, opposite sign, also above the threshold) is the same
// spike, so it is not counted again. The changes are held for the day (8 bytes each plus their
// time) because the median needs them all.
export const DEFAULT_SPIKE_Z = 8;

export interface Spike {
  atUs: number;
  change: number;
  z: number;
}

export interface SpikeDetector {
  add(tsUs: number, mid: number): void;
  finish(threshold: number): Spike[];
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  const m = n >> 1;
  return n % 2 === 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** Scores each value's robust z against the values' own median and spread. */
export function robustZ(values: Float64Array): Float64Array {
  const z = new Float64Array(values.length);
  if (values.length === 0) return z;
  const med = median(Float64Array.from(values).sort());
  const dev = new Float64Array(values.length);
  let sumDev = 0;
  for (let i = 0; i < values.length; i++) {
    dev[i] = Math.abs(values[i] - med);
    sumDev += dev[i];
  }
  const mad = median(dev.sort());
  const scale = mad > 0 ? mad / 0.6745 : (1.253314 * sumDev) / values.length;
  if (!(scale > 0)) return z;
  for (let i = 0; i < values.length; i++) z[i] = (values[i] - med) / scale;
  return z;
}

export function createSpikeDetector(): SpikeDetector {
  let changes = new Float64Array(1024);
  let times = new Float64Array(1024);
  let n = 0;
  let prevMid = Number.NaN;
  return {
    add(tsUs, mid) {
      if (!(mid === mid)) return;
      if (prevMid === prevMid) {
        if (n === changes.length) {
          const c = new Float64Array(n * 2);
          c.set(changes);
          changes = c;
          const t = new Float64Array(n * 2);
          t.set(times);
          times = t;
        }
        changes[n] = mid - prevMid;
        times[n] = tsUs;
        n++;
      }
      prevMid = mid;
    },
    finish(threshold) {
      const values = changes.subarray(0, n);
      const z = robustZ(values);
      const spikes: Spike[] = [];
      let lastFlagged = -2;
      for (let i = 0; i < n; i++) {
        if (!(Math.abs(z[i]) > threshold)) continue;
        const isReturn = lastFlagged === i - 1 && Math.sign(values[i]) !== Math.sign(values[i - 1]);
        lastFlagged = isReturn ? -2 : i;
        if (!isReturn) spikes.push({ atUs: times[i], change: values[i], z: z[i] });
      }
      return spikes;
    },
  };
}
