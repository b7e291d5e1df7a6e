// The live chart, React-free: one symbol's window of ticks on a calendar axis, following the
// market until the user zooms or pans. Each animation frame it moves the view to the live edge
// (following) or keeps the user's view (paused), lays a new grid when the view outgrows the
// current one (liveTimeline), and lets TickLayer draw the scene of the view. The chart's data layer
// holds only the grid and one anchor point, so a frame costs the same at 20 ticks/s or 20K.
import type {
  IChartApiBase,
  ISeriesApi,
  LineData,
  Logical,
  LogicalRange,
  MouseEventParams,
  WhitespaceData,
} from 'lightweight-charts';
import { LineSeries } from 'lightweight-charts';
import type { FeedEvent } from '../../shared/feeds/feedEvents.ts';
import type { TickColumns } from '../../shared/tick.ts';
import { registerChartProbe } from '../charts/chartProbe.ts';
import { priceFormatFor } from '../charts/chartTheme.ts';
import type { ChartGap } from '../charts/gaps/chartGap.ts';
import { GapOverlay } from '../charts/gaps/gapOverlay.ts';
import { CalendarAxis } from '../charts/timeScale/calendarAxis.ts';
import type { Span } from '../charts/timeScale/timeline.ts';
import type { Instrument } from '../format/instrument.ts';
import type { ZoneId } from '../time/zone.ts';
import { zoneOf } from '../time/zone.ts';
import type { FollowSnapshot, NavKey } from './followState.ts';
import { clampSpan, FollowState, followView, initialSpanUs, navigate } from './followState.ts';
import { lastPrices } from './axisPrices.ts';
import { keepEvents, liveGaps } from './liveGaps.ts';
import type { LiveLinePlan } from './liveLines.ts';
import { BBO_FILTER, planLines } from './liveLines.ts';
import { LiveClock } from './liveClock.ts';
import type { LiveReadout } from './liveReadout.ts';
import { readoutAt } from './liveReadout.ts';
import type { LiveScene } from './liveScene.ts';
import { buildScene } from './liveScene.ts';
import type { LiveGrid } from './liveTimeline.ts';
import { gridFits, planLiveGrid } from './liveTimeline.ts';
import type { AxisPrice } from './tickLayer.ts';
import { TickLayer } from './tickLayer.ts';
import { TimeToX } from './timeToX.ts';
import type { TickBatch } from './tickCoalescer.ts';
import { TickWindow } from './tickWindow.ts';
import { UserGesture } from './userGesture.ts';

/** What the page shows besides the canvas, pushed as it changes (counts at most every PUBLISH_MS). */
export interface LiveChartEvents {
  onFollow(state: FollowSnapshot): void;
  onPlan(plan: LiveLinePlan): void;
  /** Every source this chart has seen for its symbol, drawn or not. */
  onSeen(sources: string[]): void;
  onReadout(readout: LiveReadout | null, hovering: boolean): void;
  onCount(ticks: number): void;
  /** The gap under the mouse (null when none), CSS px in the chart host. */
  onGapHover(gap: ChartGap | null, x: number, y: number): void;
}

export interface LiveChartSettings {
  symbol: string;
  windowTicks: number;
  zone: ZoneId;
  /** null: every source; BBO_FILTER: the BBO alone; else one source. */
  filter: string | null;
  bbo: boolean;
  showCrossed: boolean;
  instrument: Instrument;
  /**
   * A replay's ticks instead of live ones: the right edge is the replay clock (not the page's
   * wall clock) and the probe lists every tick received, for the replay's end-to-end test.
   */
  replay?: boolean;
}

/** Most replayed ticks the probe lists (the newest), so a long replay keeps memory bounded. */
const MAX_PROBED_REPLAY_TICKS = 20_000;

const PUBLISH_MS = 250;
const GAPS_MS = 1000;
/** Following moves the view only once the live edge has moved this far (CSS px). */
const MIN_MOVE_PX = 0.5;

type AnchorPoint = LineData<number> | WhitespaceData<number>;

export class LiveChartController {
  private readonly host: HTMLElement;
  private readonly events: LiveChartEvents;
  private readonly settings: LiveChartSettings;
  private readonly follow = new FollowState(60_000_000);
  private readonly window: TickWindow;
  private readonly clock = new LiveClock();
  private readonly axis: CalendarAxis;
  private readonly chart: IChartApiBase<number>;
  private readonly anchor: ISeriesApi<'Line', number>;
  private readonly layer: TickLayer;
  private readonly overlay: GapOverlay;
  private readonly colours = new Map<string, number>();
  private readonly gesture: UserGesture;
  private readonly seen = new Set<string>();
  private plan: LiveLinePlan;
  private planVersion = 0;
  private grid: LiveGrid | null = null;
  private edge: number | null = null;
  private feedEvents: FeedEvent[] = [];
  private sceneKey = '';
  private sceneCache: LiveScene | null = null;
  private lastSet: LogicalRange | null = null;
  private lastView: Span | null = null;
  private settingView = false;
  private dataDirty = false;
  private windowSources = '';
  private hoverUs: number | null = null;
  private lastPublishMs = -Infinity;
  private gapsDueMs = 0;
  private published = '';
  private frameId = 0;
  private beforeNext: (() => void)[] = [];
  private readonly unregister: () => void;
  private destroyed = false;
  private replayClockUs: number | null = null;
  private replayTsUs: number[] = [];
  private replayBid: number[] = [];
  private replayReceived = 0;

  constructor(host: HTMLElement, settings: LiveChartSettings, events: LiveChartEvents) {
    this.host = host;
    this.settings = { ...settings };
    this.events = events;
    this.window = new TickWindow(settings.windowTicks);
    this.plan = planLines([], settings.filter, settings.bbo, this.colours);
    this.axis = new CalendarAxis(host, {
      chart: {
        timeScale: {
          // The chart moves its own view (following) or keeps the user's (paused).
          shiftVisibleRangeOnNewBar: false,
          lockVisibleTimeRangeOnResize: true,
          minBarSpacing: 0.01,
          rightOffset: 0,
        },
      },
      onView: this.onView,
    });
    this.axis.setZone(settings.zone);
    this.chart = this.axis.chart;
    // The anchor series carries the price scale (format, autoscale from the scene), the drawing
    // layer and the gap overlay; its data is the grid as whitespace and one point at its end.
    this.anchor = this.chart.addSeries(LineSeries, {
      lineVisible: false,
      pointMarkersVisible: false,
      crosshairMarkerVisible: false,
      lastValueVisible: false,
      priceLineVisible: false,
      priceFormat: priceFormatFor(settings.instrument.decimals),
      autoscaleInfoProvider: () => this.autoscale(),
    });
    this.overlay = new GapOverlay({ xOfUs: this.axis.xOfUs, visibleUs: () => this.axis.view() });
    this.layer = new TickLayer({ scene: () => this.scene(), axisPrices: () => this.axisPrices() });
    this.anchor.attachPrimitive(this.overlay);
    this.anchor.attachPrimitive(this.layer);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
    this.gesture = new UserGesture(host);
    this.unregister = registerChartProbe('live', {
      labels: () => this.axis.drawnLabels(),
      view: () => this.axis.view(),
      gridStepUs: () => this.grid?.fine.us ?? this.axis.gridStepUs,
      shadedGaps: () =>
        this.overlay.shadedSpans().map((s) => ({
          fromUs: s.gap.fromUs,
          toUs: s.gap.toUs,
          cause: s.gap.cause,
          x1: s.x1,
          x2: s.x2,
        })),
      xOfUs: (us) => this.axis.xOfUs(us),
      state: () => this.state(),
    });
    this.frameId = requestAnimationFrame(this.loop);
  }

  /** The ticks `ticks.recent` returned (oldest first), before live ones. */
  prefill(cols: TickColumns): void {
    const n = cols.tsUs.length;
    for (let i = 0; i < n; i++)
      this.window.append(cols.tsUs[i], cols.bid[i], cols.ask[i], cols.sources[cols.source[i]] ?? '');
    this.window.trim();
    if (n > 0) this.clock.noteTick(cols.tsUs[n - 1], Date.now());
    this.follow.setSpan(initialSpanUs(this.window.firstTsUs, this.window.lastTsUs));
    this.noteSources();
    this.dataDirty = true;
  }

  /** A frame's worth of live ticks (from the coalescer). */
  pushTicks(batch: TickBatch): void {
    const n = batch.tsUs.length;
    if (n === 0) return;
    const filter = this.settings.filter;
    let drawn = 0;
    let newest = -Infinity;
    for (let i = 0; i < n; i++) {
      const src = batch.source[i];
      this.window.append(batch.tsUs[i], batch.bid[i], batch.ask[i], src);
      if (filter === null || filter === BBO_FILTER || src === filter) drawn++;
      if (batch.tsUs[i] > newest) newest = batch.tsUs[i];
    }
    this.window.trim();
    if (this.settings.replay) this.noteReplayed(batch);
    else this.clock.observe(newest, Date.now());
    this.follow.countNew(drawn);
    this.noteSources();
    this.dataDirty = true;
  }

  /** The replay clock (the newest replayed tick of any symbol): the right edge while replaying. */
  setReplayClock(us: number): void {
    if (this.replayClockUs === null || us > this.replayClockUs) this.replayClockUs = us;
  }

  /** Runs `cb` at the start of the next frame, before it is drawn (the coalescer's drain). */
  beforeFrame(cb: () => void): void {
    this.beforeNext.push(cb);
  }

  addFeedEvents(events: readonly FeedEvent[]): void {
    if (events.length === 0) return;
    this.feedEvents = keepEvents(this.feedEvents, events);
    this.gapsDueMs = 0;
  }

  setFilter(filter: string | null): void {
    if (filter === this.settings.filter) return;
    this.settings.filter = filter;
    this.replan();
  }

  setBbo(on: boolean): void {
    if (on === this.settings.bbo) return;
    this.settings.bbo = on;
    this.replan();
  }

  setShowCrossed(on: boolean): void {
    this.settings.showCrossed = on;
    this.planVersion++;
    this.layer.update();
  }

  setZone(zone: ZoneId): void {
    if (zone === this.settings.zone) return;
    this.settings.zone = zone;
    this.axis.setZone(zone);
    // Grid instants and their weights depend on the zone: lay the grid again.
    this.grid = null;
  }

  setInstrument(inst: Instrument): void {
    const decimalsChanged = inst.decimals !== this.settings.instrument.decimals;
    this.settings.instrument = inst;
    if (decimalsChanged) this.anchor.applyOptions({ priceFormat: priceFormatFor(inst.decimals) });
    this.publishReadout();
  }

  /** A keyboard move (`+`/`-`, arrows, Home, End). */
  navigate(key: NavKey): void {
    const edge = this.edge;
    const view = this.axis.view();
    if (edge === null || !view) return;
    const r = navigate(key, {
      view: this.follow.following ? followView(edge, this.follow.spanUs) : view,
      following: this.follow.following,
      edgeUs: edge,
      firstUs: this.window.firstTsUs ?? view.fromUs,
      maxSpanUs: this.maxSpanUs(),
    });
    const span = r.view.toUs - r.view.fromUs;
    if (r.following) {
      if (!this.follow.resume(span)) this.follow.setSpan(span);
      this.gesture.resumed(performance.now());
    } else {
      this.follow.pause(span);
    }
    this.showView(r.view);
    this.emitFollow();
  }

  /** "Back to live": follow again at the current zoom. */
  backToLive(): void {
    const view = this.axis.view();
    this.follow.resume(view ? clampSpan(view.toUs - view.fromUs, this.maxSpanUs()) : this.follow.spanUs);
    this.gesture.resumed(performance.now());
    this.emitFollow();
  }

  destroy(): void {
    this.destroyed = true;
    cancelAnimationFrame(this.frameId);
    this.unregister();
    this.gesture.destroy();
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.axis.destroy();
  }

  private loop = (): void => {
    if (this.destroyed) return;
    this.frameId = requestAnimationFrame(this.loop);
    this.frame(performance.now());
  };

  private frame(nowMs: number): void {
    if (this.beforeNext.length > 0) {
      const run = this.beforeNext;
      this.beforeNext = [];
      for (const cb of run) cb();
    }
    const edge = this.settings.replay ? this.replayEdge() : this.clock.edgeUs(Date.now());
    if (edge === null) return;
    this.edge = edge;
    const width = this.chart.timeScale().width();
    if (!(width > 0)) return;
    if (this.follow.following) {
      const want = followView(edge, this.follow.spanUs);
      if (!this.grid || (!this.gesture.pointerDown && !gridFits(this.grid, want, width, edge)))
        this.rebuild(want, width);
      else if (this.dataDirty || this.moved(want, width)) this.setView(want);
    } else {
      const view = this.axis.view();
      // A drag in progress keeps its grid: the chart scrolls by index from where the drag began.
      if (view && !this.gesture.pointerDown && (!this.grid || !gridFits(this.grid, view, width, edge))) {
        this.rebuild(view, width);
      } else if (this.dataDirty) {
        this.layer.update();
      }
    }
    this.dataDirty = false;
    if (nowMs >= this.gapsDueMs) {
      this.gapsDueMs = nowMs + GAPS_MS;
      this.refreshGaps(edge);
    }
    if (nowMs - this.lastPublishMs >= PUBLISH_MS) {
      this.lastPublishMs = nowMs;
      this.publish();
    }
  }

  /** Lays a grid for `view` and shows it. */
  private rebuild(view: Span, width: number): void {
    const grid = planLiveGrid({
      fromUs: this.window.firstTsUs ?? view.fromUs,
      view,
      edgeUs: this.edge,
      widthPx: width,
      zone: zoneOf(this.settings.zone),
    });
    if (grid.times.length === 0) return;
    this.settingView = true;
    try {
      this.axis.setTimeline(grid.times, grid.focus, { unit: grid.fine });
      const data: AnchorPoint[] = grid.times.map((time) => ({ time }));
      data[data.length - 1] = { time: grid.times[grid.times.length - 1], value: this.anchorValue() };
      this.anchor.setData(data);
      this.grid = grid;
    } finally {
      this.settingView = false;
    }
    this.setView(view);
    this.gapsDueMs = 0;
  }

  private showView(view: Span): void {
    const width = this.chart.timeScale().width();
    if (!this.grid || !gridFits(this.grid, view, width, this.edge)) this.rebuild(view, width);
    else this.setView(view);
  }

  private setView(view: Span): void {
    this.settingView = true;
    try {
      this.axis.setView(view);
      this.lastSet = this.chart.timeScale().getVisibleLogicalRange();
    } finally {
      this.settingView = false;
    }
    this.lastView = view;
  }

  /** True when following has moved the view by at least MIN_MOVE_PX since it was last set. */
  private moved(want: Span, width: number): boolean {
    const last = this.lastView;
    if (!last) return true;
    const span = want.toUs - want.fromUs;
    const px = (Math.abs(want.toUs - last.toUs) / span) * width;
    return px >= MIN_MOVE_PX || Math.abs(span - (last.toUs - last.fromUs)) > span * 1e-6;
  }

  /** While replaying, time moves only with the replay: the edge stops when the replay pauses. */
  private replayEdge(): number | null {
    const last = this.window.lastTsUs;
    if (last === undefined) return null;
    return Math.max(last, this.replayClockUs ?? last);
  }

  private noteReplayed(batch: TickBatch): void {
    this.replayReceived += batch.tsUs.length;
    this.replayTsUs.push(...batch.tsUs);
    this.replayBid.push(...batch.bid);
    const over = this.replayTsUs.length - MAX_PROBED_REPLAY_TICKS;
    if (over > 0) {
      this.replayTsUs.splice(0, over);
      this.replayBid.splice(0, over);
    }
  }

  private maxSpanUs(): number {
    const first = this.window.firstTsUs;
    const extent = first !== undefined && this.edge !== null ? this.edge - first : 0;
    return Math.max(10_000_000, extent * 1.2);
  }

  // A change of the visible range that the chart did not make itself, made by the user (see
  // UserGesture), is a zoom or a pan: stop following.
  private onView = (view: Span | null): void => {
    if (this.settingView || !view || !this.grid || !this.gesture.active(performance.now())) return;
    const r = this.chart.timeScale().getVisibleLogicalRange();
    const last = this.lastSet;
    if (r && last && Math.abs(r.from - last.from) < 1e-6 && Math.abs(r.to - last.to) < 1e-6) return;
    this.lastSet = r;
    const wasFollowing = this.follow.following;
    this.follow.pause(view.toUs - view.fromUs);
    if (wasFollowing) this.emitFollow();
  };

  private onCrosshair = (p: MouseEventParams<number>): void => {
    if (!p.point) {
      this.hoverUs = null;
      this.events.onGapHover(null, 0, 0);
      this.publishReadout();
      return;
    }
    const logical = this.chart.timeScale().coordinateToLogical(p.point.x);
    this.hoverUs = logical === null ? null : this.axis.timeOf(logical);
    this.events.onGapHover(this.overlay.gapAtX(p.point.x), p.point.x, p.point.y);
    this.publishReadout();
  };

  private autoscale() {
    const s = this.scene();
    if (!s || !Number.isFinite(s.min)) return null;
    return { priceRange: { minValue: s.min, maxValue: s.max } };
  }

  /** The scene of the current view, built once per view, data and plan. */
  private scene(): LiveScene | null {
    const view = this.axis.view();
    if (!view || this.window.length === 0 || this.edge === null) return null;
    const ts = this.chart.timeScale();
    const x0 = ts.logicalToCoordinate(0 as Logical);
    const x1 = ts.logicalToCoordinate(1000 as Logical);
    if (x0 === null || x1 === null) return null;
    const key = `${view.fromUs}|${view.toUs}|${x0}|${x1}|${this.window.version}|${this.planVersion}|${this.edge}`;
    if (key === this.sceneKey) return this.sceneCache;
    const toX = new TimeToX(this.axis.timeTable, this.axis.gridStepUs, x0, (x1 - x0) / 1000);
    this.sceneCache = buildScene({
      window: this.window,
      view,
      edgeUs: this.edge,
      toX,
      lines: this.plan.lines,
      markCrossed: this.settings.showCrossed,
    });
    this.sceneKey = key;
    return this.sceneCache;
  }

  /** The last quote of each drawn line on the price axis (see lastPrices). */
  private axisPrices(): AxisPrice[] {
    return this.edge === null
      ? []
      : lastPrices(this.window, this.plan.lines, this.edge, this.settings.instrument);
  }

  private anchorValue(): number {
    const n = this.window.length;
    return n > 0 ? this.window.bidAt(n - 1) : 1;
  }

  /** New sources in the window (or gone from it): plan the lines again. */
  private noteSources(): void {
    const present = this.window.sources();
    const key = present.join('\u0000');
    let grew = false;
    for (const s of present) {
      if (!this.seen.has(s)) {
        this.seen.add(s);
        grew = true;
      }
    }
    if (grew) this.events.onSeen([...this.seen].sort((a, b) => a.localeCompare(b)));
    if (key !== this.windowSources) {
      this.windowSources = key;
      this.replan();
    }
  }

  private replan(): void {
    this.plan = planLines(this.window.sources(), this.settings.filter, this.settings.bbo, this.colours);
    this.planVersion++;
    this.host.dataset.sources = this.plan.sources.join(',');
    this.host.dataset.bbo = String(this.plan.bbo);
    this.events.onPlan(this.plan);
    this.gapsDueMs = 0;
    this.layer.update();
    this.publishReadout();
  }

  private refreshGaps(edge: number): void {
    if (this.window.length === 0) return;
    const f = this.settings.filter;
    const sources = f === null || f === BBO_FILTER ? null : this.plan.sources;
    this.overlay.setGaps(
      liveGaps({
        window: this.window,
        symbol: this.settings.symbol,
        sources,
        edgeUs: edge,
        events: this.feedEvents,
      }),
    );
  }

  private publish(): void {
    const last = this.window.lastTsUs;
    this.host.dataset.ticks = String(this.window.length);
    this.host.dataset.lastTsUs = last === undefined ? '' : String(last);
    this.host.dataset.following = String(this.follow.following);
    this.events.onCount(this.window.length);
    const f = this.follow.snapshot();
    const key = `${f.following}|${f.newWhilePaused}`;
    if (key !== this.published) {
      this.published = key;
      this.events.onFollow(f);
    }
    this.publishReadout();
  }

  private emitFollow(): void {
    const f = this.follow.snapshot();
    this.published = `${f.following}|${f.newWhilePaused}`;
    this.host.dataset.following = String(f.following);
    this.events.onFollow(f);
  }

  private publishReadout(): void {
    const hovering = this.hoverUs !== null;
    const at = this.hoverUs ?? this.edge;
    if (at === null || this.window.length === 0) {
      this.events.onReadout(null, hovering);
      return;
    }
    this.events.onReadout(readoutAt(this.window, at, this.plan.sources, this.plan.bbo), hovering);
  }

  private state(): Record<string, unknown> {
    const f = this.follow.snapshot();
    const view = this.axis.view();
    return {
      following: f.following,
      newWhilePaused: f.newWhilePaused,
      ticks: this.window.length,
      sources: this.plan.sources,
      bbo: this.plan.bbo,
      bboSources: this.plan.bboSources,
      lastTsUs: this.window.lastTsUs ?? null,
      firstTsUs: this.window.firstTsUs ?? null,
      edgeUs: this.edge,
      spanUs: view ? view.toUs - view.fromUs : f.spanUs,
      filter: this.settings.filter,
      symbol: this.settings.symbol,
      windowTicks: this.window.capacity,
      ticksInView: this.sceneCache?.ticksInView ?? 0,
      gridPoints: this.grid?.times.length ?? 0,
      replay: {
        active: this.settings.replay === true,
        clockUs: this.replayClockUs,
        ticks: this.replayReceived,
        lastTsUs: this.replayTsUs.length > 0 ? this.replayTsUs[this.replayTsUs.length - 1] : null,
        tsUs: this.replayTsUs.slice(),
        bid: this.replayBid.slice(),
      },
    };
  }
}
