// The history chart: candles whose timeframe follows the zoom, raw bid/ask ticks when zoomed in
// far enough. Pans and zooms are debounced; each load carries a ticket and only the newest
// answer is drawn, so the chart never blocks on a request and never shows a stale one.
// Raw ticks are drawn one bid/ask pair per quote source (or only the chosen source); candles come
// from bars.get, which blends every source.
import type {
  CandlestickData,
  IChartApi,
  ISeriesApi,
  LineData,
  LogicalRange,
  MouseEventParams,
  Time,
  UTCTimestamp,
} from 'lightweight-charts';
import { CandlestickSeries, createChart, LineSeries } from 'lightweight-charts';
import type { BarColumns } from '../../shared/bars.ts';
import type { TickscopeApi } from '../../shared/ipc/contract.ts';
import { US_PER_SEC } from '../../shared/time.ts';
import { baseChartOptions, COLORS, priceFormatFor } from '../charts/chartTheme.ts';
import type { SourceFilter } from '../charts/sourceFilter.ts';
import type { SourceLegendEntry } from '../charts/sourceSeries.ts';
import { SourceSeries } from '../charts/sourceSeries.ts';
import { priceDecimals } from '../format/price.ts';
import type { TimeZoneMode } from '../format/time.ts';
import { formatAxisLabel, formatDateTimeMs } from '../format/time.ts';
import { logicalAtTime, timeAtLogical, typicalStepUs } from './axisMapping.ts';
import type { HistoryMode } from './chooseTimeframe.ts';
import { LatestOnly } from './latestOnly.ts';
import type { Loaded, TimeSpan } from './loadPlan.ts';
import { planLoad } from './loadPlan.ts';
import type { SourcedTicks } from './sourceTicks.ts';
import { distinctSources, filterBySource, pointsBySource } from './sourceTicks.ts';

const DEBOUNCE_MS = 150;
const TICK_PAGE = 50_000;
const MAX_TICKS = 200_000;

export interface HistoryReadout {
  tsUs: number;
  /** Bars: bid OHLC of the bar; ticks: the bid quote (open = high = low = close). */
  open: number;
  high: number;
  low: number;
  bid: number;
  ask: number | null;
  count: number;
  kind: 'bar' | 'tick';
  /** The tick's source; null for bars (they blend every source). */
  source: string | null;
}

export interface HistoryStatus {
  loading: boolean;
  mode: HistoryMode | null;
  points: number;
  error: string | null;
  truncated: boolean;
}

export interface HistoryChartCallbacks {
  onStatus: (status: HistoryStatus) => void;
  onReadout: (readout: HistoryReadout | null) => void;
  /** ms from starting a load to the chart holding its data. */
  onDrawn: (ms: number, mode: HistoryMode, points: number) => void;
  /** The sources of the loaded raw ticks (all of them, whatever the filter). */
  onSources?: (sources: string[]) => void;
  /** The sources drawn as tick series and their colours; empty while candles are shown. */
  onLegend?: (entries: SourceLegendEntry[]) => void;
}

/** Ticks: `raw` is what was loaded, the other columns what is drawn (the source filter applied). */
type Data =
  | { kind: 'bars'; tfUs: number; bars: BarColumns; askClose: number[] | null }
  | ({ kind: 'ticks'; raw: SourcedTicks } & SourcedTicks);

export class HistoryChartController {
  private readonly api: TickscopeApi;
  private readonly cb: HistoryChartCallbacks;
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly barAsk: ISeriesApi<'Line'>;
  private readonly ticks: SourceSeries;
  private readonly latest = new LatestOnly();
  private sourceFilter: SourceFilter = null;
  private zone: TimeZoneMode = 'utc';
  private symbol: string | null = null;
  private bounds: TimeSpan | null = null;
  private data: Data | null = null;
  private loaded: Loaded | null = null;
  private debounce: ReturnType<typeof setTimeout> | null = null;
  private applyingView = false;
  private status: HistoryStatus = { loading: false, mode: null, points: 0, error: null, truncated: false };

  private readonly host: HTMLElement;

  constructor(host: HTMLElement, api: TickscopeApi, callbacks: HistoryChartCallbacks) {
    this.host = host;
    this.api = api;
    this.cb = callbacks;
    const base = baseChartOptions();
    this.chart = createChart(host, {
      ...base,
      localization: { timeFormatter: (t: Time) => this.crosshairLabel(t) },
      timeScale: {
        ...base.timeScale,
        minBarSpacing: 0.1,
        rightOffset: 2,
        tickMarkFormatter: (t: Time) => this.axisLabel(t),
      },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      borderVisible: false,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
      priceLineVisible: false,
    });
    const line = { lineWidth: 1, priceLineVisible: false, lastValueVisible: false } as const;
    this.barAsk = this.chart.addSeries(LineSeries, {
      ...line,
      color: COLORS.ask,
      lineStyle: 2,
      title: 'ask',
    });
    this.ticks = new SourceSeries(this.chart, {
      lastValueVisible: true,
      onLegend: (entries) => {
        // Read by the end-to-end tests: the sources drawn right now.
        host.dataset.sources = entries.map((e) => e.source).join(',');
        this.cb.onLegend?.(entries);
      },
    });
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onRangeChange);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
  }

  setZone(zone: TimeZoneMode): void {
    this.zone = zone;
    // Labels come from the formatters; re-applying an option makes the chart redraw them.
    this.chart.applyOptions({ localization: { timeFormatter: (t: Time) => this.crosshairLabel(t) } });
  }

  /**
   * Shows a symbol over a selection. The first view is `initialView` (the part of the selection
   * that has data) or the whole selection; a wide first view is always drawn from bars.
   */
  show(symbol: string, bounds: TimeSpan, initialView: TimeSpan = bounds): void {
    this.symbol = symbol;
    this.bounds = bounds;
    this.latest.invalidate();
    this.loaded = null;
    this.data = null;
    this.clearSeries();
    void this.load(initialView, true);
  }

  /** Draws every source (null) or only one; loaded ticks are re-filtered, nothing is refetched. */
  setSource(filter: SourceFilter): void {
    if (filter === this.sourceFilter) return;
    this.sourceFilter = filter;
    const d = this.data;
    const l = this.loaded;
    if (!d || d.kind !== 'ticks' || !l) return;
    const range = this.chart.timeScale().getVisibleLogicalRange();
    const view = (range ? this.viewOf(range) : null) ?? { fromUs: l.fromUs, toUs: l.toUs };
    const data = tickData(d.raw, filter);
    this.draw(data, view, l.mode, l, performance.now(), this.status.truncated);
  }

  /** Zooms to a span inside the current selection. */
  zoomTo(view: TimeSpan): void {
    void this.load(view, true);
  }

  destroy(): void {
    this.latest.invalidate();
    if (this.debounce) clearTimeout(this.debounce);
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onRangeChange);
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.chart.remove();
  }

  private onRangeChange = (range: LogicalRange | null): void => {
    if (this.applyingView || !range || !this.data) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = null;
      const view = this.viewOf(range);
      if (!view) return;
      this.publishView(view);
      void this.load(view, false);
    }, DEBOUNCE_MS);
  };

  private viewOf(range: LogicalRange): TimeSpan | null {
    const d = this.data;
    if (!d) return null;
    const times = d.kind === 'bars' ? d.bars.startUs : d.tsUs;
    if (times.length === 0) return null;
    const step = d.kind === 'bars' ? d.tfUs : typicalStepUs(times, US_PER_SEC);
    const from = timeAtLogical(times, range.from, step);
    // A bar at logical position i spans [start, start + tf): the view's right edge includes it.
    const to = timeAtLogical(times, range.to, step) + (d.kind === 'bars' ? d.tfUs : 0);
    return Number.isFinite(from) && Number.isFinite(to) && to > from ? { fromUs: from, toUs: to } : null;
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
    const plan = planLoad(view, force ? null : this.loaded, bounds, this.density());
    if (!plan) return;
    const ticket = this.latest.begin();
    const started = performance.now();
    this.setStatus({ loading: true, error: null });
    try {
      let data: Data;
      let truncated = false;
      let loadedTo = plan.toUs;
      if (plan.mode.kind === 'bars') {
        const req = { symbol, fromUs: plan.fromUs, toUs: plan.toUs, timeframeSec: plan.mode.timeframeSec };
        // Bid candles first: they are what is drawn. The ask closes only feed the readout
        // and the dashed ask line, and are added when they arrive.
        const askPromise = this.api.call('bars.get', { ...req, price: 'ask' });
        askPromise.catch(() => {});
        const bars = await this.api.call('bars.get', { ...req, price: 'bid' });
        if (!this.latest.isLatest(ticket)) return;
        data = { kind: 'bars', tfUs: plan.mode.timeframeSec * US_PER_SEC, bars, askClose: null };
        this.draw(data, view, plan.mode, { fromUs: plan.fromUs, toUs: loadedTo }, started, truncated);
        askPromise.then(
          (ask) => {
            if (!this.latest.isLatest(ticket) || this.data !== data || data.kind !== 'bars') return;
            data.askClose = alignAsk(bars, ask);
            this.barAsk.setData(this.askLine(bars, data.askClose));
          },
          () => {},
        );
        return;
      }
      const tsUs: number[] = [];
      const bid: number[] = [];
      const ask: number[] = [];
      const source: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.api.call('ticks.range', {
          symbol,
          fromUs: plan.fromUs,
          toUs: plan.toUs,
          limit: TICK_PAGE,
          ...(cursor ? { cursor } : {}),
        });
        if (!this.latest.isLatest(ticket)) return;
        for (let i = 0; i < page.tsUs.length; i++) {
          tsUs.push(page.tsUs[i]);
          bid.push(page.bid[i]);
          ask.push(page.ask[i]);
          source.push(page.sources[page.source[i]] ?? '');
        }
        cursor = page.nextCursor ?? undefined;
        if (cursor && tsUs.length >= MAX_TICKS) {
          truncated = true;
          loadedTo = tsUs[tsUs.length - 1];
          break;
        }
      } while (cursor);
      const raw = { tsUs, bid, ask, source };
      this.cb.onSources?.(distinctSources(source));
      data = tickData(raw, this.sourceFilter);
      this.draw(data, view, plan.mode, { fromUs: plan.fromUs, toUs: loadedTo }, started, truncated);
    } catch (err) {
      if (!this.latest.isLatest(ticket)) return;
      this.setStatus({ loading: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private draw(
    data: Data,
    view: TimeSpan,
    mode: HistoryMode,
    loaded: TimeSpan,
    started: number,
    truncated: boolean,
  ): void {
    this.applyingView = true;
    try {
      this.data = data;
      this.loaded = { ...loaded, mode };
      this.clearSeries();
      let points: number;
      let times: number[];
      let step: number;
      if (data.kind === 'bars') {
        const b = data.bars;
        points = b.startUs.length;
        const candles = new Array<CandlestickData<Time>>(points);
        for (let i = 0; i < points; i++) {
          candles[i] = {
            time: (b.startUs[i] / US_PER_SEC) as UTCTimestamp,
            open: b.open[i],
            high: b.high[i],
            low: b.low[i],
            close: b.close[i],
          };
        }
        this.candles.setData(candles);
        times = b.startUs;
        step = data.tfUs;
      } else {
        points = data.tsUs.length;
        this.ticks.setData(pointsBySource(data));
        times = data.tsUs;
        step = typicalStepUs(times, US_PER_SEC);
      }
      if (points > 0) {
        const sample = data.kind === 'bars' ? data.bars.close[points - 1] : data.ask[points - 1];
        const decimals = priceDecimals(sample);
        const format = { priceFormat: priceFormatFor(decimals) };
        for (const series of [this.candles, this.barAsk]) series.applyOptions(format);
        this.ticks.setDecimals(decimals);
        const span = view.toUs - view.fromUs;
        const from = logicalAtTime(times, view.fromUs, step);
        const to = logicalAtTime(times, view.toUs - (data.kind === 'bars' ? step : 0), step);
        this.chart.timeScale().setVisibleLogicalRange({ from, to: Math.max(to, from + Math.min(1, span)) });
      }
      this.publishView(view);
      this.setStatus({ loading: false, mode, points, error: null, truncated });
      this.cb.onDrawn(performance.now() - started, mode, points);
    } finally {
      // The range change caused by setData/setVisibleLogicalRange fires synchronously; it is
      // not a user pan, so it must not schedule a load.
      this.applyingView = false;
    }
  }

  /** The visible span in µs, as data attributes for tests and tooling. */
  private publishView(view: TimeSpan): void {
    this.host.dataset.viewFromUs = String(Math.round(view.fromUs));
    this.host.dataset.viewToUs = String(Math.round(view.toUs));
  }

  private askLine(bars: BarColumns, askClose: number[]): LineData<Time>[] {
    const out: LineData<Time>[] = [];
    for (let i = 0; i < bars.startUs.length; i++) {
      if (Number.isFinite(askClose[i])) {
        out.push({ time: (bars.startUs[i] / US_PER_SEC) as UTCTimestamp, value: askClose[i] });
      }
    }
    return out;
  }

  private clearSeries(): void {
    this.candles.setData([]);
    this.barAsk.setData([]);
    this.ticks.clear();
  }

  private setStatus(patch: Partial<HistoryStatus>): void {
    this.status = { ...this.status, ...patch };
    this.cb.onStatus(this.status);
  }

  /** Real µs of a chart time value: seconds for bars, tick index for ticks. */
  private realTime(t: Time): number | undefined {
    if (typeof t !== 'number') return undefined;
    const d = this.data;
    if (d?.kind === 'ticks') return d.tsUs[t - 1];
    return t * US_PER_SEC;
  }

  private crosshairLabel(t: Time): string {
    const us = this.realTime(t);
    return us === undefined ? '' : formatDateTimeMs(us, this.zone);
  }

  private axisLabel(t: Time): string {
    const us = this.realTime(t);
    if (us === undefined) return '';
    const range = this.chart.timeScale().getVisibleLogicalRange();
    const view = range ? this.viewOf(range) : null;
    const spanUs = view ? view.toUs - view.fromUs : 86_400_000_000;
    // Axis labels sit roughly a tenth of the view apart.
    return formatAxisLabel(us, this.zone, spanUs / 10);
  }

  private onCrosshair = (param: MouseEventParams): void => {
    const d = this.data;
    if (!d || param.logical === undefined || param.time === undefined) {
      this.cb.onReadout(null);
      return;
    }
    const i = Math.round(param.logical);
    if (d.kind === 'bars') {
      const b = d.bars;
      if (i < 0 || i >= b.startUs.length) return this.cb.onReadout(null);
      this.cb.onReadout({
        kind: 'bar',
        tsUs: b.startUs[i],
        open: b.open[i],
        high: b.high[i],
        low: b.low[i],
        bid: b.close[i],
        ask: d.askClose ? d.askClose[i] : null,
        count: b.count[i],
        source: null,
      });
      return;
    }
    if (i < 0 || i >= d.tsUs.length) return this.cb.onReadout(null);
    this.cb.onReadout({
      kind: 'tick',
      tsUs: d.tsUs[i],
      open: d.bid[i],
      high: d.bid[i],
      low: d.bid[i],
      bid: d.bid[i],
      ask: d.ask[i],
      count: 1,
      source: d.source[i],
    });
  };
}

function tickData(raw: SourcedTicks, filter: SourceFilter): Data {
  return { kind: 'ticks', raw, ...filterBySource(raw, filter) };
}

/** Ask closes on the bid bars' buckets (both come from the same ticks, so buckets match). */
function alignAsk(bid: BarColumns, ask: BarColumns): number[] {
  const out = new Array<number>(bid.startUs.length).fill(NaN);
  let j = 0;
  for (let i = 0; i < bid.startUs.length; i++) {
    while (j < ask.startUs.length && ask.startUs[j] < bid.startUs[i]) j++;
    if (j < ask.startUs.length && ask.startUs[j] === bid.startUs[i]) out[i] = ask.close[j];
  }
  return out;
}
