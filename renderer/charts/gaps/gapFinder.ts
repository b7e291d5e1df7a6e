// Finds periods without ticks that are longer than this symbol normally goes without one, from the
// ticks alone (no feed ledger needed: migrated and downloaded history has none).
//
// How "normal" is learned, and why: shared/spacingHistogram.ts (the data-quality report learns
// it the same way, so the chart and the report call the same pause a gap).
import { US_PER_SEC } from '../../../shared/time.ts';
import {
  DEFAULT_GAP_FLOOR_US,
  addSpacing,
  createSpacingHistogram,
  normalSpacingUs,
} from '../../../shared/spacingHistogram.ts';
import type { ChartGap } from './chartGap.ts';
import { formatGapDuration } from './gapText.ts';

export interface GapFinderOptions {
  /** Never flag a pause shorter than this, µs (default 5 s). */
  floorUs?: number;
  /**
   * Use this threshold instead of learning one from tsUs (µs): learn it once on a wide window and
   * pass it to zoomed views so the shading does not change with the zoom.
   */
  thresholdUs?: number;
  /** Stamped on every gap found (the view's source, when the ticks are one source's). */
  source?: string;
}

export { DEFAULT_GAP_FLOOR_US };

/**
 * The longest pause (µs) that counts as normal for these ticks (time-ordered µs timestamps): a
 * pause longer than this is a gap. Never below `floorUs`. Zero and negative intervals (same-time
 * or out-of-order ticks) are ignored.
 */
export function learnNormalSpacingUs(
  tsUs: ArrayLike<number>,
  opts: Pick<GapFinderOptions, 'floorUs'> = {},
): number {
  const h = createSpacingHistogram();
  for (let i = 1; i < tsUs.length; i++) addSpacing(h, tsUs[i] - tsUs[i - 1]);
  return normalSpacingUs(h, opts.floorUs ?? DEFAULT_GAP_FLOOR_US);
}

/**
 * Every pause between consecutive ticks longer than the learned (or given) threshold, as a gap
 * from the last tick before it to the first tick after it. One pass; allocates only the result.
 */
export function findTickGaps(tsUs: ArrayLike<number>, opts: GapFinderOptions = {}): ChartGap[] {
  const thresholdUs = opts.thresholdUs ?? learnNormalSpacingUs(tsUs, opts);
  const gaps: ChartGap[] = [];
  if (tsUs.length < 2) return gaps;
  // Shown to a tenth of a second (rounded up, so "≤" stays true): more digits would be noise.
  const shownUs = thresholdUs >= US_PER_SEC ? Math.ceil(thresholdUs / 100_000) * 100_000 : thresholdUs;
  const detail = `normal spacing here ≤ ${formatGapDuration(shownUs)}`;
  let prev = tsUs[0];
  for (let i = 1; i < tsUs.length; i++) {
    const t = tsUs[i];
    if (t - prev > thresholdUs) {
      const gap: ChartGap = { fromUs: prev, toUs: t, cause: 'no-ticks', detail };
      if (opts.source !== undefined) gap.source = opts.source;
      gaps.push(gap);
    }
    // An out-of-order tick never moves the reference back (it would invent a gap after it).
    if (t > prev) prev = t;
  }
  return gaps;
}
