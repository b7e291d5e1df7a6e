// Where on the pane each gap is shaded, in CSS pixels, kept apart from the drawing so it can be
// tested (and used for tooltips) without a canvas.
import type { ChartGap } from './chartGap.ts';

/** The chart adapter's time-to-x mapping, CSS px from the pane's left edge; null when unknown. */
export type XOfUs = (us: number) => number | null;

/** The times at the pane's left and right edges, µs. */
export interface VisibleUs {
  fromUs: number;
  toUs: number;
}

export interface ShadedSpan {
  gap: ChartGap;
  /** Left and right edge, CSS px, within [0, pane width]. */
  x1: number;
  x2: number;
}

/** A gap narrower than this (an instant event, a gap at a far zoom) is still drawn this wide. */
export const MIN_SPAN_PX = 1;

/**
 * Resolves an end the adapter cannot place (its time is off the data or the screen): before the
 * visible range it is the left edge, after it the right edge. Without a visible range the end is
 * taken to be off the side it bounds (a start off the left, an end off the right), which is what
 * an unmappable end of a gap whose other end is on screen means.
 */
function placeEnd(
  us: number,
  x: number | null,
  side: 'left' | 'right',
  widthPx: number,
  visible: VisibleUs | null,
) {
  if (x !== null) return x;
  if (visible) {
    if (us <= visible.fromUs) return 0;
    if (us >= visible.toUs) return widthPx;
    return null;
  }
  return side === 'left' ? 0 : widthPx;
}

/** The pane spans of the gaps that show, clipped to the pane (partly visible ones kept). */
export function gapSpans(
  gaps: readonly ChartGap[],
  xOfUs: XOfUs,
  widthPx: number,
  visible: VisibleUs | null = null,
): ShadedSpan[] {
  const out: ShadedSpan[] = [];
  if (!(widthPx > 0)) return out;
  for (const gap of gaps) {
    if (visible && (gap.toUs < visible.fromUs || gap.fromUs > visible.toUs)) continue;
    const rawLeft = xOfUs(gap.fromUs);
    const rawRight = xOfUs(gap.toUs);
    // Both ends unplaceable and no range to judge by: nothing says where it is.
    if (rawLeft === null && rawRight === null && !visible) continue;
    const left = placeEnd(gap.fromUs, rawLeft, 'left', widthPx, visible);
    const right = placeEnd(gap.toUs, rawRight, 'right', widthPx, visible);
    if (left === null || right === null || right < 0 || left > widthPx) continue;
    let x1 = Math.max(0, left);
    let x2 = Math.min(widthPx, Math.max(left, right));
    if (x2 - x1 < MIN_SPAN_PX) {
      const mid = (x1 + x2) / 2;
      x1 = Math.max(0, Math.min(widthPx - MIN_SPAN_PX, mid - MIN_SPAN_PX / 2));
      x2 = x1 + MIN_SPAN_PX;
    }
    out.push({ gap, x1, x2 });
  }
  return out;
}

/** The x of each break marker that falls on the pane. */
export function breakXs(breaksUs: readonly number[], xOfUs: XOfUs, widthPx: number): number[] {
  const out: number[] = [];
  for (const us of breaksUs) {
    const x = xOfUs(us);
    if (x !== null && x >= 0 && x <= widthPx) out.push(x);
  }
  return out;
}

/**
 * The gap under x (CSS px): the narrowest span containing it, else the nearest within
 * `tolerancePx` (a 1 px hairline must be hoverable).
 */
export function gapAt(spans: readonly ShadedSpan[], x: number, tolerancePx = 3): ChartGap | null {
  let best: ShadedSpan | null = null;
  let bestMiss = Infinity;
  for (const s of spans) {
    const miss = x < s.x1 ? s.x1 - x : x > s.x2 ? x - s.x2 : 0;
    if (miss > tolerancePx) continue;
    if (miss < bestMiss || (miss === bestMiss && best && s.x2 - s.x1 < best.x2 - best.x1)) {
      best = s;
      bestMiss = miss;
    }
  }
  return best ? best.gap : null;
}
