// The live chart's calendar grid. lightweight-charts spaces its points by index, so the chart's
// time scale holds a whitespace grid at a uniform step and nothing else (the ticks are drawn by
// TickLayer at their real µs, between grid points): the axis is then exactly proportional to time
// and its labels come from round instants. A grid at the view's resolution over a whole window
// of hours would be too many points when zoomed to a second, so the step is fine only around the
// view ("focus": the view and one span either side, plus the look-ahead past the live edge) and
// coarse over the rest of the window; the chart lays a new grid when the user zooms or pans out of
// the focus, or the live edge reaches the end of the look-ahead.
import type { Span } from '../charts/timeScale/timeline.ts';
import { gridTimes } from '../charts/timeScale/timeline.ts';
import type { AxisUnit } from '../time/axisUnits.ts';
import { unitForSpan } from '../time/axisUnits.ts';
import type { Zone } from '../time/zone.ts';

/** Fine grid steps per CSS pixel of chart width, at most (a step is then >= 1.3 px). */
export const FINE_STEPS_PER_PX = 0.75;
/** Steps across the whole window at the coarse step, at most. */
export const COARSE_STEPS = 600;
/** The fine grid reaches this many spans beyond each side of the view. */
export const FOCUS_SPANS = 1;
/** The grid runs this many spans (at least a second) past the live edge: following lays a new
 * grid about that often. */
export const LOOKAHEAD_SPANS = 0.5;
export const MIN_LOOKAHEAD_US = 1_000_000;
/** Most fine steps in one grid (a zoom to µs while following puts the rest at the coarse step). */
export const MAX_FINE_POINTS = 20_000;
/** Zooming by more than this factor from the grid's resolution lays a finer or coarser one. */
const REPLAN_ZOOM = 3;
/** Panning within this share of a span of the focus's edge lays a new grid. */
const REPLAN_EDGE = 0.25;

export interface LiveGridRequest {
  /** The oldest instant the chart must reach (the window's first tick). */
  fromUs: number;
  view: Span;
  /** The live edge, or null before any tick. */
  edgeUs: number | null;
  widthPx: number;
  zone: Zone;
}

export interface LiveGrid {
  /** Every grid instant, ascending. */
  times: number[];
  fine: AxisUnit;
  coarse: AxisUnit;
  /** Where the grid is fine. */
  focus: Span;
  fromUs: number;
  toUs: number;
}

function fineUnit(spanUs: number, widthPx: number): AxisUnit {
  return unitForSpan(Math.max(1, spanUs), Math.max(50, widthPx * FINE_STEPS_PER_PX));
}

export function planLiveGrid(r: LiveGridRequest): LiveGrid {
  const span = Math.max(1, r.view.toUs - r.view.fromUs);
  const fine = fineUnit(span, r.widthPx);
  const end =
    Math.max(r.view.toUs, r.edgeUs ?? r.view.toUs) + Math.max(MIN_LOOKAHEAD_US, span * LOOKAHEAD_SPANS);
  const start = Math.min(r.fromUs, r.view.fromUs);
  let coarse = unitForSpan(Math.max(1, end - start), COARSE_STEPS);
  if (coarse.us < fine.us) coarse = fine;
  // One coarse step of slack each side: the first tick and the live edge fall inside the grid.
  const fromUs = start - coarse.us;
  const toUs = end + coarse.us;
  const focusFrom = Math.max(fromUs, r.view.fromUs - span * FOCUS_SPANS);
  const focus = {
    fromUs: focusFrom,
    toUs: Math.min(
      toUs,
      Math.max(r.view.toUs + span * FOCUS_SPANS, end),
      focusFrom + MAX_FINE_POINTS * fine.us,
    ),
  };
  const times: number[] = [];
  for (const t of gridTimes(fromUs, focus.fromUs, coarse, r.zone)) if (t < focus.fromUs) times.push(t);
  for (const t of gridTimes(focus.fromUs, focus.toUs, fine, r.zone)) times.push(t);
  for (const t of gridTimes(focus.toUs, toUs, coarse, r.zone)) {
    if (t > focus.toUs && t > times[times.length - 1]) times.push(t);
  }
  return { times, fine, coarse, focus, fromUs: times[0] ?? fromUs, toUs: times[times.length - 1] ?? toUs };
}

/**
 * Whether `grid` still serves `view`: the view is at about the grid's resolution, inside its fine
 * part (not near an edge the grid could extend past), and the live edge has not outrun it.
 */
export function gridFits(grid: LiveGrid, view: Span, widthPx: number, edgeUs: number | null): boolean {
  const span = view.toUs - view.fromUs;
  if (!(span > 0)) return true;
  const want = fineUnit(span, widthPx).us;
  if (grid.fine.us > want * REPLAN_ZOOM || grid.fine.us * REPLAN_ZOOM < want) return false;
  const slack = span * REPLAN_EDGE;
  if (grid.focus.fromUs > grid.fromUs && view.fromUs < grid.focus.fromUs + slack) return false;
  if (grid.focus.toUs < grid.toUs && view.toUs > grid.focus.toUs - slack) return false;
  if (view.toUs > grid.toUs) return false;
  return edgeUs === null || edgeUs <= grid.toUs;
}
