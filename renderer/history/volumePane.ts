// The pane under the price: for ticks, the sizes quoted with each tick (bid size up, ask size down,
// so the two read apart on one zero line); for bars, the tick volume (ticks per bar). Times are
// the ticks' own, so the pane lines up with the price above it on the shared calendar axis.
import type { IChartApiBase, ISeriesApi } from 'lightweight-charts';
import { HistogramSeries } from 'lightweight-charts';
import type { BarColumns } from '../../shared/bars.ts';
import { COLORS } from '../charts/chartTheme.ts';
import type { TimedValue } from '../charts/sourceLegend.ts';
import type { SourcedTicks } from './sourceTicks.ts';
import { pushPoint } from './sourceTicks.ts';

export const VOLUME_PANE = 1;
/** Share of the chart's height the pane takes. */
const PANE_STRETCH = 0.22;

/** Bid sizes (positive) and ask sizes (negative) at the ticks' times; none without sizes. */
export function sizePoints(t: SourcedTicks): { bid: TimedValue[]; ask: TimedValue[] } {
  const bid: TimedValue[] = [];
  const ask: TimedValue[] = [];
  for (let i = 0; i < t.tsUs.length; i++) {
    const b = t.bidSize[i];
    const a = t.askSize[i];
    if (b !== null && b !== undefined && Number.isFinite(b)) pushPoint(bid, t.tsUs[i], b);
    if (a !== null && a !== undefined && Number.isFinite(a)) pushPoint(ask, t.tsUs[i], -a);
  }
  return { bid, ask };
}

export function tickVolumePoints(bars: BarColumns): TimedValue[] {
  return bars.startUs.map((time, i) => ({ time, value: bars.count[i] }));
}

export class VolumePane {
  private readonly up: ISeriesApi<'Histogram', number>;
  private readonly down: ISeriesApi<'Histogram', number>;
  private what: 'sizes' | 'ticks' | 'none' = 'none';

  constructor(chart: IChartApiBase<number>) {
    const common = { priceLineVisible: false, lastValueVisible: false, base: 0 } as const;
    this.up = chart.addSeries(
      HistogramSeries,
      { ...common, color: COLORS.bid, title: 'bid size' },
      VOLUME_PANE,
    );
    this.down = chart.addSeries(
      HistogramSeries,
      { ...common, color: COLORS.ask, title: 'ask size' },
      VOLUME_PANE,
    );
    chart.panes()[VOLUME_PANE]?.setStretchFactor(PANE_STRETCH);
    chart.panes()[0]?.setStretchFactor(1 - PANE_STRETCH);
  }

  /** What the pane shows now: quoted sizes, tick volume, or nothing (ticks without sizes). */
  get showing(): 'sizes' | 'ticks' | 'none' {
    return this.what;
  }

  setTicks(t: SourcedTicks): void {
    const p = sizePoints(t);
    this.up.setData(p.bid);
    this.down.setData(p.ask);
    this.what = p.bid.length + p.ask.length > 0 ? 'sizes' : 'none';
    this.up.applyOptions({ title: 'bid size', color: COLORS.bid, priceFormat: { type: 'volume' } });
  }

  setBars(bars: BarColumns): void {
    this.up.setData(tickVolumePoints(bars));
    this.down.setData([]);
    this.what = 'ticks';
    this.up.applyOptions({ title: 'ticks', color: '#5b6b82', priceFormat: { type: 'volume' } });
  }

  clear(): void {
    this.up.setData([]);
    this.down.setData([]);
    this.what = 'none';
  }
}
