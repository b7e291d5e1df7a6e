// Builds the quality report from stream pages as they arrive: one set of detectors per
// symbol+source, fed tick by tick, so pages are dropped after use. Counts, gaps, quote faults,
// duplicates and latency take fixed or tiny memory; spikes and regressions hold 16 bytes a tick
// for the day (their median and arrival sort need every value), noted in the README.
import type { QualityMark, QualityOptions, QualityReport, QualityRow } from '../../../shared/quality.ts';
import { DEFAULT_GAP_FLOOR_US } from '../../../shared/spacingHistogram.ts';
import { US_PER_DAY, dayIndexToStartUs, dayKeyToIndex } from '../../../shared/time.ts';
import type { StreamColumns } from '../stream/streamTypes.ts';
import { createDuplicateDetector } from './duplicates.ts';
import type { DuplicateDetector } from './duplicates.ts';
import { createGapDetector } from './gapDetector.ts';
import type { GapDetector } from './gapDetector.ts';
import { countHour, createHourCounts } from './hourCounts.ts';
import { createLatencyHistogram } from './latency.ts';
import type { LatencyHistogram } from './latency.ts';
import { quoteFault } from './quoteChecks.ts';
import { createRegressionDetector } from './regressions.ts';
import type { RegressionDetector } from './regressions.ts';
import { DEFAULT_SPIKE_Z, createSpikeDetector } from './spikeDetector.ts';
import type { SpikeDetector } from './spikeDetector.ts';

export const DEFAULT_MARK_LIMIT = 2000;

interface KeyState {
  symbol: string;
  source: string;
  ticks: number;
  hours: number[];
  gaps: GapDetector;
  spikes: SpikeDetector;
  regressions: RegressionDetector;
  duplicates: DuplicateDetector;
  latency: LatencyHistogram;
  crossed: number;
  locked: number;
  duplicateCount: number;
  marks: QualityMark[];
}

export interface QualityReportBuilder {
  readonly fromUs: number;
  readonly toUs: number;
  addPage(page: StreamColumns): void;
  finish(): QualityReport;
}

export function dayBounds(day: string): { fromUs: number; toUs: number } {
  const index = dayKeyToIndex(day);
  if (index === null) throw new Error(`not a UTC day (YYYY-MM-DD): ${day}`);
  const fromUs = dayIndexToStartUs(index);
  return { fromUs, toUs: fromUs + US_PER_DAY };
}

export function createQualityReportBuilder(day: string, opts: QualityOptions = {}): QualityReportBuilder {
  const { fromUs, toUs } = dayBounds(day);
  const spikeZ = opts.spikeZ ?? DEFAULT_SPIKE_Z;
  const gapFloorUs = opts.gapFloorUs ?? DEFAULT_GAP_FLOOR_US;
  const markLimit = opts.markLimit ?? DEFAULT_MARK_LIMIT;
  const keys = new Map<string, KeyState>();
  let total = 0;

  const stateOf = (symbol: string, source: string): KeyState => {
    const id = `${symbol}\u0000${source}`;
    let s = keys.get(id);
    if (s === undefined) {
      s = {
        symbol,
        source,
        ticks: 0,
        hours: createHourCounts(),
        gaps: createGapDetector(gapFloorUs),
        spikes: createSpikeDetector(),
        regressions: createRegressionDetector(),
        duplicates: createDuplicateDetector(),
        latency: createLatencyHistogram(),
        crossed: 0,
        locked: 0,
        duplicateCount: 0,
        marks: [],
      };
      keys.set(id, s);
    }
    return s;
  };

  return {
    fromUs,
    toUs,
    addPage(p) {
      // Page-local name tables: resolve each (symbol, source) pair once per page.
      const local = new Map<number, KeyState>();
      for (let i = 0; i < p.length; i++) {
        const pair = p.symbol[i] * 65_536 + p.source[i];
        let s = local.get(pair);
        if (s === undefined) {
          s = stateOf(p.symbols[p.symbol[i]], p.sources[p.source[i]]);
          local.set(pair, s);
        }
        const ts = p.tsUs[i];
        const bid = p.bid[i];
        const ask = p.ask[i];
        s.ticks++;
        total++;
        countHour(s.hours, ts, fromUs);
        s.gaps.add(ts);
        const fault = quoteFault(bid, ask);
        if (fault !== null) {
          if (fault === 'crossed') s.crossed++;
          else s.locked++;
          s.marks.push({ kind: fault, atUs: ts, toUs: ts, detail: `bid ${bid} ask ${ask}` });
        } else {
          // A crossed or locked quote is already flagged; its mid would only add a second flag.
          s.spikes.add(ts, (bid + ask) / 2);
        }
        if (s.duplicates.add(ts, bid, ask, p.bidSize[i], p.askSize[i])) {
          s.duplicateCount++;
          s.marks.push({
            kind: 'duplicate',
            atUs: ts,
            toUs: ts,
            detail: `same quote again (bid ${bid} ask ${ask})`,
          });
        }
        if (p.noExchangeTime[i] === 0) {
          s.regressions.add(ts, p.recvUs[i]);
          s.latency.add(p.recvUs[i] - ts);
        }
      }
    },
    finish() {
      const rows: QualityRow[] = [];
      for (const s of keys.values()) {
        const { normalSpacingUs, gaps } = s.gaps.finish();
        const spikes = s.spikes.finish(spikeZ);
        const regressions = s.regressions.finish();
        const marks = s.marks;
        for (const g of gaps)
          marks.push({
            kind: 'gap',
            atUs: g.fromUs,
            toUs: g.toUs,
            detail: `no tick for ${((g.toUs - g.fromUs) / 1e6).toFixed(1)} s (normal ≤ ${(normalSpacingUs / 1e6).toFixed(1)} s)`,
          });
        for (const k of spikes)
          marks.push({
            kind: 'spike',
            atUs: k.atUs,
            toUs: k.atUs,
            detail: `mid moved ${k.change} (robust z ${k.z.toFixed(1)})`,
          });
        for (const r of regressions)
          marks.push({
            kind: 'regression',
            atUs: r.atUs,
            toUs: r.atUs,
            detail: `arrived after a tick stamped ${(r.afterUs - r.atUs) / 1000} ms later`,
          });
        marks.sort((a, b) => a.atUs - b.atUs);
        rows.push({
          symbol: s.symbol,
          source: s.source,
          ticks: s.ticks,
          hourCounts: s.hours,
          normalSpacingUs,
          gaps: gaps.length,
          crossed: s.crossed,
          locked: s.locked,
          spikes: spikes.length,
          regressions: regressions.length,
          duplicates: s.duplicateCount,
          latency: s.latency.summary(),
          marks: marks.slice(0, markLimit),
          marksTruncated: marks.length > markLimit,
        });
      }
      rows.sort((a, b) =>
        a.symbol < b.symbol
          ? -1
          : a.symbol > b.symbol
            ? 1
            : a.source < b.source
              ? -1
              : a.source > b.source
                ? 1
                : 0,
      );
      return { day, fromUs, toUs, ticks: total, rows, thresholds: { spikeZ, gapFloorUs }, markLimit };
    },
  };
}
