// Whether the live chart follows the market, and the user's moves that change it. Following, the
// newest tick sits at the right edge and the visible span the user chose is kept; a zoom or pan
// by wheel, drag or keyboard (away from the live edge) pauses it and counts the ticks that arrive
// meanwhile, until "Back to live" or End resumes following at the current zoom. Pure: the chart
// applies the views these functions return.
import type { Span } from '../charts/timeScale/timeline.ts';

/** Narrowest view: a few hundred µs, where µs-spaced ticks are told apart. */
export const MIN_SPAN_US = 200;
/** The newest tick keeps this share of the span free to its right, off the price axis. */
export const RIGHT_MARGIN = 0.03;
/** `+`/`-` zoom by this factor; arrows pan by this share of the span. */
export const KEY_ZOOM = 2;
export const KEY_PAN = 0.1;

export interface FollowSnapshot {
  following: boolean;
  /** The visible span, µs: kept while following and when following resumes. */
  spanUs: number;
  /** Ticks arrived (of what is drawn) since the chart paused. */
  newWhilePaused: number;
}

export class FollowState {
  private state: FollowSnapshot;

  constructor(spanUs: number) {
    this.state = { following: true, spanUs, newWhilePaused: 0 };
  }

  get following(): boolean {
    return this.state.following;
  }

  get spanUs(): number {
    return this.state.spanUs;
  }

  get newWhilePaused(): number {
    return this.state.newWhilePaused;
  }

  snapshot(): FollowSnapshot {
    return { ...this.state };
  }

  /** The user moved the view: stop following (the count starts at zero). True when it changed. */
  pause(spanUs: number): boolean {
    const changed = this.state.following;
    this.state = { following: false, spanUs, newWhilePaused: changed ? 0 : this.state.newWhilePaused };
    return changed;
  }

  /** Follow again at `spanUs` (the current zoom). True when it changed. */
  resume(spanUs: number): boolean {
    const changed = !this.state.following;
    this.state = { following: true, spanUs, newWhilePaused: 0 };
    return changed;
  }

  /** A zoom while following keeps following at the new span. */
  setSpan(spanUs: number): void {
    this.state = { ...this.state, spanUs };
  }

  /** New ticks of what is drawn arrived; counted only while paused. */
  countNew(n: number): void {
    if (!this.state.following && n > 0) {
      this.state = { ...this.state, newWhilePaused: this.state.newWhilePaused + n };
    }
  }
}

/** The view of a following chart: `spanUs` ending a little after the live edge. */
export function followView(edgeUs: number, spanUs: number): Span {
  const margin = spanUs * RIGHT_MARGIN;
  return { fromUs: edgeUs + margin - spanUs, toUs: edgeUs + margin };
}

export function clampSpan(spanUs: number, maxUs: number): number {
  return Math.min(Math.max(spanUs, MIN_SPAN_US), Math.max(maxUs, MIN_SPAN_US));
}

/** What a navigation key does: the next view and whether the chart follows after it. */
export interface NavResult {
  view: Span;
  following: boolean;
}

export interface NavContext {
  view: Span;
  following: boolean;
  /** The live edge (feed "now"), µs. */
  edgeUs: number;
  /** The oldest tick in the window, µs. */
  firstUs: number;
  /** Widest span allowed, µs. */
  maxSpanUs: number;
}

export type NavKey = 'zoomIn' | 'zoomOut' | 'panLeft' | 'panRight' | 'home' | 'end';

/**
 * The keyboard's moves: `+`/`-` zoom (around the live edge while following, which keeps it
 * following; around the centre when paused), arrows pan by a tenth (pausing), Home shows the
 * oldest tick at the left edge (pausing), End follows again at the current zoom.
 */
export function navigate(key: NavKey, c: NavContext): NavResult {
  const span = c.view.toUs - c.view.fromUs;
  switch (key) {
    case 'zoomIn':
    case 'zoomOut': {
      const next = clampSpan(key === 'zoomIn' ? span / KEY_ZOOM : span * KEY_ZOOM, c.maxSpanUs);
      if (c.following) return { view: followView(c.edgeUs, next), following: true };
      const mid = (c.view.fromUs + c.view.toUs) / 2;
      return { view: { fromUs: mid - next / 2, toUs: mid + next / 2 }, following: false };
    }
    case 'panLeft':
    case 'panRight': {
      const d = span * KEY_PAN * (key === 'panLeft' ? -1 : 1);
      return { view: { fromUs: c.view.fromUs + d, toUs: c.view.toUs + d }, following: false };
    }
    case 'home':
      return { view: { fromUs: c.firstUs, toUs: c.firstUs + span }, following: false };
    case 'end':
      return { view: followView(c.edgeUs, span), following: true };
  }
}

/** The span a chart opens at: the prefill's extent, within a second and a quarter of an hour. */
export function initialSpanUs(firstUs: number | undefined, lastUs: number | undefined): number {
  if (firstUs === undefined || lastUs === undefined || !(lastUs > firstUs)) return 60_000_000;
  return Math.min(15 * 60_000_000, Math.max(1_000_000, (lastUs - firstUs) * (1 + 2 * RIGHT_MARGIN)));
}
