// lightweight-charts' horizontal scale for Tickscope: items are µs since the epoch (plain numbers,
// exact to the µs until 2255), labels follow the zone the user picked, and every label is
// formatted from its own instant on every axis build, so a label can never be left over from an
// earlier symbol or zone (the stock scale caches labels by time value and weight).
import type {
  ChartOptionsImpl,
  DataItem,
  HorzScaleItemConverterToInternalObj,
  IHorzScaleBehavior,
  InternalHorzScaleItem,
  InternalHorzScaleItemKey,
  LocalizationOptions,
  Mutable,
  SeriesDataItemTypeMap,
  SeriesType,
  TickMark,
  TickMarkWeightValue,
  TimeMark,
  TimeScalePoint,
} from 'lightweight-charts';
import type { AxisContext } from '../../time/axisLabel.ts';
import { axisLabel } from '../../time/axisLabel.ts';
import { weightOf } from '../../time/axisUnits.ts';
import type { Zone } from '../../time/zone.ts';
import { zoneOf } from '../../time/zone.ts';
import { formatDateTimeMs, formatDateTimeUs } from '../../format/time.ts';

/** One label as the chart drew it: read back by tests and tooling, not from pixels. */
export interface DrawnAxisLabel {
  index: number;
  timeUs: number;
  weight: number;
  text: string;
}

export class MicrosecondScale implements IHorzScaleBehavior<number> {
  private opts!: ChartOptionsImpl<number>;
  private zone: Zone = zoneOf('utc');
  private ctx: AxisContext = { spanUs: 86_400_000_000, crossesYear: false, gridStepUs: 1_000_000 };
  private uncached = 0;
  private drawn: DrawnAxisLabel[] = [];
  private building: DrawnAxisLabel[] = [];
  private buildOpen = false;
  private fits: (index: number, text: string) => boolean = () => true;

  /** Changes the zone; the chart must reset its data for point weights to follow (see setZone callers). */
  setZone(zone: Zone): void {
    this.zone = zone;
  }

  get currentZone(): Zone {
    return this.zone;
  }

  /** The visible span, which decides how much context labels carry. */
  setContext(ctx: AxisContext): void {
    this.ctx = ctx;
  }

  /**
   * Decides whether a label fits inside the axis at its index. The chart centres labels on
   * their point and cuts the ones that overhang an edge ('18:07:1'); those are left blank.
   */
  setLabelFit(fits: (index: number, text: string) => boolean): void {
    this.fits = fits;
  }

  /** The labels of the latest axis build, left to right (blanked edge labels left out). */
  drawnLabels(): DrawnAxisLabel[] {
    return this.drawn.slice();
  }

  options(): ChartOptionsImpl<number> {
    return this.opts;
  }

  setOptions(options: ChartOptionsImpl<number>): void {
    this.opts = options;
  }

  preprocessData(_data: DataItem<number> | DataItem<number>[]): void {}

  updateFormatter(_options: LocalizationOptions<number>): void {}

  createConverterToInternalObj(
    _data: SeriesDataItemTypeMap<number>[SeriesType][],
  ): HorzScaleItemConverterToInternalObj<number> {
    return (time: number) => time as unknown as InternalHorzScaleItem;
  }

  key(item: InternalHorzScaleItem | number): InternalHorzScaleItemKey {
    return item as unknown as InternalHorzScaleItemKey;
  }

  // A fresh key per call defeats the label cache: ten or twenty labels are formatted per axis
  // build, which costs microseconds, and nothing stale can be shown.
  cacheKey(_item: InternalHorzScaleItem): number {
    return ++this.uncached;
  }

  convertHorzItemToInternal(item: number): InternalHorzScaleItem {
    return item as unknown as InternalHorzScaleItem;
  }

  formatHorzItem(item: InternalHorzScaleItem): string {
    const us = item as unknown as number;
    return this.ctx.spanUs < 5_000 ? formatDateTimeUs(us, this.zone.id) : formatDateTimeMs(us, this.zone.id);
  }

  formatTickmark(mark: TickMark, _localization: LocalizationOptions<number>): string {
    const timeUs = mark.time as unknown as number;
    const text = axisLabel(timeUs, mark.weight, this.zone, this.ctx);
    if (!this.fits(mark.index, text)) return '';
    this.record({ index: mark.index, timeUs, weight: mark.weight, text });
    return text;
  }

  maxTickMarkWeight(marks: TimeMark[]): TickMarkWeightValue {
    let w = 0;
    for (const m of marks) if (m.weight > w) w = m.weight;
    return w as TickMarkWeightValue;
  }

  fillWeightsForPoints(points: readonly Mutable<TimeScalePoint>[], startIndex: number): void {
    for (let i = startIndex; i < points.length; i++) {
      points[i].timeWeight = weightOf(points[i].time as unknown as number, this.zone) as TickMarkWeightValue;
    }
  }

  // The chart formats the marks of one build left to right in one synchronous loop: an index
  // that does not grow, or a new task, starts the next build.
  private record(label: DrawnAxisLabel): void {
    const last = this.building[this.building.length - 1];
    if (!this.buildOpen || (last && label.index <= last.index)) {
      if (this.building.length > 0) this.drawn = this.building;
      this.building = [];
      this.buildOpen = true;
      queueMicrotask(() => {
        this.buildOpen = false;
        this.drawn = this.building;
      });
    }
    this.building.push(label);
  }
}
