// Where the history chart lays its calendar grid and at what step, and how ticks sit on it. The
// chart spaces points by index, so time is proportional only where every index is one grid step:
// the grid (whitespace points) runs at one to two steps per pixel across the view, and ticks are
// drawn on it, each grid instant showing the quote that stood then (the last tick at or before
// it). A 116 s gap is then exactly 116 s wide however busy the ticks around it are, and at deep
// zoom the step is finer than the ticks' own resolution, so each tick lands on its own µs. The
// grid covers the view and half a view either side (so a pan stays drawn until the next
// re-grid), within what is loaded. It is laid again when a zoom leaves the step between a
// quarter and 1.25 times the wanted number of steps across the view (so a 2x zoom step re-grids
// only every second or third time: each re-grid redraws every series), or when a pan leaves the
// gridded span. The readout reads the raw ticks, so nothing is lost to the grid there.
import type { AxisUnit } from '../time/axisUnits.ts';
import { unitForSpan } from '../time/axisUnits.ts';
import type { TimeSpan } from './loadPlan.ts';
import type { SourcedTicks } from './sourceTicks.ts';

/** Most grid steps wanted across a view (1.5 per pixel of a wide chart). */
export const GRID_STEPS_PER_VIEW = 2400;
/** Views of grid either side of the view. */
export const GRID_MARGIN_VIEWS = 0.5;
/** The grid serves while the view holds between these fractions of the wanted steps. */
const KEEP_MIN = 0.25;
const KEEP_MAX = 1.25;

/** Grid steps wanted across a chart `widthPx` wide: 1.5 per pixel. */
export function stepsForWidth(widthPx: number): number {
  return Math.min(GRID_STEPS_PER_VIEW, Math.max(600, Math.round(1.5 * widthPx)));
}

export interface GridPlan {
  span: TimeSpan;
  unit: AxisUnit;
}

/** The grid for a view over loaded data. */
export function gridFor(view: TimeSpan, loaded: TimeSpan, steps = GRID_STEPS_PER_VIEW): GridPlan {
  const width = Math.max(1, view.toUs - view.fromUs);
  const unit = unitForSpan(width, steps);
  const fromUs = Math.max(loaded.fromUs, view.fromUs - GRID_MARGIN_VIEWS * width);
  const toUs = Math.min(loaded.toUs, view.toUs + GRID_MARGIN_VIEWS * width);
  // A view wholly outside the loaded span (a pan beyond the data) still gets its own grid.
  const span = toUs > fromUs ? { fromUs, toUs } : { fromUs: view.fromUs, toUs: view.toUs };
  return { span, unit };
}

/**
 * The grid to lay for a view, or null when the current one serves: its step gives the view
 * between a quarter and 1.25 times `steps` steps, and the view is inside the gridded span (or
 * the gridded span already reaches the loaded data's end on that side).
 */
export function regridFor(
  view: TimeSpan,
  loaded: TimeSpan,
  current: GridPlan | null,
  steps = GRID_STEPS_PER_VIEW,
): GridPlan | null {
  const next = gridFor(view, loaded, steps);
  if (!current) return next;
  const inView = Math.max(1, view.toUs - view.fromUs) / current.unit.us;
  if (inView < steps * KEEP_MIN || inView > steps * KEEP_MAX) return next;
  const leftOk = view.fromUs >= current.span.fromUs || current.span.fromUs <= loaded.fromUs;
  const rightOk = view.toUs <= current.span.toUs || current.span.toUs >= loaded.toUs;
  return leftOk && rightOk ? null : next;
}

/**
 * For each time (sorted), the first grid instant at or after it: where the tick shows on the grid
 * (it is the standing quote from then). NaN past the last grid instant (not drawn).
 */
export function snapTimes(times: ArrayLike<number>, grid: ArrayLike<number>): Float64Array {
  const out = new Float64Array(times.length);
  let g = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    while (g < grid.length && grid[g] < t) g++;
    out[i] = g < grid.length ? grid[g] : Number.NaN;
  }
  return out;
}

/**
 * The ticks with their times moved onto the grid (snapTimes), those past its end left out, and of
 * each source only the last tick per grid instant: the one its step line shows there (a busy
 * view keeps a few thousand of its tens of thousands of ticks to draw).
 */
export function snapTicks(t: SourcedTicks, grid: ArrayLike<number>): SourcedTicks {
  const at = snapTimes(t.tsUs, grid);
  const out: SourcedTicks = { tsUs: [], bid: [], ask: [], source: [], bidSize: [], askSize: [] };
  // Per source: where its last kept tick is in `out`, and at which grid instant.
  const lastRow = new Map<string, number>();
  for (let i = 0; i < at.length; i++) {
    const time = at[i];
    if (Number.isNaN(time)) continue;
    const src = t.source[i];
    const row = lastRow.get(src);
    const j = row !== undefined && out.tsUs[row] === time ? row : out.tsUs.length;
    if (j === out.tsUs.length) {
      lastRow.set(src, j);
      out.tsUs.push(time);
      out.source.push(src);
      out.bid.push(0);
      out.ask.push(0);
      out.bidSize.push(null);
      out.askSize.push(null);
    }
    out.bid[j] = t.bid[i];
    out.ask[j] = t.ask[i];
    out.bidSize[j] = t.bidSize[i];
    out.askSize[j] = t.askSize[i];
  }
  return out;
}
