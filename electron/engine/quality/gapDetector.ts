// Pauses longer than this symbol+source's learned normal spacing (shared/spacingHistogram.ts, the
// same rule as the chart's gap shading). One pass over time-ordered ticks: the threshold is only
// known at the end, but it is never below the floor, so only pauses above the floor are kept as
// candidates (a few per day for a live symbol) and filtered once the threshold is learned.
import {
  DEFAULT_GAP_FLOOR_US,
  addSpacing,
  createSpacingHistogram,
  normalSpacingUs,
} from '../../../shared/spacingHistogram.ts';

export interface Gap {
  fromUs: number;
  toUs: number;
}

export interface GapDetector {
  add(tsUs: number): void;
  finish(): { normalSpacingUs: number; gaps: Gap[] };
}

export function createGapDetector(floorUs: number = DEFAULT_GAP_FLOOR_US): GapDetector {
  const histogram = createSpacingHistogram();
  const candidates: Gap[] = [];
  let prev = Number.NaN;
  return {
    add(tsUs) {
      if (prev === prev) {
        const iv = tsUs - prev;
        addSpacing(histogram, iv);
        if (iv > floorUs) candidates.push({ fromUs: prev, toUs: tsUs });
      }
      if (!(tsUs <= prev)) prev = tsUs;
    },
    finish() {
      const threshold = normalSpacingUs(histogram, floorUs);
      return { normalSpacingUs: threshold, gaps: candidates.filter((g) => g.toUs - g.fromUs > threshold) };
    },
  };
}
