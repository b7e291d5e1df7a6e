// What a chart shows, readable from outside the page's React tree: the end-to-end tests (and
// anyone debugging in devtools) read axis labels, the visible span and the shaded gaps through
// the chart's own formatter and coordinate API instead of guessing from pixels.
import type { DrawnAxisLabel } from './timeScale/microsecondScale.ts';

export interface ProbedGap {
  fromUs: number;
  toUs: number;
  cause: string;
  /** CSS pixels of the shaded band in the chart's pane. */
  x1: number;
  x2: number;
}

/** A data-quality flag drawn over History (renderer/history/qualityOverlay.ts). */
export interface ProbedQualityMark {
  kind: string;
  atUs: number;
  toUs: number;
  source: string;
  /** The tooltip's words for it ("spike: mid moved … (robust z 12.3)"). */
  text: string;
  /** CSS px in the pane: x2 equals x1 for an instant; y is its glyph in the top strip. */
  x1: number;
  x2: number;
  y: number;
}

export interface ChartProbe {
  /** Labels of the latest time-axis build, left to right. */
  labels(): DrawnAxisLabel[];
  /** Visible span in µs. */
  view(): { fromUs: number; toUs: number } | null;
  /** The calendar grid's step in µs (the view's resolution). */
  gridStepUs(): number;
  /** Gaps shaded by the last draw. */
  shadedGaps(): ProbedGap[];
  /** Quality marks drawn by the last draw (History with "Quality marks" on). */
  qualityMarks?(): ProbedQualityMark[];
  /** CSS x of an instant on the chart, or null. */
  xOfUs(us: number): number | null;
  /** Chart-specific state: following/paused, mode, series and their point counts, ... */
  state(): Record<string, unknown>;
}

type ProbeWindow = Window & { __tickscopeCharts?: Record<string, ChartProbe> };

/** Publishes a chart's probe under an id ('live', 'history-0'...); returns the unregister function. */
export function registerChartProbe(id: string, probe: ChartProbe): () => void {
  const w = window as ProbeWindow;
  const all = (w.__tickscopeCharts ??= {});
  all[id] = probe;
  return () => {
    if (all[id] === probe) delete all[id];
  };
}
