// Decides whether a pan or zoom of the history chart needs new data, and which: the view may
// move within what is loaded without a request; a new mode/timeframe or leaving the loaded
// span triggers a load of the view plus one view-width on each side (half a view for raw ticks,
// which cost far more per second of view), clamped to the selection.
import type { HistoryMode } from './chooseTimeframe.ts';
import { chooseHistoryMode, sameMode } from './chooseTimeframe.ts';

export interface TimeSpan {
  fromUs: number;
  toUs: number;
}

export interface Loaded extends TimeSpan {
  mode: HistoryMode;
}

export interface LoadRequest extends TimeSpan {
  mode: HistoryMode;
}

export function clampSpan(span: TimeSpan, bounds: TimeSpan): TimeSpan {
  return { fromUs: Math.max(span.fromUs, bounds.fromUs), toUs: Math.min(span.toUs, bounds.toUs) };
}

/** What to load for a view, or null when the loaded data already covers it. */
export function planLoad(
  view: TimeSpan,
  loaded: Loaded | null,
  bounds: TimeSpan,
  ticksPerUs: number | null,
): LoadRequest | null {
  const visible = clampSpan(view, bounds);
  if (!(visible.toUs > visible.fromUs)) return null;
  const span = visible.toUs - visible.fromUs;
  const mode = chooseHistoryMode(span, ticksPerUs);
  if (
    loaded &&
    sameMode(mode, loaded.mode) &&
    visible.fromUs >= loaded.fromUs &&
    visible.toUs <= loaded.toUs
  ) {
    return null;
  }
  const pad = mode.kind === 'ticks' ? span / 2 : span;
  const padded = clampSpan({ fromUs: visible.fromUs - pad, toUs: visible.toUs + pad }, bounds);
  return { mode, fromUs: Math.floor(padded.fromUs), toUs: Math.ceil(padded.toUs) };
}
