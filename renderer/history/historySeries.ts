// The series of a history chart and what each draw puts in them: candles (or the bar spread line)
// for bars; for ticks one multi-line series holding every source's lines and the BBO, with the
// crossed/locked marks on it; the sizes or tick volume pane; the gap overlay. A draw empties only
// what it does not set again, so a redraw never removes and re-adds a series.
import type {
  DeepPartial,
  ISeriesApi,
  ISeriesMarkersPluginApi,
  LineData,
  SeriesMarker,
  WhitespaceData,
} from 'lightweight-charts';
import { CandlestickSeries, createSeriesMarkers, LineSeries } from 'lightweight-charts';
import type { BarColumns, PriceSide } from '../../shared/bars.ts';
import type { BboColumns } from '../charts/bestBidOffer.ts';
import { COLORS, priceFormatFor } from '../charts/chartTheme.ts';
import { GapOverlay } from '../charts/gaps/gapOverlay.ts';
import type { SourceLegendEntry } from '../charts/sourceLegend.ts';
import type { CalendarAxis } from '../charts/timeScale/calendarAxis.ts';
import type { Instrument } from '../format/instrument.ts';
import { snapTimes } from './historyTimeline.ts';
import type { MultiLineData, MultiLineOptions } from './multiLineSeries.ts';
import { multiLineItems, MultiLineView } from './multiLineSeries.ts';
import type { PriceView } from './priceView.ts';
import { barSpreadPoints, candlePoints, candleSideFor, midOf, pipsOf, viewDecimals } from './priceView.ts';
import type { QuoteMark } from './quoteMarks.ts';
import type { SourcedTicks } from './sourceTicks.ts';
import { tickLines } from './tickLines.ts';
import { VolumePane } from './volumePane.ts';

/** The groups of series a draw fills (and a later one may have to empty). */
export type SeriesKind = 'candles' | 'barLine' | 'ticks' | 'marks' | 'volume';

type TickSeries = ISeriesApi<
  'Custom',
  number,
  MultiLineData | WhitespaceData<number>,
  MultiLineOptions,
  DeepPartial<MultiLineOptions>
>;

export class HistorySeries {
  readonly candles: ISeriesApi<'Candlestick', number>;
  readonly overlay: GapOverlay;
  readonly volume: VolumePane;
  private readonly barLine: ISeriesApi<'Line', number>;
  private readonly ticks: TickSeries;
  private readonly markers: ISeriesMarkersPluginApi<number>;
  private readonly filled = new Set<SeriesKind>();

  constructor(axis: CalendarAxis) {
    const chart = axis.chart;
    this.candles = chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      borderVisible: false,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
      priceLineVisible: false,
    });
    this.barLine = chart.addSeries(LineSeries, {
      lineWidth: 1,
      priceLineVisible: false,
      lastValueVisible: true,
      color: COLORS.bid,
      title: 'spread',
    });
    this.ticks = chart.addCustomSeries<MultiLineData, MultiLineOptions, DeepPartial<MultiLineOptions>>(
      new MultiLineView(),
      { lines: [], lastValueVisible: false, priceLineVisible: false },
    );
    this.markers = createSeriesMarkers(this.ticks, []);
    this.volume = new VolumePane(chart);
    this.overlay = new GapOverlay({ xOfUs: axis.xOfUs, visibleUs: () => axis.view() });
    this.candles.attachPrimitive(this.overlay);
  }

  /** Empties the series not in `keep` (those in it are about to be set) and the price format. */
  prepare(keep: ReadonlySet<SeriesKind>, view: PriceView, inst: Instrument): void {
    for (const kind of [...this.filled]) {
      if (keep.has(kind)) continue;
      this.filled.delete(kind);
      if (kind === 'candles') this.candles.setData([]);
      else if (kind === 'barLine') this.barLine.setData([]);
      else if (kind === 'ticks') this.ticks.setData([]);
      else if (kind === 'marks') this.markers.setMarkers([]);
      else this.volume.clear();
    }
    for (const kind of keep) this.filled.add(kind);
    // The price scale takes its format from its first series, the candles, drawn or not.
    this.candles.applyOptions({ priceFormat: priceFormatFor(viewDecimals(view, inst)) });
  }

  clear(): void {
    this.prepare(new Set(), 'quotes', { symbol: '', decimals: 5, pipSize: 0.0001, pipName: 'pip' });
  }

  drawBars(bars: BarColumns, view: PriceView, side: PriceSide, inst: Instrument): void {
    if (view === 'spread') {
      this.barLine.applyOptions({ priceFormat: priceFormatFor(viewDecimals(view, inst)) });
      this.barLine.setData(barSpreadPoints(bars, inst) as LineData<number>[]);
    } else {
      this.candles.setData(candlePoints(bars, candleSideFor(view, side)));
    }
    this.volume.setBars(bars);
  }

  /** Ticks already on the grid (historyTimeline.snapTicks); returns the legend. */
  drawTicks(
    ticks: SourcedTicks,
    bbo: BboColumns | null,
    view: PriceView,
    inst: Instrument,
  ): SourceLegendEntry[] {
    const lines = tickLines(ticks, bbo, view, inst);
    this.ticks.applyOptions({ lines: lines.specs, priceFormat: priceFormatFor(viewDecimals(view, inst)) });
    this.ticks.setData(multiLineItems(lines.points));
    this.volume.setTicks(ticks);
    return lines.legend;
  }

  /** Marks on the tick series at the quote's own price, one per grid instant (crossed wins). */
  drawMarks(marks: readonly QuoteMark[], grid: ArrayLike<number>, view: PriceView, inst: Instrument): void {
    const value = view === 'quotes' ? (b: number) => b : view === 'mid' ? midOf : pipsOf(inst);
    const at = snapTimes(
      marks.map((m) => m.time),
      grid,
    );
    const shapes: SeriesMarker<number>[] = [];
    for (let i = 0; i < marks.length; i++) {
      const m = marks[i];
      const price = value(m.bid, m.ask);
      const time = at[i];
      if (!Number.isFinite(price) || Number.isNaN(time)) continue;
      const last = shapes[shapes.length - 1];
      if (last && last.time === time) {
        if (m.state !== 'crossed') continue;
        shapes.pop();
      }
      shapes.push({
        time,
        position: 'atPriceMiddle',
        price,
        shape: 'circle',
        size: 0.6,
        color: m.state === 'crossed' ? COLORS.down : '#ffd54f',
        id: `${m.state}:${m.source}`,
      });
    }
    this.markers.setMarkers(shapes);
  }
}
