// What the live chart draws for one view: every planned line reduced to the screen's resolution
// (StepColumns), the price range they span (the price scale's autoscale), and the crossed/locked
// quote markers. Built in one pass over the ticks in view, so its cost follows the view, not the
// window, and nothing is handed to lightweight-charts' data layer per tick.
import { DEFAULT_BBO_MAX_AGE_US } from '../charts/bestBidOffer.ts';
import type { QuoteState } from '../charts/quoteState.ts';
import { quoteState } from '../charts/quoteState.ts';
import type { Span } from '../charts/timeScale/timeline.ts';
import { seedBbo } from './liveBbo.ts';
import type { LiveLine } from './liveLines.ts';
import type { StepVertices } from './stepColumns.ts';
import { StepColumns } from './stepColumns.ts';
import type { TickWindow } from './tickWindow.ts';

/** Markers drawn at most per view: the newest ones (a feed crossing all day must not bury the chart). */
export const MAX_MARKERS = 150;

export interface SceneMarker {
  /** CSS px. */
  x: number;
  price: number;
  kind: Exclude<QuoteState, 'normal'>;
  /** Which line it sits on: a source's own quote, or the best bid/offer across sources. */
  source: string | null;
}

export interface SceneLine extends StepVertices {
  line: LiveLine;
}

export interface LiveScene {
  lines: SceneLine[];
  /** Price range of everything drawn; NaN when nothing is. */
  min: number;
  max: number;
  markers: SceneMarker[];
  /** Ticks inside the view (of every source). */
  ticksInView: number;
}

export interface SceneRequest {
  window: TickWindow;
  view: Span;
  /** The live edge: the last quotes are held to here (or to the view's end). */
  edgeUs: number;
  /** Time → CSS x, asked in ascending time order. */
  toX: { x(us: number): number };
  lines: readonly LiveLine[];
  markCrossed: boolean;
  bboMaxAgeUs?: number;
}

interface Pair {
  bid: StepColumns | null;
  ask: StepColumns | null;
}

export function buildScene(r: SceneRequest): LiveScene {
  const w = r.window;
  const maxAge = r.bboMaxAgeUs ?? DEFAULT_BBO_MAX_AGE_US;
  // Indexed by source id: looked up once per tick.
  const bySource: (Pair | undefined)[] = [];
  const bbo: Pair = { bid: null, ask: null };
  const built: SceneLine[] = [];
  for (const line of r.lines) {
    const cols = new StepColumns();
    built.push({ line, xs: cols.out.xs, vs: cols.out.vs });
    let p: Pair | undefined;
    if (line.source === null) p = bbo;
    else {
      const id = w.knownSourceId(line.source);
      if (id === undefined) continue;
      p = bySource[id];
      if (!p) bySource[id] = p = { bid: null, ask: null };
    }
    p[line.side] = cols;
  }
  const columns = (p: Pair) => [p.bid, p.ask].filter((c): c is StepColumns => c !== null);
  const markers: SceneMarker[] = [];
  const mark = (m: SceneMarker) => {
    markers.push(m);
    if (markers.length > 2 * MAX_MARKERS) markers.splice(0, markers.length - MAX_MARKERS);
  };

  const i0 = w.lowerBound(r.view.fromUs);
  const i1 = w.upperBound(r.view.toUs);
  const xLeft = r.toX.x(r.view.fromUs);

  // The quotes in force at the left edge: each drawn source's last tick before the view.
  const waiting = new Set<number>();
  bySource.forEach((p, id) => p && waiting.add(id));
  for (let i = i0 - 1; i >= 0 && waiting.size > 0; i--) {
    const id = w.sourceIdAt(i);
    if (!waiting.has(id)) continue;
    waiting.delete(id);
    const p = bySource[id]!;
    p.bid?.start(xLeft, w.bidAt(i));
    p.ask?.start(xLeft, w.askAt(i));
  }
  const drawBbo = bbo.bid !== null || bbo.ask !== null;
  const tracker = drawBbo ? seedBbo(w, i0, r.view.fromUs - maxAge, maxAge) : null;
  let bboState: QuoteState = 'normal';
  if (tracker && tracker.sources().length > 0) {
    const b = tracker.best(r.view.fromUs);
    bbo.bid?.start(xLeft, b.bid);
    bbo.ask?.start(xLeft, b.ask);
    bboState = b.state;
  }

  for (let i = i0; i < i1; i++) {
    const t = w.tsAt(i);
    const x = r.toX.x(t);
    const bid = w.bidAt(i);
    const ask = w.askAt(i);
    const p = bySource[w.sourceIdAt(i)];
    if (p) {
      p.bid?.add(x, bid);
      p.ask?.add(x, ask);
      if (r.markCrossed) {
        const s = quoteState(bid, ask);
        if (s !== 'normal') mark({ x, price: bid, kind: s, source: w.sourceAt(i) });
      }
    }
    if (tracker) {
      tracker.push(t, bid, ask, w.sourceAt(i));
      const b = tracker.view();
      bbo.bid?.add(x, b.bid);
      bbo.ask?.add(x, b.ask);
      // A crossed market across LPs is marked where it starts, not on every tick it lasts.
      if (r.markCrossed && b.state !== 'normal' && b.state !== bboState) {
        mark({ x, price: b.bid, kind: b.state, source: null });
      }
      bboState = b.state;
    }
  }

  const xEnd = r.toX.x(Math.min(r.view.toUs, r.edgeUs));
  let min = Infinity;
  let max = -Infinity;
  for (const p of [...bySource.filter((x): x is Pair => x !== undefined), bbo]) {
    for (const c of columns(p)) {
      c.finish(xEnd);
      const range = c.range();
      if (range) {
        min = Math.min(min, range.min);
        max = Math.max(max, range.max);
      }
    }
  }
  return {
    lines: built,
    min: min <= max ? min : NaN,
    max: min <= max ? max : NaN,
    markers: markers.length > MAX_MARKERS ? markers.slice(-MAX_MARKERS) : markers,
    ticksInView: Math.max(0, i1 - i0),
  };
}
