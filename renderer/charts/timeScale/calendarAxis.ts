// A chart on Tickscope's microsecond scale with calendar time: owns the chart, the whitespace
// grid series and the index ↔ time table, and keeps the axis labels' context (visible span, zone)
// current. History and Live build on it; overlays (gaps, markers) place themselves with
// `xOfUs`, tests read the drawn labels with `drawnLabels`.
//
// Which step the grid has over which span is the caller's choice (History and Live re-lay it as
// the user zooms, finer around the view than elsewhere); this class keeps chart, grid and table
// consistent.
import type {
  DeepPartial,
  IChartApiBase,
  ISeriesApi,
  LogicalRange,
  TimeChartOptions,
} from 'lightweight-charts';
import { createChartEx, LineSeries } from 'lightweight-charts';
import { baseChartOptions } from '../chartTheme.ts';
import type { AxisUnit } from '../../time/axisUnits.ts';
import { unitForSpan } from '../../time/axisUnits.ts';
import { crossesYear, maxLabelChars } from '../../time/axisLabel.ts';
import type { ZoneId } from '../../time/zone.ts';
import { zoneOf } from '../../time/zone.ts';
import type { DrawnAxisLabel } from './microsecondScale.ts';
import { MicrosecondScale } from './microsecondScale.ts';
import type { Span } from './timeline.ts';
import { gridTimes, logicalOfTime, mergeTimes, timeOfLogical } from './timeline.ts';

/** Grid steps wanted across a span: enough for proportional time and labels at any width. */
export const DEFAULT_GRID_STEPS = 2000;

export type TimeChart = IChartApiBase<number>;

export interface CalendarAxisOptions {
  chart?: DeepPartial<TimeChartOptions>;
  /** Called after every visible-range change with the visible span (null when empty). */
  onView?: (view: Span | null) => void;
}

export class CalendarAxis {
  readonly chart: TimeChart;
  readonly scale: MicrosecondScale;
  private readonly grid: ISeriesApi<'Line', number>;
  private readonly onView?: (view: Span | null) => void;
  private times: Float64Array = new Float64Array(0);
  private unit: AxisUnit | null = null;
  private labelChars = 8;
  /** The span shown (asked for, or panned to) and the time scale's width then: see onRange. */
  private held: Span | null = null;
  private heldWidth = 0;

  constructor(host: HTMLElement, options: CalendarAxisOptions = {}) {
    this.scale = new MicrosecondScale();
    const base = baseChartOptions() as DeepPartial<TimeChartOptions>;
    this.chart = createChartEx<number, MicrosecondScale>(host, this.scale, {
      ...base,
      ...options.chart,
      timeScale: { ...base.timeScale, tickMarkMaxCharacterLength: 8, ...options.chart?.timeScale },
    } as never);
    this.grid = this.chart.addSeries(LineSeries, {
      // Its own (hidden) price scale: the first series of a scale formats its labels, and the
      // grid's default two decimals must not stand for the data series' precision.
      priceScaleId: 'calendar-grid',
      visible: false,
      lastValueVisible: false,
      priceLineVisible: false,
      crosshairMarkerVisible: false,
    });
    this.onView = options.onView;
    const fontSize = base.layout?.fontSize ?? 11;
    this.scale.setLabelFit((index, text) => {
      const ts = this.chart.timeScale();
      const x = ts.logicalToCoordinate(index as never);
      // Monospace glyphs are about 0.62 em wide; a few pixels of margin either side.
      const half = (text.length * fontSize * 0.62) / 2 + 3;
      return x !== null && x - half >= 0 && x + half <= ts.width();
    });
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onRange);
  }

  /** The zone labels and grid follow. Callers redraw their data after (point weights depend on it). */
  setZone(zone: ZoneId): void {
    this.scale.setZone(zoneOf(zone));
  }

  /** The step of the grid around the view (the view's resolution). */
  get gridUnit(): AxisUnit | null {
    return this.unit;
  }

  get gridStepUs(): number {
    return this.unit?.us ?? 1_000_000;
  }

  /** The index → time table of everything on the chart (data and grid). */
  get timeTable(): Float64Array {
    return this.times;
  }

  /**
   * Lays the grid over `span` at `unit` (or the unit giving about `steps` steps), leaving out
   * the inside of `compress` spans; `dataTimes` are the sorted times of every data series, which
   * may include the caller's own finer grid points (the table must match what the series hold).
   * Call right before or after setting series data.
   */
  setTimeline(
    dataTimes: ArrayLike<number>,
    span: Span,
    opts: { steps?: number; compress?: Span[]; unit?: AxisUnit } = {},
  ): void {
    const unit =
      opts.unit ?? unitForSpan(Math.max(1, span.toUs - span.fromUs), opts.steps ?? DEFAULT_GRID_STEPS);
    const grid = gridTimes(span.fromUs, span.toUs, unit, this.scale.currentZone, opts.compress ?? []);
    this.unit = unit;
    this.times = mergeTimes(dataTimes, grid);
    this.grid.setData(grid.map((time) => ({ time })));
  }

  logicalOf(us: number): number {
    return logicalOfTime(this.times, us, this.gridStepUs);
  }

  timeOf(logical: number): number {
    return timeOfLogical(this.times, logical, this.gridStepUs);
  }

  /** CSS x of an instant, or null when the chart has no points yet. */
  xOfUs = (us: number): number | null => {
    if (this.times.length === 0) return null;
    // The chart maps whole indexes only (a fractional one comes back as 0): interpolate.
    const ts = this.chart.timeScale();
    const logical = this.logicalOf(us);
    const i = Math.floor(logical);
    const x0 = ts.logicalToCoordinate(i as never);
    const f = logical - i;
    if (x0 === null || f === 0) return x0;
    const x1 = ts.logicalToCoordinate((i + 1) as never);
    return x1 === null ? x0 : x0 + f * (x1 - x0);
  };

  /** Shows [fromUs, toUs]. */
  setView(view: Span): void {
    const from = this.logicalOf(view.fromUs);
    const to = this.logicalOf(view.toUs);
    this.held = view;
    this.heldWidth = this.chart.timeScale().width();
    this.chart.timeScale().setVisibleLogicalRange({ from, to: Math.max(to, from + 0.5) });
    this.updateContext(view);
  }

  /** The visible span, from the chart's own visible logical range. */
  view(): Span | null {
    const r = this.chart.timeScale().getVisibleLogicalRange();
    return r ? this.spanOf(r) : null;
  }

  drawnLabels(): DrawnAxisLabel[] {
    return this.scale.drawnLabels();
  }

  destroy(): void {
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onRange);
    this.chart.remove();
  }

  private spanOf(r: LogicalRange): Span | null {
    if (this.times.length === 0) return null;
    const fromUs = this.timeOf(r.from);
    const toUs = this.timeOf(r.to);
    return Number.isFinite(fromUs) && Number.isFinite(toUs) && toUs > fromUs ? { fromUs, toUs } : null;
  }

  private updateContext(view: Span | null): void {
    if (!view) return;
    const zone = this.scale.currentZone;
    const ctx = {
      spanUs: view.toUs - view.fromUs,
      crossesYear: crossesYear(view.fromUs, view.toUs, zone),
      gridStepUs: this.gridStepUs,
    };
    this.scale.setContext(ctx);
    const chars = maxLabelChars(ctx);
    if (chars !== this.labelChars) {
      this.labelChars = chars;
      this.chart.applyOptions({ timeScale: { tickMarkMaxCharacterLength: chars } });
    }
  }

  private onRange = (r: LogicalRange | null): void => {
    const view = r ? this.spanOf(r) : null;
    const width = this.chart.timeScale().width();
    if (this.held && width !== this.heldWidth) {
      // The chart changed width under the span: a resize, or its first layout. lightweight-charts
      // keeps bars per pixel, and a range set before the chart had a width does not take at all
      // (it falls back to its default span), so the span is shown again at the new width.
      this.setView(this.held);
      return;
    }
    if (view) this.held = view;
    this.updateContext(view);
    this.onView?.(view);
  };
}
