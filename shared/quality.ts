// The data-quality report of one stored UTC day: per symbol and source, what the ticks show
// about the feed (counts, gaps, bad quotes, spikes, out-of-order arrival, duplicates, latency).

/** A flagged instant or stretch; toUs equals atUs for an instant. */
export interface QualityMark {
  kind: 'gap' | 'crossed' | 'locked' | 'spike' | 'regression' | 'duplicate';
  atUs: number;
  toUs: number;
  /** Plain words: the gap's length and threshold, the quote, the z-score... */
  detail: string;
}

export interface LatencySummary {
  /** Ticks that carried an exchange time (the only ones with a latency). */
  count: number;
  p50Us: number;
  p99Us: number;
}

export interface QualityRow {
  symbol: string;
  source: string;
  ticks: number;
  /** Ticks per UTC hour of the day, 24 entries. */
  hourCounts: number[];
  /** The learned longest normal pause (µs); pauses above it are gaps. */
  normalSpacingUs: number;
  gaps: number;
  crossed: number;
  locked: number;
  spikes: number;
  regressions: number;
  duplicates: number;
  latency: LatencySummary | null;
  /** Every flag, in time order; capped at QualityReport.markLimit per row. */
  marks: QualityMark[];
  /** True when more marks were found than the cap kept (the counts above stay exact). */
  marksTruncated: boolean;
}

export interface QualityReport {
  day: string;
  fromUs: number;
  toUs: number;
  ticks: number;
  rows: QualityRow[];
  /** The thresholds used, so a reader of an exported report knows what was flagged. */
  thresholds: { spikeZ: number; gapFloorUs: number };
  markLimit: number;
}

export interface QualityOptions {
  symbols?: readonly string[];
  /** Robust z above which a mid change is a spike (default 8). */
  spikeZ?: number;
  gapFloorUs?: number;
  /** Marks kept per row (default 2000). */
  markLimit?: number;
}
