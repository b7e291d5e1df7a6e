// One bid and one ask line per quote source on a tick chart, so two feeds quoting the same symbol
// are never blended into one line. All sources share the chart's time axis (a running tick
// index), so each source's step line holds its last quote until that source quotes again.
import type { IChartApi, ISeriesApi, LineData, LineWidth, Time } from 'lightweight-charts';
import { LineSeries, LineStyle, LineType } from 'lightweight-charts';
import { COLORS, priceFormatFor } from './chartTheme.ts';
import { pickSourceColour, SOURCE_PALETTE } from './sourceColours.ts';

export interface SourceLegendEntry {
  source: string;
  /** Index into SOURCE_PALETTE, or null while the chart has one source (bid/ask colours). */
  colour: number | null;
}

export interface TimedValue {
  time: number;
  value: number;
}

export interface SourcePointsLike {
  bid: readonly TimedValue[];
  ask: readonly TimedValue[];
}

export interface SourceSeriesOptions {
  lineWidth?: LineWidth;
  lastValueVisible?: boolean;
  /** Called whenever the set of drawn sources (or their colours) changes. */
  onLegend?: (entries: SourceLegendEntry[]) => void;
}

interface Pair {
  bid: ISeriesApi<'Line'>;
  ask: ISeriesApi<'Line'>;
  colour: number;
}

export class SourceSeries {
  private readonly chart: IChartApi;
  private readonly options: SourceSeriesOptions;
  private readonly pairs = new Map<string, Pair>();
  private decimals: number | null = null;

  constructor(chart: IChartApi, options: SourceSeriesOptions = {}) {
    this.chart = chart;
    this.options = options;
  }

  get size(): number {
    return this.pairs.size;
  }

  /** The series pair of a source, created (and every pair recoloured if needed) on first use. */
  ensure(source: string): Pair {
    const have = this.pairs.get(source);
    if (have) return have;
    const taken = new Set([...this.pairs.values()].map((p) => p.colour));
    const common = {
      lineWidth: this.options.lineWidth ?? 1,
      lineType: LineType.WithSteps,
      priceLineVisible: false,
      lastValueVisible: this.options.lastValueVisible ?? true,
      ...(this.decimals !== null ? { priceFormat: priceFormatFor(this.decimals) } : {}),
    } as const;
    const pair: Pair = {
      bid: this.chart.addSeries(LineSeries, { ...common }),
      ask: this.chart.addSeries(LineSeries, { ...common }),
      colour: pickSourceColour(source, taken),
    };
    this.pairs.set(source, pair);
    this.restyle();
    return pair;
  }

  update(source: string, time: number, bid: number, ask: number): void {
    const p = this.ensure(source);
    p.bid.update({ time: time as Time, value: bid });
    p.ask.update({ time: time as Time, value: ask });
  }

  /** Replaces all data; sources without points are removed from the chart and the legend. */
  setData(bySource: ReadonlyMap<string, SourcePointsLike>): void {
    let removed = false;
    for (const [source, pair] of this.pairs) {
      if (bySource.has(source)) continue;
      this.chart.removeSeries(pair.bid);
      this.chart.removeSeries(pair.ask);
      this.pairs.delete(source);
      removed = true;
    }
    for (const [source, pts] of bySource) {
      const p = this.ensure(source);
      p.bid.setData(pts.bid as LineData<Time>[]);
      p.ask.setData(pts.ask as LineData<Time>[]);
    }
    if (removed) this.restyle();
  }

  setDecimals(decimals: number): void {
    if (decimals === this.decimals) return;
    this.decimals = decimals;
    for (const p of this.pairs.values()) {
      p.bid.applyOptions({ priceFormat: priceFormatFor(decimals) });
      p.ask.applyOptions({ priceFormat: priceFormatFor(decimals) });
    }
  }

  clear(): void {
    if (this.pairs.size === 0) return;
    for (const p of this.pairs.values()) {
      this.chart.removeSeries(p.bid);
      this.chart.removeSeries(p.ask);
    }
    this.pairs.clear();
    this.options.onLegend?.([]);
  }

  legend(): SourceLegendEntry[] {
    const single = this.pairs.size === 1;
    return [...this.pairs.entries()]
      .map(([source, p]) => ({ source, colour: single ? null : p.colour }))
      .sort((a, b) => a.source.localeCompare(b.source));
  }

  /** One source: the usual bid/ask colours. Several: a colour per source, ask dashed. */
  private restyle(): void {
    const single = this.pairs.size === 1;
    for (const [source, p] of this.pairs) {
      const colour = SOURCE_PALETTE[p.colour];
      p.bid.applyOptions({
        color: single ? COLORS.bid : colour,
        lineStyle: LineStyle.Solid,
        title: single ? 'bid' : source,
      });
      p.ask.applyOptions({
        color: single ? COLORS.ask : colour,
        lineStyle: single ? LineStyle.Solid : LineStyle.Dashed,
        title: single ? 'ask' : '',
      });
    }
    this.options.onLegend?.(this.legend());
  }
}
