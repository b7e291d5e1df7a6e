// The history chart on calendar time: candles whose timeframe follows the zoom, raw ticks (one
// bid/ask pair per source, a best bid/offer across sources) when zoomed in far enough, gaps shaded,
// sizes or tick volume in a pane below. Bars sit at their real µs on the CalendarAxis and ticks on
// its grid (historyTimeline.ts), whose step follows the view, so a gap is as wide as its duration
// (or, compressed, one step with a break marker); historySeries.ts owns the series. Pans and
// zooms are debounced; each load carries a ticket and only the newest answer is drawn, so the
// chart never blocks on a request and never shows a stale one.
import type { GapHover } from '../charts/gaps/GapTooltip.tsx';
import type { ISeriesApi, MouseEventParams } from 'lightweight-charts';
import type { PriceSide } from '../../shared/bars.ts';
import { barsFromTicks } from '../../shared/bars.ts';
import type { TickscopeApi } from '../../shared/ipc/contract.ts';
import { US_PER_SEC } from '../../shared/time.ts';
import type { BboColumns } from '../charts/bestBidOffer.ts';
import { bboColumns } from '../charts/bestBidOffer.ts';
import type { ChartProbe } from '../charts/chartProbe.ts';
import { registerChartProbe } from '../charts/chartProbe.ts';
import { COLORS } from '../charts/chartTheme.ts';
import type { ChartGap } from '../charts/gaps/chartGap.ts';
import { findTickGaps } from '../charts/gaps/gapFinder.ts';
import { mergeGaps } from '../charts/gaps/mergeGaps.ts';
import type { SourceFilter } from '../charts/sourceFilter.ts';
import type { SourceLegendEntry } from '../charts/sourceLegend.ts';
import { CalendarAxis } from '../charts/timeScale/calendarAxis.ts';
import type { Instrument } from '../format/instrument.ts';
import { instrumentFor } from '../format/instrument.ts';
import type { ZoneId } from '../time/zone.ts';
import { zoneOf } from '../time/zone.ts';
import type { HistoryMode } from './chooseTimeframe.ts';
import { describeMode } from './chooseTimeframe.ts';
import type { HistoryData, TicksData } from './historyLoader.ts';
import { loadBars, loadFeedGaps, loadTicks } from './historyLoader.ts';
import type { TickOrigin } from './historyLoader.ts';
import type { HistoryReadout } from './historyReadout.ts';
import { barReadout, tickReadout } from './historyReadout.ts';
import type { SeriesKind } from './historySeries.ts';
import { HistorySeries } from './historySeries.ts';
import type { GridPlan } from './historyTimeline.ts';
import { gridFor, regridFor, snapTicks, snapTimes, stepsForWidth } from './historyTimeline.ts';
import { LatestOnly } from './latestOnly.ts';
import type { Loaded, LoadRequest, TimeSpan } from './loadPlan.ts';
import { clampSpan, planLoad } from './loadPlan.ts';
import type { NavAction } from './navigate.ts';
import { navigate } from './navigate.ts';
import type { PriceView } from './priceView.ts';
import { candleSideFor, midOf, pipsOf } from './priceView.ts';
import type { QualityMarksStatus } from './qualityMarks.ts';
import type { QualityReportCache } from './qualityMarks.ts';
import { markText, marksOf, sharedQualityReports, utcDaysCovering } from './qualityMarks.ts';
import type { DrawnQualityMark } from './qualityOverlay.ts';
import { QualityOverlay } from './qualityOverlay.ts';
import type { QuoteMarks } from './quoteMarks.ts';
import { quoteMarks } from './quoteMarks.ts';
import type { SourcedTicks } from './sourceTicks.ts';
import { distinctSources, filterBySource } from './sourceTicks.ts';
import { SpacingSample } from './spacingSample.ts';
import { barRequestFor } from './zoneBars.ts';

const DEBOUNCE_MS = 150;
/** A compressed gap must be wider than this many grid steps (narrower ones are left as they are). */
const COMPRESS_MIN_STEPS = 4;
/** A view this close to the one last applied (fraction of its width) is the echo of applying it. */
const SAME_VIEW = 1e-4;

export interface HistorySettings {
  priceView: PriceView;
  candleSide: PriceSide;
  compressGaps: boolean;
  showCrossed: boolean;
  showBbo: boolean;
  /** The data-quality report's flags over the chart (qualityMarks.ts). */
  qualityMarks: boolean;
}

export interface HistoryStatus {
  loading: boolean;
  mode: HistoryMode | null;
  points: number;
  error: string | null;
  truncated: boolean;
  /** Bars only: false when they could not follow the zone's day boundaries. */
  zoneAligned: boolean;
  /** Sources drawn as their own series (ticks); empty for bars. */
  sources: string[];
  /** The best bid/offer line is drawn. */
  bbo: boolean;
  /** Crossed/locked quotes marked (null when not shown). */
  marks: Pick<QuoteMarks, 'total' | 'crossed' | 'locked'> | null;
  /** What the lower pane shows. */
  pane: 'sizes' | 'ticks' | 'none';
  /** Quality marks (null when not shown). */
  quality: QualityMarksStatus | null;
}

/** The quality mark under the pointer and where the pointer is, in the chart host's CSS px. */
export interface QualityHover {
  drawn: DrawnQualityMark;
  x: number;
  y: number;
}

export interface HistoryChartCallbacks {
  onStatus: (status: HistoryStatus) => void;
  onReadout: (readout: HistoryReadout | null) => void;
  /** ms from starting a load to the chart holding its data. */
  onDrawn: (ms: number, mode: HistoryMode, points: number) => void;
  /** ms from a keyboard zoom or pan to the chart redrawn at the new view. */
  onNavigated?: (ms: number) => void;
  /** The sources of the loaded raw ticks (all of them, whatever the filter). */
  onSources?: (sources: string[]) => void;
  onLegend?: (entries: SourceLegendEntry[]) => void;
  onGapHover?: (hover: GapHover | null) => void;
  onQualityHover?: (hover: QualityHover | null) => void;
  /** The user moved the crosshair to an instant (null: left the chart); for synced charts. */
  onCrosshairTime?: (us: number | null) => void;
}

interface Drawn {
  /** The ticks drawn (the filter applied) with their BBO, or null for bars. */
  ticks: SourcedTicks | null;
  bbo: BboColumns | null;
  times: ArrayLike<number>;
  compress: ChartGap[];
}

/** Raw ticks fetched ahead of a zoom-in (see prefetchZoomIn). */
interface Prefetch extends TimeSpan {
  symbol: string;
  ticks: Promise<TicksData | null>;
}

export const INITIAL_STATUS: HistoryStatus = {
  loading: true,
  mode: null,
  points: 0,
  error: null,
  truncated: false,
  zoneAligned: true,
  sources: [],
  bbo: false,
  marks: null,
  pane: 'none',
  quality: null,
};

export class HistoryChartController {
  private readonly api: TickscopeApi;
  private readonly cb: HistoryChartCallbacks;
  private readonly host: HTMLElement;
  private readonly axis: CalendarAxis;
  private readonly series: HistorySeries;
  private readonly latest = new LatestOnly();
  private readonly spacing: SpacingSample;
  private readonly unregister: () => void;
  private readonly qualityReports: QualityReportCache;
  private readonly quality: QualityOverlay;
  /** The report requests last waited for, and the key of the marks last put on the overlay. */
  private qualityAwaited: readonly Promise<unknown>[] | null = null;
  private qualityShown: string | null = null;

  private settings: HistorySettings = {
    priceView: 'quotes',
    candleSide: 'bid',
    compressGaps: false,
    showCrossed: true,
    showBbo: true,
    qualityMarks: false,
  };
  private sourceFilter: SourceFilter = null;
  private origin: TickOrigin = 'local';
  private zone: ZoneId = 'utc';
  private instrument: Instrument | null = null;
  private symbol: string | null = null;
  private bounds: TimeSpan | null = null;
  private data: HistoryData | null = null;
  private feedGaps: ChartGap[] = [];
  private bboCache: { raw: SourcedTicks; bbo: BboColumns } | null = null;
  private prefetched: {
    symbol: string;
    fromUs: number;
    toUs: number;
    ticks: Promise<TicksData | null>;
  } | null = null;
  private loaded: Loaded | null = null;
  private drawn: Drawn | null = null;
  private grid: GridPlan | null = null;
  private lastView: TimeSpan | null = null;
  private debounce: ReturnType<typeof setTimeout> | null = null;
  private applying = false;
  private navStarted: number | null = null;
  private status: HistoryStatus = INITIAL_STATUS;

  constructor(host: HTMLElement, api: TickscopeApi, index: number, callbacks: HistoryChartCallbacks) {
    this.host = host;
    this.api = api;
    this.cb = callbacks;
    this.spacing = new SpacingSample(api);
    this.axis = new CalendarAxis(host, {
      chart: {
        // A chart narrowed by a compare chart keeps its time span, not its bar spacing.
        timeScale: { minBarSpacing: 0.001, rightOffset: 0, lockVisibleTimeRangeOnResize: true },
        rightPriceScale: { borderColor: COLORS.border },
      },
      onView: this.onView,
    });
    const chart = this.axis.chart;
    this.series = new HistorySeries(this.axis);
    this.qualityReports = sharedQualityReports(api);
    this.quality = new QualityOverlay({ xOfUs: this.axis.xOfUs, visibleUs: () => this.axis.view() });
    this.series.candles.attachPrimitive(this.quality);
    chart.subscribeCrosshairMove(this.onCrosshair);
    this.unregister = registerChartProbe(`history-${index}`, this.probe());
  }

  /** Shows a symbol over a selection, first at `initialView` (the part of it holding data). */
  show(symbol: string, bounds: TimeSpan, initialView: TimeSpan = bounds): void {
    this.symbol = symbol;
    this.bounds = bounds;
    this.reset();
    void this.load(initialView, true);
    this.spacing.take(symbol, (initialView.fromUs + initialView.toUs) / 2, () => {
      if (this.data?.kind === 'ticks') this.redraw();
    });
  }

  /** Raw ticks from this store or the desk's ClickHouse; bars stay local, so only ticks reload. */
  setOrigin(origin: TickOrigin): void {
    if (origin === this.origin) return;
    this.origin = origin;
    this.prefetched = null;
    if (this.data?.kind === 'ticks') this.reload();
  }

  /** Every source (null) or one: ticks are re-filtered in place; bars are asked for again. */
  setSource(filter: SourceFilter): void {
    if (filter === this.sourceFilter) return;
    this.sourceFilter = filter;
    if (!this.data) return;
    if (this.data.kind === 'ticks') this.redraw();
    else this.reload();
  }

  setSettings(next: HistorySettings): void {
    const prev = this.settings;
    this.settings = next;
    const same = (Object.keys(next) as (keyof HistorySettings)[]).every((k) => next[k] === prev[k]);
    if (!same) this.redraw();
  }

  /** Relabels at once; bars are asked for again, since their buckets follow the zone's days. */
  setZone(zone: ZoneId): void {
    if (zone === this.zone) return;
    this.zone = zone;
    this.axis.setZone(zone);
    if (this.data?.kind === 'bars') this.reload();
    else this.redraw();
  }

  setInstrument(inst: Instrument): void {
    const prev = this.instrument;
    this.instrument = inst;
    if (prev && prev.decimals === inst.decimals && prev.pipSize === inst.pipSize) return;
    this.redraw();
  }

  /** Keyboard navigation: zoom around the centre, pan a tenth, jump to either end. */
  navigate(action: NavAction): void {
    const bounds = this.bounds;
    const view = this.axis.view() ?? this.lastView;
    if (!bounds || !view) return;
    const next = navigate(view, action, bounds);
    this.navStarted = performance.now();
    this.applyView(next);
    void this.load(next, false);
  }

  /** Shows the crosshair of a synced chart at `us` (null hides it). */
  /** The span the chart shows now (what "export the visible view" exports), null before the first draw. */
  visibleSpan(): TimeSpan | null {
    const view = this.axis.view() ?? this.lastView;
    return view ? { fromUs: Math.floor(view.fromUs), toUs: Math.ceil(view.toUs) } : null;
  }

  showCrosshairAt(us: number | null): void {
    const chart = this.axis.chart;
    // A crosshair placed by code fires no move event: the readout follows here.
    this.cb.onReadout(us === null ? null : this.readoutAt(us));
    if (us === null) return chart.clearCrosshairPosition();
    const price = this.valueAt(us);
    if (price === null) return chart.clearCrosshairPosition();
    try {
      chart.setCrosshairPosition(price.value, us, price.series);
    } catch {
      // An empty price scale has nothing to place the crosshair on.
    }
  }

  destroy(): void {
    this.latest.invalidate();
    if (this.debounce) clearTimeout(this.debounce);
    this.unregister();
    this.axis.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.axis.destroy();
  }

  // ---- loading ------------------------------------------------------------------------------

  private reset(): void {
    this.latest.invalidate();
    this.loaded = null;
    this.data = null;
    this.drawn = null;
    this.grid = null;
    this.lastView = null;
    this.prefetched = null;
    this.feedGaps = [];
    this.bboCache = null;
    this.series.clear();
    this.series.overlay.setGaps([]);
    this.series.overlay.setBreaks([]);
    this.qualityAwaited = null;
    this.qualityShown = null;
    this.quality.setMarks([]);
  }

  private reload(): void {
    const view = this.axis.view() ?? this.lastView;
    if (view) void this.load(view, true);
  }

  private density(): number | null {
    const l = this.loaded;
    const d = this.data;
    if (!l || !d || l.toUs <= l.fromUs) return null;
    if (d.kind === 'ticks') return d.raw.tsUs.length / (l.toUs - l.fromUs);
    let n = 0;
    for (const c of d.bars.count) n += c;
    return n / (l.toUs - l.fromUs);
  }

  private async load(view: TimeSpan, force: boolean): Promise<void> {
    const symbol = this.symbol;
    const bounds = this.bounds;
    if (!symbol || !bounds) return;
    this.refreshQuality(view);
    const plan = planLoad(view, force ? null : this.loaded, bounds, this.density());
    if (!plan) {
      this.regrid(view);
      this.navigated();
      this.prefetchZoomIn(view);
      return;
    }
    const ticket = this.latest.begin();
    const current = () => this.latest.isLatest(ticket);
    const started = performance.now();
    this.setStatus({ loading: true, error: null });
    // Zooming out of raw ticks: bars of the ticks already loaded show at once; the padded
    // request below then replaces them.
    if (this.drawLocalBars(plan, view, started)) this.navigated();
    const query = {
      symbol,
      source: this.sourceFilter,
      fromUs: plan.fromUs,
      toUs: plan.toUs,
      origin: this.origin,
    };
    try {
      const gapsPromise = loadFeedGaps(this.api, query, Date.now() * 1000);
      let data: HistoryData | null;
      let loadedFrom = plan.fromUs;
      let loadedTo = plan.toUs;
      if (plan.mode.kind === 'bars') {
        data = await loadBars(this.api, {
          ...query,
          timeframeSec: plan.mode.timeframeSec,
          zone: zoneOf(this.zone),
        });
      } else {
        const pf = await this.prefetchedFor(plan);
        // The prefetched span holds the plan's and more.
        if (pf) [loadedFrom, loadedTo] = [pf.fromUs, pf.toUs];
        data = pf?.data ?? (await loadTicks(this.api, { ...query, source: null }, current));
      }
      const feedGaps = await gapsPromise;
      if (!data || !current()) return;
      if (data.kind === 'ticks') {
        this.cb.onSources?.(distinctSources(data.raw.source));
        if (data.truncated) loadedTo = data.raw.tsUs[data.raw.tsUs.length - 1];
      }
      this.data = data;
      this.feedGaps = feedGaps;
      this.loaded = { fromUs: loadedFrom, toUs: loadedTo, mode: plan.mode };
      // Where the user is now: a wheel or drag may have moved the view while this loaded.
      const points = this.render(this.lastView ?? view);
      this.setStatus({
        loading: false,
        error: null,
        mode: plan.mode,
        truncated: data.kind === 'ticks' && data.truncated,
      });
      this.cb.onDrawn(performance.now() - started, plan.mode, points);
      this.navigated();
      this.prefetchZoomIn(this.lastView ?? view);
      // A first look is planned without knowing the density; now it is known, the view may be
      // better drawn otherwise (a quiet hour as raw ticks rather than 1 s bars).
      if (force && this.lastView) void this.load(this.lastView, false);
    } catch (err) {
      if (!current()) return;
      this.setStatus({ loading: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  /**
   * Bars for `plan` built from the raw ticks on hand, when they cover the view and the zone needs
   * no folding: the same arithmetic the engine uses (shared/bars.ts), without the round trip.
   */
  private drawLocalBars(plan: LoadRequest, view: TimeSpan, started: number): boolean {
    const d = this.data;
    const l = this.loaded;
    const bounds = this.bounds;
    if (plan.mode.kind !== 'bars' || d?.kind !== 'ticks' || d.truncated || !l || !bounds || !this.symbol)
      return false;
    const visible = clampSpan(view, bounds);
    // The view read back from the chart is a hair off the one asked for: a sliver outside the
    // loaded ticks is empty either way.
    const slack = (visible.toUs - visible.fromUs) * 0.02;
    if (visible.fromUs < l.fromUs - slack || visible.toUs > l.toUs + slack) return false;
    const tf = plan.mode.timeframeSec;
    if (barRequestFor(tf, zoneOf(this.zone), l.fromUs, l.toUs).fold) return false;
    const t = filterBySource(d.raw, this.sourceFilter);
    const bars = barsFromTicks(this.symbol, tf, this.sourceFilter, t.tsUs, t.bid, t.ask);
    this.data = { kind: 'bars', timeframeSec: tf, bars, zoneAligned: true };
    this.loaded = { fromUs: l.fromUs, toUs: l.toUs, mode: plan.mode };
    const points = this.render(view);
    this.setStatus({ mode: plan.mode, truncated: false });
    this.cb.onDrawn(performance.now() - started, plan.mode, points);
    return true;
  }

  /**
   * While bars are shown, fetches the raw ticks the next keyboard zoom-in would need (when it
   * would switch to ticks), so that step only draws.
   */
  private prefetchZoomIn(view: TimeSpan): void {
    const symbol = this.symbol;
    const bounds = this.bounds;
    if (!symbol || !bounds || this.data?.kind !== 'bars') return;
    const plan = planLoad(navigate(view, 'zoomIn', bounds), this.loaded, bounds, this.density());
    if (!plan || plan.mode.kind !== 'ticks') return;
    const pf = this.prefetched;
    if (pf && pf.symbol === symbol && pf.fromUs <= plan.fromUs && pf.toUs >= plan.toUs) return;
    const query = { symbol, source: null, fromUs: plan.fromUs, toUs: plan.toUs, origin: this.origin };
    const entry: Prefetch = { symbol, fromUs: plan.fromUs, toUs: plan.toUs, ticks: Promise.resolve(null) };
    entry.ticks = loadTicks(this.api, query, () => this.prefetched === entry).then(
      (d) => {
        // The BBO over them too, while the user is still looking at bars.
        if (d && this.prefetched === entry && this.data?.kind === 'bars') this.bboOf(d.raw);
        return d;
      },
      () => null,
    );
    this.prefetched = entry;
  }

  /** The prefetched ticks and their span when they cover `plan` in full, else null. */
  private async prefetchedFor(
    plan: LoadRequest,
  ): Promise<{ data: TicksData; fromUs: number; toUs: number } | null> {
    const pf = this.prefetched;
    if (!pf || pf.symbol !== this.symbol || pf.fromUs > plan.fromUs || pf.toUs < plan.toUs) return null;
    const data = await pf.ticks;
    return data && !data.truncated ? { data, fromUs: pf.fromUs, toUs: pf.toUs } : null;
  }

  /** Reports how long a keyboard step took, once the chart has painted its result. */
  private navigated(): void {
    const t0 = this.navStarted;
    if (t0 === null) return;
    this.navStarted = null;
    requestAnimationFrame(() => this.cb.onNavigated?.(performance.now() - t0));
  }

  // ---- drawing ------------------------------------------------------------------------------

  private redraw(): void {
    if (!this.data) return;
    const view = this.axis.view() ?? this.lastView;
    if (view) this.render(view);
  }

  private inst(): Instrument {
    return this.instrument ?? instrumentFor(this.symbol ?? '', null);
  }

  private bboOf(raw: SourcedTicks): BboColumns {
    if (this.bboCache?.raw !== raw) this.bboCache = { raw, bbo: bboColumns(raw) };
    return this.bboCache.bbo;
  }

  /** Puts the loaded data on the chart for `view`; returns the number of ticks or bars drawn. */
  private render(view: TimeSpan): number {
    const data = this.data;
    const loaded = this.loaded;
    if (!data || !loaded) return 0;
    const s = this.settings;
    const inst = this.inst();
    this.applying = true;
    try {
      const ticks = data.kind === 'ticks' ? filterBySource(data.raw, this.sourceFilter) : null;
      const several = ticks !== null && distinctSources(ticks.source).length >= 2;
      const withBbo = ticks !== null && s.showBbo && this.sourceFilter === null && several;
      const keep = new Set<SeriesKind>(['volume']);
      if (data.kind === 'bars') keep.add(s.priceView === 'spread' ? 'barLine' : 'candles');
      else {
        keep.add('ticks');
        if (s.showCrossed) keep.add('marks');
      }
      this.series.prepare(keep, s.priceView, inst);
      const gaps = mergeGaps(this.ownGaps(data, ticks), this.feedGaps);
      this.series.overlay.setGaps(gaps);
      const grid = gridFor(view, clampSpan(loaded, this.bounds ?? loaded), this.steps());
      const compress = s.compressGaps
        ? gaps.filter((g) => g.toUs - g.fromUs > COMPRESS_MIN_STEPS * grid.unit.us)
        : [];
      this.series.overlay.setBreaks(compress.map((g) => (g.fromUs + g.toUs) / 2));
      let legend: SourceLegendEntry[] = [];
      let marks: QuoteMarks | null = null;
      let bbo: BboColumns | null = null;
      let points: number;
      // The grid goes first: data set after it lands on instants the chart already has, which
      // spares it re-sorting its whole time table once per series.
      if (data.kind === 'bars') {
        this.drawn = { ticks: null, bbo: null, times: data.bars.startUs, compress };
        this.layGrid(grid);
        this.series.drawBars(data.bars, s.priceView, s.candleSide, inst);
        points = data.bars.startUs.length;
      } else {
        const shown = ticks ?? data.raw;
        bbo = withBbo ? this.bboOf(data.raw) : null;
        this.drawn = { ticks: shown, bbo, times: [], compress };
        this.layGrid(grid);
        // Ticks are drawn on the grid (see historyTimeline.ts), so the grid is the whole table.
        const onGrid = this.axis.timeTable;
        const bboOnGrid = bbo && { ...bbo, tsUs: snapTimes(bbo.tsUs, onGrid) };
        legend = this.series.drawTicks(snapTicks(shown, onGrid), bboOnGrid, s.priceView, inst);
        if (s.showCrossed) {
          marks = quoteMarks(shown, bbo);
          this.series.drawMarks(marks.marks, onGrid, s.priceView, inst);
        }
        points = shown.tsUs.length;
      }
      this.applyView(view);
      this.refreshQuality(view);
      // Read by the end-to-end tests: 'ticks', or the bars' timeframe ('1m', '1d').
      this.host.dataset.mode = describeMode(
        data.kind === 'bars' ? { kind: 'bars', timeframeSec: data.timeframeSec } : { kind: 'ticks' },
      );
      this.host.dataset.sources = legend.map((e) => e.source).join(',');
      this.host.dataset.points = String(points);
      this.cb.onLegend?.(legend);
      this.setStatus({
        points,
        zoneAligned: data.kind === 'bars' ? data.zoneAligned : true,
        sources: legend.map((e) => e.source),
        bbo: bbo !== null,
        marks: marks ? { total: marks.total, crossed: marks.crossed, locked: marks.locked } : null,
        pane: this.series.volume.showing,
      });
      return points;
    } finally {
      // The range changes caused by setData/setView are not user pans: they must not load.
      this.applying = false;
    }
  }

  /** Grid steps across the view for the chart's current width. */
  private steps(): number {
    return stepsForWidth(this.host.clientWidth || 1000);
  }

  /** Gaps the data itself shows: silences between ticks, or runs of empty bars. */
  private ownGaps(data: HistoryData, ticks: SourcedTicks | null): ChartGap[] {
    if (data.kind === 'ticks') {
      const thresholdUs = this.spacing.thresholdUs(this.sourceFilter);
      return findTickGaps(ticks?.tsUs ?? [], {
        ...(this.sourceFilter !== null ? { source: this.sourceFilter } : {}),
        ...(thresholdUs !== undefined ? { thresholdUs } : {}),
      });
    }
    const tfUs = data.timeframeSec * US_PER_SEC;
    // A bar gap runs from the end of the last bar to the start of the next.
    return findTickGaps(data.bars.startUs, { floorUs: 3 * tfUs })
      .map((g) => ({ ...g, fromUs: g.fromUs + tfUs }))
      .filter((g) => g.toUs > g.fromUs);
  }

  /** Lays the grid, and so the index ↔ time table (the drawn data's times and the grid's). */
  private layGrid(grid: GridPlan): void {
    const d = this.drawn;
    if (!d) return;
    this.axis.setTimeline(d.times, grid.span, { unit: grid.unit, compress: d.compress });
    this.grid = grid;
  }

  /** A zoom or pan that kept the data may still need a finer grid, or grid further out. */
  private regrid(view: TimeSpan): void {
    const loaded = this.loaded;
    if (!loaded || !this.drawn) return;
    const next = regridFor(view, clampSpan(loaded, this.bounds ?? loaded), this.grid, this.steps());
    if (!next) return;
    this.applying = true;
    try {
      // Ticks sit on the grid, and which gaps are wide enough to cut depends on the step: both
      // are drawn again; plain bars only need the new grid.
      if (this.data?.kind === 'ticks' || this.settings.compressGaps) {
        this.render(view);
        return;
      }
      this.layGrid(next);
      this.applyView(view);
    } finally {
      this.applying = false;
    }
  }

  /**
   * Puts the report's marks for the days `view` covers on the overlay: at once from the reports
   * already here, else once they arrive (asked of main, whose quality worker computes them).
   */
  private refreshQuality(view: TimeSpan): void {
    const symbol = this.symbol;
    if (!this.settings.qualityMarks || !symbol) {
      if (this.status.quality === null) return;
      this.qualityAwaited = null;
      this.showQuality(null, [], null);
      return;
    }
    const days = utcDaysCovering(clampSpan(view, this.bounds ?? view));
    if (typeof days === 'number') {
      this.qualityAwaited = null;
      if (this.qualityShown !== `wide:${days}`)
        this.showQuality(`wide:${days}`, [], { state: 'too-wide', days });
      return;
    }
    const pending = days.map((d) => this.qualityReports.report(d, symbol));
    const reports = days.map((d) => this.qualityReports.settled(d, symbol));
    const source = this.sourceFilter;
    if (reports.every((r) => r !== undefined)) {
      const key = `${symbol}|${source}|${days.join(',')}|${reports.map((r) => r.ticks).join(',')}`;
      if (key !== this.qualityShown) {
        const { marks, truncated } = marksOf(reports, symbol, source);
        this.showQuality(key, marks, { state: 'shown', days, marks: marks.length, truncated });
      }
    } else if (this.status.quality?.state !== 'loading') {
      this.showQuality(null, [], { state: 'loading', days });
    }
    const awaited = this.qualityAwaited;
    if (awaited && awaited.length === pending.length && awaited.every((p, i) => p === pending[i])) return;
    this.qualityAwaited = pending;
    Promise.all(pending).then(
      () => {
        if (this.qualityAwaited === pending) this.refreshQuality(this.lastView ?? view);
      },
      (err: unknown) => {
        if (this.qualityAwaited !== pending) return;
        const error = err instanceof Error ? err.message : String(err);
        this.showQuality(null, [], { state: 'error', days, error });
      },
    );
  }

  private showQuality(
    key: string | null,
    marks: Parameters<QualityOverlay['setMarks']>[0],
    status: QualityMarksStatus | null,
  ): void {
    this.qualityShown = key;
    this.quality.setMarks(marks);
    this.setStatus({ quality: status });
  }

  private applyView(view: TimeSpan): void {
    this.lastView = view;
    this.axis.setView(view);
    this.publishView(view);
  }

  private setStatus(patch: Partial<HistoryStatus>): void {
    this.status = { ...this.status, ...patch };
    this.cb.onStatus(this.status);
  }

  /** The visible span in µs, as data attributes for tests and tooling. */
  private publishView(view: TimeSpan): void {
    this.host.dataset.viewFromUs = String(Math.round(view.fromUs));
    this.host.dataset.viewToUs = String(Math.round(view.toUs));
  }

  // ---- interaction --------------------------------------------------------------------------

  private onView = (view: TimeSpan | null): void => {
    if (this.applying || !view || !this.data) return;
    const last = this.lastView;
    if (last) {
      const tol = (last.toUs - last.fromUs) * SAME_VIEW;
      if (Math.abs(view.fromUs - last.fromUs) <= tol && Math.abs(view.toUs - last.toUs) <= tol) return;
    }
    this.lastView = view;
    this.publishView(view);
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = null;
      void this.load(view, false);
    }, DEBOUNCE_MS);
  };

  /**
   * The drawn value at an instant, to place a synced crosshair: the chart converts it on the
   * pane's price scale, so any series of the price pane carries it.
   */
  private valueAt(us: number): { value: number; series: ISeriesApi<'Candlestick', number> } | null {
    const r = this.readoutAt(us);
    if (!r) return null;
    const view = this.settings.priceView;
    const inst = this.inst();
    let value: number;
    if (r.kind === 'bar') value = view === 'spread' ? pipsOf(inst)(r.bidClose, r.askClose) : r.close;
    else
      value = view === 'quotes' ? r.bid : view === 'mid' ? midOf(r.bid, r.ask) : pipsOf(inst)(r.bid, r.ask);
    return Number.isFinite(value) ? { value, series: this.series.candles } : null;
  }

  private readoutAt(us: number): HistoryReadout | null {
    const d = this.data;
    if (!d || !this.drawn) return null;
    if (d.kind === 'bars')
      return barReadout(d.bars, candleSideFor(this.settings.priceView, this.settings.candleSide), us);
    return this.drawn.ticks ? tickReadout(this.drawn.ticks, this.drawn.bbo, us) : null;
  }

  private onCrosshair = (param: MouseEventParams<number>): void => {
    const user = param.sourceEvent !== undefined;
    if (!param.point || param.logical === undefined) {
      this.cb.onReadout(null);
      this.cb.onGapHover?.(null);
      this.cb.onQualityHover?.(null);
      if (user) this.cb.onCrosshairTime?.(null);
      return;
    }
    const us = typeof param.time === 'number' ? param.time : this.axis.timeOf(param.logical);
    this.cb.onReadout(this.readoutAt(us));
    const pricePane = param.paneIndex === 0 || param.paneIndex === undefined;
    const flag =
      pricePane && this.settings.qualityMarks ? this.quality.markAt(param.point.x, param.point.y) : null;
    this.cb.onQualityHover?.(flag ? { drawn: flag, x: param.point.x, y: param.point.y } : null);
    // A quality flag under the pointer has the tooltip; elsewhere the chart's own gaps do.
    const gap = pricePane && !flag ? this.series.overlay.gapAtX(param.point.x) : null;
    this.cb.onGapHover?.(gap ? { gap, x: param.point.x, y: param.point.y } : null);
    if (user) this.cb.onCrosshairTime?.(us);
  };

  private probe(): ChartProbe {
    return {
      labels: () => this.axis.drawnLabels(),
      view: () => this.axis.view(),
      gridStepUs: () => this.axis.gridStepUs,
      shadedGaps: () =>
        this.series.overlay
          .shadedSpans()
          .map((s) => ({ fromUs: s.gap.fromUs, toUs: s.gap.toUs, cause: s.gap.cause, x1: s.x1, x2: s.x2 })),
      qualityMarks: () =>
        this.quality.drawnMarks().map((d) => ({
          kind: d.mark.kind,
          atUs: d.mark.atUs,
          toUs: d.mark.toUs,
          source: d.mark.source,
          text: markText(d.mark),
          x1: d.x1,
          x2: d.x2,
          y: d.y,
        })),
      xOfUs: (us) => this.axis.xOfUs(us),
      state: () => {
        const st = this.status;
        return {
          mode: st.mode?.kind ?? null,
          timeframeSec: st.mode?.kind === 'bars' ? st.mode.timeframeSec : null,
          points: st.points,
          sources: st.sources,
          bbo: st.bbo,
          symbol: this.symbol,
          loading: st.loading,
          source: this.sourceFilter,
          zone: this.zone,
          priceView: this.settings.priceView,
          candleSide: this.settings.candleSide,
          compressGaps: this.settings.compressGaps,
          breaks: this.series.overlay.breakMarkers(),
          zoneAligned: st.zoneAligned,
          marks: st.marks,
          pane: st.pane,
          quality: st.quality,
          truncated: st.truncated,
          selection: this.bounds,
          tablePoints: this.axis.timeTable.length,
          firstBarUs: this.data?.kind === 'bars' ? (this.data.bars.startUs[0] ?? null) : null,
        };
      },
    };
  }
}
